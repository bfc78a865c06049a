/**
 * Raw batches a local store holds without their output: no processed document and no quarantine record.
 *
 *   await rawLeftUnprocessed(store, startedAt - 1000)        (or with the store's processed objects listed already)
 *     → ['raw/pc/2026/11/29/32b408e42067-0-380679.csv.gz', …]   (stored before `before`, oldest key first)
 *
 * Where they come from: `gpuz-cloud upload --local` before 2026-12-02 stored raw batches only (the app processed
 * them, the CLI did not), so after an update that store's older rows were in no chart, session or export; and a raw
 * object copied into the folder by hand. The agent itself leaves none: a batch stays in its spool until its output
 * is stored. Objects stored from `before` on are this run's own (being processed as they are stored) and are left.
 */
import { isRawKey, processedKeyFor, quarantineKeyFor } from '../../../shared/keys';
import type { ListedObject, Store } from '../store/types';

export async function rawLeftUnprocessed(
  store: Store,
  before: number,
  listedProcessed?: Promise<ListedObject[]>,
): Promise<string[]> {
  const [raw, processed, quarantined] = await Promise.all([
    store.list('raw/'),
    listedProcessed ?? store.list('processed/'),
    store.list('quarantine/'),
  ]);
  const done = new Set([...processed, ...quarantined].map((object) => object.key));
  return raw
    .filter(
      (object) =>
        isRawKey(object.key) &&
        object.lastModified.getTime() < before &&
        !done.has(processedKeyFor(object.key)) &&
        !done.has(quarantineKeyFor(object.key)),
    )
    .map((object) => object.key);
}
