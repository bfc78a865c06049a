import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLES_DIR } from '../../test-support/services';
import { createLogParser } from './parser';
import type { ParseEvent } from './types';

function parseInChunks(bytes: Uint8Array, cuts: number[]): ParseEvent[] {
  const parser = createLogParser({ timeZone: 'Europe/Berlin' });
  const events: ParseEvent[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    events.push(...parser.push(bytes.subarray(from, cut)));
    from = cut;
  }
  events.push(...parser.end());
  return events;
}

/** Deterministic cut positions (mulberry32), so a failure names a reproducible split. */
function randomCuts(length: number, count: number, seed: number): number[] {
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: count }, () => Math.floor(next() * length)).sort((a, b) => a - b);
}

const samples = ['gpuz', 'hwinfo', 'nvidia-smi'].flatMap((dir) =>
  readdirSync(join(SAMPLES_DIR, dir)).map((file) => `${dir}/${file}`),
);

describe('chunk boundaries never change the output', () => {
  it.each(samples)('%s split at 3 × 40 random positions', (file) => {
    const bytes = readFileSync(join(SAMPLES_DIR, file));
    const whole = parseInChunks(bytes, []);
    for (const seed of [1, 2, 3])
      expect(parseInChunks(bytes, randomCuts(bytes.length, 40, seed))).toEqual(whole);
  });

  it.each(samples)('%s fed byte by byte for its first 3 KiB', (file) => {
    const bytes = readFileSync(join(SAMPLES_DIR, file)).subarray(0, 3072);
    const whole = parseInChunks(bytes, []);
    expect(
      parseInChunks(
        bytes,
        Array.from({ length: bytes.length }, (_, i) => i),
      ),
    ).toEqual(whole);
  });

  const small = [
    'gpuz/intel-igpu-gpuz-2017-old-names-tiny-lf.txt',
    'nvidia-smi/nvidia-smi-power-draw-only-2024.csv',
  ];
  it.each(small)('%s split in two at every position', (file) => {
    const bytes = readFileSync(join(SAMPLES_DIR, file));
    const whole = parseInChunks(bytes, []);
    for (let cut = 0; cut <= bytes.length; cut++) expect(parseInChunks(bytes, [cut])).toEqual(whole);
  });

  it('splits inside the NUL run and the glued row at every position', () => {
    const bytes = readFileSync(join(SAMPLES_DIR, 'gpuz/igpu-gpuz-2024-nul-gap-after-header.txt'));
    const nulStart = bytes.indexOf(0);
    const rowEnd = bytes.indexOf(10, nulStart);
    const head = bytes.subarray(0, rowEnd + 400);
    const whole = parseInChunks(head, []);
    expect(whole.filter((e) => e.type === 'row')).toHaveLength(2);
    for (
      let cut = nulStart - 300;
      cut <= rowEnd + 300;
      cut += cut < nulStart + 50 || cut > rowEnd - 300 ? 1 : 97
    ) {
      expect(parseInChunks(head, [cut])).toEqual(whole);
    }
  });
});
