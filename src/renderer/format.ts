/**
 * Figures as people read them:
 *   formatBytes(1536) → '1.5 KB'   formatDuration(95_000) → '1 min 35 s'   formatCountdown(65_000) → '1:05'
 *   formatSpan(1_176_000_000) → '13 d 14 h'
 *   formatReading(56.63, '°C') → '56.6 °C'   formatUsd(0.07641) → '$0.0764'
 */
import { formatDuration, formatMoment } from '../shared/time-format';

// The CLI's texts use it too (estimate, export): one size in the app and in the terminal.
export { formatBytes } from '../shared/byte-format';
// The main process's texts use it too (time-zone-check.ts): it lives beside formatMoment.
export { formatDuration };

/** A session's length to the minute (to the second under one): '10 min', '5 h 26 min', '13 d 14 h', '40 s', '0 s'. */
export function formatSpan(ms: number): string {
  // A one-row session lasts 0 s, not '0 ms' (its rows are a second apart, not milliseconds).
  if (ms < 1000) return `${Math.round(ms / 1000)} s`;
  return formatDuration(ms < 60_000 ? ms : Math.round(ms / 60_000) * 60_000);
}

export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** A moment in the one format of every view (src/shared/time-format.ts): '5:16:54 PM' today, 'Dec 1, 5:16:54 PM'. */
export function formatTime(iso: string | number | null): string {
  return iso === null ? '—' : formatMoment(iso);
}

/** As many decimals as the sensor usually has: 2490 MHz, 56.6 °C, 0.975 V. */
export function formatReading(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined) return '—';
  const digits = unit === 'V' ? 3 : Number.isInteger(value) ? 0 : 1;
  return `${value.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
}

/** One USD format on every surface (the CLI's table too): formatUsd(0.011) → '$0.0110'. */
export { formatUsd } from '../shared/cost/format';

/** A sensor with its unit once: ('GPU Temperature', '°C') → 'GPU Temperature (°C)'; ('Fan Speed (%)', '%') stays. */
export function formatSeriesName(name: string, unit: string): string {
  return unit && !name.endsWith(`(${unit})`) ? `${name} (${unit})` : name;
}

// The CLI's texts use it too (status, upload, the estimate table).
export { formatCount } from '../shared/plural';
