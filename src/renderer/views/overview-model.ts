/**
 * What the Overview shows, as data (pure, no DOM; overview.ts binds it): the agent's state in the one state view
 * the badge and the tray use too (src/shared/agent-state-view.ts), its facts and counters, the reading tiles of
 * the log's newest row, the answer to a button, and what AWS says about processing.
 *
 *   agentPanel(status, Date.now()) → { view: { label: 'offline · 2 batches waiting', tone: 'problem', problem }, facts: [
 *     { label: 'Log file', value: 'C:\\…\\GPU-Z Sensor Log.txt', testId: 'log-path' }, …,
 *     { label: 'Read', value: '356 rows (182.7 KB)', testId: 'read' }, { label: 'Uploaded', value: '2 batches, 356 rows', … } ] }
 *   agentPanel(refusedOnDamagedCheckpoint, now) → { view: { problem: { advice: 'Press “Check and repair” …' } }, repairable: true, … }
 *   readingTiles({ columns, rows, stats }) → { tiles: [{ key: 'gpu_temperature_c', label: 'GPU temperature', text: '56.6 °C',
 *     spans: [{ scope: 'session', label: 'Session', min: '41.0 °C', max: '72.3 °C', avg: '65.1 °C', maxAt: '19:02:11' }, { scope: 'app', … }] }, …], newestAt }
 *   readingsCaption(newestAt, now, lag) → { heading: 'Current readings' | 'Last readings', time: 'Newest row: …, 26 h ago: …', quiet }
 */
import { catchUpPercent, type StateView, stateView, waitsForStore } from '../../shared/agent-state-view';
import type {
  AgentStatus,
  CatchUpProgress,
  CloudHealth,
  LiveSnapshot,
  ReadingFigures,
  ReadingStats,
  RepairItem,
  StateCheckView,
  StateRepairOutcome,
} from '../../shared/contract';
import { REPAIRABLE_CODES } from '../../shared/error-codes';
import { formatNotice } from '../../shared/errors';
import { HEADLINE_KEYS, POWER_LABELS, shownKey } from '../../shared/parse/column-keys';
import { plural } from '../../shared/plural';
import {
  formatBytes,
  formatCount,
  formatCountdown,
  formatDuration,
  formatReading,
  formatSpan,
  formatTime,
} from '../format';

export interface Fact {
  label: string;
  value: string;
  testId: string;
}

export interface AgentPanel {
  view: StateView;
  facts: Fact[];
  paused: boolean;
  /** What a person should know that is no error (a resume by content, a damaged file set aside), newest first. */
  notes: { text: string; at: string }[];
  /** The problem is one `gpuz-cloud repair` mends: the Overview offers "Check and repair". */
  repairable: boolean;
  /** Work the agent is behind on, as a progress bar (value of max) and its words; null when it is not behind. */
  catchUp: { value: number; max: number; text: string } | null;
}

/** Notes shown on the Overview; the agent keeps 20. */
export const NOTES_SHOWN = 5;

/** Readings shown on the Overview, by canonical key, with a label that stays the same across GPU-Z versions. */
const READING_LABELS: Record<string, string> = {
  gpu_temperature_c: 'GPU temperature',
  hot_spot_c: 'Hot spot',
  gpu_clock_mhz: 'GPU clock',
  memory_clock_mhz: 'Memory clock',
  gpu_load_pct: 'GPU load',
  ...POWER_LABELS,
  fan_speed_pct: 'Fan',
  fan_speed_rpm: 'Fan speed',
  memory_used_mb: 'VRAM used',
};

