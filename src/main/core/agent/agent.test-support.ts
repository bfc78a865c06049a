/**
 * Helpers for the agent's tests: read back every raw object of a store as lines.
 *   await rawLines(store) → { data: ['2024-04-20 13:02:09 , 210.0 ,\r\n', …], headers: […], objects: 3 }
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { SAMPLES_DIR } from '../../../test-support/services';
import type { UploadIo } from '../../cli/commands/upload';
import { isBlankLine, isHeaderLine } from '../log-lines';
import { createLocalStore } from '../store/local';
import type { Store } from '../store/types';
import type { AgentConfig } from './config';

export interface RawLines {
  data: string[];
  headers: string[];
  objects: number;
}

export async function rawLines(store: Store): Promise<RawLines> {
  const out: RawLines = { data: [], headers: [], objects: 0 };
  for (const listed of await store.list('raw/')) {
    const object = await store.get(listed.key);
    if (!object) continue;
    out.objects += 1;
    const body = listed.key.endsWith('.gz') ? gunzipSync(object.body) : Buffer.from(object.body);
    for (const line of splitLines(body)) {
      if (isHeaderLine(line)) out.headers.push(line.toString('latin1'));
      else if (!isBlankLine(line)) out.data.push(line.toString('latin1'));
    }
  }
  return out;
}

/** Data lines (not headers, not blank) of a log, complete lines only. */
export function dataLinesOf(bytes: Buffer): string[] {
  return splitLines(bytes)
    .filter((l) => l[l.length - 1] === 0x0a && !isHeaderLine(l) && !isBlankLine(l))
    .map((l) => l.toString('latin1'));
}

function splitLines(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (;;) {
    const lf = bytes.indexOf(0x0a, start);
    if (lf < 0) break;
    lines.push(bytes.subarray(start, lf + 1));
    start = lf + 1;
  }
  if (start < bytes.length) lines.push(bytes.subarray(start));
  return lines;
}

export function sorted(lines: string[]): string[] {
  return [...lines].sort();
}

/** The upload command's io for a test: everything it prints in one text; stop() is the user's Ctrl+C. */
export function collectIo(): UploadIo & { text: () => string; stop: () => void } {
  let text = '';
  let stop: (signal: string) => void = () => undefined;
  const stopped = new Promise<string>((resolve) => {
    stop = resolve;
  });
  return {
    out: (t) => {
      text += t;
    },
    err: (t) => {
      text += t;
    },
    isTTY: false,
    stopSignal: () => stopped,
    text: () => text,
    stop: () => stop('SIGTERM'),
  };
}

/** An agent of `dir`: the log `GPU-Z Sensor Log.txt`, state in state/, a local store in store/, hourly, one-shot. */
export function oneShotConfig(dir: string): AgentConfig {
  return {
    logPath: join(dir, 'GPU-Z Sensor Log.txt'),
    host: 'pc',
    timeZone: 'UTC',
    stateDir: join(dir, 'state'),
    intervalMs: 3_600_000,
    compress: true,
    store: createLocalStore({ root: join(dir, 'store') }),
    watch: false,
  };
}

/** A real sample (path under ../shared/samples) and its lines as bytes: `lines(0, 600)` = header + 599 rows; `lines(600)` the rest. */
export function sample(path: string): { bytes: Buffer; lines: (from: number, to?: number) => Buffer } {
  const bytes = readFileSync(join(SAMPLES_DIR, path));
  const all = bytes.toString('latin1').split(/(?<=\n)/);
  return { bytes, lines: (from, to) => Buffer.from(all.slice(from, to).join(''), 'latin1') };
}

const ADA_PATH = 'gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt';
let ada: ReturnType<typeof sample> | null = null;

/** A log GPU-Z began at row `from` of the real Ada sample: its header, then rows from..to-1. */
export function adaLog(from: number, to: number): Buffer {
  ada ??= sample(ADA_PATH);
  return Buffer.concat([ada.lines(0, 1), ada.lines(from, to)]);
}

/** Rows from..to-1 of the Ada sample alone (GPU-Z appending them). */
export function adaRows(from: number, to: number): Buffer {
  ada ??= sample(ADA_PATH);
  return ada.lines(from, to);
}

const BM1_PATH = 'gpuz/nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt';
let bm1: { header: Buffer; rows: string[] } | null = null;

function bm1Sample(): { header: Buffer; rows: string[] } {
  if (!bm1) {
    const { lines } = sample(BM1_PATH);
    bm1 = {
      header: lines(0, 1),
      rows: lines(1, 1183)
        .toString('latin1')
        .match(/[^\n]*\n/g)!,
    };
  }
  return bm1;
}

/** The real bm1 sample's header line (its 1,182 rows: bm1Rows). */
export function bm1Header(): Buffer {
  return bm1Sample().header;
}

/** Rows from..to-1 of the bm1 sample, row `i` with its time stamp replaced by `stamp(i)` (`YYYY-MM-DD HH:MM:SS`). */
export function bm1Rows(stamp: (i: number) => string, from: number, to: number): Buffer {
  const rows = bm1Sample().rows.slice(from, to);
  return Buffer.from(rows.map((line, k) => stamp(from + k) + line.slice(19)).join(''), 'latin1');
}

/** A row's written time stamp from its wall-clock ms ("local as UTC"), as the batch builder writes one. */
export { wallText } from '../batch';
