import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLES_DIR } from '../../test-support/services';
import { damagedPrefixLength, forEachLine, mayHoldDamage } from './log-lines';

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
