import { gunzipSync } from 'node:zlib';
import { AppError, toErrorData } from '../../shared/errors';
import { normaliseHost } from '../../shared/keys';
import { createLogParser } from '../../shared/parse';
import { endFacts } from './batch';
import type { FileIdentity } from './file-identity';
import type { StoredClaim } from './ingest';
import { BATCH_ID } from './spool';
import type { Store } from './store/types';

/**
 * What the store already holds of a log, read from the store itself: raw object keys name their file and byte
 * range (`raw/{host}/…/{fileId}-{start}-{end}[-g{n}].csv.gz`), and the furthest object's body gives the bytes
 * before its end, its last row and the header in effect. One LIST (a page per 1,000 objects) and one GET.
 *
 *   await claimFromStore(store, 'gaming-pc', identity)
 *   → { offset: 335400, generation: 0, tail: { length: 4096, sha256 }, lastRow: { local: '2026-08-06 19:14:36', … },
 *       sessionHeader: '        Date        , GPU Clock [MHz] ,…\r\n', objects: 3, key: 'raw/gaming-pc/…-0-335400.csv.gz' }
 *   → null when the store holds nothing of this log
 *
 * This is how a lost, deleted or damaged checkpoint is rebuilt (the agent at start, `gpuz-cloud repair`): the
 * log is then read on after what the store has, never sent again.
 */
export async function claimFromStore(
  store: Store,
  host: string,
  identity: FileIdentity,
): Promise<(StoredClaim & { objects: number; key: string }) | null> {
  let best: { key: string; start: number; end: number; generation: number } | null = null;
  let objects = 0;
  for (const listed of await store.list(`raw/${normaliseHost(host)}/`)) {
    const id = BATCH_ID.exec(listed.key.slice(listed.key.lastIndexOf('/') + 1).replace(/\.csv(\.gz)?$/, ''));
    if (!id || id[1] !== identity.fileId) continue;
    objects += 1;
    const found = {
      key: listed.key,
      start: Number(id[2]),
      end: Number(id[3]),
      generation: Number(id[4] ?? 0),
    };
    const later =
      best === null ||
      found.generation > best.generation ||
      (found.generation === best.generation && found.end > best.end);
    if (later) best = found;
  }
  if (!best) return null;
  const object = await store.get(best.key);
  if (!object) return null;
  const raw = best.key.endsWith('.gz') ? gunzipSync(object.body) : Buffer.from(object.body);
  const facts = endFacts(raw, best, object.metadata['last-local'] ?? lastLocalOf(raw));
  return {
    offset: best.end,
    generation: best.generation,
    tail: facts.tail,
    lastRow: facts.lastRow,
    anchors: facts.anchors,
    sessionHeader: facts.sessionHeader?.toString('latin1') ?? null,
    objects,
    key: best.key,
  };
}

function lastLocalOf(raw: Buffer): string | null {
  let local: string | null = null;
  try {
    const parser = createLogParser({ timeZone: 'UTC' });
    for (const event of [...parser.push(raw), ...parser.end()]) if (event.type === 'row') local = event.local;
  } catch {
    return null;
  }
  return local;
}

/**
 * The store could not be asked what it holds of a log (claimFromStore failed): a worded refusal (no credentials, no
 * bucket, a folder that went away) is passed on as it is; a bare network error gets words, and the caller's advice.
 *   claimNotAsked(Error('connect ECONNREFUSED 127.0.0.1:9'), store, log, { advice })
 *   → STORE_UNREACHABLE "s3://b could not be reached to ask what it holds of …/GPU-Z Sensor Log.txt (connect …)"
 */
export function claimNotAsked(
  error: unknown,
  store: Store,
  logPath: string,
  words: { advice: string; gui?: string },
): AppError {
  if (error instanceof AppError) return error;
  return new AppError(
    'STORE_UNREACHABLE',
    `${store.description} could not be reached to ask what it holds of ${logPath} (${toErrorData(error).message})`,
    words.advice,
    { cause: error, ...(words.gui ? { gui: words.gui } : {}) },
  );
}
