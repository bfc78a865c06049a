import { statsOf } from '../../../shared/series-stats';
import { createReadingStats } from './reading-stats';
import { sampleRows } from './sample-rows.test-support';

const BM1 = 'gpuz/nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt';
const ADA = 'gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt';

describe('reading stats (the Overview tiles) on real sample rows', () => {
  const { events, columns, rows } = sampleRows(BM1);
  const hot = rows.values.hot_spot_c!;

  it('bm1 in one session: min/max/avg of every sensor equal the statistics of its column, max at its first row', () => {
    const stats = createReadingStats();
    // In chunks, as the live view adds them.
    for (let i = 0; i < events.length; i += 100) stats.add(events.slice(i, i + 100), columns);
    const { session, app } = stats.snapshot();
    expect(session.since).toBe(events[0]!.t);
    expect(app.since).toBe(events[0]!.t);
    for (const column of columns) {
      const expected = statsOf(rows.values[column.key]!);
      expect(session.sensors[column.key]).toMatchObject(expected);
      expect(app.sensors[column.key]).toMatchObject(expected);
    }
    expect(session.sensors.hot_spot_c).toMatchObject({ max: 105.5, current: hot.at(-1) });
    expect(session.sensors.hot_spot_c!.maxAt).toBe(rows.t[hot.indexOf(105.5)]);
  });

  it('bm1 replayed after a 10-min cool-down: the session starts over, the app span keeps both runs', () => {
    const stats = createReadingStats();
    const span = events.at(-1)!.t - events[0]!.t;
    const shift = span + 10 * 60_000;
    stats.add(events, columns);
    stats.add(
      events.map((e) => ({ t: e.t + shift, values: e.values })),
      columns,
    );
    const { session, app } = stats.snapshot();
    const once = statsOf(hot);
    expect(session.since).toBe(events[0]!.t + shift);
    expect(session.sensors.hot_spot_c).toMatchObject({ ...once, maxAt: rows.t[hot.indexOf(105.5)]! + shift });
    expect(app.since).toBe(events[0]!.t);
    expect(app.sensors.hot_spot_c).toMatchObject({
      ...once,
      count: once.count * 2,
      maxAt: rows.t[hot.indexOf(105.5)],
    });
  });

  it('another sensor set (a new GPU-Z header) 1 s after the last row: a new session, the app span keeps both', () => {
    const ada = sampleRows(ADA);
    const stats = createReadingStats();
    stats.add(ada.events, ada.columns);
    const shift = ada.events.at(-1)!.t + 1000 - events[0]!.t;
    stats.add(
      events.map((e) => ({ t: e.t + shift, values: e.values })),
      columns,
    );
    const { session, app } = stats.snapshot();
    expect(session.since).toBe(events[0]!.t + shift);
    expect(session.sensors.gpu_temperature_c).toMatchObject(statsOf(rows.values.gpu_temperature_c!));
    expect(Object.keys(session.sensors)).toEqual(columns.map((c) => c.key));
    expect(Object.keys(app.sensors).length).toBeGreaterThan(columns.length);
    expect(app.since).toBe(ada.events[0]!.t);
    expect(app.sensors.gpu_temperature_c).toMatchObject(
      statsOf([...ada.rows.values.gpu_temperature_c!, ...rows.values.gpu_temperature_c!]),
    );
  });

  it('no rows: nothing to show', () => {
    expect(createReadingStats().snapshot()).toEqual({
      session: { since: null, sensors: {} },
      app: { since: null, sensors: {} },
    });
  });
});
