/**
 * Sizes as Windows shows them (Explorer, Task Manager), in the app and the CLI alike: units of 1,024.
 *   formatBytes(1536) → '1.5 KB'   formatBytes(7_344_000) → '7.0 MB'   formatBytes(512) → '512 B'
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