export function agentPanel(status: AgentStatus, now: number): AgentPanel {
  const c = status.counters;
  const paused = status.state === 'paused';
  const usedUp = status.budgetUsedUpUntil;
  const next =
    usedUp && !paused
      ? // The budget's wait is to the month's change, whether a batch is open or not: said with its reason.
        `${formatTime(usedUp)} (in ${formatDuration(Math.max(0, Date.parse(usedUp) - now))}): this month's PUT budget is used up; raise it in Settings to upload sooner`
      : status.nextUploadAt && !paused
        ? `${formatTime(status.nextUploadAt)} (in ${formatCountdown(Date.parse(status.nextUploadAt) - now)})`
        : waitsForStore(status)
          ? 'once the store answers'
          : status.state === 'watching'
            ? // Nothing read since the last upload: a batch opens at GPU-Z's next row (it read "—", as if unknown).
              `${formatDuration(status.intervalMs)} after GPU-Z's next row`
            : '—';
  const view = stateView(status);
  // The dashboard's words when the error has them (the CLI's `status` keeps the command to type).
  const guiAdvice = status.lastError?.guiAdvice;
  return {
    view: view.problem && guiAdvice ? { ...view, problem: { ...view.problem, advice: guiAdvice } } : view,
    repairable: view.problem !== null && REPAIRABLE_CODES.has(view.problem.code),
    paused,
    catchUp: status.catchUp ? catchUpBar(status.catchUp, status.state) : null,
    notes: (status.notices ?? [])
      .slice(-NOTES_SHOWN)
      .reverse()
      .map((n) => ({
        // The dashboard's words when the notice has them (the CLI's advice names its options).
        text: formatNotice(n.guiAdvice ? { message: n.message, advice: n.guiAdvice } : n),
        at: formatTime(n.at),
      })),
    facts: [
      { label: 'Log file', value: status.logPath, testId: 'log-path' },
      { label: 'Target', value: status.target, testId: 'target' },
      { label: 'Host', value: status.host, testId: 'host' },
      { label: 'Last upload', value: formatTime(status.lastUploadAt), testId: 'last-upload' },
      { label: 'Next upload', value: next, testId: 'next-upload' },
      {
        label: 'Read',
        value: `${rows(c.rowsRead)} (${formatBytes(c.bytesRead)})`,
        testId: 'read',
      },
      {
        label: 'Uploaded',
        value: `${batches(c.batchesUploaded)}${c.rowsUploaded === undefined ? '' : `, ${rows(c.rowsUploaded)}`} (${formatBytes(c.compressedBytesUploaded)} stored)`,
        testId: 'uploaded',
      },
      {
        label: 'Spool backlog',
        value: `${batches(status.spool.batches)}, ${formatBytes(status.spool.bytes)}`,
        testId: 'spool',
      },
      { label: 'Dropped batches', value: formatCount(c.batchesDropped), testId: 'dropped' },
    ],
  };
}

/**
 * The catch-up's bar and words:
 *   catchUpBar({ doneBytes: 230e6, pendingBytes: 70e6, bytesPerSecond: 15.2e6, etaSeconds: 5 }, 'uploading')
 *     → { value: 230e6, max: 300e6, text: 'Catching up on the log: 219 MB of 286 MB stored (76%) · 14 MB/s · about 5 s left' }
 */
export function catchUpBar(
  catchUp: CatchUpProgress,
  state: AgentStatus['state'],
): { value: number; max: number; text: string } {
  const max = catchUp.doneBytes + catchUp.pendingBytes;
  const head = `Catching up on the log: ${formatBytes(catchUp.doneBytes)} of ${formatBytes(max)} stored (${catchUpPercent(catchUp)}%)`;
  const pace =
    state === 'paused'
      ? 'paused'
      : state === 'offline' || state === 'error'
        ? 'waits for the store'
        : catchUp.bytesPerSecond === null || catchUp.etaSeconds === null
          ? 'measuring the rate…'
          : `${formatBytes(catchUp.bytesPerSecond)}/s · about ${formatSpan(catchUp.etaSeconds * 1000)} left`;
  return { value: catchUp.doneBytes, max, text: `${head} · ${pace}` };
}

export interface ReadingTile {
  key: string;
  label: string;
  value: number | null;
  text: string;
  unit: string;
  /** HWiNFO's columns: min, max, average and when the maximum was, since the GPU-Z session and since the agent started. */
  spans: TileSpan[];
}

