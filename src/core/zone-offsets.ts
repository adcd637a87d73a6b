/**
 * Time-zone offsets remembered per zone and hour. Luxon asks an IANA zone for its UTC offset at
 * every DateTime it makes or moves (`fromJSDate`, `startOf`, `plus`, `set`), and `IANAZone.offset`
 * formats the instant with `Intl.DateTimeFormat.formatToParts` each time (about 1.7 % of a turn's
 * CPU in `bench/turn-cpu.ts --prof`, from the schedule engine and the date parser).
 *
 * An offset is a pure function of the zone's rules (the ICU data of this process, which does not
 * change while it runs), so remembering it stays correct whatever other processes do. For each hour
 * of UTC time a zone is asked about, the offset at the hour's first and last millisecond is
 * computed the usual way; when they are equal the hour has no transition (rules never change twice
 * and back within an hour) and every instant in it gets that offset from memory; an hour that holds
 * a transition is never remembered, so its instants are computed one by one as before.
 */
import { IANAZone } from 'luxon';

const HOUR_MS = 3_600_000;
/** Hours remembered per zone before that zone's memory starts over (a few days' worth is the working set). */
const MAX_HOURS_PER_ZONE = 4096;

let installed = false;

/** Makes every luxon IANA zone remember its offsets per hour (once per process; idempotent). */
export function rememberZoneOffsets(): void {
  if (installed) return;
  installed = true;
  const compute = IANAZone.prototype.offset;
  const memory = new WeakMap<IANAZone, Map<number, number>>();
  IANAZone.prototype.offset = function offset(this: IANAZone, ts: number): number {
    if (!this.isValid || !Number.isFinite(ts)) return compute.call(this, ts);
    const hour = Math.floor(ts / HOUR_MS);
    let hours = memory.get(this);
    if (!hours) {
      hours = new Map();
      memory.set(this, hours);
    }
    const known = hours.get(hour);
    if (known !== undefined) return known;
    const first = compute.call(this, hour * HOUR_MS);
    const last = compute.call(this, hour * HOUR_MS + HOUR_MS - 1);
    if (first !== last || Number.isNaN(first)) return compute.call(this, ts);
    if (hours.size >= MAX_HOURS_PER_ZONE) hours.clear();
    hours.set(hour, first);
    return first;
  };
}
