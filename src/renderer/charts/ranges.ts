/**
 * The chart ranges offered, and the window each one means:
 *   rangeWindow('24h', now) → { from: now - 24 h, to: now }
 *   rangeWindow('live', now, newestRowT) → the 10 minutes up to the newest row the agent tailed
 */
export type RangeId = 'live' | '1h' | '24h' | '7d' | '30d' | 'custom';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const RANGES: { id: RangeId; label: string; span: number }[] = [
  { id: 'live', label: 'Live 10 min', span: 10 * MINUTE },
  { id: '1h', label: '1 h', span: HOUR },
  { id: '24h', label: '24 h', span: DAY },
  { id: '7d', label: '7 d', span: 7 * DAY },
  { id: '30d', label: '30 d', span: 30 * DAY },
  { id: 'custom', label: 'Custom', span: 0 },
];

export function isRangeId(value: string): value is RangeId {
  return RANGES.some((r) => r.id === value);
}

export function rangeWindow(
  id: Exclude<RangeId, 'custom'>,
  now: number,
  newestRow?: number,
): { from: number; to: number } {
  const span = RANGES.find((r) => r.id === id)!.span;
  const to = id === 'live' && newestRow !== undefined ? newestRow + 1000 : now;
  return { from: to - span, to };
}

/** `<input type="datetime-local">` value ↔ epoch ms, in the browser's zone. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromLocalInput(value: string): number {
  return new Date(value).getTime();
}
