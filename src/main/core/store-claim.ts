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
  return (await claimsFromStore(store, host, identity)).claim;
}

/** A raw object named by its key: the log (file id) and byte range it holds. */
export interface StoredBatch {
  key: string;
  start: number;
  end: number;
  generation: number;
}

/**
 * One LIST, two answers: what the store holds of this log (claimFromStore), and the newest raw object of the host
 * whatever its log — not read: `claimOfBatch` reads it when it is needed (an edited log met with nothing here that
 * remembers the log read before; ingest.ts `editedFrom`).
 */
export async function claimsFromStore(
  store: Store,
  host: string,
  identity: FileIdentity,
): Promise<{ claim: (StoredClaim & { objects: number; key: string }) | null; newest: StoredBatch | null }> {
  let best: StoredBatch | null = null;
  let newest: (StoredBatch & { at: number }) | null = null;
  let objects = 0;
  for (const listed of await store.list(`raw/${normaliseHost(host)}/`)) {
    const id = BATCH_ID.exec(listed.key.slice(listed.key.lastIndexOf('/') + 1).replace(/\.csv(\.gz)?$/, ''));
    if (!id) continue;
    const found = {
      key: listed.key,
      start: Number(id[2]),
      end: Number(id[3]),
      generation: Number(id[4] ?? 0),
    };
    const at = listed.lastModified.getTime();
    // Stored in the same second (S3 dates have no finer grain): the later generation, then the further end.
    if (newest === null || at > newest.at || (at === newest.at && further(found, newest)))
      newest = { ...found, at };
    if (id[1] !== identity.fileId) continue;
    objects += 1;
    if (best === null || further(found, best)) best = found;
  }
  const claim = best && (await claimOfBatch(store, best));
  return { claim: claim && { ...claim, objects }, newest };
}

/** Of two objects of one log: the later generation, then the further end. */
function further(a: StoredBatch, b: StoredBatch): boolean {
  return a.generation !== b.generation ? a.generation > b.generation : a.end > b.end;
}

/**
 * A raw object's claim: the bytes before its end, its last row, anchors and the header in effect (one GET; null: it
 * is gone).
 */
export async function claimOfBatch(
  store: Store,
  found: StoredBatch,
): Promise<(StoredClaim & { key: string }) | null> {
  const object = await store.get(found.key);
  if (!object) return null;
  const raw = found.key.endsWith('.gz') ? gunzipSync(object.body) : Buffer.from(object.body);
  const facts = endFacts(raw, found, object.metadata['last-local'] ?? lastLocalOf(raw));
  return {
    offset: found.end,
    generation: found.generation,
    tail: facts.tail,
    lastRow: facts.lastRow,
    anchors: facts.anchors,
    sessionHeader: facts.sessionHeader?.toString('latin1') ?? null,
    key: found.key,
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
