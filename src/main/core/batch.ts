import { createHash } from 'node:crypto';
import { AppError } from '../../shared/errors';
import { detectFormatFromLine } from '../../shared/parse/detect';
import type {
  Column,
  LogParser,
  ParseEvent,
  ParserOptions,
  ParseSink,
  RowEvent,
  TextEncoding,
} from '../../shared/parse/types';
import {
  completeLinesEnd,
  damagedPrefixLength,
  forEachLine,
  hasGluedRow,
  headerToPrepend,
  isBlankLine,
  isHeaderLine,
  mayHoldDamage,
  rowWallMinutes,
} from './log-lines';
import { type Anchor, anchorsOf } from './resume-anchors';

/**
 * Complete lines of one log file → sealed batches: a byte range [start, end) plus the header it needs.
 *
 *   const b = createBatchBuilder({ fileId: 'a1b2c3d4e5f6', offset: 0, maxBatchBytes: 8 << 20, … })
 *   b.append(linesFrom0To4096)  → []                     (still open)
 *   b.seal()                    → { batchId: 'a1b2c3d4e5f6-0-4096', body: header? + bytes, rows: 40, firstLocal … }
 *
 * A new header line after data rows seals the open batch first (a new GPU-Z logging session), so a batch never
 * mixes two sensor sets — except nvidia-smi's header repeated before every row by a script (repeatsHeader). So does
 * a row written MAX_BATCH_SPAN_MINUTES or more from the batch's first row (a PC that slept for days with GPU-Z
 * logging, a clock set right or back): a batch's rows stay within hours of its key date, where every reader looks for
 * them. A batch that does not start with a header gets the session's header prepended, so it parses on its own. The batch
 * id depends only on the file identity and the range: the same bytes always give the same object key. Bytes that are no sensor log at all (the parser's UNKNOWN_FORMAT) are refused:
 * append() throws that AppError before anything is sealed.
 *
 * A damaged line — a partial row cut by a power loss, a truncation or GPU-Z stopped mid-row, with a NUL run or
 * GPU-Z's next header glued on — is split: the open batch is sealed before it, the damaged bytes go into no batch (onDamaged says where),
 * and what follows (a header or a row) starts the next range. So no object ever starts or ends mid-row.
 */
export interface SealedBatch {
  batchId: string;
  fileId: string;
  start: number;
  end: number;
  /** Header bytes prepended to the range (empty when the range starts with its own header). */
  prefixBytes: number;
  /** prefix + the range's bytes: what is stored. */
  body: Buffer;
  rows: number;
  firstLocal: string | null;
  lastLocal: string | null;
  encoding: TextEncoding | null;
  /** The header in effect at `end` (for the checkpoint: where the next range continues). */
  sessionHeader: Buffer | null;
  /** sha256 of the last `length` bytes of the range (≤ 4 KiB): a restart checks the log still has them. */
  tail: { length: number; sha256: string };
  /** The range's last data row: its time stamp as the parser read it, its instant and the sha256 of its line. */
  lastRow: { local: string; sha256: string; t?: number } | null;
  /** The instant the parser gave the first row (raw metadata `first-utc`: the processor reads the same pass). */
  firstT: number | null;
  /** The range's last complete lines by place and hash: a restart finds by content how much the log still holds. */
  anchors: Anchor[];
  generation: number;
}

/**
 * How far (wall clock, either way) a batch's rows may lie from its first row. Objects are keyed by the first row's
 * local date, and a read of a time range lists the key dates from two days before it to one day after
 * (processed-data.ts): that finds a row up to 12 hours after its batch's first row and 10 hours before it in any
 * time zone (UTC−12 to UTC+14). A log written without gaps reaches 8 MiB (maxBatchBytes) within about 4 hours at
 * GPU-Z's 1 s interval; only a gap or a clock jump makes a batch span more.
 */
export const MAX_BATCH_SPAN_MINUTES = 8 * 60;

/** How many bytes before a batch's end its tail hash covers. */
export const TAIL_BYTES = 4096;

