import { detectFormatFromLine, unknownFormatError } from './detect';
import { createGpuzHandler } from './gpuz';
import type { EventOut, FormatHandler } from './handler';
import { createHwinfoHandler } from './hwinfo';
import { createLineReader, type LineSink, MAX_LINE_BYTES } from './line-reader';
import { createLocalTimeConverter } from './local-time';
import { createNvidiaSmiHandler } from './nvidia-smi';
import { createStamper, type Stamper } from './timestamps';
import type { LogFormat, LogParser, ParseEvent, ParserOptions, ParseSink } from './types';

/**
 * The streaming parser: bytes in (chunks split anywhere), events out, memory bounded by the longest line.
 *
 *   const parser = createLogParser({ timeZone: 'Europe/Berlin' });
 *   parser.push(chunk1) → [{ type: 'session', … }, { type: 'row', … }]
 *   parser.push(chunk2) → [{ type: 'row', … }]
 *   parser.end()        → [the row of a last line without EOL, warnings]
 * The format is detected from the first line unless given; anything else throws AppError UNKNOWN_FORMAT.
 * With `options.sink` (the processor's columnar builder) push()/end() return [] and deliver to the sink instead.
 */
export function createLogParser(options: ParserOptions = {}): LogParser {
  const reader = createLineReader();
  const stamp = createStamper(createLocalTimeConverter(options.timeZone), options.after);
  let format: LogFormat | undefined = options.format;
  const sink = options.sink;
  // With a sink, every event goes to it at once, so fast rows (sink.row) and events stay in input order.
  let out: ParseEvent[] = [];
  const emit: EventOut =
    sink === undefined ? { push: (event) => out.push(event) } : { push: (event) => sink.add(event) };

  const handlerFor = (known: LogFormat) => createHandler(known, stamp, sink, options.readValues);
  const lines = new HandlerLines(emit, (text) => {
    format = detectFormatFromLine(text);
    if (format === undefined) throw unknownFormatError(text);
    return handlerFor(format);
  });
  if (format) lines.use(handlerFor(format));

  function take(): ParseEvent[] {
    const events = out;
    out = [];
    return events;
  }

  return {
    push(chunk) {
      reader.push(chunk, lines);
      return take();
    },
    end() {
      reader.end(lines);
      lines.end();
      const { count, firstLine } = reader.replaced;
      if (count > 0) {
        emit.push({
          type: 'warning',
          code: 'REPLACED_CHARACTERS',
          message: `${count} invalid UTF-8 sequence(s) were replaced by U+FFFD (first on line ${firstLine}); those cells read as no value`,
          line: firstLine,
        });
      }
      return take();
    },
    get format() {
      return format;
    },
    get encoding() {
      return reader.encoding;
    },
  };
}

/**
 * The line reader's sink: each line to the format's handler, made from the first line. A class whose byte path is
 * one shared method, not closures made per parser: those differed at every processed document, and V8 threw away
 * the reader's optimised code at each new one.
 */
class HandlerLines implements LineSink {
  /** The handler's byte fast path, once there is a handler with one (the reader then offers it raw lines). */
  bytes?: (bytes: Uint8Array, from: number, to: number, line: number) => boolean;
  private handler: FormatHandler | undefined = undefined;

  constructor(
    private readonly emit: EventOut,
    private readonly firstLine: (text: string) => FormatHandler,
  ) {}

  use(handler: FormatHandler): void {
    this.handler = handler;
    if (handler.bytes !== undefined) this.bytes = this.handlerBytes;
  }

  line(text: string, line: number): void {
    if (this.handler === undefined) this.use(this.firstLine(text));
    this.handler!.line(text, line, this.emit);
  }

  /** The handler's last word (rows it held back), if a line ever made one. */
  end(): void {
    this.handler?.end(this.emit);
  }

  overlong(line: number): void {
    this.emit.push({
      type: 'skip',
      line,
      reason: 'field-count',
      message: `line is longer than ${MAX_LINE_BYTES} bytes without a line break; dropped`,
    });
  }

  private handlerBytes(bytes: Uint8Array, from: number, to: number, line: number): boolean {
    return this.handler!.bytes!(bytes, from, to, line, this.emit);
  }
}

function createHandler(
  format: LogFormat,
  stamp: Stamper,
  sink: ParseSink | undefined,
  readValues: boolean | undefined,
): FormatHandler {
  if (format === 'hwinfo') return createHwinfoHandler(stamp);
  if (format === 'nvidia-smi') return createNvidiaSmiHandler(stamp);
  return createGpuzHandler(stamp, sink, readValues ?? true);
}
