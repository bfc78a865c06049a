/**
 * Replays a real log into a file the way GPU-Z appends it, quickly, in uneven pieces (lines are often
 * split across writes, so the agent sees partial last lines); `times` > 1 appends it again as new logging
 * sessions (each copy starts with its header, as GPU-Z writes one per session):
 *   node crash-writer.mjs <sample> <log> <linesPerSecond> [times]
 * Prints "done" when everything is written.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';

const [sample, log, rate, times] = process.argv.slice(2) as [string, string, string, string | undefined];
const one = readFileSync(sample);
const bytes = Buffer.concat(Array.from({ length: Number(times ?? 1) }, () => one));
writeFileSync(log, '');
let offset = 0;
let seed = 7;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const avgLine = one.length / one.toString('latin1').split('\n').length;
const tickMs = 10;
const perTick = (Number(rate) * avgLine * tickMs) / 1000;
const timer = setInterval(() => {
  const size = Math.max(1, Math.round(perTick * (0.3 + random() * 1.4)));
  const piece = bytes.subarray(offset, Math.min(bytes.length, offset + size));
  appendFileSync(log, piece);
  offset += piece.length;
  if (offset >= bytes.length) {
    clearInterval(timer);
    process.stdout.write('done\n');
  }
}, tickMs);
