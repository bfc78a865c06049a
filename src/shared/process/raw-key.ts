/**
 * Host and batch id from a raw batch key (the layout of src/shared/keys.ts).
 *
 *   parseRawKey('raw/gaming-pc/2024/04/20/ab12-0-4096.csv.gz') → { host: 'gaming-pc', batchId: 'ab12-0-4096' }
 *   parseRawKey('raw/odd.csv')                                  → { host: 'unknown-host', batchId: 'odd' }
 */
export function parseRawKey(key: string): { host: string; batchId: string } {
  const parts = key.split('/');
  const file = parts[parts.length - 1] ?? '';
  const batchId = file.replace(/\.csv(\.gz)?$/, '');
  const host = parts.length >= 3 ? parts[1]! : 'unknown-host';
  return { host, batchId };
}
