/**
 * Human durations for the CLI flags: '5m' → 300000, '1s' → 1000, '1h30m' → 5400000, '250ms' → 250,
 * '90' → 90000 (a bare number is seconds: --sample-rate 1).
 * Batch intervals read a bare number as minutes, as the old upload script's `--interval 5` did:
 * parseInterval('45') → 2700000, parseInterval('30s') → 30000.
 */
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(text: string): number {
  const trimmed = text.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  const consumed = parts.map((p) => p[0]).join('');
  if (parts.length === 0 || consumed !== trimmed) {
    throw new RangeError(`"${text}" is not a duration: use e.g. 5m, 45m, 1h, 30s or 250ms`);
  }
  const ms = parts.reduce((sum, p) => sum + Number(p[1]) * (UNITS[p[2]!] ?? 0), 0);
  if (!(ms > 0)) throw new RangeError(`"${text}" must be longer than zero`);
  return ms;
}

export function parseInterval(text: string): number {
  return /^\d+(\.\d+)?$/.test(text.trim()) ? parseDuration(`${text.trim()}m`) : parseDuration(text);
}

/** 2700000 → '45m', 5400000 → '1h30m', 1000 → '1s', 250 → '250ms'. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'never';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  let rest = Math.round(ms / 1000);
  const out: string[] = [];
  for (const [unit, seconds] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(rest / seconds);
    if (n > 0) out.push(`${n}${unit}`);
    rest -= n * seconds;
  }
  return out.join('');
}
