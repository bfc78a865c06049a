/**
 * The key date of a processed object (its first sample's local date, in the key's folders), as a UTC midnight:
 *   keyDay('processed/pc/2024/04/20/b.json.gz') → Date.UTC(2024, 3, 20); keyDay('processed/pc/x') → null
 *   dayPath(Date.UTC(2024, 3, 20, 15))          → '2024/04/20'
 */
import { utcDate } from '../../../shared/analytics/row-schema';

const KEY_DATE = /\/(\d{4})\/(\d{2})\/(\d{2})\/[^/]+$/;

export function keyDay(key: string): number | null {
  const date = KEY_DATE.exec(key);
  return date ? Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3])) : null;
}

/** A day (any time of it, UTC) → its date folders `yyyy/mm/dd`. */
export const dayPath = (ms: number) => utcDate(ms).replaceAll('-', '/');
