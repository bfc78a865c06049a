import type { AppError } from '../../../shared/errors';
import type { FileIdentity } from '../file-identity';
import type { StoredClaim } from '../ingest';
import { neverSent } from '../store/s3-errors';
import type { Store } from '../store/types';
import { claimNotAsked, claimOfBatch, claimsFromStore, type StoredBatch } from '../store-claim';

/**
 * The agent asking the store what it holds of a log (store-claim.ts), with manners: every request that reached it
 * counted, none while a refusal stands, and after a failure none before its backoff has passed — the log is looked
 * at every second, and a look must never cost a billed request.
 *
 *   const lookup = createStoreLookup({ store, host, logPath, now, retry, count, refusal, reached })
 *   await lookup.ask(identity) → claim | null;  → throws STORE_UNREACHABLE (network) or the store's refusal
 *   await lookup.askNewest()   → the claim of the host's newest raw object, whatever its log (an edited log's basis):
 *                                the object the last ask listed, read (one GET; no LIST of its own)
 *   lookup.reset()             (resume, upload now: ask again at once)
 */
export interface StoreLookupOptions {
  store: Store;
  host: string;
  logPath: string;
  now: () => number;
  retry: { baseMs?: number; maxMs?: number } | undefined;
  count: (kind: 'list' | 'get') => void;
  /** The refusal that stands (the agent's model is blocked), or null. */
  refusal: () => AppError | null;
  /** The store answered. */
  reached: () => void;
}

export function createStoreLookup(options: StoreLookupOptions) {
  let failure: { failures: number; retryAt: number; error: AppError } | null = null;
  /** The newest raw object of the host in the last listing (null: none, or not listed yet). */
  let newest: StoredBatch | null = null;
  /**
   * One question to the store, asked only when no backoff stands: a LIST (`ask`) or a GET (`askNewest`), and a GET
   * of the object found; the requests that reached the store are counted.
   */
  async function asked(
    first: 'list' | 'get',
    question: () => Promise<StoredClaim | null>,
  ): Promise<StoredClaim | null> {
    const standing = options.refusal();
    if (standing) throw failure?.error ?? standing;
    if (failure && options.now() < failure.retryAt) throw failure.error;
    try {
      const answer = await question();
      options.count(first);
      if (answer && first === 'list') options.count('get');
      options.reached();
      failure = null;
      return answer;
    } catch (error) {
      // Counted when it reached the store: an outage's refused connections are neither billed nor counted.
      if (!neverSent(error)) options.count(first);
      const failures = (failure?.failures ?? 0) + 1;
      const wait = Math.min(options.retry?.maxMs ?? 60_000, (options.retry?.baseMs ?? 1000) * 2 ** failures);
      failure = { failures, retryAt: options.now() + wait, error: refusalOf(error, options) };
      throw failure.error;
    }
  }
  return {
    ask: (identity: FileIdentity): Promise<StoredClaim | null> =>
      asked('list', async () => {
        const listed = await claimsFromStore(options.store, options.host, identity);
        newest = listed.newest;
        return listed.claim;
      }),
    // Asked right after an ask that found nothing of a log (ingest's place): no LIST of its own.
    askNewest: async (): Promise<StoredClaim | null> => {
      const batch = newest;
      return batch ? asked('get', () => claimOfBatch(options.store, batch)) : null;
    },
    reset() {
      failure = null;
    },
  };
}

function refusalOf(error: unknown, options: StoreLookupOptions): AppError {
  return claimNotAsked(error, options.store, options.logPath, {
    advice:
      'Nothing of this log is read until the store answers (it would be sent twice otherwise): check the network connection.',
  });
}
