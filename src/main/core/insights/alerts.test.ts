import type { AlertRule } from '../../../shared/insights/types';
import { createAlertEvaluator, SUGGESTED_RULES } from './alerts';
import { sampleRows } from './sample-rows.test-support';

const BM1 = 'gpuz/nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt';
const hotSpot100: AlertRule = {
  id: 'hot-spot-100',
  sensor: 'hot_spot_c',
  comparison: '>=',
  value: 100,
  durationSeconds: 10,
  enabled: true,
};

/** bm1's rows as the live view gets them; `replays` times, each later replay shifted after a cool-down. */
function bm1Rows(replays: number, coolDownMs: number, sameTimes = false) {
  const { events, columns } = sampleRows(BM1);
  const span = events.at(-1)!.t - events[0]!.t;
  const rows = [];
  for (let r = 0; r < replays; r++) {
    const shift = sameTimes ? 0 : r * (span + coolDownMs);
    for (const e of events) rows.push({ t: e.t + shift, values: e.values });
  }
  return { rows, columns };
}

describe('threshold alerts on bm1 (hot spot climbs to 105.5 °C in one long episode)', () => {
  it.each([
    { name: 'hot spot ≥ 100 °C for 10 s', rule: hotSpot100, replays: 1, fired: 1 },
    { name: 'replayed twice with a 10-min cool-down', rule: hotSpot100, replays: 2, fired: 2 },
    {
      name: 'replayed twice at the same times (log restarted)',
      rule: hotSpot100,
      replays: 2,
      fired: 2,
      sameTimes: true,
    },
    { name: 'above every reading', rule: { ...hotSpot100, value: 106 }, replays: 1, fired: 0 },
    {
      name: 'longer than the episode lasts',
      rule: { ...hotSpot100, durationSeconds: 3600 },
      replays: 1,
      fired: 0,
    },
    { name: 'disabled', rule: { ...hotSpot100, enabled: false }, replays: 1, fired: 0 },
    {
      name: 'a sensor the log lacks',
      rule: { ...hotSpot100, sensor: 'memory_temperature_c' },
      replays: 1,
      fired: 0,
    },
    {
      name: 'GPU clock ≤ 300 MHz for 60 s (idle after the run)',
      rule: {
        ...hotSpot100,
        sensor: 'gpu_clock_mhz',
        comparison: '<=' as const,
        value: 300,
        durationSeconds: 60,
      },
      replays: 1,
      fired: 1,
    },
  ])('$name → fires $fired times', ({ rule, replays, fired, sameTimes }) => {
    const { rows, columns } = bm1Rows(replays, 10 * 60_000, sameTimes);
    const events = createAlertEvaluator(() => [rule]).add(rows, columns);
    expect(events.filter((e) => e.kind === 'fired')).toHaveLength(fired);
    // Every episode but possibly the last one ends with a 'cleared'; kinds alternate.
    expect(events.map((e) => e.kind)).toEqual(events.map((_, i) => (i % 2 === 0 ? 'fired' : 'cleared')));
  });

  it('a rule on a canonical key watches a zh-CN HWiNFO log’s sensor of that kind (it never fired before)', () => {
    // HWiNFO's Simplified Chinese build: `GPU 温度` is gpu_温度_c; it stays at or over 30 °C for 30 s from 21:38:19.
    const { events, columns } = sampleRows('hwinfo/hwinfo-zh-cn-utf8bom-rtx40-2025.CSV');
    const rule: AlertRule = { ...hotSpot100, id: 'gpu-30', sensor: 'gpu_temperature_c', value: 30 };
    const [fired, cleared] = createAlertEvaluator(() => [rule]).add(events, columns);
    expect(fired).toMatchObject({
      kind: 'fired',
      sensor: 'gpu_temperature_c',
      since: Date.UTC(2025, 2, 22, 21, 38, 19, 335),
    });
    expect(fired!.message).toBe(`GPU 温度 ≥ 30 °C for 10 s (now ${fired!.value} °C)`);
    expect(cleared).toMatchObject({ kind: 'cleared', value: 0 }); // the log's last row reads 0
  });

  it('fires once the condition held 10 s, with the reading and a message a person reads', () => {
    const { rows, columns } = bm1Rows(1, 0);
    const [fired, cleared] = createAlertEvaluator(() => [hotSpot100]).add(rows, columns);
    expect(fired!.at - fired!.since).toBeGreaterThanOrEqual(10_000);
    expect(fired!.value).toBeGreaterThanOrEqual(100);
    expect(fired!.message).toBe(`Hot Spot ≥ 100 °C for 10 s (now ${fired!.value} °C)`);
    expect(cleared!.value).toBeLessThan(98);
    expect(cleared!.since).toBe(fired!.at);
  });

  it('hysteresis: without it the hot spot wobbling around 104 °C alerts again and again', () => {
    const { rows, columns } = bm1Rows(1, 0);
    const count = (hysteresis: number) =>
      createAlertEvaluator(() => [{ ...hotSpot100, value: 104, durationSeconds: 5, hysteresis }])
        .add(rows, columns)
        .filter((e) => e.kind === 'fired').length;
    expect(count(0)).toBeGreaterThan(3);
    expect(count(2)).toBe(1);
  });

  it('rows fed as the live view gets them (a few at a time) give the same events as all at once', () => {
    const { rows, columns } = bm1Rows(2, 10 * 60_000);
    const whole = createAlertEvaluator(() => [hotSpot100]).add(rows, columns);
    const live = createAlertEvaluator(() => [hotSpot100]);
    const pieces = [];
    for (let i = 0; i < rows.length; i += 7) pieces.push(...live.add(rows.slice(i, i + 7), columns));
    expect(pieces).toEqual(whole);
  });

  it('the suggested rules are off until the user turns them on', () => {
    expect(SUGGESTED_RULES.length).toBeGreaterThanOrEqual(2);
    expect(SUGGESTED_RULES.every((rule) => !rule.enabled)).toBe(true);
    const { rows, columns } = bm1Rows(1, 0);
    expect(createAlertEvaluator(() => SUGGESTED_RULES).add(rows, columns)).toEqual([]);
  });
});