export interface TileSpan {
  scope: 'session' | 'app';
  label: string;
  min: string;
  max: string;
  avg: string;
  maxAt: string;
  /** The numbers behind the texts (the binder puts them in data attributes). */
  figures: ReadingFigures;
}

const SPAN_LABELS = { session: 'Session', app: 'Since start' } as const;

/**
 * The headline sensors of the newest row that the log has, in HEADLINE_KEYS order; power is the board's, else the
 * GPU chip's (shownKey: AMD cards' GPU-Z logs only the chip), labelled as what it is.
 */
export function readingTiles(live: LiveSnapshot): { tiles: ReadingTile[]; newestAt: number | null } {
  const last = live.rows.at(-1);
  if (!last) return { tiles: [], newestAt: null };
  const has = (key: string) => live.columns.some((c) => c.key === key);
  const tiles: ReadingTile[] = [];
  for (const headline of HEADLINE_KEYS) {
    const key = shownKey(headline, has);
    const index = live.columns.findIndex((c) => c.key === key);
    if (index < 0) continue;
    const column = live.columns[index]!;
    const value = last.values[index] ?? null;
    tiles.push({
      key,
      label: READING_LABELS[key] ?? column.name,
      value,
      text: formatReading(value, column.unit),
      unit: column.unit,
      spans: live.stats ? tileSpans(live.stats, key, column.unit) : [],
    });
  }
  return { tiles, newestAt: last.t };
}

/** GPU-Z writes a row every second or so; a log this long without one is not being written (as a session's pause). */
export const QUIET_AFTER_MS = 5 * 60_000;

/** What keeps the agent from the log's newest rows, if anything: its pause, or a backlog it is still reading. */
export type ReadingsLag = 'paused' | 'catching-up' | null;

/**
 * The readings' heading and time line: "Current readings" while the log grows; once its newest row is older than
 * QUIET_AFTER_MS (GPU-Z closed, or "Log to file" off), "Last readings" and how long ago, so readings a day old are
 * not shown as current. A paused agent reads nothing new, and one catching up on a long log has not reached its
 * newest rows yet: then the age is the agent's doing, not GPU-Z's.
 */
export function readingsCaption(
  newestAt: number,
  now: number,
  lag: ReadingsLag,
  live: LiveArrivals | null = null,
): { heading: string; time: string; quiet: boolean } {
  const newest = `Newest row: ${formatTime(newestAt)}`;
  const age = now - newestAt;
  if (age > QUIET_AFTER_MS && lag === 'catching-up')
    return {
      heading: 'Readings so far',
      time: `Newest row read so far: ${formatTime(newestAt)}, ${formatAge(age)} ago: the agent is catching up on the log, and newer rows show as it reads on.`,
      quiet: true,
    };
  if (Math.abs(age) > QUIET_AFTER_MS && live !== null && isLogging(live, now)) {
    // Rows keep coming at the pace of this PC's clock, hours off it: the log's time zone setting is not the log's.
    return {
      heading: 'Current readings',
      time: `${newest}: ${formatAge(Math.abs(age))} ${age > 0 ? 'behind' : 'ahead of'} this PC's clock, though rows are arriving now. Is the log's time zone right (Settings → Time zone of the log)?`,
      quiet: false,
    };
  }
  if (age <= QUIET_AFTER_MS) return { heading: 'Current readings', time: newest, quiet: false };
  const ago = formatAge(age);
  return {
    heading: 'Last readings',
    time:
      lag === 'paused'
        ? `${newest}, ${ago} ago: the agent is paused, so it reads no newer rows.`
        : `${newest}, ${ago} ago: nothing was logged since. Is GPU-Z running, with “Log to file” on (or HWiNFO, nvidia-smi logging)?`,
    quiet: true,
  };
}

/**
 * The first and the latest arrival of live rows this page saw: when (this PC's clock) and the newest row's time
 * then (the log's clock). The view keeps it up to date.
 */
