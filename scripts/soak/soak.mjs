// The second day, compressed: the built CLI's `upload --watch` against moto (S3) through kill -9, SIGTERM and
// restarts, network outages, GPU-Z restarts that append a header (some after a power cut's NUL hole of 1–4 MiB) and
// ones that overwrite the log, and lines cut mid-write — then every row GPU-Z wrote is looked for in the raw objects.
//
//   npm run soak -- [seconds=300] [--seed N] [--cli bin/gpuz-cloud.mjs] [--local] [--older-cli path [--back-and-forth]]
//                   [--damage-state] [--edits]
//   → the events, then { rows written, stored once, missing, duplicated, stops that hung } and the missing ranges;
//     exit 1 on a duplicate, a stop that hung, or a row lost
//   --local: a folder for the store, no outages; the agent processes each batch itself, and every row is looked for
//     in the processed documents too (processedOnce, processedDuplicated, processedLost)
//   --older-cli: an older build (`git worktree add`, `npm run build`) runs first on the same state folder and this
//     one from a random restart on (an update); --back-and-forth picks either at each start (downgrades too)
//   --edits: now and then a person opens the log in an editor, cuts its older half away and saves it (with LF line
//     ends one time in two): the rows it keeps must not be stored again (rows it cut before the agent read them are
//     counted apart: `cutByEditorUnread`)
//   --damage-state: one kill -9 in three also zero-fills checkpoint.json (what a power cut can leave of a file being
//     written); the next start must refuse (exit 2), then `gpuz-cloud repair --yes` mends it — tried again with the
//     network up when it cannot reach the store — and the agent starts again (not with --older-cli); with --edits too,
//     one time in two the log is edited before the repair (nothing but the store then knows the log read before)
//
// A log GPU-Z began and overwrote while the network was down is counted apart too (`rowsOfLogsBegunOffline`, and
// `lostOfLogsBegunOffline`, part of `lost`): until 2026-12-05 its rows were lost by design — the store could not be asked what it holds of it, so it
// was not read before the overwrite; it is copied now (log-copies.ts) and sent from the copy.
// Needs the services (`npm run services -- start`, started here if not running) and a built CLI (`npm run build:cli`).
import { spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';

const root = resolve(import.meta.dirname, '..', '..');
const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const at = argv.indexOf(name);
  return at >= 0 ? argv.splice(at, 2)[1] : fallback;
};
const seed = Number(option('--seed', String(Date.now() % 1_000_000)));
const cli = resolve(option('--cli', join(root, 'bin', 'gpuz-cloud.mjs')));
// An older build on the same state folder: the run starts on it and moves to --cli at a random restart (an update,
// among the kills and outages); with --back-and-forth each start picks either, so downgrades meet this build's state.
const olderCli = option('--older-cli', undefined);
const backAndForth = argv.includes('--back-and-forth') && argv.splice(argv.indexOf('--back-and-forth'), 1);
// A local store: the agent processes each batch itself (as the Lambda would), so the processed documents are checked
// too: every row once. There is no network to cut.
const local = argv.includes('--local') && argv.splice(argv.indexOf('--local'), 1);
const damageState = argv.includes('--damage-state') && argv.splice(argv.indexOf('--damage-state'), 1);
const edits = argv.includes('--edits') && argv.splice(argv.indexOf('--edits'), 1);
const seconds = Number(argv[0] ?? 300);

// Seeded: a run that found something can be run again (the timing of the processes still varies).
let state = seed >>> 0;
const random = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const below = (n) => Math.floor(random() * n);

// The services and the store
const dir = mkdtempSync(join(tmpdir(), 'gpuz-soak-'));
const storeDir = join(dir, 'store');
spawnSync(process.execPath, [join(root, 'scripts', 'services.mjs'), 'start'], { stdio: 'ignore' });
const envText = spawnSync(process.execPath, [join(root, 'scripts', 'services.mjs'), 'env'], {
  encoding: 'utf8',
}).stdout;
for (const [, key = '', value] of envText.matchAll(/^export (\w+)=(.*)$/gm)) process.env[key] ??= value;
const endpoint = process.env.MOTO_ENDPOINT ?? '';
if (!endpoint && !local) throw new Error('no MOTO_ENDPOINT: start the services (npm run services -- start)');
const s3 = local ? null : new S3Client({ endpoint, forcePathStyle: true, region: 'us-east-1' });
const bucket = `soak-${seed}-${Date.now().toString(36)}`;
await s3?.send(new CreateBucketCommand({ Bucket: bucket }));

