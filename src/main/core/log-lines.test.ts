import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogParser } from '../../shared/parse';
import { SAMPLES_DIR } from '../../test-support/services';
import { damagedPrefixLength, forEachLine, mayHoldDamage, rowWallMinutes } from './log-lines';

/** Every real sample: GPU-Z (a NUL gap, UTF-16, several sessions), HWiNFO and nvidia-smi. */
const samples = ['gpuz', 'hwinfo', 'nvidia-smi'].flatMap((dir) =>
  readdirSync(join(SAMPLES_DIR, dir)).map((name) => join(dir, name)),
);

/** Damaged lines as a power loss or a truncation leaves them (log-lines.ts), and the intact lines around them. */
const DAMAGED = [
  '2026-08-06 19:10:0\0\0\0        Date        , GPU Clock [MHz] ,\r\n',
  '2026-08-06 19:10:0\0\0\0\r\n',
  '2026-08-06 19:10:0        Date        , GPU Clock [MHz] ,\r\n',
  '2024/04/11 14:43:1timestamp, power.draw [W]\n',
];

describe('mayHoldDamage: a chunk it calls clean has no damaged line (the batch builder skips their checks)', () => {
  it.each(DAMAGED)('finds the damage in %j, alone and inside a chunk of intact rows', (line) => {
    const intact = '2024-04-20 13:02:09 , 210.0 , 47.0 ,\r\n';
    expect(damagedPrefixLength(Buffer.from(line, 'latin1'))).toBeGreaterThan(0);
    expect(mayHoldDamage(Buffer.from(line, 'latin1'))).toBe(true);
    expect(mayHoldDamage(Buffer.from(intact.repeat(50) + line + intact.repeat(50), 'latin1'))).toBe(true);
    expect(mayHoldDamage(Buffer.from(intact.repeat(100), 'latin1'))).toBe(false);
  });

  it.each(samples)('never calls a chunk of %s clean that holds a damaged line', (sample) => {
    const bytes = readFileSync(join(SAMPLES_DIR, sample));
    // Chunks of 4 KiB cut at line ends, as the tailer hands them over.
    for (let from = 0; from < bytes.length; ) {
      const lf = bytes.indexOf(10, Math.min(bytes.length - 1, from + 4095));
      const chunk = bytes.subarray(from, lf < 0 ? bytes.length : lf + 1);
      from += chunk.length;
      let damagedHere = 0;
      forEachLine(chunk, (start, end) => {
        if (damagedPrefixLength(chunk.subarray(start, end)) > 0) damagedHere += 1;
      });
      if (damagedHere > 0) expect(mayHoldDamage(chunk)).toBe(true);
    }
  });
});

describe('rowWallMinutes: the minute a row was written at, from its bytes (the batch builder cuts at a gap)', () => {
  it.each(samples)('gives every row of %s the minute the parser reads (UTC), and no header one', (sample) => {
    // Arrange: the parser's rows by line number, read in UTC (so t is the wall time as written)
    const bytes = readFileSync(join(SAMPLES_DIR, sample));
    const parser = createLogParser({ timeZone: 'UTC' });
    const minuteOfLine = new Map<number, number>();
    for (const event of [...parser.push(bytes), ...parser.end()])
      if (event.type === 'row') minuteOfLine.set(event.line, Math.floor(event.t / 60_000));
    // Act
    const read: { line: number; minute: number | null; header: boolean }[] = [];
    let line = 0;
    forEachLine(bytes, (from, to) => {
      line += 1;
      const text = bytes.subarray(from, to);
      read.push({
        line,
        minute: rowWallMinutes(text),
        header: /^[\0\s\uFEFF]*(date|timestamp)\b/i.test(text.toString('latin1')),
      });
    });
    // Assess
    expect(minuteOfLine.size).toBeGreaterThan(0);
    // A row GPU-Z glued onto its header after a NUL run is read with the header line (the builder gives it none)
    const rows = read.filter((r) => minuteOfLine.has(r.line) && !r.header);
    if (parser.encoding === 'utf-16be' || parser.encoding === 'utf-16le') {
      // UTF-16 text is not read byte by byte: no minute, so such a log is cut by size and session only
      expect(rows.every((r) => r.minute === null)).toBe(true);
      return;
    }
    expect(rows.length).toBeGreaterThanOrEqual(minuteOfLine.size - 1);
    for (const row of rows) expect(row.minute, `line ${row.line}`).toBe(minuteOfLine.get(row.line));
    for (const other of read.filter((r) => r.header)) expect(other.minute).toBeNull();
  });

  it('reads the three formats as written, and nothing from a line without a date and time', () => {
    const minute = (text: string) => rowWallMinutes(Buffer.from(text, 'latin1'));
    const utc = (...fields: [number, number, number, number, number]) =>
      Date.UTC(fields[0], fields[1] - 1, fields[2], fields[3], fields[4]) / 60_000;
    expect(minute('2024-04-20 13:02:09 , 210.0 ,\r\n')).toBe(utc(2024, 4, 20, 13, 2));
    expect(minute('\0\0 2024-04-20 13:02:09 ,')).toBe(utc(2024, 4, 20, 13, 2));
    expect(minute('2024/10/13 03:33:31.779, NVIDIA GeForce GTX 1650,')).toBe(utc(2024, 10, 13, 3, 33));
    expect(minute('13.2.2017,15:22:3.757,12,')).toBe(utc(2017, 2, 13, 15, 22));
    for (const text of [
      '        Date        , GPU Clock [MHz] ,',
      '',
      '\r\n',
      '12345,',
      '2024-13-01 10:00:00 ,',
      '24-04-20 13:02',
    ])
      expect(minute(text), text).toBeNull();
  });
});