export interface LiveArrivals {
  first: { at: number; rowAt: number };
  latest: { at: number; rowAt: number };
}

/**
 * The arrivals after rows came at `at` with the newest at `rowAt`. A jump — the log's time moving a minute more
 * or less than this PC's clock since the last arrival (a restart's shown rows, a backlog read in a burst) — starts
 * the measure again, so the pace is that of the rows coming now.
 */
export function nextArrivals(prev: LiveArrivals | null, at: number, rowAt: number): LiveArrivals {
  const arrival = { at, rowAt };
  const jumped = prev === null || Math.abs(rowAt - prev.latest.rowAt - (at - prev.latest.at)) > 60_000;
  return { first: jumped ? arrival : prev.first, latest: arrival };
}

/**
 * Whether the log is being written now: rows arrived within QUIET_AFTER_MS, over at least 30 s, and the log's time
 * went on at the pace of this PC's clock (±25 %) — a first start's backlog comes in a burst, hours of rows in seconds.
 */
function isLogging({ first, latest }: LiveArrivals, now: number): boolean {
  const wall = latest.at - first.at;
  const logged = latest.rowAt - first.rowAt;
  return now - latest.at <= QUIET_AFTER_MS && wall >= 30_000 && Math.abs(logged - wall) <= wall * 0.25;
}

