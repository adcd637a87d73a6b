import { describe, expect, it } from 'vitest';
import { lazyAttachment } from '../../src/core/reply.js';

describe('an attachment built when read', () => {
  it('builds its content on the first read only, and shows it like a plain property', () => {
    let built = 0;
    const file = lazyAttachment('a.ics', 'text/calendar', () => {
      built++;
      return 'BEGIN:VCALENDAR';
    });
    expect(built).toBe(0);
    expect(file.content).toBe('BEGIN:VCALENDAR');
    expect({ ...file }).toEqual({
      filename: 'a.ics',
      contentType: 'text/calendar',
      content: 'BEGIN:VCALENDAR',
    });
    expect(JSON.parse(JSON.stringify(file)).content).toBe('BEGIN:VCALENDAR');
    expect(built).toBe(1);
  });
});
