/**
 * Sessions listed again fold in only what is new: the detector's state is kept after the groups of stored rows a
 * read folded, and the next read of the same groups starts after the last of them it shares.
 *
 *   const memo = createSessionMemo();
 *   await memo.list('pc {…}', { starts }, await data.sessionRows('pc', range))  // reads every group: a year, ≈ 45 s
 *   await memo.list('pc {…}', { starts }, await data.sessionRows('pc', range))  // the same groups: reads none
 *   …an hour later, one object more: reads the groups after the last checkpoint before it
 *
 * A checkpoint is named by the chain of the group names before it (sessionRows' `groups`: each group's objects and
 * their ETags), so any object added, re-cut or deleted among them names another chain, which reads again from the
 * last checkpoint before it. A group without a name (rows not stored yet, a group cut by the range's edge) ends the
 * chain: nothing after it is kept. One is kept every CHECKPOINT_EVERY groups and after the last named group, for
 * the last read of each scope (the host, the detector's options and keys), MAX_SCOPES scopes. The result is the
 * detector's own, so it is the same as folding every group again (session-memo.test.ts).
 *
 * With `file` (the store's cache folder), the newest PERSISTED checkpoints of each scope outlive the process: the
 * app's first Sessions list after a restart reads only what was stored since the last one. The file is a cache: one
 * that cannot be read, or of another CHECKPOINT_FORMAT, is not used, and a failed write is only a slower next start.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../../shared/fs/atomic-file';
import type { LoggingSession } from '../../../shared/insights/types';
import type { SessionRows } from '../data/processed-data';
import {
  CHECKPOINT_FORMAT,
  type CheckpointJson,
  checkpointFromJson,
  checkpointToJson,
  createSessionDetector,
  type SessionCheckpoint,
  type SessionOptions,
} from './sessions';

/** A day of hourly objects: a new object re-reads at most this many groups (plus those after it). */
export const CHECKPOINT_EVERY = 24;
const MAX_SCOPES = 8;
/** Its name in a store's cache folder. */
export const SESSION_MEMO_FILE = 'sessions.json';
/** Checkpoints per scope kept in the file: the newest, and those before it should the newest groups change. */
const PERSISTED = 3;

/** The file: per scope, the sessions its checkpoints closed (once) and the checkpoints. */
interface MemoFile {
  format: number;
  scopes: {
    scope: string;
    sessions: LoggingSession[];
    kept: { link: string; groups: number; checkpoint: CheckpointJson }[];
  }[];
}

export interface SessionMemo {
  /** The sessions of `rows`, as createSessionDetector(options) folding every piece gives them. */
  list(
    scope: string,
    options: SessionOptions,
    rows: Pick<SessionRows, 'groups' | 'pieces'>,
  ): Promise<LoggingSession[]>;
  /** Waits for the file's last write. */
  flush(): Promise<void>;
}

interface Kept {
  /** How many groups the checkpoint has folded. */
  groups: number;
  checkpoint: SessionCheckpoint;
}

export function createSessionMemo(options: { file?: string } = {}): SessionMemo {
  /** Per scope, the checkpoints of its last read by chain link; the most recently used scope last. */
  const scopes = new Map<string, Map<string, Kept>>();
  let loaded: Promise<void> | undefined;
  let saving: Promise<void> = Promise.resolve();
  const load = async (file: string) => {
    const json = JSON.parse(await readFile(file, 'utf8')) as MemoFile;
    if (json.format !== CHECKPOINT_FORMAT) return;
    for (const { scope, sessions, kept } of json.scopes) {
      const checkpoints = kept.map(({ link, groups, checkpoint }): [string, Kept] => [
        link,
        { groups, checkpoint: checkpointFromJson(checkpoint, sessions) },
      ]);
      scopes.set(scope, new Map(checkpoints));
    }
  };
  const save = (file: string) => {
    const json: MemoFile = { format: CHECKPOINT_FORMAT, scopes: [] };
    for (const [scope, kept] of scopes) {
      const newest = [...kept].sort(([, a], [, b]) => b.groups - a.groups).slice(0, PERSISTED);
      if (newest.length === 0) continue;
      const last = newest[0]![1].checkpoint;
      json.scopes.push({
        scope,
        sessions: last.sessions.slice(0, last.closed),
        kept: newest.map(([link, { groups, checkpoint }]) => ({
          link,
          groups,
          checkpoint: checkpointToJson(checkpoint),
        })),
      });
    }
    const text = JSON.stringify(json);
    saving = saving.then(() => writeFileAtomic(file, text)).catch(() => undefined);
  };
  return {
    async list(scope, detectorOptions, rows) {
      if (options.file) {
        loaded ??= load(options.file).catch(() => scopes.clear());
        await loaded;
      }
      const links = chain(rows.groups);
      const before = scopes.get(scope);
      let resume: Kept | undefined;
      for (let k = links.length - 1; k > 0 && !resume; k--) {
        const kept = links[k] === undefined ? undefined : before?.get(links[k]!);
        if (kept?.groups === k) resume = kept;
      }
      const detector = createSessionDetector(detectorOptions, resume?.checkpoint);
      // The checkpoints up to the one resumed from stay: their chains are this read's too.
      const now = new Map<string, Kept>();
      for (const [link, kept] of before ?? [])
        if (resume && kept.groups <= resume.groups && links[kept.groups] === link) now.set(link, kept);
      let folded = resume?.groups ?? 0;
      let added = false;
      for await (const piece of rows.pieces(folded)) {
        detector.add(piece);
        folded += 1;
        const link = links[folded];
        if (link !== undefined && (folded % CHECKPOINT_EVERY === 0 || links[folded + 1] === undefined)) {
          now.set(link, { groups: folded, checkpoint: detector.checkpoint() });
          added = true;
        }
      }
      scopes.delete(scope);
      scopes.set(scope, now);
      for (const old of scopes.keys()) if (scopes.size > MAX_SCOPES) scopes.delete(old);
      // Rows not stored yet are read at every list, and add no checkpoint: nothing to write for them.
      if (options.file && added) save(options.file);
      return detector.result();
    },
    flush: () => saving,
  };
}

/**
 * links[k]: the name of groups 0 … k-1 together ('' for none), undefined from the first group without a name on
 * (links has groups.length + 1 entries).
 */
function chain(groups: readonly (string | null)[]): (string | undefined)[] {
  const links: (string | undefined)[] = [''];
  for (const group of groups) {
    const previous = links.at(-1);
    links.push(
      previous === undefined || group === null
        ? undefined
        : createHash('sha256').update(previous).update('\0').update(group).digest('base64'),
    );
  }
  return links;
}
