import { DateTime, IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/core/seeded-random.js';
import { rememberZoneOffsets } from '../../src/core/zone-offsets.js';

// Zones with DST, half-hour and 45-minute offsets, a 30-minute DST shift, a dropped DST and a
// date-line jump (Apia skipped 30 December 2011).
const ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'America/Sao_Paulo',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'Asia/Tokyo',
  'Asia/Tehran',
  'Pacific/Apia',
  'Pacific/Chatham',
];

describe('rememberZoneOffsets', () => {
  // Luxon's own computation, taken before the memory is installed.
  const compute = IANAZone.prototype.offset;
  rememberZoneOffsets();

  it('gives every instant the offset luxon computes, around transitions too', () => {
    const random = seededRandom(13);
    const from = Date.UTC(2010, 0, 1);
    const to = Date.UTC(2028, 0, 1);
    for (const name of ZONES) {
      const zone = IANAZone.create(name);
      const instants: number[] = [];
      for (let i = 0; i < 3000; i++) instants.push(from + Math.floor(random() * (to - from)));
      // Each transition and the milliseconds around it: the hours that hold one must not be remembered.
      const DAY = 86_400_000;
      for (let ts = from; ts < to; ts += DAY) {
        if (compute.call(zone, ts) !== compute.call(zone, ts + DAY)) {
          let lo = ts;
          let hi = ts + DAY;
          while (hi - lo > 1) {
            const mid = Math.floor((lo + hi) / 2);
            if (compute.call(zone, mid) === compute.call(zone, ts)) lo = mid;
            else hi = mid;
          }
          instants.push(hi - 1, hi, hi + 1, hi - 1_800_000, hi + 1_800_000);
        }
      }
      // Twice each: the second time comes from memory.
      for (const ts of [...instants, ...instants])
        expect(zone.offset(ts), `${name} ${new Date(ts).toISOString()}`).toBe(compute.call(zone, ts));
    }
  });

  it('leaves DateTime arithmetic in a zone as it was', () => {
    const start = DateTime.fromISO('2026-03-28T12:00', { zone: 'Europe/Berlin' });
    const next = start.plus({ days: 1 });
    expect(next.toISO()).toBe('2026-03-29T12:00:00.000+02:00');
    expect(start.startOf('day').toISO()).toBe('2026-03-28T00:00:00.000+01:00');
  });

  it('passes invalid input through', () => {
    expect(Number.isNaN(IANAZone.create('Nowhere/Atlantis').offset(0))).toBe(true);
    expect(Number.isNaN(IANAZone.create('Europe/Berlin').offset(Number.NaN))).toBe(true);
  });
});
