import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { SAMPLES_DIR } from '../../test-support/services';
import { createLogParser } from './parser';
import type { ParseEvent, RowEvent } from './types';

/**
 * A line whose start is broken, with the next line GPU-Z wrote glued behind it: GPU-Z killed mid-row (a driver
 * crash while overclocking, Task Manager) and started again, appending its header to the cut row; or a write that
 * failed on a full disk. Every whole line after the broken start is read; the cut row alone is skipped.
 */
const GPUZ = join(SAMPLES_DIR, 'gpuz');
const HWINFO = join(SAMPLES_DIR, 'hwinfo');
const SMI = join(SAMPLES_DIR, 'nvidia-smi');
// The UTF-16 sample is left out: a byte cut there splits characters, which is another kind of damage.
const SAMPLES = [GPUZ, HWINFO, SMI].flatMap((dir) =>
  readdirSync(dir)
    .filter((name) => !name.includes('utf16'))
    .map((name) => ({ name, bytes: readFileSync(join(dir, name)) })),
);

interface Line {
  from: number;
  /** Just past the line's text, before its CR LF or LF. */
  end: number;
  next: number;
}

function linesOf(bytes: Buffer): Line[] {
  const lines: Line[] = [];
  for (let from = 0; from < bytes.length; ) {
    const lf = bytes.indexOf(10, from);
    const next = lf < 0 ? bytes.length : lf + 1;
    const end = lf < 0 ? next : lf > from && bytes[lf - 1] === 13 ? lf - 1 : lf;
    lines.push({ from, end, next });
    from = next;
  }
  return lines;
}

function parse(bytes: Uint8Array, pieces = 64 * 1024): ParseEvent[] {
  const parser = createLogParser({ timeZone: 'UTC' });
  const events: ParseEvent[] = [];
  for (let at = 0; at < bytes.length; at += pieces)
    events.push(...parser.push(bytes.subarray(at, Math.min(bytes.length, at + pieces))));
  events.push(...parser.end());
  return events;
}

const rowsOf = (events: ParseEvent[]) =>
  events.filter((e): e is RowEvent => e.type === 'row').map((r) => `${r.local}|${r.values.join(';')}`);
const sessionsOf = (events: ParseEvent[]) =>
  events.filter((e) => e.type === 'session').map((e) => (e.type === 'session' ? e.columns.length : 0));

/** The log with line `i` cut to `keep` bytes and glued (its line break lost) to the line after it. */
function cutAndGlue(bytes: Buffer, lines: Line[], i: number, keep: number): Buffer {
  const line = lines[i]!;
  return Buffer.concat([bytes.subarray(0, line.from + keep), bytes.subarray(line.next)]);
}

/** What the parser reads of the log without line `i` (and the `count - 1` after it): what a cut line must leave. */
function without(bytes: Buffer, lines: Line[], i: number, count = 1): Buffer {
  return Buffer.concat([bytes.subarray(0, lines[i]!.from), bytes.subarray(lines[i + count - 1]!.next)]);
}

const isDigit = (byte: number | undefined) => byte !== undefined && byte >= 0x30 && byte <= 0x39;

/** Data rows followed by another line (a row, or a header of GPU-Z's next session). */
function cuttableRows(bytes: Buffer, lines: Line[]): number[] {
  const out: number[] = [];
  for (let i = 1; i + 1 < lines.length; i++) {
    const line = lines[i]!;
    if (isDigit(bytes[line.from]) && line.end - line.from > 20) out.push(i);
  }
  return out;
}

describe('a row cut short with the next line glued to it (every GPU-Z, HWiNFO and nvidia-smi sample)', () => {
  it.each(SAMPLES)('$name: every row but the cut one is read, and every session', ({ name, bytes }) => {
    const lines = linesOf(bytes);
    const rows = cuttableRows(bytes, lines);
    // The row before each header (GPU-Z's next session glued to a cut row), and rows spread through the log.
    const beforeHeaders = rows.filter((i) => !isDigit(bytes[lines[i + 1]!.from]));
    const spread = [0, 1, 2, 3, 4, 5].map((j) => rows[Math.floor((j * rows.length) / 6)]!);
    const picks = [...new Set([...beforeHeaders.slice(0, 4), ...spread])];
    expect(picks.length).toBeGreaterThan(0);
    for (const i of picks) {
      const length = lines[i]!.end - lines[i]!.from;
      for (const keep of [1, 10, 19, 21, Math.floor(length / 2), length - 1]) {
        const glued = parse(cutAndGlue(bytes, lines, i, keep));
        // HWiNFO does not pad its day: a session's first row cut before its date ends gives no day to read a row
        // glued to it against (`1` + `3.2.2017,…` reads as the 13th or the 3rd), so that row is skipped with it.
        const noDay =
          name.endsWith('.CSV') &&
          !isDigit(bytes[lines[i - 1]!.from]) &&
          isDigit(bytes[lines[i + 1]!.from]) &&
          !bytes.subarray(lines[i]!.from, lines[i]!.from + keep).includes(0x2c);
        const expected = parse(without(bytes, lines, i, noDay ? 2 : 1));
        expect(rowsOf(glued), `line ${i + 1} cut to ${keep} bytes`).toEqual(rowsOf(expected));
        expect(sessionsOf(glued)).toEqual(sessionsOf(expected));
        // The cut row is said: one skip more than the log without it.
        const skips = (events: ParseEvent[]) => events.filter((e) => e.type === 'skip').length;
        expect(skips(glued)).toBe(skips(expected) + 1);
      }
    }
  });
});

