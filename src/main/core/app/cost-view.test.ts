/** The Costs view counts the hosts it is told (those seen in the store), through the one cost answer. */
import { costAnswer, costInputsOf } from '../../../shared/cost';
import { defaultSettings } from '../settings';
import { buildCostView } from './cost-view';
import { createFakeAgent } from './fake-agent.test-support';

describe('buildCostView: hosts', () => {
  const settings = defaultSettings('/state', '/logs/GPU-Z Sensor Log.txt');
  const now = new Date('2026-12-02T12:00:00Z');
  const status = createFakeAgent().agent.status();

  it('two hosts seen → the view says 2 and its requests are the one answer for 2 hosts (more than for 1)', () => {
    const one = buildCostView({}, { settings, status }, now);
    const two = buildCostView({}, { settings, status, hosts: 2 }, now);
    const answer = costAnswer(
      costInputsOf(settings, { now, hosts: 2, uploaded: { rawBytes: 0, compressedBytes: 0 } }),
    );
    expect({ one: one.hosts, two: two.hosts }).toEqual({ one: 1, two: 2 });
    expect(two.putClassRequests).toBe(answer.estimate.putClassRequests);
    expect(two.putClassRequests).toBeGreaterThan(one.putClassRequests);
  });
});

describe('buildCostView: a budget schedule', () => {
  const now = new Date('2026-12-01T00:00:00Z');
  const settings = {
    ...defaultSettings('/state', '/logs/GPU-Z Sensor Log.txt'),
    schedule: { kind: 'budget' as const, monthlyPuts: 2000 },
  };
  const status = createFakeAgent().agent.status();
  const minutesByDay: Record<string, number> = {};
  for (let d = 17; d <= 30; d++) minutesByDay[`2026-11-${d}`] = 180;

  it('is priced at the interval its agent uses: over the hours this PC logs, else around the clock', () => {
    // Nothing seen: the budget spread over the whole of December (47 min)
    expect(buildCostView({}, { settings, status }, now).intervalMinutes).toBe(47);
    // A fortnight of 3 h evenings seen by the agent: 714 s → 12 min (budget-schedule.ts)
    const counters = {
      ...status.counters,
      logging: { since: Date.parse('2026-11-17T00:00:00Z'), minutesByDay },
    };
    const seen = buildCostView({}, { settings, status: { ...status, counters } }, now);
    expect(seen.intervalMinutes).toBe(12);
    // No store read: priced at the 3 h its agent saw, within the budget (before: 12 min around the clock, 8,060)
    expect(seen.logging).toMatchObject({ hoursPerDay: 3, days: 14, seenByAgent: true });
    expect(seen.putClassRequests).toBeLessThanOrEqual(2000);
    expect(seen.schedule).toEqual({
      monthlyPuts: 2000,
      intervalMinutes: 12,
      loggedHoursPerDay: 3,
      days: 14,
      usedUpUntil: null,
    });
    expect(buildCostView({}, { settings, status }, now).schedule).toMatchObject({ loggedHoursPerDay: null });
    // Used up: priced at the around-the-clock interval, the month's end said
    const usedUp = { ...status.counters, requestsThisMonth: { month: '2026-12', put: 969, get: 0, list: 0 } };
    const waiting = buildCostView({}, { settings, status: { ...status, counters: usedUp } }, now);
    expect(waiting).toMatchObject({ intervalMinutes: 47, schedule: { usedUpUntil: Date.UTC(2027, 0, 1) } });
    expect(buildCostView({}, { settings: defaultSettings('/s', '/l.txt'), status }, now).schedule).toBeNull();
    // A budget typed in Settings while a fixed interval is saved: priced as that budget's schedule
    const fixed = defaultSettings('/s', '/l.txt');
    const typed = buildCostView(
      { monthlyPuts: 2000 },
      { settings: fixed, status: { ...status, counters } },
      now,
    );
    expect(typed).toMatchObject({
      intervalMinutes: 12,
      schedule: { monthlyPuts: 2000, loggedHoursPerDay: 3 },
    });
    // A what-if on the slider is its own
    expect(buildCostView({ intervalMinutes: 30 }, { settings, status }, now).intervalMinutes).toBe(30);
  });
});

describe('buildCostView: what the deployed stack does', () => {
  const now = new Date('2026-12-02T12:00:00Z');
  const status = createFakeAgent().agent.status();
  const local = defaultSettings('/state', '/logs/GPU-Z Sensor Log.txt');
  const deployed = {
    ...local,
    target: {
      kind: 's3' as const,
      bucket: 'gpuz-cloud-dev-raw-123456789012',
      region: 'eu-central-1',
      processedBucket: 'gpuz-cloud-dev-processed-123456789012',
      rawExpiryDays: 30,
      analyticsCopy: true,
    },
  };
  const asDeployed = { ...deployed, target: { ...deployed.target } };
  delete (asDeployed.target as { rawExpiryDays?: number }).rawExpiryDays;
  delete (asDeployed.target as { analyticsCopy?: boolean }).analyticsCopy;

  it('prices the raw expiry and the analytics copy the stack was deployed with, until the view asks otherwise', () => {
    // Act
    const shown = buildCostView({}, { settings: deployed, status, storedSince: Date.UTC(2025, 11, 1) }, now);
    const unknown = buildCostView(
      {},
      { settings: asDeployed, status, storedSince: Date.UTC(2025, 11, 1) },
      now,
    );
    const kept = buildCostView(
      { rawExpiryDays: 0, analyticsCopy: false },
      { settings: deployed, status, storedSince: Date.UTC(2025, 11, 1) },
      now,
    );
    // Assess: before, a deployed 30 days showed as "kept" (and the year of raw batches priced) unless typed again
    expect({ days: shown.rawExpiryDays, copy: shown.analyticsCopy }).toEqual({ days: 30, copy: true });
    expect({ days: unknown.rawExpiryDays, copy: unknown.analyticsCopy }).toEqual({ days: 0, copy: false });
    expect({ days: kept.rawExpiryDays, copy: kept.analyticsCopy }).toEqual({ days: 0, copy: false });
    expect(kept.monthlyUsd).toBeCloseTo(unknown.monthlyUsd, 12);
    expect(shown.monthlyUsd).not.toBeCloseTo(unknown.monthlyUsd, 6);
  });
});
