/**
 * A count with its noun, for every surface's text (the CLI, the Overview, the state badge and tray):
 *   plural(1, 'batch', 'batches') → '1 batch';  plural(3, 'row') → '3 rows'
 *   plural(1234, 'row', 'rows', formatCount) → '1,234 rows'  (the dashboard's separators)
 */
/** A count with the dashboard's separators, in the app and the CLI alike: formatCount(590000) → '590,000'. */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function plural(
  count: number,
  one: string,
  many = `${one}s`,
  format: (count: number) => string = String,
): string {
  return `${format(count)} ${count === 1 ? one : many}`;
}
