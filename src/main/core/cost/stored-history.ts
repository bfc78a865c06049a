/**
 * What the cost answer needs to know of the store itself — the Costs view (and the Settings hint and the tray) and
 * `gpuz-cloud estimate` alike, so they print the same figures after a year as on the first day:
 *   await storedHistory(data, ['gaming-pc', 'laptop'], now)
 *     → { storedDaysByHost: [359, 0], storedSince: null }         each host's days stored before this month
 *   await storedHistory(data, hosts, now, { oldest: true })
 *     → { …, storedSince: 1765072800000 }                         and the oldest reading of any (the extent)
 * Objects never expire, so the month pays for every day stored before it (src/shared/cost/answer.ts). Requests:
 * each host's first page of keys (one LIST, kept 30 s: the one every dashboard open makes); `oldest` adds the
 * extent's (its last week of keys, a GET or two of objects not cached yet). null: the store cannot be read.
 */
import type { ProcessedData } from '../data/processed-data';

export interface StoredHistory {
  /** Days with stored readings before the month, per host, in the order asked. */
  storedDaysByHost: number[];
  /** The oldest reading of any host (epoch ms); null when none, or not asked. */
  storedSince: number | null;
}

/** The hosts the store lists with this PC's among them, even before its first upload (sorted, as listed). */
export function withThisPc(listed: string[], self: string): string[] {
  return listed.includes(self) ? listed : [...listed, self].sort();
}

export async function storedHistory(
  data: Pick<ProcessedData, 'extent' | 'storedDays'>,
  hosts: readonly string[],
  now: Date,
  options: { oldest?: boolean } = {},
): Promise<StoredHistory | null> {
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const read = await Promise.all(
    hosts.map(async (host) => {
      const [days, extent] = await Promise.all([
        data.storedDays(host, monthStart),
        options.oldest ? data.extent(host) : null,
      ]);
      return { days, first: extent?.first ?? null };
    }),
  ).catch(() => null);
  if (!read) return null;
  const firsts = read.flatMap((host) => (host.first === null ? [] : [host.first]));
  return {
    storedDaysByHost: read.map((host) => host.days),
    storedSince: firsts.length > 0 ? Math.min(...firsts) : null,
  };
}
