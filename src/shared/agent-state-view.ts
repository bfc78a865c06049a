/**
 * The one answer to "what is the agent doing, and is it fine?" for the dashboard's badge, the Overview and the
 * tray (pure; each surface only displays it), derived from the agent's real status (core/agent/model.ts decides
 * `state`; this adds the words, the colour and what to do):
 *
 *   stateView({ state: 'watching', lastError: null, … })          → { tone: 'ok', label: 'watching', problem: null }
 *   stateView({ state: 'offline', spool: { batches: 3 }, … })     → { tone: 'problem', label: 'offline · 3 batches waiting',
 *                                                                     problem: { message, advice: 'Check the network …' } }
 *   stateView({ state: 'watching', lastError: SPOOL_FULL, … })    → { tone: 'attention', … }: never green over an error
 *   unreachableView({ code: 'NOT_STARTED', message })             → the dashboard cannot reach a running agent
 */
import type { AgentState, AgentStatus, CatchUpProgress } from './agent-status';
import type { ErrorData } from './errors';
import { formatCount, plural } from './plural';

/** ok: green; busy: working (blue); idle: nothing happens on purpose; attention: amber; problem: red. */
export type StateTone = 'ok' | 'busy' | 'idle' | 'attention' | 'problem';

export interface StateProblem {
  code: string;
  message: string;
  /** Always filled: the error's own advice, else what the state means and what to do. */
  advice: string;
  /** ISO time, null when the view made the problem up from the state alone. */
  at: string | null;
}

export interface StateView {
  /** The agent's state, or 'error' when it cannot be reached. */
  state: AgentState;
  tone: StateTone;
  /** Badge text: 'watching', 'waiting for the log', 'offline · 3 batches waiting', 'needs attention'. */
  label: string;
  /** The state in a sentence's words (tray tooltip): 'watching the log', 'offline, 3 batches waiting'. */
  sentence: string;
  /** What went wrong and what to do; null when nothing needs a person. */
  problem: StateProblem | null;
}

/** Advice for an error that brought none and does not stop the agent. */
const KEEPS_GOING = 'The agent keeps reading and uploading; this is said so that nothing goes wrong unseen.';

type StatusFacts = Pick<AgentStatus, 'state' | 'lastError' | 'spool'> & {
  targetKind?: AgentStatus['targetKind'];
  catchUp?: AgentStatus['catchUp'];
};

const LABELS: Record<AgentState, string> = {
  starting: 'starting',
  watching: 'watching',
  waiting: 'waiting for the log',
  uploading: 'uploading',
  paused: 'paused',
  offline: 'offline',
  // The tray's words too: the badge said 'error' where the tray said 'needs attention' for the same state.
  error: 'needs attention',
  stopped: 'stopped',
};

const SENTENCES: Record<AgentState, string> = {
  starting: 'starting',
  watching: 'watching the log',
  waiting: 'waiting for the log',
  uploading: 'uploading',
  paused: 'paused',
  offline: 'offline',
  error: 'needs attention',
  stopped: 'stopped',
};

/**
 * An outage whose cause is known and is no network: its own words instead of 'offline' (a full drive of the store
 * folder was labelled 'offline' in the badge and the tray, while its message said the drive was full).
 */
const OUTAGE_WORDS: Record<string, string> = {
  STORE_FULL: 'store drive full',
  STORE_GONE: 'store folder missing',
};

/** A local store out of reach is its drive (unplugged, a network drive not reconnected), not the network. */
function outageWords(status: StatusFacts): string | undefined {
  const code = status.lastError?.code ?? '';
  if (code === 'STORE_UNREACHABLE' && status.targetKind === 'local') return 'store drive unreachable';
  return OUTAGE_WORDS[code];
}