describe('a torn line glued to the next session of another card (lived: ada log, GPU-Z restarted on the bm1 card)', () => {
  const ada = readFileSync(join(GPUZ, 'nvidia-ada-pwrsrc-gpuz-2024.txt'));
  const bm1 = readFileSync(join(GPUZ, 'nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt'));
  const adaLines = linesOf(ada);
  // The ada log's first 100 rows, its 101st cut after 37 bytes, then the bm1 log (its header and 1,182 rows).
  // ada has 22 sensor columns, bm1 24: against ada's header every bm1 row had the wrong cell count.
  const log = Buffer.concat([ada.subarray(0, adaLines[101]!.from + 37), bm1]);

  it('reads the second session whole: before, its 1,182 rows were skipped against the first header', () => {
    for (const pieces of [97, 64 * 1024]) {
      const events = parse(log, pieces);
      expect(sessionsOf(events)).toEqual([22, 24]);
      expect(rowsOf(events)).toEqual([
        ...rowsOf(parse(ada.subarray(0, adaLines[101]!.from))),
        ...rowsOf(parse(bm1)),
      ]);
      const skips = events.filter((e) => e.type === 'skip');
      expect(skips).toHaveLength(1);
      // 35, not 37: the cut row ends in the padding spaces the header starts with (the agent skips 35 bytes too).
      expect(skips[0]!.message).toMatch(/cut short \(35 characters\)/);
    }
  });
});

describe('HWiNFO and nvidia-smi killed in the middle of a row, then logging again with other sensors', () => {
  // Lived: `gpuz-cloud parse` of such a log skipped every row after the glued header (HWiNFO 1,749 lines, nvidia-smi
  // 81) against the first header, while the agent's batches (which cut the glued header apart) kept them all.
  it.each([
    ['hwinfo-ansi-nvidia-furmark-2017.CSV', 'hwinfo-intel-igpu-laptop-2022-yesno.CSV', HWINFO, 50],
    ['nvidia-smi-rtx2070-repeated-header-2023.csv', 'nvidia-smi-gtx1650-pstate-units-2024.csv', SMI, 30],
  ])('%s cut, then %s: both logs whole but the cut row', (first, second, dir, keep) => {
    const a = readFileSync(join(dir, first));
    const b = readFileSync(join(dir, second));
    const aLines = linesOf(a);
    const last = aLines.length - 1;
    const log = Buffer.concat([a.subarray(0, aLines[last]!.from + keep), b]);
    for (const pieces of [97, 64 * 1024]) {
      const events = parse(log, pieces);
      expect(rowsOf(events)).toEqual([
        ...rowsOf(parse(a.subarray(0, aLines[last]!.from))),
        ...rowsOf(parse(b)),
      ]);
      expect(sessionsOf(events)).toEqual([...sessionsOf(parse(a)), ...sessionsOf(parse(b))]);
      const skips = events.filter((e) => e.type === 'skip');
      expect(skips.map((e) => e.message)).toEqual([
        `a row cut short (${keep} characters) with the next line glued after it; that line is read`,
      ]);
    }
  });

  it('reads a session’s first row glued to the next against the cut row’s own day, not the last session’s', () => {
    // HWiNFO logged on the 3rd, then again on the 17th: its first row cut after its date, the next row glued to it.
    const header = 'Date,Time,"Load [%]","Clock [MHz]",\n';
    const log = `${header}3.2.2017,10:0:0.100,6,1,\n${header.replace('Load', 'GPU Load')}17.2.2017,9:0:0.100,6,17.2.2017,9:0:2.100,5,2,\n`;
    const rows = rowsOf(parse(Buffer.from(log, 'latin1')));
    expect(rows).toEqual(['2017-02-03 10:00:00|6;1', '2017-02-17 09:00:02|5;2']);
  });

  it('reads a glued HWiNFO row only as a row of the last day or the next: its unpadded day cannot be misread', () => {
    // HWiNFO writes 7.2.2017 for the 7th: `…,6049,1` glued to `7.2.2017,…` holds both `17.2.2017` and `7.2.2017`.
    const header = 'Date,Time,"Load [%]","Clock [MHz]",\n';
    const log = `${header}7.2.2017,23:59:58.100,6,1,\n7.2.2017,23:59:59.100,6,17.2.2017,23:59:59.900,5,2,\n8.2.2017,0:0:0.900,4,3,\n`;
    const rows = rowsOf(parse(Buffer.from(log, 'latin1')));
    expect(rows).toEqual(['2017-02-07 23:59:58|6;1', '2017-02-07 23:59:59|5;2', '2017-02-08 00:00:00|4;3']);
  });
});