/** How long ago, in the unit a person would say: '12 min', '26 h', '3 days', '20 months'. */
export function formatAge(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h`;
  const days = Math.round(hours / 24);
  if (days < 60) return `${days} days`;
  const months = Math.round(days / 30.44);
  return months < 24 ? `${months} months` : `${Math.round(days / 365.25)} years`;
}

/** Rows, but none of the headline sensors (a log in another language, an unusual logger): where to look instead. */
export function noHeadlineNote(columns: number): string {
  return `None of the headline sensors (GPU temperature, clocks, load, power, fan, VRAM) is named in this log: Charts lists its ${plural(columns, 'sensor')}.`;
}

function tileSpans(stats: ReadingStats, key: string, unit: string): TileSpan[] {
  return (['session', 'app'] as const).flatMap((scope) => {
    const figures = stats[scope].sensors[key];
    if (!figures || figures.count === 0) return [];
    return [
      {
        scope,
        label: SPAN_LABELS[scope],
        // The unit once, in the table's corner (overview.ts): the columns stay narrow.
        min: formatReading(figures.min, unit).replace(` ${unit}`, ''),
        max: formatReading(figures.max, unit).replace(` ${unit}`, ''),
        avg: formatReading(figures.avg, unit).replace(` ${unit}`, ''),
        maxAt: formatTime(figures.maxAt),
        figures,
      },
    ];
  });
}

/** What a button (Pause, Resume, Upload now) said, and the agent's state it said it in. */
export interface ButtonAnswer {
  text: string;
  state: AgentStatus['state'];
}

/** What a button (Pause, Resume, Upload now) says when the agent answered with `status`. */
export function actionDone(label: string, status: AgentStatus): ButtonAnswer {
  const { state } = status;
  if (state === 'offline') {
    const waiting = waitsForStore(status)
      ? "the log's new rows are read and sent as soon as it answers"
      : 'the batches wait in the spool and are sent when it is back';
    return { text: `${label}: the store cannot be reached; ${waiting}.`, state };
  }
  if (state === 'error' && status.lastError)
    return { text: `${label}: stopped — ${status.lastError.message}`, state };
  if (state === 'waiting' && status.lastError)
    return { text: `${label}: waiting — ${status.lastError.message}`, state };
  return { text: `${label}: done.`, state };
}

/**
 * A button's answer is shown while the agent is still in the state it was given in: once the state moves on by
 * itself — the store back after an outage, new credentials noticed — "Upload now: stopped — S3 rejected the AWS
 * credentials" stood beside a green "watching" and an upload done (lived 2026-12-05).
 *   answerShown({ text: 'Upload now: stopped — …', state: 'error' }, { state: 'watching', … }) → ''
 */
export function answerShown(answer: ButtonAnswer | null, status: AgentStatus): string {
  return answer !== null && answer.state === status.state ? answer.text : '';
}

/** The state folder's check as the Overview lists it, and what its buttons offer. */
export interface RepairPanel {
  rows: { file: string; finding: string; action: string }[];
  /** The Repair button: only when the check found something to do. */
  canRepair: boolean;
  summary: string;
}

/**
 *   repairPanel({ items: [{ file: 'checkpoint.json', finding: 'damaged: it is empty', action: 'set aside; rebuilt …' }], needed: true })
 *     → { rows: [{ file: 'checkpoint.json', finding: 'damaged: it is empty', action: 'set aside; rebuilt …' }], canRepair: true,
 *         summary: '1 thing to repair. Nothing is changed until you press Repair.' }
 */
export function repairPanel(check: StateCheckView): RepairPanel {
  const toDo = check.items.filter((item: RepairItem) => item.action !== null).length;
  return {
    rows: check.items.map((item) => ({ file: item.file, finding: item.finding, action: item.action ?? '—' })),
    canRepair: check.needed,
    summary: check.needed
      ? `${plural(toDo, 'thing', 'things', formatCount)} to repair. Nothing is changed until you press Repair.`
      : 'Nothing to repair: the state folder is whole.',
  };
}

/** What a repair did, and where the agent stands now. */
export function repairDone(outcome: StateRepairOutcome): string[] {
  const state = stateView(outcome.status);
  const after = state.problem
    ? `The agent still needs attention: ${state.problem.message}`
    : `The agent is ${state.sentence} again.`;
  return [...outcome.done.flatMap((done) => done.split('\n')).map((line) => `Done: ${line}`), after];
}

export interface CloudPanel {
  facts: Fact[];
  /** The Reprocess button is offered only when there is something to reprocess. */
  canReprocess: boolean;
  notes: string[];
}

export function cloudPanel(health: CloudHealth): CloudPanel {
  const alarm = health.alarm.state === 'ALARM' ? 'errors (alarm)' : health.alarm.state.toLowerCase();
  return {
    facts: [
      {
        label: 'Error alarm',
        value: health.alarm.since
          ? `${alarm} since ${formatTime(new Date(health.alarm.since).toISOString())}`
          : alarm,
        testId: 'cloud-alarm',
      },
      { label: 'Failed batches', value: String(health.failed.count), testId: 'cloud-failed' },
      { label: 'Quarantined batches', value: String(health.quarantined.count), testId: 'cloud-quarantined' },
      ...(health.processor ? [processorFact(health.processor)] : []),
    ],
    canReprocess: health.failed.count > 0,
    notes: [
      ...(health.processor && !health.processor.current
        ? [
            'The processor function still runs the code of an earlier deploy, not the one this app ships: new batches are read by that build’s parser. Deploy again in the Cloud view to update it; the plan lists what changes.',
          ]
        : []),
      ...(health.failed.count > 0
        ? [
            'These batches failed every attempt of the processor. Fix the cause (gpuz-cloud doctor shows the last log lines), then run them again.',
          ]
        : []),
      ...(health.quarantined.count > 0
        ? ['Quarantined batches could not be read; docs/processed-format.md explains the codes.']
        : []),
      ...health.problems.map((p) => `Could not read ${p}.`),
    ],
  };
}

/** Which processor build runs in the account, as of this PC's last deploy. */
function processorFact(processor: NonNullable<CloudHealth['processor']>): Fact {
  const when = formatTime(processor.appliedAt);
  return {
    label: 'Processor code',
    value: processor.current
      ? `this app’s (deployed ${when})`
      : `an earlier build (deployed ${when}): deploy again`,
    testId: 'cloud-processor',
  };
}

function rows(n: number): string {
  return plural(n, 'row', 'rows', formatCount);
}

function batches(n: number): string {
  return plural(n, 'batch', 'batches', formatCount);
}
