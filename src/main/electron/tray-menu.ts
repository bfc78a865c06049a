/**
 * The tray, described as plain data from the agent's state (pure; tray.ts turns it into Electron objects). The
 * words and colour come from the one state view the dashboard shows too (src/shared/agent-state-view.ts):
 *   buildTrayView({ status: { state: 'paused', … }, history, loginItemEnabled: false, now, timeZone })
 *   → { icon: 'paused', tooltip: 'GPU-Z Cloud: paused\nLast upload 14:05\nToday 1,234 rows',
 *       items: [{ id: 'open-dashboard', … }, { type: 'separator' }, { id: 'resume', label: 'Resume uploads' }, …] }
 */
import { type StateTone, stateView } from '../../shared/agent-state-view';
import type { AgentStatus, UploadRecord } from '../../shared/agent-status';
import type { CostView } from '../../shared/contract';
import { formatUsd } from '../../shared/cost/format';
import { REPAIRABLE_CODES } from '../../shared/error-codes';
import { formatCount } from '../../shared/plural';
import { formatMoment } from '../../shared/time-format';

export type TrayIconState = 'watching' | 'uploading' | 'paused' | 'error';
export const TRAY_ICON_STATES: readonly TrayIconState[] = ['watching', 'uploading', 'paused', 'error'];

export type TrayActionId =
  | 'open-dashboard'
  | 'open-costs'
  | 'repair-state'
  | 'pause'
  | 'resume'
  | 'upload-now'
  | 'open-log-folder'
  | 'toggle-login-item'
  | 'quit';

export type TrayMenuItem =
  | { type: 'separator' }
  | { type: 'normal'; id: TrayActionId; label: string; enabled: boolean }
  | { type: 'checkbox'; id: TrayActionId; label: string; enabled: boolean; checked: boolean };

export interface TrayView {
  icon: TrayIconState;
  tooltip: string;
  items: TrayMenuItem[];
}

export interface TrayViewInput {
  /** null while the agent has not started (or could not start). */
  status: AgentStatus | null;
  history: readonly UploadRecord[];
  loginItemEnabled: boolean;
  now: Date;
  /** Zone for "today" and the clock time in the tooltip (the machine's). */
  timeZone: string;
  /** Locale of the clock time (default: the OS's, as the dashboard uses the browser's). */
  locale?: string;
  /** The one cost answer for the settings (what the Costs view shows); absent until asked. */
  cost?: Pick<CostView, 'monthlyUsd' | 'awsBilled'> | null;
}

/** Windows cuts tray tooltips at 127 characters. */
export const TOOLTIP_MAX = 127;

/** The icon of each tone of the state view: amber for attention (waiting for the log), red for a problem. */
const ICONS: Record<StateTone, TrayIconState> = {
  ok: 'watching',
  busy: 'uploading',
  idle: 'paused',
  attention: 'paused',
  problem: 'error',
};

/** null: the agent has not started (or could not start). */
export function iconStateFor(tone: StateTone | null): TrayIconState {
  return tone === null ? 'error' : ICONS[tone];
}

export function buildTrayView(input: TrayViewInput): TrayView {
  const state = input.status?.state ?? null;
  const paused = state === 'paused';
  const running = state !== null && state !== 'stopped';
  const view = input.status ? stateView(input.status) : null;
  // The damage `gpuz-cloud repair` mends: the Overview's "Check and repair…" is one click away, not a terminal.
  const repairable = view?.problem != null && REPAIRABLE_CODES.has(view.problem.code);
  const items: TrayMenuItem[] = [
    { type: 'normal', id: 'open-dashboard', label: 'Open dashboard', enabled: true },
    ...(repairable
      ? [{ type: 'normal' as const, id: 'repair-state' as const, label: 'Check and repair…', enabled: true }]
      : []),
    ...(input.cost
      ? [{ type: 'normal' as const, id: 'open-costs' as const, label: costLabel(input.cost), enabled: true }]
      : []),
    { type: 'separator' },
    paused
      ? { type: 'normal', id: 'resume', label: 'Resume uploads', enabled: true }
      : { type: 'normal', id: 'pause', label: 'Pause uploads', enabled: running },
    { type: 'normal', id: 'upload-now', label: 'Upload now', enabled: running && state !== 'uploading' },
    { type: 'normal', id: 'open-log-folder', label: 'Open log folder', enabled: input.status !== null },
    { type: 'separator' },
    {
      type: 'checkbox',
      id: 'toggle-login-item',
      label: 'Start at login',
      enabled: true,
      checked: input.loginItemEnabled,
    },
    { type: 'separator' },
    { type: 'normal', id: 'quit', label: 'Quit GPU-Z Cloud', enabled: true },
  ];
  return { icon: iconStateFor(view?.tone ?? null), tooltip: tooltipFor(input), items };
}

/** 'Costs: about $0.0110 a month in AWS' — the Costs view's monthly figure; a local folder costs AWS nothing. */
export function costLabel(cost: Pick<CostView, 'monthlyUsd' | 'awsBilled'>): string {
  return cost.awsBilled
    ? `Costs: about ${formatUsd(cost.monthlyUsd)} a month in AWS`
    : 'Costs: nothing in AWS (uploads to a local folder)';
}

function tooltipFor({ status, history, now, timeZone, locale }: TrayViewInput): string {
  if (!status) return 'GPU-Z Cloud: not running';
  const view = stateView(status);
  const lines = [`GPU-Z Cloud: ${view.sentence}`];
  lines.push(
    status.lastUploadAt
      ? `Last upload ${clockTime(status.lastUploadAt, now, timeZone, locale)}`
      : 'No upload yet',
  );
  lines.push(`Today ${formatCount(todaysRows(history, now, timeZone))} rows`);
  // A used-up PUT budget holds uploads to the month's change: the reason the last upload gets older
  if (status.budgetUsedUpUntil)
    lines.push(
      `PUT budget used up: next upload ${clockTime(status.budgetUsedUpUntil, now, timeZone, locale)}`,
    );
  if (view.problem && (view.tone === 'problem' || view.tone === 'attention'))
    lines.push(view.problem.message);
  const text = lines.join('\n');
  return text.length <= TOOLTIP_MAX ? text : `${text.slice(0, TOOLTIP_MAX - 1)}…`;
}

/** Rows of the uploads that succeeded on `now`'s calendar day in `timeZone`. */
export function todaysRows(history: readonly UploadRecord[], now: Date, timeZone: string): number {
  const today = dayKey(now, timeZone);
  let rows = 0;
  for (const record of history) {
    if (record.status === 'uploaded' && dayKey(new Date(record.at), timeZone) === today) rows += record.rows;
  }
  return rows;
}

/** '2:05 PM' (or '14:05', by the OS locale) for today, 'Nov 3, 2:05 PM' for another day: the dashboard's format. */
function clockTime(iso: string, now: Date, timeZone: string, locale?: string): string {
  return formatMoment(iso, now, { timeZone, locale, seconds: false });
}

function dayKey(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(date);
}