describe('bytes that are no log line, glued to a row', () => {
  it('keeps the row after any run of garbage that holds no whole line', () => {
    const ada = readFileSync(join(GPUZ, 'nvidia-ada-pwrsrc-gpuz-2024.txt'));
    const lines = linesOf(ada);
    const clean = rowsOf(parse(ada));
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: lines.length - 2 }),
        fc.string({
          minLength: 1,
          maxLength: 300,
          unit: fc.constantFrom('x', ' ', ',', '1', '.', '-', ':', 'D'),
        }),
        (i, garbage) => {
          const at = lines[i]!.from;
          const log = Buffer.concat([ada.subarray(0, at), Buffer.from(garbage, 'latin1'), ada.subarray(at)]);
          const rows = rowsOf(parse(log));
          // The garbage may itself end like a cell of the row (`1` before `2024-…`): never a row read wrong.
          for (const row of rows) expect(clean).toContain(row);
          expect(rows.length).toBeGreaterThanOrEqual(clean.length - 1);
          if (/^x+$/.test(garbage)) expect(rows).toEqual(clean);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('bytes that are no log line, glued to an HWiNFO or nvidia-smi row', () => {
  // HWiNFO's garbage holds no digit: a digit before `7.2.2017` makes another date that the row reader takes as it is,
  // glued or not (its day is not padded), which this search cannot tell either.
  it.each([
    ['hwinfo-ansi-nvidia-furmark-2017.CSV', HWINFO, ['x', ' ', ',', '.', '-', ':', 'D', '"', 'T']],
    ['nvidia-smi-rtx2070-repeated-header-2023.csv', SMI, ['x', ' ', ',', '1', '.', '-', ':', '/', 't']],
  ])('%s: never a row read wrong, at most the row after the garbage lost', (name, dir, units) => {
    const bytes = readFileSync(join(dir, name));
    const lines = linesOf(bytes);
    const clean = rowsOf(parse(bytes));
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: lines.length - 2 }),
        fc.string({ minLength: 1, maxLength: 200, unit: fc.constantFrom(...units) }),
        (i, garbage) => {
          const at = lines[i]!.from;
          const log = Buffer.concat([
            bytes.subarray(0, at),
            Buffer.from(garbage, 'latin1'),
            bytes.subarray(at),
          ]);
          const rows = rowsOf(parse(log));
          for (const row of rows) expect(clean).toContain(row);
          expect(rows.length).toBeGreaterThanOrEqual(clean.length - 1);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('bytes that only look like a glued header', () => {
  it('takes no word ending in Date for a header: no session is made up', () => {
    const ada = readFileSync(join(GPUZ, 'nvidia-ada-pwrsrc-gpuz-2024.txt'));
    const lines = linesOf(ada);
    const broken = Buffer.from('2024-04-20 13:02:10 , 2520.0 , LastUpdateDate , 13 ,\r\n', 'latin1');
    const log = Buffer.concat([ada.subarray(0, lines[3]!.from), broken, ada.subarray(lines[3]!.from)]);
    const events = parse(log);
    expect(sessionsOf(events)).toEqual([22]);
    expect(rowsOf(events)).toEqual(rowsOf(parse(ada)));
  });
});

describe('rows that lost their line breaks', () => {
  it('reads a line of 8,000 glued rows (4 MB, near the longest line read) in one pass: the last whole one, the rest skipped as one line', () => {
    // Each place a timestamp starts is tried as the start of the glued row; the commas after it are counted only
    // up to one too many, so the work is each candidate's row, not the whole line (quadratic before: over 30 s here).
    const ada = readFileSync(join(GPUZ, 'nvidia-ada-pwrsrc-gpuz-2024.txt'));
    const lines = linesOf(ada);
    const rows = Array.from({ length: 8000 }, (_, i) => {
      const line = lines[1 + (i % 300)]!;
      return ada.subarray(line.from, line.end);
    });
    const log = Buffer.concat([ada.subarray(0, lines[1]!.from), ...rows, Buffer.from('\r\n')]);
    const events = parse(log);
    expect(rowsOf(events)).toEqual(
      rowsOf(parse(Buffer.concat([ada.subarray(0, lines[1]!.from), rows[7999]!]))),
    );
    expect(events.filter((e) => e.type === 'skip')).toHaveLength(1);
  });
});