const logPath = join(dir, 'GPU-Z Sensor Log.txt');
const agentLog = join(dir, 'agent.log');
const flag = join(dir, 'network-down');
const proxyPort = await new Promise((done) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = /** @type {import('node:net').AddressInfo} */ (probe.address());
    probe.close(() => done(port));
  });
});
const proxy = local
  ? null
  : spawn(
      process.execPath,
      [join(root, 'scripts', 'soak', 'outage-proxy.mjs'), String(proxyPort), new URL(endpoint).port, flag],
      { stdio: ['ignore', openSync(join(dir, 'network.log'), 'a'), 'inherit'] },
    );
await sleep(300);

// GPU-Z: the real bm1 sample's rows, one second apart, from 1 Dec 2026; every complete row in `written`
const sample = readFileSync(
  join(root, '..', 'shared', 'samples', 'gpuz', 'nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt'),
  'latin1',
)
  .split(/\r?\n/)
  .filter(Boolean);
const header = `${sample[0]}\r\n`;
const readings = sample.slice(1).map((line) => line.slice(line.indexOf(',')));
/** Each row GPU-Z completed: its time stamp and the log (0, 1, …: a new one at each overwrite) it went into. */
const written = [];
let logNumber = 0;
let second = Date.UTC(2026, 11, 1) / 1000;
let cut = { rest: '', stamp: '' };
const stampOf = (s) => new Date(s * 1000).toISOString().slice(0, 19).replace('T', ' ');
function gpuzWrites(rows) {
  let text = cut.rest;
  if (cut.stamp) written.push({ stamp: cut.stamp, log: logNumber });
  cut = { rest: '', stamp: '' };
  let line = '';
  for (let i = 0; i < rows; i++) {
    const stamp = stampOf(second++);
    line = `${stamp} ${readings[second % readings.length]}\r\n`;
    text += line;
    written.push({ stamp, log: logNumber });
  }
  if (rows > 0 && random() < 0.3) {
    // GPU-Z mid-write: the last line's end comes with the next write
    const at = text.length - line.length + 1 + below(line.length - 2);
    cut = { rest: text.slice(at), stamp: written.pop().stamp };
    text = text.slice(0, at);
  }
  appendFileSync(logPath, text, 'latin1');
}
writeFileSync(logPath, header, 'latin1');

/** The time stamps of rows an editor cut from the log (--edits). */
const cutByEditor = new Set();
/** A person cuts the log's older half in an editor and saves it over the log (CRLF rewritten as LF one time in two). */
function editLog() {
  const lines = readFileSync(logPath, 'latin1').split(/(?<=\n)/);
  const keepFrom = 1 + Math.floor((lines.length - 1) / 2);
  for (const line of lines.slice(1, keepFrom)) {
    const stamp = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) ,/.exec(line)?.[1];
    if (stamp) cutByEditor.add(stamp);
  }
  const text = lines[0] + lines.slice(keepFrom).join('');
  writeFileSync(logPath, below(2) === 0 ? text.replace(/\r\n/g, '\n') : text, 'latin1');
}

// The agent
const args = ['upload', '--file', logPath];
args.push(
  ...(local ? ['--local', storeDir] : ['--bucket', bucket, '--endpoint', `http://127.0.0.1:${proxyPort}`]),
);
args.push('--state-dir', join(dir, 'state'), '--host', 'rig', '--tz', 'UTC', '--watch', '--interval', '5s');
let startedAt = Date.now();
const say = (what) => appendFileSync(agentLog, `=== ${new Date().toISOString().slice(11, 23)} ${what}\n`);
let starts = 0;
/**
 * When the older build gives way to this one (at the first start after it): 20–70 % into the run. Drawn only with
 * --older-cli, so a seed without it replays the events it did before the option existed.
 */
