/**
 * Which rows are the same row when two objects carry them (the read side's belt and braces: charts, `forward`):
 * the same instant *and* the same readings. The instant alone is not enough: GPU-Z logs local time, so in the
 * repeated hour of a DST fall-back, or after the clock is set back, two real rows carry one time stamp; a line
 * carried twice (a range cut again after a checkpoint restored from a backup) has the same readings in both.
 *
 *   rowIdentity(1786035293000, [['gpu_temp_c', 61], ['gpu_clock_mhz', 1746.5]])
 *   → '1786035293000|gpu_clock_mhz=1746.5|gpu_temp_c=61'
 */
export function rowIdentity(t: number, readings: Iterable<readonly [string, number | null]>): string {
  const parts = [...readings].map(([key, value]) => `${key}=${value ?? ''}`).sort();
  return `${t}|${parts.join('|')}`;
}
