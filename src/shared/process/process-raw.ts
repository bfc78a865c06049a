import { AppError, toError } from '../errors';
import { batchByteRange, isRawKey } from '../keys';
import type { LogParser, ParseEvent, ParserOptions } from '../parse/types';
import { type BuiltBatch, createBatchBuilder } from './batch-builder';
import { decodeBody } from './decode-body';
import { createQuarantine } from './quarantine';
import { parseRawKey } from './raw-key';
import type { ProcessedDocument, QuarantineCode, QuarantineDocument } from './types';

/**
 * The processing core: one raw batch object (streamed) → a processed batch or a quarantine document.
 *
 *   await processRawObject({ sourceKey: 'raw/pc/2024/04/20/ab-0-99.csv.gz', body, timeZone: 'UTC' }, { createParser })
 *     → { kind: 'processed', batch: { header, sessions, rollups, summary } }
 *     → { kind: 'quarantine', document: { schema: 'gpuz-cloud/quarantine/v1', reason: { code: 'BAD_GZIP', … } } }
 *
 * Bad input never throws (a throwing Lambda is retried and would fail-loop); only an error of the body
 * stream itself (network) propagates, so the caller can retry.
 */
export interface RawObjectInput {
  sourceKey: string;
  body: AsyncIterable<Uint8Array>;
  timeZone: string;
  /** Stored size when known up front (foreign keys are not read at all). */
  size?: number;
  /** The instant the agent gave the batch's first row (metadata `first-utc`): see rawAfter(). */
  firstUtc?: string | undefined;
}

/**
 * The `after` seed for the parser from a raw object's `first-utc` metadata (one ms before the instant the agent,
 * which read the log in one piece, gave the first row): a batch that starts inside a repeated DST hour is read in
 * the pass the agent saw. Undefined without (older objects) or for garbage.
 *   rawAfter('2026-10-25T01:00:00.000Z') → 1792890000000 - 1
 */
export function rawAfter(firstUtc: string | undefined): number | undefined {
  const t = firstUtc ? Date.parse(firstUtc) : Number.NaN;
  return Number.isFinite(t) ? t - 1 : undefined;
}

export interface ProcessDeps {
  createParser: (options: ParserOptions) => LogParser;
  /** Stop and quarantine beyond this many held cells (rows × (columns + 1)); bounds memory. */
  maxCells?: number | undefined;
  now?: (() => Date) | undefined;
}

export type ProcessedHeader = Omit<ProcessedDocument, 'sessions' | 'rollups' | 'summary'>;
export type ProcessedBatch = BuiltBatch & { header: ProcessedHeader };

export type ProcessOutcome =
  | { kind: 'processed'; batch: ProcessedBatch }
  | { kind: 'quarantine'; document: QuarantineDocument };

/**
 * 8 M cells ≈ 64 MB of Float64Array: a 100 MB GPU-Z log holds ≈ 4.6 M (148,000 rows × 31), three days at 1 Hz
 * ≈ 8 M. Beyond it the batch is quarantined (TOO_LARGE) instead of running a 256 MB function out of memory.
 */
export const DEFAULT_MAX_CELLS = 8_000_000;

export async function processRawObject(input: RawObjectInput, deps: ProcessDeps): Promise<ProcessOutcome> {
  const now = deps.now ?? (() => new Date());
  const counter = { bytes: 0 };
  const quarantine = (
    code: QuarantineCode,
    message: string,
    extra: Pick<QuarantineDocument, 'format' | 'skippedLines'> = {},
  ) => ({
    kind: 'quarantine' as const,
    document: createQuarantine({
      sourceKey: input.sourceKey,
      code,
      message,
      bytes: input.size ?? counter.bytes,
      at: now(),
      ...extra,
    }),
  });

  if (!isRawKey(input.sourceKey)) {
    return quarantine(
      'FOREIGN_KEY',
      'The key is not a raw batch key (raw/{host}/{yyyy}/{mm}/{dd}/{batchId}.csv[.gz])',
    );
  }
  const builder = createBatchBuilder();
  // The builder is the parser's sink: rows go straight into its columns (push then returns no events; a parser
  // that ignores `sink` still works through feed()).
  const parser = deps.createParser({
    timeZone: input.timeZone,
    after: rawAfter(input.firstUtc),
    sink: builder,
  });
  const maxCells = deps.maxCells ?? DEFAULT_MAX_CELLS;
  const feed = (events: ParseEvent[]) => {
    for (const event of events) builder.add(event);
  };
  let decodedBytes = 0;
  try {
    for await (const chunk of decodeBody(input.body, counter)) {
      decodedBytes += chunk.length;
      feedSafely(() => feed(parser.push(chunk)));
      if (builder.cells > maxCells) {
        return quarantine('TOO_LARGE', `More than ${maxCells} values in one batch; stopped reading`);
      }
    }
    feedSafely(() => feed(parser.end()));
  } catch (error) {
    if (error instanceof AppError && error.code === 'BAD_GZIP') return quarantine('BAD_GZIP', error.message);
    if (error instanceof ParserFailure) return quarantine(error.code, error.message);
    throw error;
  }

  if (decodedBytes === 0) return quarantine('EMPTY', 'The object has no content');
  const format = parser.format;
  if (builder.rows === 0 || format === undefined) {
    const batch = builder.result();
    return quarantine('NO_ROWS', 'No data row could be read from the object', {
      format: format ?? null,
      skippedLines: batch.summary.skippedLines,
    });
  }
  const { host, batchId } = parseRawKey(input.sourceKey);
  const header: ProcessedHeader = {
    schema: 'gpuz-cloud/processed/v1',
    host,
    batchId,
    sourceKey: input.sourceKey,
    sourceBytes: input.size ?? counter.bytes,
    timeZone: input.timeZone,
    format,
    encoding: parser.encoding ?? null,
  };
  const batch = builder.result();
  const first = batch.sessions[0];
  if (first && continuesPreviousBatch(batchId, decodedBytes)) first.header = false;
  return { kind: 'processed', batch: { ...batch, header } };
}

/**
 * A batch id is `${fileId}-${start}-${end}` (`-g<n>` after the log was rewritten): the byte range of the log it
 * carries. More bytes than the range means the uploader prepended the session's header, so the first session
 * continues the previous batch's; the same count means the range itself starts with its header (GPU-Z started a
 * session).
 */
export function continuesPreviousBatch(batchId: string, decodedBytes: number): boolean {
  const range = batchByteRange(batchId);
  if (!range) return false;
  return decodedBytes > range.end - range.start;
}

class ParserFailure extends Error {
  constructor(
    readonly code: QuarantineCode,
    message: string,
  ) {
    super(message);
  }
}

/** Runs a parser call; its exceptions mean bad input (or a parser bug) — never a reason to retry. */
function feedSafely(run: () => void): void {
  try {
    run();
  } catch (error) {
    const message = toError(error).message;
    const code =
      error instanceof AppError && error.code === 'UNKNOWN_FORMAT' ? 'UNKNOWN_FORMAT' : 'PARSE_ERROR';
    throw new ParserFailure(code, message);
  }
}