export interface BatchBuilderOptions {
  fileId: string;
  /** Where the next appended byte sits in the file. */
  offset: number;
  /** The header in effect at `offset` (from the checkpoint), or null at the start of a file. */
  sessionHeader: Buffer | null;
  /** The checkpoint's generation (0 unless the log was rewritten under it): ids get `-g<n>` when > 0. */
  generation?: number;
  maxBatchBytes: number;
  /**
   * A fresh streaming parser (rows, first/last timestamp, live view) with the options given (a counting sink when no
   * one wants the rows); null to count lines only.
   */
  createParser: ((options: Pick<ParserOptions, 'sink' | 'readValues'>) => LogParser) | null;
  /** Every row with its values (the live view). Without it the rows are only counted (onRowCount): no values read. */
  onRows?: (rows: RowEvent[], columns: Column[]) => void;
  /** How many rows the parser read since the last call (when there is no onRows). */
  onRowCount?: (rows: number) => void;
  /**
   * `bytes` bytes at `offset` are in no batch: a damaged line's broken start, or (`overlong`) a line longer than a
   * whole read, told once it ends (or at a seal).
   */
  onDamaged?: (offset: number, bytes: number, overlong: boolean) => void;
  now: () => number;
}

export interface BatchBuilder {
  /**
   * `chunk` starts at the builder's offset and holds complete lines, or is a piece without any line feed of a line
   * longer than a whole read (the tailer passes those on rather than stall: skipped as damage). Returns batches
   * sealed by size/session.
   */
  append(chunk: Buffer): SealedBatch[];
  /** Seals what is open; null when it holds no data line yet. */
  seal(): SealedBatch | null;
  /** What seal() would return now, without sealing (the dashboard charts rows not sent yet). */
  peek(): SealedBatch | null;
  readonly offset: number;
  readonly openBytes: number;
  /** Clock time when the first data line entered the open batch (null when none). */
  readonly openedAt: number | null;
  readonly sessionHeader: Buffer | null;
}

const LOCAL_DATE = /^[\0\s]*(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})/;