const updateAt = olderCli ? Date.now() + seconds * 1000 * (0.2 + 0.5 * random()) : 0;
/** Whether the running agent is the older build's (its own hangs are counted apart: not this build's to fix). */
let older = false;
let olderStarts = 0;
/**
 * The log GPU-Z was writing when this build first started: rows of the logs before it were overwritten while only the
 * older build ran, so their loss is the older build's (one before 2026-12-05 lost a log begun and overwritten
 * offline by design, and could lose rows with a stop that hung).
 */
let firstLogOfThisBuild = null;
const spawnAgent = () => {
  older = Boolean(olderCli) && (starts === 0 || (backAndForth ? random() < 0.5 : Date.now() < updateAt));
  starts += 1;
  if (older) olderStarts += 1;
  else firstLogOfThisBuild ??= logNumber;
  say(`${older ? 'start (older build)' : 'start'}, GPU-Z writing log ${logNumber}`);
  const out = openSync(agentLog, 'a');
  return spawn(process.execPath, [older ? resolve(olderCli) : cli, ...args], { stdio: ['ignore', out, out] });
};
let agent = spawnAgent();
function startAgent() {
  agent = spawnAgent();
  startedAt = Date.now();
}
const alive = () => agent.exitCode === null && agent.signalCode === null;
let hung = 0;
let olderHung = 0;
/** A power cut's checkpoint.json: its length in zero bytes. False when there is none yet. */
async function zeroFillCheckpoint() {
  if (alive()) {
    const exited = new Promise((done) => agent.once('exit', done));
    agent.kill('SIGKILL');
    await exited;
  }
  const path = join(dir, 'state', 'checkpoint.json');
  let size;
  try {
    size = statSync(path).size;
  } catch {
    return false;
  }
  writeFileSync(path, Buffer.alloc(size));
  event('power cut zero-filled checkpoint.json');
  return true;
}
/** The start on it must refuse (exit 2, within 20 s); `repair --yes` mends it, with the network up if need be. */
async function refusedThenRepaired() {
  startAgent();
  const code = await Promise.race([
    new Promise((done) => agent.once('exit', (exitCode) => done(exitCode))),
    sleep(20_000).then(() => 'running'),
  ]);
  if (code !== 2) {
    refusalsMissed += 1;
    say(`START ON A ZERO-FILLED CHECKPOINT DID NOT REFUSE: ${code}`);
    if (alive()) await stopAgent();
    return;
  }
  // With --edits too, one time in two the person who pulled the plug trims the log before repairing: the log read
  // before is then known only to the store (drawn only with both options: other seeds replay as before).
  if (edits && below(2) === 0) {
    event('edit while the checkpoint is damaged');
    editLog();
  }
  const repairArgs = ['repair', ...args.slice(1, args.indexOf('--watch')), '--yes'];
  for (let attempt = 0; ; attempt++) {
    const out = openSync(agentLog, 'a');
    say('repair');
    const repaired = spawnSync(process.execPath, [cli, ...repairArgs], { stdio: ['ignore', out, out] });
    if (repaired.status === 0) return event('repaired');
    if (!down || attempt > 0) {
      repairsFailed += 1;
      return say(`REPAIR FAILED: exit ${repaired.status}`);
    }
    event('repair refused (network down): network up');
    down = false;
    rmSync(flag, { force: true });
  }
}
let refusalsMissed = 0;
let repairsFailed = 0;

/** SIGTERM, and the exit within 40 s (the stop flushes for 10 s at most); else counted as hung and killed. */
async function stopAgent() {
  if (!alive()) return;
  const exited = new Promise((done) => agent.once('exit', done));
  agent.kill('SIGTERM');
  if (await Promise.race([exited.then(() => true), sleep(40_000).then(() => false)])) return;
  if (older) olderHung += 1;
  else hung += 1;
  say(older ? 'STOP HUNG (older build)' : 'STOP HUNG');
  agent.kill('SIGKILL');
  await exited;
}

