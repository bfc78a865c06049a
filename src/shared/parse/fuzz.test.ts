import fc from 'fast-check';
import { AppError } from '../errors';
import { createLogParser } from './parser';
import type { LogFormat, ParseEvent } from './types';

function parseAll(bytes: Uint8Array, format?: LogFormat): ParseEvent[] {
  const parser = createLogParser({ timeZone: 'Europe/Berlin', format });
  return [...parser.push(bytes), ...parser.end()];
}

function countLines(bytes: Uint8Array): number {
  let lines = 1;
  for (const b of bytes) if (b === 10) lines++;
  return lines;
}

const formats: LogFormat[] = ['gpuz', 'hwinfo', 'nvidia-smi'];

describe('arbitrary input', () => {
  it.each(formats)('never throws for forced format %s, and counts stay within the lines', (format) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (bytes) => {
        const events = parseAll(bytes, format);
        const rowLines = new Set(events.filter((e) => e.type === 'row').map((e) => e.line));
        const skipLines = new Set(events.filter((e) => e.type === 'skip').map((e) => e.line));
        expect(rowLines.size + skipLines.size).toBeLessThanOrEqual(countLines(bytes));
      }),
      { numRuns: 300 },
    );
  });

  it('either parses or throws AppError UNKNOWN_FORMAT when detecting', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        try {
          parseAll(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(AppError);
          expect((error as AppError).code).toBe('UNKNOWN_FORMAT');
        }
      }),
      { numRuns: 300 },
    );
  });

  const cell = fc.oneof(
    fc.constantFrom('  1.0  ', '-', '', ' 12 ', 'x', '°', '\u0000', '"'),
    fc.string({ maxLength: 6 }),
  );
  const line = fc.oneof(
    fc.constant('        Date        , GPU Clock [MHz] , GPU Temperature [°C] ,'),
    fc
      .tuple(fc.constantFrom('2024-10-27 02:30:00 ', '2024-03-31 02:30:00 ', 'garbage'), cell, cell)
      .map((c) => `${c.join(',')},`),
    fc.array(cell, { maxLength: 5 }).map((c) => c.join(',')),
  );

  it('GPU-Z-like lines: every line piece becomes at most one row, skip or session', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), fc.constantFrom('\n', '\r\n'), (lines, eol) => {
        const text = `        Date        , GPU Clock [MHz] ,\n${lines.join(eol)}`;
        const events = parseAll(new TextEncoder().encode(text), 'gpuz');
        const rows = events.filter((e) => e.type === 'row').length;
        const skips = events.filter((e) => e.type === 'skip').length;
        const sessions = events.filter((e) => e.type === 'session').length;
        // A NUL run ends a line (truncation hole), so each run may add one piece.
        const pieces = lines.reduce((n, l) => n + l.split(/\0+/).length, 1);
        expect(rows + skips + sessions).toBeLessThanOrEqual(pieces);
        for (const event of events) if (event.type === 'row') expect(Number.isFinite(event.t)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