export function createBatchBuilder(options: BatchBuilderOptions): BatchBuilder {
  const { fileId, maxBatchBytes } = options;
  let offset = options.offset;
  let sessionHeader = options.sessionHeader;
  let parser: LogParser | null = null;
  let columns: Column[] = [];
  let open = emptyBatch();
  let pendingForParser: Buffer[] = [];

  function emptyBatch() {
    return {
      start: offset,
      chunks: [] as Buffer[],
      bytes: 0,
      dataLines: 0,
      prefix: null as Buffer | null,
      rows: 0,
      firstLocal: null as string | null,
      firstT: null as number | null,
      lastT: null as number | null,
      lastDataLine: null as Buffer | null,
      /** The last row's time stamp as written: a string, or its wall-clock ms (a row counted from bytes). */
      lastWritten: null as string | number | null,
      openedAt: null as number | null,
      /** The wall-clock minute of the batch's first row as written (rowWallMinutes), when it has one. */
      firstWall: null as number | null,
    };
  }

  /**
   * Without onRows nobody needs a row's values: the parser only checks and counts rows into the open batch
   * (GPU-Z rows from bytes without reading their cells: ≈ 4× less CPU than reading them, bench/backfill.ts).
   */
  const counter: ParseSink | undefined = options.onRows
    ? undefined
    : {
        add(event: ParseEvent) {
          if (event.type === 'session') columns = event.columns;
          else if (event.type === 'row') counted(event.t, event.local);
        },
        row(_session: number, t: number, wall: number) {
          counted(t, wall);
        },
      };

  function counted(t: number, written: string | number): void {
    open.rows += 1;
    if (open.firstT === null) {
      open.firstT = t;
      open.firstLocal = typeof written === 'string' ? written : wallText(written);
    }
    open.lastT = t;
    open.lastWritten = written;
  }
  startParser();

  /**
   * A parser that already knows the session's columns when reading resumes mid-session (a restart): rows after
   * the checkpoint reach the live view with their columns at once, not only after GPU-Z's next header.
   */
  function startParser(): void {
    if (!options.createParser) return;
    parser = options.createParser(counter ? { sink: counter, readValues: false } : {});
    if (!sessionHeader) return;
    for (const event of safePush(parser, sessionHeader))
      if (event.type === 'session') columns = event.columns;
  }

  function safePush(p: LogParser, bytes: Buffer): ReturnType<LogParser['push']> {
    try {
      return p.push(bytes);
    } catch (error) {
      if (error instanceof AppError && error.code === 'UNKNOWN_FORMAT') throw error;
      // The parser broke on a known format: keep shipping bytes, count lines instead of rows.
      parser = null;
      return [];
    }
  }

  function feedParser(): void {
    if (pendingForParser.length === 0) return;
    // Each run of whole lines as it is (the parser takes chunks split anywhere): no copy of them joined.
    const runs = pendingForParser;
    pendingForParser = [];
    if (!parser) return;
    if (counter) {
      const before = open.rows;
      for (const run of runs) if (parser) safePush(parser, run);
      if (open.rows > before) options.onRowCount?.(open.rows - before);
      return;
    }
    const rows: RowEvent[] = [];
    for (const run of runs) {
      if (!parser) break;
      for (const event of safePush(parser, run)) {
        if (event.type === 'session') columns = event.columns;
        else if (event.type === 'row') rows.push(event);
      }
    }
    if (rows.length === 0) return;
    open.rows += rows.length;
    open.firstLocal ??= rows[0]!.local;
    open.lastWritten = rows[rows.length - 1]!.local;
    open.firstT ??= rows[0]!.t;
    open.lastT = rows[rows.length - 1]!.t;
    options.onRows?.(rows, columns);
  }

  /** Where a line longer than a whole read began, while its pieces are skipped (told once it ends, not per read). */
  let overlongFrom: number | null = null;

  function tellOverlong(): void {
    if (overlongFrom === null) return;
    options.onDamaged?.(overlongFrom, offset - overlongFrom, true);
    overlongFrom = null;
  }

  function sealOpen(): SealedBatch | null {
    const sealed = current();
    if (sealed) open = emptyBatch();
    return sealed;
  }

  function current(): SealedBatch | null {
    feedParser();
    if (open.dataLines === 0) return null;
    const prefix = open.prefix ?? Buffer.alloc(0);
    // One copy: the header prefix and the range's runs joined at once (the range is the body after the prefix).
    const body = Buffer.concat(prefix.length > 0 ? [prefix, ...open.chunks] : open.chunks);
    const range = body.subarray(prefix.length);
    const end = open.start + open.bytes;
    const firstLocal = open.firstLocal ?? firstLocalOf(range, 'first');
    const written = open.lastWritten;
    const lastLocal =
      written === null
        ? firstLocalOf(range, 'last')
        : typeof written === 'string'
          ? written
          : wallText(written);
    const rows = parser ? open.rows : open.dataLines;
    const tail = range.subarray(Math.max(0, range.length - TAIL_BYTES));
    const generation = options.generation ?? 0;
    return {
      batchId: `${fileId}-${open.start}-${end}${generation > 0 ? `-g${generation}` : ''}`,
      fileId,
      start: open.start,
      end,
      prefixBytes: prefix.length,
      body,
      rows,
      firstLocal,
      lastLocal,
      encoding: parser?.encoding ?? null,
      sessionHeader,
      tail: { length: tail.length, sha256: sha256(tail) },
      lastRow:
        lastLocal !== null && open.lastDataLine !== null
          ? {
              local: lastLocal,
              sha256: sha256(open.lastDataLine),
              ...(open.lastT !== null ? { t: open.lastT } : {}),
            }
          : null,
      firstT: open.firstT,
      anchors: anchorsOf(range, open.start),
      generation,
    };
  }

  return {
    append(chunk) {
      const sealed: SealedBatch[] = [];
      // The lines taken into the open batch since the last flush, as one run of `chunk` (not one piece per line:
      // 180,000 pieces and their copies per 100 MB otherwise). Flushed before anything seals or resets the batch.
      let runFrom = 0;
      let runTo = 0;
      const flush = () => {
        if (runTo > runFrom) {
          const run = chunk.subarray(runFrom, runTo);
          open.chunks.push(run);
          pendingForParser.push(run);
        }
        runFrom = runTo;
      };
      /** `bytes` at the builder's offset go in no batch: what is open is sealed before them (a batch is one range). */
      const skip = (bytes: number) => {
        flush();
        if (open.dataLines > 0) {
          const batch = sealOpen();
          if (batch) sealed.push(batch);
        }
        offset += bytes;
        open = emptyBatch();
      };
      const whole = completeLinesEnd(chunk);
      if (whole === 0 && chunk.length > 0) {
        // A piece of a line longer than a whole read: a power cut's NUL hole of megabytes, or bytes that are no log
        // line. Before, its bytes were dropped uncounted: later batches and the checkpoint named ranges short of their
        // place in the log, and a restart, finding other bytes there, sent the rest of the log again.
        overlongFrom ??= offset;
        skip(chunk.length);
        return sealed;
      }
      // The line ends in this chunk: its last piece is read as a line (a row glued behind NULs is kept).
      tellOverlong();
      const clean = !mayHoldDamage(chunk);
      forEachLine(chunk, (from, to) => {
        let line = chunk.subarray(from, to);
        // Only inside a log already known to be one: a file that is none is refused whole, not cut into damage.
        const known = sessionHeader !== null || parser?.format !== undefined;
        const damaged = known && !clean ? damagedPrefixLength(line) : 0;
        if (damaged > 0) {
          options.onDamaged?.(offset, damaged, false);
          skip(damaged);
          line = line.subarray(damaged);
          if (line.length === 0) return;
        }
        const header = isHeaderLine(line);
        const wall = header ? null : rowWallMinutes(line);
        const farFromFirst =
          wall !== null &&
          open.firstWall !== null &&
          Math.abs(wall - open.firstWall) >= MAX_BATCH_SPAN_MINUTES;
        if ((header && !repeatsHeader(line, sessionHeader)) || farFromFirst) {
          if (open.dataLines > 0) {
            flush();
            const batch = sealOpen();
            if (batch) sealed.push(batch);
          }
        }
        if (open.bytes === 0) {
          open.start = offset;
          open.prefix = header ? null : sessionHeader;
        }
        if (header) sessionHeader = headerToPrepend(line);
        if ((!header && !isBlankLine(line)) || (header && hasGluedRow(line))) {
          open.dataLines += 1;
          open.lastDataLine = line;
          open.openedAt ??= options.now();
          open.firstWall ??= wall;
        }
        if (runTo !== to - line.length) runFrom = to - line.length;
        runTo = to;
        open.bytes += line.length;
        offset += line.length;
        if (open.bytes >= maxBatchBytes) {
          flush();
          const batch = sealOpen();
          if (batch) sealed.push(batch);
        }
      });
      flush();
      feedParser();
      return sealed;
    },
    seal() {
      tellOverlong();
      return sealOpen();
    },
    peek: current,
    get offset() {
      return offset;
    },
    get openBytes() {
      return open.bytes;
    },
    get openedAt() {
      return open.openedAt;
    },
    get sessionHeader() {
      return sessionHeader;
    },
  };
}