const events = {};
let down = false;
/** Logs GPU-Z began, and logs it overwrote, while the network was down. */
const begunOffline = new Set();
const overwrittenOffline = new Set();
const event = (name) => {
  events[name] = (events[name] ?? 0) + 1;
  say(name);
};
const until = Date.now() + seconds * 1000;
while (Date.now() < until) {
  // Drawn only with --edits, so a seed without it replays the events it did before the option existed.
  if (edits && below(100) < 5 && alive() && !down && Date.now() - startedAt > 4000) {
    event("an editor cuts the log's older half");
    gpuzWrites(0);
    await sleep(2000);
    if (!alive()) continue;
    editLog();
    await sleep(500);
    continue;
  }
  let roll = below(100);
  if (local && roll >= 68 && roll < 78) roll = below(50); // no network to cut: rows instead
  if (roll < 50) {
    event('rows');
    gpuzWrites(1 + below(60));
    await sleep(200 + below(800));
  } else if (roll < 62) {
    event('kill -9');
    if (alive()) agent.kill('SIGKILL');
    await sleep(below(1500));
    gpuzWrites(below(30));
    // Drawn only with --damage-state, so a seed without it replays the events it did before the option existed.
    if (damageState && !olderCli && below(3) === 0 && (await zeroFillCheckpoint()))
      await refusedThenRepaired();
    startAgent();
    await sleep(500 + below(2500));
  } else if (roll < 68) {
    event('SIGTERM');
    await stopAgent();
    gpuzWrites(below(20));
    startAgent();
    await sleep(1000);
  } else if (roll < 78) {
    down = !down;
    event(down ? 'network down' : 'network up');
    if (down) writeFileSync(flag, '');
    else rmSync(flag, { force: true });
    await sleep(1000 + below(6000));
  } else if (roll < 83) {
    // A power cut: the log's unwritten end left as zeros, longer than one read of the agent (1 MiB), then GPU-Z's
    // next session. Before 45d6dfd the hole shifted every later batch's range and the next start sent them again.
    event('GPU-Z restart after a power cut (NUL hole)');
    gpuzWrites(0);
    appendFileSync(logPath, Buffer.alloc((1 << 20) + below(3 << 20)));
    appendFileSync(logPath, header, 'latin1');
    gpuzWrites(5 + below(40));
    await sleep(500);
  } else if (roll < 88) {
    event('GPU-Z restart (appends)');
    gpuzWrites(0);
    appendFileSync(logPath, header, 'latin1');
    gpuzWrites(5 + below(40));
    await sleep(500);
  } else if (alive() && Date.now() - startedAt > 4000) {
    // Overwrites only a log the running agent has had 4 s to read: rows it never had a chance to see are not ours
    event('GPU-Z restart (overwrites)');
    gpuzWrites(0);
    await sleep(4000);
    if (!alive()) continue;
    if (down) overwrittenOffline.add(logNumber);
    logNumber += 1;
    if (down) begunOffline.add(logNumber);
    writeFileSync(logPath, header, 'latin1');
    gpuzWrites(5 + below(40));
    await sleep(500);
  }
}
gpuzWrites(0);
rmSync(flag, { force: true });
await sleep(8000);
await stopAgent();
// What the last run left in the spool, sent by a one-shot upload
const oneShot = args.slice(0, args.indexOf('--watch'));
spawnSync(process.execPath, [cli, ...oneShot], {
  stdio: ['ignore', openSync(agentLog, 'a'), openSync(agentLog, 'a')],
});
proxy?.kill();

/**
 * The store's objects under a prefix: [key, gunzipped body].
 * @param {string} prefix
 * @returns {AsyncGenerator<[string, Buffer]>}
 */
async function* objects(prefix) {
  if (!s3) {
    for (const key of readdirSync(join(storeDir, prefix), { recursive: true, encoding: 'utf8' })) {
      const path = join(storeDir, prefix, key);
      if (statSync(path).isFile() && !/\.tmp$|\.json\.gz\.|^\./.test(basename(path)))
        yield [`${prefix}${key}`, gunzipSync(readFileSync(path))];
    }
    return;
  }
  let token;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key }));
      yield [object.Key, gunzipSync((await got.Body?.transformToByteArray()) ?? new Uint8Array())];
    }
    token = page.NextContinuationToken;
  } while (token);
}
// Every complete row, looked for in the raw objects (and, for a local store, in the processed documents: their
// rows' instants, the log's UTC time stamps)
const stored = new Map();
for await (const [, body] of objects('raw/'))
  for (const [, stamp] of body.toString('latin1').matchAll(/^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) ,/gm))
    stored.set(stamp, (stored.get(stamp) ?? 0) + 1);
