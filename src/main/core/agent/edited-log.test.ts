/**
 * A log edited in an editor (its first rows cut away to make it smaller, its line ends rewritten) starts with other
 * bytes, so it has another identity — yet it holds the rows already stored. Reading resumes after them, found by
 * content (resume-anchors.ts `anchorFinder`); a new log GPU-Z begins, or one the anchored rows were cut from, is
 * read from its start as before.
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkStateFolder } from '../repair';
import { dataLinesOf, oneShotConfig, rawLines, sample } from './agent.test-support';
import type { AgentConfig } from './config';
import { createAgent } from './index';
import type { Agent } from './types';

/** Header + 1,182 rows, CRLF. */
const BM1 = sample('gpuz/nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt');
/** Three sessions, LF. */
const LF3 = sample('gpuz/nvidia-gpuz-2016-old-names-lf-3-sessions.txt');

const toLf = (bytes: Buffer) => Buffer.from(bytes.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
const toCrlf = (bytes: Buffer) => Buffer.from(bytes.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
/** A data line as a row, whatever its line end. */
const rowsOf = (bytes: Buffer) => dataLinesOf(bytes).map((l) => l.replace(/\r?\n$/, ''));

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'gpuz-edited-'));
  const config = oneShotConfig(dir);
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
    (await rawLines(config.store)).data.map((l) => l.replace(/\r?\n$/, '').replace(/^\0+/, ''));
  return {
    logPath: config.logPath,
    config,
    once,
    stored,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Every row of the sample stored exactly once: none twice, none missing. */
async function expectEveryRowOnce(t: ReturnType<typeof setup>, log: Buffer): Promise<void> {
  const rows = await t.stored();
  expect(repeated(rows)).toEqual([]);
  expect(rows.sort()).toEqual(rowsOf(log).sort());
}

/** The agent said it resumed the edited log by content. */
function expectResumedByContent(agent: Agent): void {
  const resumed = agent.status().notices?.find((n) => n.code === 'RESUMED_BY_CONTENT');
  expect(resumed?.message).toMatch(/^The log has another start than the log read before \(edited/);
}

/** The checkpoint zero-filled by a power cut, then `gpuz-cloud repair` (the agent refuses a damaged one). */
async function repairZeroFilled(config: AgentConfig): Promise<void> {
  writeFileSync(join(config.stateDir, 'checkpoint.json'), Buffer.alloc(600));
  const { logPath, stateDir, store, host, timeZone } = config;
  const check = await checkStateFolder({ stateDir, logPath, store, host, timeZone });
  await check.apply();
  await check.release();
}

/** The rows stored more than once. */
function repeated(rows: string[]): string[] {
  const seen = new Set<string>();
  return rows.filter((r) => seen.has(r) || !seen.add(r));
}

describe('a log edited in an editor (another identity, the stored rows in it)', () => {
  it.each([
    ['its first 700 rows cut away', () => Buffer.concat([BM1.lines(0, 1), BM1.lines(701, 1101)])],
    ['CRLF rewritten as LF', () => toLf(BM1.lines(0, 1101))],
    [
      'its first 700 rows cut away and CRLF rewritten as LF',
      () => toLf(Buffer.concat([BM1.lines(0, 1), BM1.lines(701, 1101)])),
    ],
  ])('%s, then GPU-Z writes on: only the new rows are sent, each once', async (_name, edit) => {
    // Prepare: the agent stored the log's 1,000 first rows; GPU-Z wrote 100 more before the edit
    const t = setup();
    writeFileSync(t.logPath, BM1.lines(0, 1001));
    await t.once();
    const edited = edit();
    writeFileSync(t.logPath, edited);
    appendFileSync(t.logPath, BM1.lines(1101));

    // Act
    const agent = await t.once();

    // Assess: every row of the sample once, the edited file's rows before the 1,001st not again
    await expectEveryRowOnce(t, BM1.bytes);
    expectResumedByContent(agent);
    t.cleanup();
  });

  it('edited twice before a new row came: the second edit is found by the lines the first one was placed by', async () => {
    // Prepare: rows 1–1000 stored; the first edit (LF, rows 1–300 cut) brings no new row, so nothing is sealed from it
    const t = setup();
    writeFileSync(t.logPath, BM1.lines(0, 1001));
    await t.once();
    writeFileSync(t.logPath, toLf(Buffer.concat([BM1.lines(0, 1), BM1.lines(301, 1001)])));
    await t.once();

    // Act: the second edit (rows up to 600 cut, CRLF again), then GPU-Z writes on
    writeFileSync(t.logPath, Buffer.concat([BM1.lines(0, 1), BM1.lines(601)]));
    await t.once();

    // Assess
    await expectEveryRowOnce(t, BM1.bytes);
    t.cleanup();
  });

  it('edited while the agent runs: the rows read before the edit are sealed, the edited file read after them', async () => {
    // Prepare
    const t = setup();
    writeFileSync(t.logPath, BM1.lines(0, 601));
    const agent = createAgent(t.config);
    await agent.start();
    await agent.uploadNow();
    appendFileSync(t.logPath, BM1.lines(601, 801));
    await agent.uploadNow();

    // Act: cut to its last 300 rows, LF, and GPU-Z's next rows after
    writeFileSync(t.logPath, toLf(Buffer.concat([BM1.lines(0, 1), BM1.lines(501, 801)])));
    appendFileSync(t.logPath, BM1.lines(801));
    await agent.uploadNow();
    await agent.stop();

    // Assess
    await expectEveryRowOnce(t, BM1.bytes);
    t.cleanup();
  });

  it('saved in place while GPU-Z writes on at its own offset (a NUL hole up to it): the rows after the hole once', async () => {
    // Prepare: rows 1–1000 stored; GPU-Z's file pointer is past row 1,100 when an editor saves the log shorter
    const t = setup();
    writeFileSync(t.logPath, BM1.lines(0, 1001));
    await t.once();
    const gpuzOffset = BM1.lines(0, 1101).length;
    const edited = toLf(Buffer.concat([BM1.lines(0, 1), BM1.lines(801, 1101)]));
    // GPU-Z's next rows land at its own offset: the bytes between the edited end and it read as NULs
    const after = BM1.lines(1101);
    writeFileSync(t.logPath, Buffer.concat([edited, Buffer.alloc(gpuzOffset - edited.length), after]));

    // Act
    await t.once();

    // Assess
    await expectEveryRowOnce(t, BM1.bytes);
    t.cleanup();
  });

  it('an LF log rewritten as CRLF (another editor), across its three sessions', async () => {
    // Prepare
    const t = setup();
    writeFileSync(t.logPath, LF3.lines(0, 3000));
    await t.once();
    writeFileSync(t.logPath, toCrlf(LF3.bytes));

    // Act
    await t.once();

    // Assess: the sample's own repeated rows (9: its clock went back between sessions) as often as in the log
    const rows = await t.stored();
    expect(repeated(rows)).toHaveLength(9);
    expect(rows.sort()).toEqual(rowsOf(LF3.bytes).sort());
    t.cleanup();
  });

  it('a new log GPU-Z begins with the same header is read from its start', async () => {
    // Prepare: the first rows of the sample stored; GPU-Z restarted and overwrote the log (same card: same header)
    const t = setup();
    writeFileSync(t.logPath, BM1.lines(0, 601));
    await t.once();
    writeFileSync(t.logPath, Buffer.concat([BM1.lines(0, 1), BM1.lines(601)]));

    // Act
    await t.once();

    // Assess
    await expectEveryRowOnce(t, BM1.bytes);
    t.cleanup();
  });

  it.each([
    [
      'the state folder lost (a new install)',
      async (c: AgentConfig) => rmSync(c.stateDir, { recursive: true, force: true }),
    ],
    ['the checkpoint zero-filled (a power cut) and repaired', repairZeroFilled],
  ])('edited, %s: found by the lines of the newest batch in the store', async (_name, lose) => {
    // Prepare: rows 1–1000 stored; the log edited (rows up to 700 cut, LF) and the checkpoint gone; GPU-Z writes on
    const t = setup();
    writeFileSync(t.logPath, BM1.lines(0, 1001));
    await t.once();
    writeFileSync(t.logPath, toLf(Buffer.concat([BM1.lines(0, 1), BM1.lines(701, 1001)])));
    appendFileSync(t.logPath, BM1.lines(1001));
    await lose(t.config);

    // Act
    const agent = await t.once();

    // Assess: before, the 300 rows the edited log kept were stored twice (nothing here knew the log read before)
    await expectEveryRowOnce(t, BM1.bytes);
    expectResumedByContent(agent);
    t.cleanup();
  });

  it('a new log GPU-Z begins after the checkpoint was lost is read from its start', async () => {
    // Prepare: the first rows stored; the state folder lost; GPU-Z overwrote the log with a new session
    const t = setup();
    writeFileSync(t.logPath, BM1.lines(0, 601));
    await t.once();
    rmSync(t.config.stateDir, { recursive: true, force: true });
    writeFileSync(t.logPath, Buffer.concat([BM1.lines(0, 1), BM1.lines(601)]));

    // Act
    await t.once();

    // Assess
    await expectEveryRowOnce(t, BM1.bytes);
    t.cleanup();
  });

  it('a log whose last stored rows were cut away too is read from its start (the rows it holds stored again)', async () => {
    // Prepare: rows 1–1000 stored; the edited log keeps rows 1–300 only (the anchored last 256 are gone) and goes on
    const t = setup();
    writeFileSync(t.logPath, BM1.lines(0, 1001));
    await t.once();
    writeFileSync(t.logPath, toLf(Buffer.concat([BM1.lines(0, 301), BM1.lines(1001)])));

    // Act
    await t.once();

    // Assess: nothing lost; rows 1–300 twice (nothing of the claim to find them by), as for any older log
    const rows = await t.stored();
    expect(new Set(rows)).toEqual(new Set(rowsOf(BM1.bytes)));
    expect(repeated(rows)).toHaveLength(300);
    t.cleanup();
  });
});
