import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AlertEvent } from '../../../shared/insights/types';
import { ALERTS_MAX, openAlertHistory } from './alert-history';

const NOW = () => new Date('2026-12-04T12:00:00Z');

function alert(at: number, kind: AlertEvent['kind'] = 'fired', late?: boolean): AlertEvent {
  return {
    ruleId: 'hot-spot-100',
    kind,
    sensor: 'hot_spot_c',
    comparison: '>=',
    threshold: 100,
    value: 101.1,
    at,
    since: at - 10_000,
    message: 'Hot Spot ≥ 100 °C for 10 s (now 101.1 °C)',
    ...(late === undefined ? {} : { late }),
  };
}

describe('alert history', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gpuz-alerts-'));
    path = join(dir, 'alerts.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('survives a restart, oldest first, the late mark kept, at most ALERTS_MAX', async () => {
    // Prepare
    const first = await openAlertHistory(path, NOW);
    first.history.add(alert(1000, 'fired', true));
    first.history.add(alert(2000, 'cleared'));
    await first.history.flush();
    // Act
    const second = await openAlertHistory(path, NOW);
    // Assess
    expect(second.notice).toBeNull();
    expect(second.history.events()).toEqual([alert(1000, 'fired', true), alert(2000, 'cleared')]);
    for (let i = 0; i < ALERTS_MAX + 5; i++) second.history.add(alert(10_000 + i));
    await second.history.flush();
    const third = (await openAlertHistory(path, NOW)).history.events();
    expect(third).toHaveLength(ALERTS_MAX);
    expect(third[0]!.at).toBe(10_005);
  });

  it('a damaged file is set aside and the history starts empty, said in the notice', async () => {
    // Prepare: a power cut's torn write
    writeFileSync(path, '[{"ruleId":"hot-spot-100","kind":"fi');
    // Act
    const { history, notice } = await openAlertHistory(path, NOW);
    // Assess
    expect(history.events()).toEqual([]);
    expect(notice).toMatchObject({ code: 'ALERTS_RESET' });
    expect(notice!.message).toContain('the alert history starts again empty');
    expect(readdirSync(dir).filter((f) => f.startsWith('alerts.json.damaged-'))).toHaveLength(1);
  });

  it('an entry that is not an alert is refused as damage, not half read', async () => {
    writeFileSync(path, JSON.stringify([alert(1000), { ruleId: 'x', kind: 'exploded' }]));
    const { history, notice } = await openAlertHistory(path, NOW);
    expect(history.events()).toEqual([]);
    expect(notice!.message).toContain('entry 1 is not an alert');
  });

  it('a write that fails is said once, at flush', async () => {
    // Prepare: after the start, something takes the file's place (a folder that is not empty: no rename onto it)
    const { history } = await openAlertHistory(path, NOW);
    mkdirSync(path);
    writeFileSync(join(path, 'x'), '');
    // Act
    history.add(alert(1000));
    // Assess
    await expect(history.flush()).rejects.toThrow();
    await expect(history.flush()).resolves.toBeUndefined();
  });
});
