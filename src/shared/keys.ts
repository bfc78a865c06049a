/**
 * The object layout of DESIGN.md, in one place:
 *
 *   rawKey({ host: 'gaming-pc', firstLocal: '2024-04-20 13:02:09', batchId: 'ab12-0-4096', compressed: true })
 *     → 'raw/gaming-pc/2024/04/20/ab12-0-4096.csv.gz'
 *   processedKeyFor('raw/gaming-pc/2024/04/20/ab12-0-4096.csv.gz')
 *     → 'processed/gaming-pc/2024/04/20/ab12-0-4096.json.gz'
 *   quarantineKeyFor(same) → 'quarantine/gaming-pc/2024/04/20/ab12-0-4096.json'
 */
export interface RawKeyParts {
  host: string;
  /** The batch's first sample date, `YYYY-MM-DD…` as written in the log (local time). */
  firstLocal: string;
  batchId: string;
  compressed: boolean;
}

/**
 * The optional newest-document copy (old design compatibility, LATEST_JSON=true). Under `processed/`: the function's
 * role may write nowhere else in the processed bucket (the old stack's root key was denied by its own policy).
 */
export const LATEST_JSON_KEY = 'processed/latest.json.gz';

const HOST_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/** A host name safe for a key segment: lower case, `[a-z0-9._-]`, at most 63 characters. */
export function normaliseHost(host: string): string {
  const cleaned = host
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-._]+/, '')
    .slice(0, 63);
  return cleaned.length > 0 ? cleaned : 'unknown-host';
}

export function isValidHost(host: string): boolean {
  return HOST_PATTERN.test(host);
}

export function rawKey(parts: RawKeyParts): string {
  const date = /^(\d{4})-(\d{2})-(\d{2})/.exec(parts.firstLocal);
  if (!date) throw new Error(`rawKey: first sample date "${parts.firstLocal}" is not YYYY-MM-DD`);
  const [, yyyy, mm, dd] = date;
  const ext = parts.compressed ? 'csv.gz' : 'csv';
  return `raw/${normaliseHost(parts.host)}/${yyyy}/${mm}/${dd}/${parts.batchId}.${ext}`;
}

const RAW_KEY = /^raw\/(.+)\.csv(?:\.gz)?$/;

export function isRawKey(key: string): boolean {
  return RAW_KEY.test(key);
}

function rawStem(rawKey: string): string {
  const match = RAW_KEY.exec(rawKey);
  if (!match)
    throw new Error(
      `Not a raw batch key: "${rawKey}" (expected raw/{host}/{yyyy}/{mm}/{dd}/{batchId}.csv[.gz])`,
    );
  return match[1]!;
}

export function processedKeyFor(raw: string): string {
  return `processed/${rawStem(raw)}.json.gz`;
}

export function quarantineKeyFor(raw: string): string {
  // Foreign objects (not under raw/) are quarantined too: keep their path, flattened below the prefix.
  return isRawKey(raw)
    ? `quarantine/${rawStem(raw)}.json`
    : `quarantine/foreign/${raw.replace(/^\/+/, '')}.json`;
}

/** A batch id's byte range, `-g<n>` (the log rewritten under its checkpoint) and a key's extensions allowed after it. */
const BATCH_RANGE = /-(\d+)-(\d+)(?:-g\d+)?(?:\.csv|\.json)?(?:\.gz)?$/;

/**
 * The log bytes a batch carries, from its id `${fileId}-${start}-${end}` (src/main/core/batch.ts; `-g<n>` after a
 * rewritten log) or a key ending in one; null for an id that names no range:
 *   batchByteRange('ab12-0-4096')                                   → { start: 0, end: 4096 }
 *   batchByteRange('processed/pc/2024/04/20/ab12-50-4096-g1.json.gz') → { start: 50, end: 4096 }
 */
export function batchByteRange(idOrKey: string): { start: number; end: number } | null {
  const range = BATCH_RANGE.exec(idOrKey);
  if (!range) return null;
  const start = Number(range[1]);
  const end = Number(range[2]);
  return end >= start ? { start, end } : null;
}