export function stateView(status: StatusFacts): StateView {
  const { state } = status;
  const waiting = batchesWaiting(status.spool.batches);
  const offline =
    state === 'offline' && waiting ? { label: ` · ${waiting}`, sentence: `, ${waiting}` } : null;
  const outage = state === 'offline' ? outageWords(status) : undefined;
  // Behind on a long log (a first start, days of backlog): how far, in place of 'uploading' or 'watching'.
  const behind =
    status.catchUp && (state === 'uploading' || state === 'watching') ? catchUpPercent(status.catchUp) : null;
  const label =
    behind === null ? (outage ?? LABELS[state]) + (offline?.label ?? '') : `catching up · ${behind}%`;
  const sentence =
    behind === null
      ? (outage ?? SENTENCES[state]) + (offline?.sentence ?? '')
      : `catching up on the log, ${behind}% stored`;
  const error = status.lastError;
  const fallback = stateProblem(status);
  const problem: StateProblem | null = error
    ? {
        code: error.code,
        message: error.message,
        advice: error.advice ?? fallback?.advice ?? KEEPS_GOING,
        at: error.at,
      }
    : fallback;
  const tone = behind === null ? toneOf(state, problem !== null) : problem ? 'attention' : 'busy';
  return { state, tone, label, sentence, problem };
}

/**
 * How much of a catch-up is done, as a whole percentage that reads 100 only at the end:
 *   catchUpPercent({ doneBytes: 230e6, pendingBytes: 70e6, … }) → 76
 */
export function catchUpPercent(catchUp: Pick<CatchUpProgress, 'doneBytes' | 'pendingBytes'>): number {
  const total = catchUp.doneBytes + catchUp.pendingBytes;
  return total <= 0 ? 0 : Math.min(99, Math.floor((100 * catchUp.doneBytes) / total));
}

/**
 * Offline with nothing spooled: at a start without network the store cannot be asked what it holds of the log, so
 * none of it is read into a batch yet — the first one goes once the store answers (Overview, Uploads, Upload now).
 */
export function waitsForStore(status: Pick<AgentStatus, 'state' | 'spool'>): boolean {
  return status.state === 'offline' && status.spool.batches === 0;
}

/** The dashboard cannot reach the agent (it stopped, or another agent holds the state folder). */
export function unreachableView(error: ErrorData): StateView {
  return {
    state: 'error',
    tone: 'problem',
    label: 'not running',
    sentence: 'not running',
    problem: {
      code: error.code,
      message: error.message,
      advice:
        error.advice ?? 'Start the agent again (the tray app, or `gpuz-cloud agent`), then reload this page.',
      at: null,
    },
  };
}

function toneOf(state: AgentState, problem: boolean): StateTone {
  switch (state) {
    case 'error':
    case 'offline':
      return 'problem';
    case 'waiting':
      return 'attention';
    case 'paused':
    case 'starting':
    case 'stopped':
      return problem ? 'attention' : 'idle';
    case 'uploading':
      return problem ? 'attention' : 'busy';
    case 'watching':
      return problem ? 'attention' : 'ok';
  }
}

/** What the state says when the agent gave no error of its own. */
function stateProblem(status: StatusFacts): StateProblem | null {
  const n = status.spool.batches;
  const spool =
    n > 0
      ? `The ${n === 1 ? 'batch' : `${formatCount(n)} batches`} in the spool ${n === 1 ? 'is' : 'are'} sent when it is back.`
      : 'Batches wait in the spool and are sent when it is back.';
  switch (status.state) {
    case 'waiting':
      return {
        code: 'LOG_MISSING',
        message: 'The log file is not there yet.',
        advice: 'In GPU-Z, Sensors tab, tick "Log to file"; reading starts as soon as the file appears.',
        at: null,
      };
    case 'offline':
      return {
        code: 'STORE_UNREACHABLE',
        message: 'The store cannot be reached.',
        advice:
          status.targetKind === 'local'
            ? `Connect the drive or network share the store folder is on. ${spool}`
            : `Check the network (or that the S3 endpoint in Settings is running). ${spool}`,
        at: null,
      };
    case 'error':
      return {
        code: 'AGENT_ERROR',
        message: 'Uploads stopped.',
        advice:
          'Fix what the last error names (Settings, credentials or the store), then press "Upload now".',
        at: null,
      };
    default:
      return null;
  }
}

function batchesWaiting(count: number): string {
  if (count <= 0) return '';
  return `${plural(count, 'batch', 'batches', formatCount)} waiting`;
}
