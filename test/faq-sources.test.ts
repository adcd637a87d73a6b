import { afterAll, describe, expect, it } from 'vitest';
import { Conversation, testRuntime } from './helpers/conversation.js';

const runtime = testRuntime();
afterAll(() => runtime.close());

describe('answers that name their source', () => {
  it('shows the NPA source under the 2012 figures, in the reader language', async () => {
    const en = await new Conversation(runtime, 'source-en').expect('how many trainees were there in 2012', {
      entryId: 'center-statistics-2012',
    });
    expect(en.notes).toContain(
      'Source: National Police Agency: Developing International Cooperation with a focus on Asia',
    );
    expect(en.text).toContain('Japanese police as a whole');
    const ja = await new Conversation(runtime, 'source-ja').expect('2012年の研修員は何人でしたか', {
      entryId: 'center-statistics-2012',
      lang: 'ja',
    });
    expect(ja.notes).toContain('出典：警察庁「アジアを中心とした国際協力の推進」');
  });

  it('shows no source under a house answer built on center.yaml', async () => {
    const reply = await new Conversation(runtime, 'source-none').expect('When do I get my daily allowance?', {
      entryId: 'trainee-money-allowance',
    });
    expect(reply.notes.filter((n) => n.startsWith('Source:'))).toEqual([]);
    expect(reply.text).toContain('does not pay a daily allowance');
  });
});
