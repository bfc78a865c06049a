/**
 * What the cost answer needs to know of the store itself — the Costs view (and the Settings hint and the tray) and
 * `gpuz-cloud estimate` alike, so they print the same figures after a year as on the first day:
 *   await storedHistory(data, ['gaming-pc', 'laptop'], now)
 *     → { storedDaysByHost: [359, 0], storedSince: null,        each host's days stored before this month
 *         loggedByHost: [{ days: 12, bytes: 93_000_000 }, null] } and what each logged on its recent whole days
 *   await storedHistory(data, hosts, now, { oldest: true })
 *     → { …, storedSince: 1765072800000 }                         and the oldest reading of any (the extent)
 * Objects never expire, so the month pays for every day stored before it (src/shared/cost/answer.ts). Requests:
 * each host's first page of keys (one LIST, kept 30 s: the one every dashboard open makes) and its last 13 days of
 * keys (the extent's LIST, none more for a host whose first page holds every key); `oldest` adds the extent's GET or
 * two of objects not cached yet. null: the store cannot be read.
 */
import type { LoggedBytes } from '../../../shared/cost/answer';
import type { ProcessedData } from '../data/processed-data';

export interface StoredHistory {
  /** Days with stored readings before the month, per host, in the order asked. */
  storedDaysByHost: number[];
  /** The oldest reading of any host (epoch ms); null when none, or not asked. */
  storedSince: number | null;
  /** What each host logged on its recent whole days (processed-data.ts loggedBytes), in the order asked. */
  loggedByHost: (LoggedBytes | null)[];
}

/** The hosts the store lists with this PC's among them, even before its first upload (sorted, as listed). */
export function withThisPc(listed: string[], self: string): string[] {
  return listed.includes(self) ? listed : [...listed, self].sort();
}

export async function storedHistory(
  data: Pick<ProcessedData, 'extent' | 'storedDays' | 'loggedBytes'>,
  hosts: readonly string[],
  now: Date,
  options: { oldest?: boolean; today?: number } = {},
): Promise<StoredHistory | null> {
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const today = options.today ?? localDay(now);
  const read = await Promise.all(
    hosts.map(async (host) => {
      const [days, extent] = await Promise.all([
        data.storedDays(host, monthStart),
        options.oldest ? data.extent(host) : null,
      ]);
      // After the extent: its listing of the last 13 days serves this too.
      const logged = await data.loggedBytes(host, today);
      return { days, first: extent?.first ?? null, logged };
    }),
  ).catch(() => null);
  if (!read) return null;
  const firsts = read.flatMap((host) => (host.first === null ? [] : [host.first]));
  return {
    storedDaysByHost: read.map((host) => host.days),
    storedSince: firsts.length > 0 ? Math.min(...firsts) : null,
    loggedByHost: read.map((host) => host.logged),
  };
}

/** This PC's date at `now` as a UTC midnight, as key dates name days (the first reading's local date). */
export function localDay(now: Date): number {
  return Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
}
