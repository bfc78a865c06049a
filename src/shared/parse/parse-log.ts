import { AppError } from '../errors';
import { createLogParser } from './parser';
import type {
  LogFormat,
  ParseEvent,
  ParserOptions,
  RowEvent,
  SessionEvent,
  SkipEvent,
  TextEncoding,
  WarningEvent,
} from './types';

export interface ParsedLog {
  format: LogFormat;
  encoding: TextEncoding;
  sessions: SessionEvent[];
  rows: RowEvent[];
  skipped: SkipEvent[];
  warnings: WarningEvent[];
}

/**
 * A whole log in memory → its events sorted by kind (the streaming parser, fed once).
 *
 *   parseLog(readFileSync('GPU-Z Sensor Log.txt')) → { format: 'gpuz', encoding: 'windows-1252', sessions: [1], rows: [356], … }
 * Throws AppError UNKNOWN_FORMAT for anything that is not GPU-Z, HWiNFO or nvidia-smi, EMPTY_LOG for no lines.
 */
export function parseLog(bytes: Uint8Array, options: ParserOptions = {}): ParsedLog {
  const parser = createLogParser(options);
  const parsed = { sessions: [], rows: [], skipped: [], warnings: [] } as Omit<
    ParsedLog,
    'format' | 'encoding'
  >;
  collect(parser.push(bytes), parsed);
  collect(parser.end(), parsed);
  if (parser.format === undefined) {
    throw new AppError(
      'EMPTY_LOG',
      'The log has no lines',
      'Check the path: GPU-Z may not have written anything yet.',
    );
  }
  return { format: parser.format, encoding: parser.encoding ?? 'utf-8', ...parsed };
}

export function collect(events: ParseEvent[], into: Omit<ParsedLog, 'format' | 'encoding'>): void {
  for (const event of events) {
    if (event.type === 'row') into.rows.push(event);
    else if (event.type === 'session') into.sessions.push(event);
    else if (event.type === 'skip') into.skipped.push(event);
    else into.warnings.push(event);
  }
}