/**
 * What a restart checks at a batch's end, from its stored bytes (prefix + range) alone — for a batch rebuilt
 * from a spool body or read back from the store:
 *   endFacts(raw, { start, end }, '2026-08-06 19:14:36') → { tail: { length, sha256 }, sessionHeader, lastRow, anchors }
 */
export function endFacts(
  raw: Buffer,
  source: { start: number; end: number },
  lastLocal: string | null,
): Pick<SealedBatch, 'tail' | 'sessionHeader' | 'lastRow' | 'anchors'> {
  const range = raw.subarray(Math.max(0, raw.length - (source.end - source.start)));
  const tail = range.subarray(Math.max(0, range.length - TAIL_BYTES));
  let sessionHeader: Buffer | null = null;
  let lastData: Buffer | null = null;
  forEachLine(raw, (from, to) => {
    const line = raw.subarray(from, to);
    if (isHeaderLine(line)) sessionHeader = headerToPrepend(line);
    else if (!isBlankLine(line)) lastData = line;
  });
  return {
    tail: { length: tail.length, sha256: sha256(tail) },
    sessionHeader,
    lastRow: lastLocal && lastData ? { local: lastLocal, sha256: sha256(lastData) } : null,
    anchors: anchorsOf(range, source.start),
  };
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * An nvidia-smi header equal to the session's: a script that runs nvidia-smi once per sample and appends its output
 * writes the header before every row (the rtx2070 sample: 224 headers for 224 rows). It starts no new session (the
 * parser skips it too), so it seals nothing: sealing at each made one batch — one PUT — per row, ≈ 2.6 million PUTs
 * a month at 1 Hz instead of one per interval. (A GPU-Z header, repeated or not, is a new logging session.)
 */
function repeatsHeader(line: Buffer, current: Buffer | null): boolean {
  return (
    current !== null &&
    headerToPrepend(line).equals(current) &&
    detectFormatFromLine(current.toString('latin1')) === 'nvidia-smi'
  );
}

/** A row's written time stamp from its wall-clock ms (Date.UTC of its fields): 1713019395000 → '2024-04-13 14:43:15'. */
export function wallText(wall: number): string {
  return new Date(wall).toISOString().slice(0, 19).replace('T', ' ');
}

/** The first (or last) `YYYY-MM-DD HH:MM:SS` a data line starts with, when the parser could not say. */
function firstLocalOf(range: Buffer, which: 'first' | 'last'): string | null {
  const lines = range.toString('latin1').split('\n');
  if (which === 'last') lines.reverse();
  for (const line of lines) {
    const match = LOCAL_DATE.exec(line);
    if (match) return match[1]!;
  }
  return null;
}
