/**
 * A log edited in an editor (its first rows cut away to make it smaller, its line ends rewritten) starts with other
 * bytes, so it has another identity — yet it holds the rows already stored. Reading resumes after them, found by
 * content (resume-anchors.ts `anchorFinder`); a new log GPU-Z begins, or one the anchored rows were cut from, is
 * read from its start as before.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAMPLES_DIR } from '../../../test-support/services';
import { createLocalStore } from '../store/local';
import { dataLinesOf, rawLines } from './agent.test-support';
import { type AgentConfig, createAgent } from './index';

const sample = (name: string) => readFileSync(join(SAMPLES_DIR, 'gpuz', name));
/** Header + 1,182 rows, CRLF. */
const BM1 = sample('nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt');
/** Three sessions, LF. */
const LF3 = sample('nvidia-gpuz-2016-old-names-lf-3-sessions.txt');

function lines(bytes: Buffer, from: number, to?: number): Buffer {
  const all = bytes.toString('latin1').split(/(?<=\n)/);
  return Buffer.from(all.slice(from, to).join(''), 'latin1');
}
const toLf = (bytes: Buffer) => Buffer.from(bytes.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
const toCrlf = (bytes: Buffer) => Buffer.from(bytes.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
/** A data line as a row, whatever its line end. */
const rowsOf = (bytes: Buffer) => dataLinesOf(bytes).map((l) => l.replace(/\r?\n$/, ''));

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'gpuz-edited-'));
  const logPath = join(dir, 'GPU-Z Sensor Log.txt');
  const store = createLocalStore({ root: join(dir, 'store') });
  const config: AgentConfig = {
    logPath,
    host: 'test-pc',
    timeZone: 'UTC',
    stateDir: join(dir, 'state'),
    intervalMs: 60 * 60_000,
    compress: true,
    store,
    watch: false,
  };
  /** One run of the agent: start, read and send everything, stop (a restart between runs). */
  const once = async () => {
    const agent = createAgent(config);
    await agent.start();
    await agent.uploadNow();
    await agent.stop();
    return agent;
  };
  /** Every row the store holds, each as often as it is stored (a row GPU-Z wrote after a NUL hole without them). */
  const stored = async () =>
    (await rawLines(store)).data.map((l) => l.replace(/\r?\n$/, '').replace(/^\0+/, ''));
  return {
    dir,
    logPath,
    store,
    config,
    once,
    stored,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The rows stored more than once. */
function repeated(rows: string[]): string[] {
  const seen = new Set<string>();
  return rows.filter((r) => seen.has(r) || !seen.add(r));
}

describe('a log edited in an editor (another identity, the stored rows in it)', () => {
  it.each([
    ['its first 700 rows cut away', (log: Buffer) => Buffer.concat([lines(log, 0, 1), lines(log, 701)])],
    ['CRLF rewritten as LF', (log: Buffer) => toLf(log)],
    [
      'its first 700 rows cut away and CRLF rewritten as LF',
      (log: Buffer) => toLf(Buffer.concat([lines(log, 0, 1), lines(log, 701)])),
    ],
  ])('%s, then GPU-Z writes on: only the new rows are sent, each once', async (_name, edit) => {
    // Prepare: the agent stored the log's 1,000 first rows; GPU-Z wrote 100 more before the edit
    const t = setup();
    writeFileSync(t.logPath, lines(BM1, 0, 1001));
    await t.once();
    const edited = edit(lines(BM1, 0, 1101));
    writeFileSync(t.logPath, edited);
    appendFileSync(t.logPath, lines(BM1, 1101));

    // Act
    const agent = await t.once();

    // Assess: every row of the sample once, the edited file's rows before the 1,001st not again
    const rows = await t.stored();
    expect(repeated(rows)).toEqual([]);
    expect(rows.sort()).toEqual(rowsOf(BM1).sort());
    const resumed = agent.status().notices?.find((n) => n.code === 'RESUMED_BY_CONTENT');
    expect(resumed?.message).toMatch(/^The log has another start than the log read before \(edited/);
    t.cleanup();
  });

  it('edited twice before a new row came: the second edit is found by the lines the first one was placed by', async () => {
    // Prepare: rows 1–1000 stored; the first edit (LF, rows 1–300 cut) brings no new row, so nothing is sealed from it
    const t = setup();
    writeFileSync(t.logPath, lines(BM1, 0, 1001));
    await t.once();
    writeFileSync(t.logPath, toLf(Buffer.concat([lines(BM1, 0, 1), lines(BM1, 301, 1001)])));
    await t.once();

    // Act: the second edit (rows up to 600 cut, CRLF again), then GPU-Z writes on
    writeFileSync(t.logPath, Buffer.concat([lines(BM1, 0, 1), lines(BM1, 601)]));
    await t.once();

    // Assess
    const rows = await t.stored();
    expect(repeated(rows)).toEqual([]);
    expect(rows.sort()).toEqual(rowsOf(BM1).sort());
    t.cleanup();
  });

  it('edited while the agent runs: the rows read before the edit are sealed, the edited file read after them', async () => {
    // Prepare
    const t = setup();
    writeFileSync(t.logPath, lines(BM1, 0, 601));
    const agent = createAgent(t.config);
    await agent.start();
    await agent.uploadNow();
    appendFileSync(t.logPath, lines(BM1, 601, 801));
    await agent.uploadNow();

    // Act: cut to its last 300 rows, LF, and GPU-Z's next rows after
    writeFileSync(t.logPath, toLf(Buffer.concat([lines(BM1, 0, 1), lines(BM1, 501, 801)])));
    appendFileSync(t.logPath, lines(BM1, 801));
    await agent.uploadNow();
    await agent.stop();

    // Assess
    const rows = await t.stored();
    expect(repeated(rows)).toEqual([]);
    expect(rows.sort()).toEqual(rowsOf(BM1).sort());
    t.cleanup();
  });

  it('saved in place while GPU-Z writes on at its own offset (a NUL hole up to it): the rows after the hole once', async () => {
    // Prepare: rows 1–1000 stored; GPU-Z's file pointer is past row 1,100 when an editor saves the log shorter
    const t = setup();
    writeFileSync(t.logPath, lines(BM1, 0, 1001));
    await t.once();
    const gpuzOffset = lines(BM1, 0, 1101).length;
    const edited = toLf(Buffer.concat([lines(BM1, 0, 1), lines(BM1, 801, 1101)]));
    // GPU-Z's next rows land at its own offset: the bytes between the edited end and it read as NULs
    const after = lines(BM1, 1101);
    writeFileSync(t.logPath, Buffer.concat([edited, Buffer.alloc(gpuzOffset - edited.length), after]));

    // Act
    await t.once();

    // Assess
    const rows = await t.stored();
    expect(repeated(rows)).toEqual([]);
    expect(rows.sort()).toEqual(rowsOf(BM1).sort());
    t.cleanup();
  });

  it('an LF log rewritten as CRLF (another editor), across its three sessions', async () => {
    // Prepare
    const t = setup();
    writeFileSync(t.logPath, lines(LF3, 0, 3000));
    await t.once();
    writeFileSync(t.logPath, toCrlf(LF3));

    // Act
    await t.once();

    // Assess: the sample's own repeated rows (9: its clock went back between sessions) as often as in the log
    const rows = await t.stored();
    expect(repeated(rows)).toHaveLength(9);
    expect(rows.sort()).toEqual(rowsOf(LF3).sort());
    t.cleanup();
  });

  it('a new log GPU-Z begins with the same header is read from its start', async () => {
    // Prepare: the first rows of the sample stored; GPU-Z restarted and overwrote the log (same card: same header)
    const t = setup();
    writeFileSync(t.logPath, lines(BM1, 0, 601));
    await t.once();
    writeFileSync(t.logPath, Buffer.concat([lines(BM1, 0, 1), lines(BM1, 601)]));

    // Act
    await t.once();

    // Assess
    const rows = await t.stored();
    expect(repeated(rows)).toEqual([]);
    expect(rows.sort()).toEqual(rowsOf(BM1).sort());
    t.cleanup();
  });

  it('a log whose last stored rows were cut away too is read from its start (the rows it holds stored again)', async () => {
    // Prepare: rows 1–1000 stored; the edited log keeps rows 1–300 only (the anchored last 256 are gone) and goes on
    const t = setup();
    writeFileSync(t.logPath, lines(BM1, 0, 1001));
    await t.once();
    writeFileSync(t.logPath, toLf(Buffer.concat([lines(BM1, 0, 301), lines(BM1, 1001)])));

    // Act
    await t.once();

    // Assess: nothing lost; rows 1–300 twice (nothing of the claim to find them by), as for any older log
    const rows = await t.stored();
    expect(new Set(rows)).toEqual(new Set(rowsOf(BM1)));
    expect(repeated(rows)).toHaveLength(300);
    t.cleanup();
  });
});
