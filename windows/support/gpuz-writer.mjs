// A Windows-side stand-in for GPU-Z, run by node.exe under Wine: it replays a real sample into the log the way
// GPU-Z logs, holding the file open in append mode and writing uneven pieces (lines are often split across
// writes). At row `restartAt` it stops as GPU-Z does when logging is restarted: closes the file, deletes it and
// creates it anew with the header, then writes the remaining rows.
//   node.exe gpuz-writer.mjs <sample> <log> <rowsPerSecond> <controlDir> [restartAt]
// It talks to the harness through files in <controlDir>: it writes `session1.done` and waits for `restart.go`
// before the restart, writes `done` when every row is written, and keeps the file open until `exit.go` appears.
import { closeSync, existsSync, openSync, readFileSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const [sample, log, rate, control, restartText] = process.argv.slice(2);
const text = readFileSync(sample, 'latin1');
const lines = text.match(/[^\n]*\n/g) ?? [];
const isHeader = (line) => /^\s*(Date|timestamp)\s*,/.test(line);
const header = lines.find(isHeader);
const rows = lines.filter((line) => !isHeader(line) && line.trim() !== '');
const restartAt = restartText === undefined ? rows.length : Number(restartText);
const rowsPerSecond = Number(rate);
// 10 writes a second, 10× GPU-Z's default of one row a second, still splitting lines across writes.
const TICK_MS = 100;
let seed = 7;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const signal = (name) => writeFileSync(join(control, name), `${new Date().toISOString()}\n`);
async function waitFor(name) {
  while (!existsSync(join(control, name))) await sleep(50);
}

/** Writes `bytes` to `fd` in pieces of about one tick's worth (0.3–1.7×), one piece per tick. */
async function trickle(fd, bytes) {
  const perTick = Math.max(1, (rowsPerSecond * (bytes.length / Math.max(1, rowsOf(bytes))) * TICK_MS) / 1000);
  for (let offset = 0; offset < bytes.length; ) {
    const size = Math.max(1, Math.round(perTick * (0.3 + random() * 1.4)));
    offset += writeSync(fd, bytes, offset, Math.min(size, bytes.length - offset));
    await sleep(TICK_MS);
  }
}

function rowsOf(bytes) {
  let n = 0;
  for (const byte of bytes) if (byte === 0x0a) n++;
  return n;
}

let fd = openSync(log, 'a');
writeSync(fd, Buffer.from(header, 'latin1'));
await trickle(fd, Buffer.from(rows.slice(0, restartAt).join(''), 'latin1'));
if (restartAt < rows.length) {
  signal('session1.done');
  await waitFor('restart.go');
  closeSync(fd);
  unlinkSync(log);
  await sleep(500);
  fd = openSync(log, 'a');
  writeSync(fd, Buffer.from(header, 'latin1'));
  await trickle(fd, Buffer.from(rows.slice(restartAt).join(''), 'latin1'));
}
signal('done');
process.stdout.write(`wrote ${rows.length} rows to ${log}\n`);
process.once('SIGINT', () => process.exit(0));
await waitFor('exit.go');
closeSync(fd);
