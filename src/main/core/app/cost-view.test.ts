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
