/** Request references such as V-2027-0042: the year it was made and a running number in that year. */

export const REF_PATTERN = /^V-(\d{4})-(\d{4,})$/;

export function formatRef(year: number, seq: number): string {
  return `V-${year}-${String(seq).padStart(4, '0')}`;
}

/** "v-2027-42", " V-2027-0042 " → "V-2027-0042"; undefined when it is not a reference. */
export function normalizeRef(input: string): string | undefined {
  const m = /^\s*V-?(\d{4})-?(\d{1,6})\s*$/i.exec(input);
  if (!m?.[1] || !m[2]) return undefined;
  return formatRef(Number(m[1]), Number(m[2]));
}