const processed = new Map();
if (local)
  for await (const [, body] of objects('processed/'))
    for (const session of JSON.parse(body.toString('utf8')).sessions)
      for (const t of session.t)
        processed.set(stampOf(t / 1000), (processed.get(stampOf(t / 1000)) ?? 0) + 1);
let once = 0;
let duplicated = 0;
let lostOfLogsBegunOffline = 0;
/** How many rows were in such logs at all (did the run make the case?). */
let rowsOfLogsBegunOffline = 0;
const lost = [];
/** Rows an editor cut away before the agent read them: a person deleted them (--edits). */
let cutByEditorUnread = 0;
for (const row of written) {
  const n = stored.get(row.stamp) ?? 0;
  if (n === 1) once += 1;
  if (n > 1) duplicated += n - 1;
  if (n === 0 && cutByEditor.has(row.stamp)) cutByEditorUnread += 1;
  else if (n === 0) lost.push(row.stamp);
  // A log begun and overwritten while the network was down: the store could not be asked about it in between.
  const begunAndOverwritten = begunOffline.has(row.log) && overwrittenOffline.has(row.log);
  if (begunAndOverwritten) rowsOfLogsBegunOffline += 1;
  if (n === 0 && begunAndOverwritten) lostOfLogsBegunOffline += 1;
}
/** The log (0, 1, …) each row GPU-Z wrote went into, by its time stamp. */
const logOf = new Map(written.map((row) => [row.stamp, row.log]));
/** Lost rows of logs overwritten before this build first ran (an update run; see firstLogOfThisBuild). */
const lostBeforeUpdate =
  olderCli && !backAndForth ? lost.filter((stamp) => logOf.get(stamp) < firstLogOfThisBuild).length : 0;
const inProcessed = { once: 0, duplicated: 0, lost: 0 };
if (local)
  for (const row of written) {
    const n = processed.get(row.stamp) ?? 0;
    if (n === 1) inProcessed.once += 1;
    if (n > 1) inProcessed.duplicated += n - 1;
    if (n === 0 && !(cutByEditor.has(row.stamp) && !stored.has(row.stamp))) inProcessed.lost += 1;
  }
const result = {
  seed,
  seconds,
  rows: written.length,
  storedOnce: once,
  duplicated,
  lost: lost.length,
  rowsOfLogsBegunOffline,
  lostOfLogsBegunOffline,
  stopsHung: hung,
  ...(damageState ? { refusalsMissed, repairsFailed } : {}),
  ...(edits ? { rowsCutByEditor: cutByEditor.size, cutByEditorUnread } : {}),
  ...(local
    ? {
        processedOnce: inProcessed.once,
        processedDuplicated: inProcessed.duplicated,
        processedLost: inProcessed.lost,
      }
    : {}),
  ...(olderCli ? { olderStarts, starts, olderStopsHung: olderHung, lostBeforeUpdate } : {}),
};
s3?.destroy();
console.log(JSON.stringify(events));
console.log(JSON.stringify(result));
if (lost.length > 0)
  console.log(`lost rows from ${lost[0]} (first) to ${lost.at(-1)} (last); agent log: ${agentLog}`);
const lostHere = lost.length - lostBeforeUpdate;
if (
  duplicated > 0 ||
  lostHere > 0 ||
  hung > 0 ||
  refusalsMissed > 0 ||
  repairsFailed > 0 ||
  inProcessed.duplicated > 0 ||
  inProcessed.lost > 0
) {
  console.log(`kept for a look: ${dir}`);
  writeFileSync(
    join(dir, 'lost.json'),
    JSON.stringify({ firstLogOfThisBuild, lost: lost.map((stamp) => [stamp, logOf.get(stamp)]) }),
  );
  process.exit(1);
}
rmSync(dir, { recursive: true, force: true });
