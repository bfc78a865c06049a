import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { adaLog, adaRows, oneShotConfig } from './agent.test-support';
import { createAgent } from './index';
import { createLogElsewhere, QUIET_MS } from './log-elsewhere';

const WATCHED = 'C:\\Users\\ann\\Documents\\GPU-Z Sensor Log.txt';
const ONEDRIVE = 'C:\\Users\\ann\\OneDrive\\Documents\\GPU-Z Sensor Log.txt';

/** Sizes the test sets (undefined: not there), a clock it moves, and the check over them. */
function harness() {
  const sizes = new Map<string, number>();
  let now = Date.UTC(2026, 11, 7, 18, 0);
  const check = createLogElsewhere({
    logPath: WATCHED,
    others: async () => [WATCHED.toLowerCase(), ONEDRIVE],
    now: () => now,
    sizeOf: async (path) => sizes.get(path) ?? null,
  });
  return {
    sizes,
    check,
    /** A minute passes; GPU-Z wrote 60 rows into each of `growing`. */
    minute: (...growing: string[]) => {
      now += 60_000;
      for (const path of growing) sizes.set(path, (sizes.get(path) ?? 0) + 60 * 560);
    },
  };
}

describe('GPU-Z writing its log elsewhere (LOG_ELSEWHERE)', () => {
  it('the watched log is not there and another place grows: said at the next look, once', async () => {
    // Prepare
    const t = harness();
    t.sizes.set(ONEDRIVE, 1000);
    expect(await t.check.look()).toBeNull();

    // Act
    t.minute(ONEDRIVE);
    const said = await t.check.look();
    t.minute(ONEDRIVE);
    const again = await t.check.look();

    // Assess
    expect(said).toEqual({
      code: 'LOG_ELSEWHERE',
      message: `GPU-Z is writing ${ONEDRIVE} (it grew in the last minute), not ${WATCHED}, which is not there`,
      advice: `If that is the log you want uploaded, point the log file setting (--file) at it; or set GPU-Z's "Log to file" to ${WATCHED}.`,
      guiAdvice: `If that is the log you want uploaded, choose it in Settings → Log file; or set GPU-Z's "Log to file" to ${WATCHED}.`,
    });
    expect(again).toBeNull();
  });

  it(`the watched log quiet for ${QUIET_MS / 60_000} min while another grows: said; both growing: not`, async () => {
    // Prepare: both grow for 3 minutes (two GPU-Z windows? a copy being synced), then only the other one
    const t = harness();
    t.sizes.set(WATCHED, 5000);
    t.sizes.set(ONEDRIVE, 1000);
    await t.check.look();
    const looks: (string | null)[] = [];
    for (let m = 0; m < 3; m++) {
      t.minute(WATCHED, ONEDRIVE);
      looks.push((await t.check.look())?.message ?? null);
    }

    // Act: 10 minutes with the watched log still
    for (let m = 0; m < 10; m++) {
      t.minute(ONEDRIVE);
      looks.push((await t.check.look())?.message ?? null);
    }

    // Assess: said once, at the 10th quiet minute
    expect(looks.slice(0, 12)).toEqual(Array(12).fill(null));
    expect(looks[12]).toBe(
      `GPU-Z is writing ${ONEDRIVE} (it grew in the last minute), not ${WATCHED}, which has not grown in the last 10 min`,
    );
  });

  it('a place that does not grow, shrinks (a new log) or only appears empty is nothing to say', async () => {
    const t = harness();
    t.sizes.set(ONEDRIVE, 9000);
    await t.check.look();
    t.minute();
    expect(await t.check.look()).toBeNull();
    t.sizes.set(ONEDRIVE, 400);
    t.minute();
    expect(await t.check.look()).toBeNull();
    t.sizes.set(ONEDRIVE, 0);
    t.minute();
    expect(await t.check.look()).toBeNull();
  });

  it('the watched log itself among the places (Windows: another case) is never "elsewhere"', async () => {
    // Prepare: the settings name the log in other letters' case than detect-log.ts does
    const t = harness();
    t.sizes.set(WATCHED.toLowerCase(), 100);
    await t.check.look();

    // Act
    t.minute(WATCHED.toLowerCase());

    // Assess
    expect(await t.check.look()).toBeNull();
  });
});

describe('the agent says it (a real agent, real files)', () => {
  it('waiting for a log that is not there while GPU-Z writes the other place: a notice in the status', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'gpuz-elsewhere-'));
    const other = join(dir, 'OneDrive', 'GPU-Z Sensor Log.txt');
    mkdirSync(join(dir, 'OneDrive'));
    writeFileSync(other, adaLog(1, 8));
    const agent = createAgent({
      ...oneShotConfig(dir),
      watch: true,
      otherLogs: async () => [other],
      otherLogsCheckMs: 100,
    });

    // Act
    await agent.start();
    await sleep(150);
    appendFileSync(other, adaRows(8, 16));
    await sleep(300);
    const notices = agent.status().notices ?? [];
    await agent.stop();

    // Assess
    expect(agent.status().state).toBe('stopped');
    expect(notices.filter((n) => n.code === 'LOG_ELSEWHERE')).toHaveLength(1);
    expect(notices.find((n) => n.code === 'LOG_ELSEWHERE')?.message).toContain(`GPU-Z is writing ${other}`);
    rmSync(dir, { recursive: true, force: true });
  });
});
