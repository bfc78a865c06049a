import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentStatus } from '../../../shared/agent-status';
import { agentStatus } from '../../../test-support/agent-status';
import { createStatusFile, readStatusFile } from './status-file';

function status(rowsRead: number, state: AgentStatus['state'] = 'watching'): AgentStatus {
  return agentStatus({ state, counters: { rowsRead } });
}

/** Timers run by hand: `advance(ms)` fires what is due. */
function manualTimers() {
  let now = 0;
  const due: { at: number; fn: () => void }[] = [];
  return {
    now: () => now,
    timers: {
      setTimeout: (fn: () => void, ms: number) => {
        const entry = { at: now + ms, fn };
        due.push(entry);
        return entry;
      },
      clearTimeout: (handle: unknown) => {
        due.splice(due.indexOf(handle as (typeof due)[number]), 1);
      },
    },
    advance(ms: number) {
      now += ms;
      for (const entry of due.filter((e) => e.at <= now)) {
        due.splice(due.indexOf(entry), 1);
        entry.fn();
      }
    },
  };
}

describe('agent status file', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gpuz-status-file-'));
    path = join(dir, 'agent-status.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const rowsOnDisk = async () => (await readStatusFile(path))?.status.counters.rowsRead;
  const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

  it('writes the first status at once, then at most once per interval, always the newest; the last on close', async () => {
    const clock = manualTimers();
    const file = createStatusFile({
      path,
      pid: 4242,
      now: clock.now,
      timers: clock.timers,
      minIntervalMs: 5000,
    });
    file.update(status(10));
    await settle();
    expect(await rowsOnDisk()).toBe(10);
    file.update(status(20));
    file.update(status(30));
    await settle();
    expect(await rowsOnDisk()).toBe(10);
    clock.advance(5000);
    await settle();
    expect(await rowsOnDisk()).toBe(30);
    file.update(status(40));
    await file.close(status(50, 'stopped'));
    const content = await readStatusFile(path);
    expect(content).toMatchObject({ pid: 4242, status: { state: 'stopped', counters: { rowsRead: 50 } } });
    file.update(status(60));
    clock.advance(10_000);
    await settle();
    expect(await rowsOnDisk()).toBe(50);
  });
});
