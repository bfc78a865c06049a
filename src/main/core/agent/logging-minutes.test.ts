import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adaLog, adaRows, oneShotConfig } from './agent.test-support';
import { type AgentConfig, createAgent } from './index';

describe('the minutes GPU-Z logged in (a budget schedule’s share of the time)', () => {
  let dir: string;
  let config: AgentConfig;
  let t: number;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gpuz-logging-'));
    t = Date.parse('2026-12-07T19:00:10Z');
    config = oneShotConfig(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function runAt(at: number): Promise<Record<string, unknown>> {
    t = at;
    const agent = createAgent(config, { clock: { now: () => t } });
    await agent.start();
    await agent.uploadNow();
    await agent.stop();
    return JSON.parse(readFileSync(join(config.stateDir, 'stats.json'), 'utf8'));
  }

  it('counts each minute with new rows once, in stats.json as numbers; rows read again after a kill count nothing', async () => {
    // Prepare: 200 rows read at 19:00, 100 more at 19:01 — then the checkpoint of the 200 put back, as a kill -9
    // between the counters' save and the checkpoint's leaves it.
    const start = t;
    writeFileSync(config.logPath, adaLog(1, 201));
    await runAt(start);
    const checkpoint = join(config.stateDir, 'checkpoint.json');
    const at200 = readFileSync(checkpoint);
    appendFileSync(config.logPath, adaRows(201, 301));
    const second = await runAt(start + 60_000);
    writeFileSync(checkpoint, at200);
    // Act: started again at 19:05 (the 100 rows read again), then at 19:07 with 10 new rows
    const third = await runAt(start + 5 * 60_000);
    appendFileSync(config.logPath, adaRows(301, 311));
    const fourth = await runAt(start + 7 * 60_000);
    // Assess: counting began at the first start; 2 minutes, still 2, then 3 — flat numbers an older build keeps
    expect(second).toMatchObject({ loggingSince: start, 'loggedMinutes:2026-12-07': 2 });
    expect(third).toMatchObject({ rowsRead: 300, 'loggedMinutes:2026-12-07': 2 });
    expect(fourth).toMatchObject({ rowsRead: 310, loggingSince: start, 'loggedMinutes:2026-12-07': 3 });
    expect(Object.values(fourth).filter((v) => typeof v === 'object')).toHaveLength(2); // requests, requestsThisMonth
  });
});
