/**
 * A count with its noun, for the commands' text:
 *   plural(1, 'batch', 'batches') → '1 batch';  plural(3, 'row') → '3 rows'
 */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
