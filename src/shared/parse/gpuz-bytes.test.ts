import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { SAMPLES_DIR } from '../../test-support/services';
import { createGpuzHandler } from './gpuz';
import { localText, readGpuzRow, readGpuzStamp } from './gpuz-bytes';
import { createLocalTimeConverter } from './local-time';
import { parseCell } from './numbers';
import { createLogParser } from './parser';
import { createStamper } from './timestamps';
import type { ParseEvent } from './types';

const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

/** The same lines through the text path only (the handler's `line`) and through the byte path where it takes them. */
function bothWays(lines: string[]): { text: ParseEvent[]; fast: ParseEvent[]; taken: number } {
  const text: ParseEvent[] = [];
  const fast: ParseEvent[] = [];
  const slow = createGpuzHandler(createStamper(createLocalTimeConverter('Europe/Berlin')));
  const quick = createGpuzHandler(createStamper(createLocalTimeConverter('Europe/Berlin')));
  let taken = 0;
  lines.forEach((line, i) => {
    slow.line(line, i + 1, text);
    const bytes = latin1(line);
    if (quick.bytes!(bytes, 0, bytes.length, i + 1, fast)) taken++;
    else quick.line(line, i + 1, fast);
  });
  return { text, fast, taken };
}

describe('GPU-Z rows read from bytes', () => {
  it('reads a row as the text path does: padded numbers, a lone dash, blanks', () => {
    const values = new Float64Array(4);
    const time = new Int32Array(6);
    const line = latin1('  2024-04-11 14:43:15 ,  99.8 ,  - ,      , -0.50 ,');
    expect(readGpuzRow(line, 0, line.length, values, time)).toBe(2);
    expect([...time]).toEqual([2024, 4, 11, 14, 43, 15]);
    expect([...values]).toEqual([99.8, Number.NaN, Number.NaN, -0.5]);
    expect(localText(line, 2)).toBe('2024-04-11 14:43:15');
  });

  it.each([
    ['an exponent', '2024-04-11 14:43:15 , 1e3 ,'],
    ['more than 15 digits', '2024-04-11 14:43:15 , 1234567890.1234567 ,'],
    ['a tab', '2024-04-11 14:43:15 ,\t1 ,'],
    ['text', '2024-04-11 14:43:15 , N/A ,'],
    ['no trailing comma', '2024-04-11 14:43:15 , 1'],
    ['a slash date', '2024/04/11 14:43:15 , 1 ,'],
    ['a missing cell', '2024-04-11 14:43:15 ,'],
    ['an extra cell', '2024-04-11 14:43:15 , 1 , 2 ,'],
  ])('declines %s (the text path decides)', (_, text) => {
    const line = latin1(text);
    expect(readGpuzRow(line, 0, line.length, new Float64Array(1), new Int32Array(6))).toBe(-1);
  });

  it('gives every cell the value parseCell gives, or declines the row', () => {
    const digits = fc.stringMatching(/^-?[0-9]{0,12}(\.[0-9]{0,8})?$/);
    const cell = fc.oneof(
      digits,
      fc.constantFrom('-', '', ' ', '0', '-0', '.5', '5.', '+1', '1e2', 'N/A', '007'),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(cell, fc.nat(4), fc.nat(4)), { minLength: 1, maxLength: 6 }), (cells) => {
        const padded = cells.map(([c, l, r]) => `${' '.repeat(l)}${c}${' '.repeat(r)}`);
        const line = latin1(`2024-04-11 14:43:15 ,${padded.join(',')},`);
        const values = new Float64Array(cells.length);
        if (readGpuzRow(line, 0, line.length, values, new Int32Array(6)) < 0) return;
        expect([...values].map((v) => (Number.isNaN(v) ? null : v))).toEqual(padded.map(parseCell));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the same events as the text path for every line of the real GPU-Z samples', () => {
    for (const name of [
      'nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt',
      'nvidia-turing-usbc-gpuz-2023-trunc2mb.txt',
      'igpu-gpuz-2024-lf-midfile-header-dashes.txt',
      'nvidia-gpuz-2016-old-names-lf-3-sessions.txt',
      'amd-radeon-hbm2-gpuz-2020-12-sessions.txt',
    ]) {
      const lines = readFileSync(join(SAMPLES_DIR, 'gpuz', name), 'latin1')
        .split(/\r?\n/)
        .filter((l) => l.trim() !== '');
      const { text, fast, taken } = bothWays(lines);
      expect(fast).toEqual(text);
      expect(taken).toBeGreaterThan(lines.length * 0.9);
    }
  });

  it('takes the rows of the first chunk too, right after the header that names the format', () => {
    const bytes = readFileSync(join(SAMPLES_DIR, 'gpuz', 'nvidia-ada-pwrsrc-gpuz-2024.txt'));
    let fast = 0;
    let slow = 0;
    const parser = createLogParser({
      timeZone: 'Europe/Berlin',
      sink: {
        add: (event) => {
          if (event.type === 'row') slow++;
        },
        row: () => {
          fast++;
        },
      },
    });
    parser.push(bytes);
    parser.end();
    expect({ fast, slow }).toEqual({ fast: 356, slow: 0 });
  });

  it('reads only the time stamp and the cell count when the values are not wanted', () => {
    const time = new Int32Array(6);
    const row = latin1('  2024-04-11 14:43:15 ,  1e3 , N/A ,  ');
    expect(readGpuzStamp(row, 0, row.length, 2, time)).toBe(2);
    expect([...time]).toEqual([2024, 4, 11, 14, 43, 15]);
    for (const declined of [
      '2024-04-11 14:43:15 , 1 ,', // a cell short
      '2024-04-11 14:43:15 , 1 , 2 , 3 ,', // a cell more
      '2024-04-11 14:43:15 , 1 , 2', // no trailing comma
      '2024-04-11 14:43:15 , 1 , 2 , x', // text after the last comma
      '2024/04/11 14:43:15 , 1 , 2 ,', // another date form
      '2024-04-11 14:43:15x, 1 , 2 ,',
    ]) {
      const line = latin1(declined);
      expect(readGpuzStamp(line, 0, line.length, 2, time)).toBe(-1);
    }
  });

  it('takes a line only when the text path reads it as a row with that time stamp (a counting parser)', () => {
    const cell = fc.oneof(
      fc.constantFrom('1', ' 2.5 ', '-', '', ' ', 'N/A', '1e3', '\t', 'x'),
      fc.string({ maxLength: 3 }),
    );
    fc.assert(
      fc.property(
        fc.array(cell, { maxLength: 5 }),
        fc.constantFrom('', ' ', ',', ', ', ' x'),
        (cells, end) => {
          const text = `2024-04-11 14:43:15 ,${cells.join(',')}${end}`;
          const bytes = latin1(text);
          const time = new Int32Array(6);
          // A session of three columns: the text path's events for the line.
          const events: ParseEvent[] = [];
          const handler = createGpuzHandler(createStamper(createLocalTimeConverter('UTC')));
          handler.line('Date ,a ,b ,c ,', 1, events);
          handler.line(text, 2, events);
          const row = events.find((e) => e.type === 'row');
          if (readGpuzStamp(bytes, 0, bytes.length, 3, time) >= 0) {
            expect(row).toMatchObject({ local: '2024-04-11 14:43:15' });
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
