/**
 * The one parser contract shared by the app's live view, the Lambda and the CLI.
 *
 * bytes (chunks split anywhere) ─push()─▶ events ─end()─▶ remaining events
 *   { type: 'session', … }  a header started a new session (its columns)
 *   { type: 'row', … }      one data row of the current session
 *   { type: 'skip', … }     a line that could not be used, with its line number and why
 *   { type: 'warning', … }  something a person should know (encoding fallback, replaced characters…)
 */
export type LogFormat = 'gpuz' | 'hwinfo' | 'nvidia-smi';
export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface Column {
  /** The column name as written, without its unit: `GPU Clock`. */
  name: string;
  /** The unit normalised (`°C`, `MHz`, `%`, `W`, `V`, `MB`, `RPM`, ``). */
  unit: string;
  /** Stable machine key with its unit; known names map to one canonical key: `gpu_clock_mhz`. */
  key: string;
  /** For multi-GPU sources (nvidia-smi): which GPU this series belongs to. */
  gpu?: string;
}

export interface SessionEvent {
  type: 'session';
  /** 0-based index of the session within this input. */
  session: number;
  format: LogFormat;
  columns: Column[];
  /** 1-based line number of the header. */
  line: number;
}

export interface RowEvent {
  type: 'row';
  session: number;
  /** 1-based line number in the input. */
  line: number;
  /** Epoch milliseconds (UTC) of the naive local timestamp in the configured time zone. */
  t: number;
  /** The timestamp as written in the file, normalised to `YYYY-MM-DD HH:MM:SS` (milliseconds dropped). */
  local: string;
  /** One value per column of the session; null = no reading (`-`, `[N/A]`, empty). */
  values: (number | null)[];
  /** Non-numeric cells kept as text by key (e.g. nvidia-smi `pstate`, `name`), when present. */
  text?: Record<string, string>;
}

export interface SkipEvent {
  type: 'skip';
  line: number;
  reason: 'field-count' | 'before-header' | 'bad-timestamp' | 'footer' | 'empty';
  message: string;
}

export interface WarningEvent {
  type: 'warning';
  code: string;
  message: string;
  line?: number | undefined;
}

export type ParseEvent = SessionEvent | RowEvent | SkipEvent | WarningEvent;

export interface ParserOptions {
  /** IANA zone the naive timestamps are in; default: the system's. */
  timeZone?: string;
  /** Force a format instead of detecting it from the first bytes. */
  format?: LogFormat | undefined;
  /**
   * Epoch ms of the row logged just before the input (the end of the previous batch): a first row in the repeated
   * hour of a DST fall-back is then read as the second pass when it comes after that row, as it would in one piece.
   */
  after?: number | undefined;
  /**
   * A columnar receiver (the processor's batch builder): push()/end() then return no events; every event goes to
   * `sink.add` in input order, and GPU-Z rows read from bytes go to `sink.row` as numbers, without a RowEvent.
   */
  sink?: ParseSink | undefined;
  /**
   * With a sink, false: GPU-Z rows read from bytes are checked (time stamp, cell count) but their values are not
   * read, and sink.row gets an empty array — the same rows and time stamps for a reader that only counts them
   * (the agent's batches). Default true.
   */
  readValues?: boolean | undefined;
}

/**
 * Where a parser with `sink` delivers, in input order:
 *   add(event)                   every session, skip and warning event, and the rows read from text
 *   row(session, t, wall, vals)  a GPU-Z row read from bytes: `wall` is its written time as UTC ms
 *                                (Date.UTC of the fields: RowEvent.local as a number), `values` one per column
 *                                with NaN for no reading, in an array reused for the next row (copy, never keep)
 */
export interface ParseSink {
  add(event: ParseEvent): void;
  row(session: number, t: number, wall: number, values: Float64Array): void;
}

/** A streaming parser: constant memory, bytes in, events out. */
export interface LogParser {
  push(chunk: Uint8Array): ParseEvent[];
  /** Flushes a last line without EOL and returns the final events. */
  end(): ParseEvent[];
  /** Detected once enough bytes arrived; undefined before that. */
  readonly format: LogFormat | undefined;
  readonly encoding: TextEncoding | undefined;
}
