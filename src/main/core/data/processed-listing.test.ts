/**
 * What a view LISTs of a host's processed objects: the first page and the last week, not every page of the store.
 * Before 2026-12-05 each call (sensors, extent, chart) listed the whole `processed/{host}/`: 9 pages for a year of
 * hourly objects, three times over when a page took longer than the listing was kept (27 LISTs per Charts open on
 * moto), where the cost model counted one.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dashboardListsPerMonth } from '../../../shared/cost/usage';
import { createBatchCache } from './etag-cache';
import { createCountingStore } from './memory-store.test-support';
import { createProcessedData, type ProcessedData } from './processed-data';
import type { DecodedBatch } from './types';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 11, 5, 12);
const SENSORS = [{ key: 'gpu_temperature_c', name: 'GPU Temperature', unit: '°C' }];
const KEYS = ['gpu_temperature_c'];

/** A batch of one row a minute from `start` for `minutes`, with its 1-minute rollups. */
function batch(start: number, minutes = 60): DecodedBatch {
  const t = Array.from({ length: minutes }, (_, m) => start + m * MINUTE);
  const temp = t.map((_, m) => 40 + (m % 10));
  return {
    sensors: SENSORS,
    sessionStarts: [],
    rows: { t, values: { gpu_temperature_c: temp } },
    rollups: {
      t,
      min: { gpu_temperature_c: temp },
      max: { gpu_temperature_c: temp },
      avg: { gpu_temperature_c: temp },
      count: { gpu_temperature_c: temp.map(() => 1) },
    },
  };
}

const encode = (b: DecodedBatch) => new TextEncoder().encode(JSON.stringify(b));
const decode = (body: Uint8Array) => JSON.parse(new TextDecoder().decode(body)) as DecodedBatch;
const keyOf = (host: string, start: number) =>
  `processed/${host}/${new Date(start).toISOString().slice(0, 10).replaceAll('-', '/')}/b-${start}.json.gz`;

/** `hours` hourly batches of host `pc`, the last starting at `lastStart`. */
async function hourly(hours: number, lastStart: number) {
  const store = createCountingStore();
  for (let h = hours - 1; h >= 0; h--) {
    const start = lastStart - h * HOUR;
    await store.put(keyOf('pc', start), encode(batch(start)), { contentType: 'application/json' });
  }
  store.requests.put = 0;
  return store;
}

describe('what a view lists of a host with many objects', () => {
  let dir: string;
  const opened: ProcessedData[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gpuz-listing-'));
  });
  afterEach(async () => {
    for (const data of opened.splice(0)) await data.close?.();
    await rm(dir, { recursive: true, force: true });
  });
  function open(
    store: ReturnType<typeof createCountingStore>,
    now: () => number = () => NOW,
    listTtlMs?: number,
  ) {
    const data = createProcessedData({
      store,
      cache: createBatchCache({ store, dir, decode }),
      now,
      ...(listTtlMs === undefined ? {} : { listTtlMs }),
    });
    opened.push(data);
    return data;
  }

  it('a year of hourly objects: sensors, extent and the last hour take two LISTs (the whole prefix is 9 pages)', async () => {
    // Prepare
    const last = NOW - HOUR;
    const store = await hourly(365 * 24, last);
    const data = open(store);
    // Act
    const [sensors, extent, chart] = await Promise.all([
      data.listSensors('pc'),
      data.extent('pc'),
      data.query('pc', { from: NOW - HOUR, to: NOW, keys: KEYS }),
    ]);
    // Assess
    expect(sensors).toEqual(SENSORS);
    expect(extent).toEqual({ first: last - (365 * 24 - 1) * HOUR, last: last + 59 * MINUTE });
    expect(chart.series[0]!.stats.count).toBe(60);
    expect(store.requests.list).toBe(2); // the first page, the last week
    expect(store.requests.get).toBeLessThan(10 * 24); // the summaries of the first days and the last week only

    // A month drawn next lists its own days: one page of 770 keys.
    const month = await data.query('pc', { from: NOW - 30 * DAY, to: NOW, keys: KEYS });
    expect(month.series[0]!.stats.count).toBe(30 * 24 * 60);
    expect(store.requests.list).toBe(3);
  });

  it('Sessions over all stored data lists every page once, as the cost model counts a look (none under 1,000 keys)', async () => {
    // A look at all stored data in the cost model, for `stored` objects: one host, one day, no other opens.
    const look = (stored: number) =>
      dashboardListsPerMonth({
        opensPerDay: 0,
        monthDays: 1,
        hosts: 1,
        objectsPerHostPerDay: 24,
        historyViewsPerDay: 1,
        storedObjectsPerHost: stored,
      });
    for (const hours of [2_500, 900]) {
      // Prepare: what a Sessions open asks first (the extent), then its range, as the view asks it.
      const store = await hourly(hours, NOW - HOUR);
      const data = open(store);
      const extent = await data.extent('pc');
      const before = store.requests.list;
      // Act
      const rows = await data.sessionRows('pc', { from: extent.first!, to: NOW + 60_000, keys: KEYS });
      // Assess
      expect(rows.groups.length).toBeGreaterThan(0);
      expect(store.requests.list - before).toBe(look(hours));
    }
    expect([look(2_500), look(900)]).toEqual([3, 0]);
  });

  it('stored days: counted from the first page the extent lists (no other LIST); past 1,000 keys, kept up since', async () => {
    // Prepare: a PC that uploaded 2 days a year ago and 3 days this month; one with 2,500 hours up to now.
    const sparse = createCountingStore();
    const monthStart = Date.UTC(2026, 11, 1);
    const yearAgo = monthStart - 361 * DAY;
    for (const start of [
      yearAgo,
      yearAgo + DAY,
      monthStart + DAY,
      monthStart + 2 * DAY,
      monthStart + 3 * DAY,
    ])
      for (let h = 0; h < 24; h++)
        await sparse.put(keyOf('pc', start + h * HOUR), encode(batch(start + h * HOUR)), {
          contentType: 'application/json',
        });
    const full = await hourly(2_500, NOW - HOUR);
    // Act
    const sparseData = open(sparse);
    await sparseData.extent('pc');
    const lists = sparse.requests.list;
    const sparseDays = await sparseData.storedDays('pc', monthStart);
    const fullDays = await open(full).storedDays('pc', monthStart);
    // Assess: 2 days, not the 11 months since the first; the first page's 41 days and the days after it.
    expect(sparseDays).toBe(2);
    expect(sparse.requests.list).toBe(lists);
    const firstDay = Math.floor((NOW - 2_500 * HOUR) / DAY) * DAY;
    expect(fullDays).toBe((monthStart - firstDay) / DAY);
  });

  it('stored days: a full first page that reaches past the month counts its days before it, gaps and all', async () => {
    // Prepare: 5-minute batches on 20 and 21 November, then from 2 December on: 1,000 keys before the page ends.
    const store = createCountingStore();
    const monthStart = Date.UTC(2026, 11, 1);
    const starts = [
      ...Array.from({ length: 2 * 288 }, (_, i) => monthStart - 11 * DAY + i * 5 * MINUTE),
      ...Array.from({ length: 600 }, (_, i) => monthStart + DAY + i * 5 * MINUTE),
    ];
    for (const start of starts)
      await store.put(keyOf('pc', start), encode(batch(start, 5)), { contentType: 'application/json' });
    // Act
    const days = await open(store).storedDays('pc', monthStart);
    // Assess: the two November days (not 11: the page shows the days up to 1 December held nothing).
    expect(days).toBe(2);
  });

  describe('what a host logged a day lately (loggedBytes: the byte ranges of the keys the extent lists)', () => {
    const TODAY = Date.UTC(2026, 11, 5);
    /** A batch as the agent names it: the log's bytes `from` … `from + bytes` (batch.ts). */
    const agentKey = (start: number, from: number, bytes: number, generation = '') =>
      `processed/pc/${new Date(start).toISOString().slice(0, 10).replaceAll('-', '/')}/0123456789ab-${from}-${from + bytes}${generation}.json.gz`;
    /** Hourly batches of 2,160,000 bytes (3,600 rows of 600) from 18:00 to 21:00, on `days` days before today. */
    async function evenings(days: number, last = TODAY, extra: string[] = []) {
      const store = createCountingStore();
      let offset = 0;
      for (let d = days; d >= 0; d--)
        for (let h = 18; h < 21; h++) {
          const start = last - d * DAY + h * HOUR;
          if (start > NOW) continue;
          await store.put(agentKey(start, offset, 2_160_000), encode(batch(start)), {
            contentType: 'application/json',
          });
          offset += 2_160_000;
        }
      for (const key of extra)
        await store.put(key, encode(batch(NOW - 2 * DAY)), { contentType: 'application/json' });
      return store;
    }

    it('3 h every evening for a month: 12 whole days of 6,480,000 bytes, from the extent’s LIST (none more)', async () => {
      // Prepare: 3 batches a day for 30 days (90 keys: the first page holds them all) and for 400 days (1,200).
      const month = await evenings(30);
      const year = await evenings(400);
      const yearData = open(year);
      await yearData.extent('pc');
      const lists = year.requests.list;
      // Act
      const logged = await open(month).loggedBytes('pc', TODAY);
      const yearLogged = await yearData.loggedBytes('pc', TODAY);
      // Assess: the whole days of the last 13 key dates (today left out), whether or not the first page holds them.
      expect(logged).toEqual({ days: 12, bytes: 12 * 3 * 2_160_000 });
      // The extent summarised the newest objects: their bytes over their spans (59 min of rows, a minute apart, and
      // the second of the last row) are the bytes a second of logging writes.
      expect(yearLogged).toEqual({
        days: 12,
        bytes: 12 * 3 * 2_160_000,
        bytesPerSecond: 2_160_000 / (59 * 60 + 1),
      });
      expect(year.requests.list).toBe(lists);
    });

    it('a PC that began the day before yesterday counts yesterday only; one that began today, nothing yet', async () => {
      // Prepare: from 2 days ago (its first evening may be a part of one), and from today.
      const begun = await evenings(2);
      const today = createCountingStore();
      await today.put(agentKey(TODAY + HOUR, 0, 1000), encode(batch(TODAY + HOUR)), {
        contentType: 'application/json',
      });
      // Act / Assess
      expect(await open(begun).loggedBytes('pc', TODAY)).toEqual({ days: 1, bytes: 3 * 2_160_000 });
      expect(await open(today).loggedBytes('pc', TODAY)).toBeNull();
      expect(await open(createCountingStore()).loggedBytes('pc', TODAY)).toBeNull();
    });

    it('a PC that stopped 40 days ago is measured on its last 12 days of logging, from the extent’s LIST (none more); keys without a byte range measure nothing', async () => {
      // Prepare
      const stopped = await evenings(30, TODAY - 40 * DAY);
      const stoppedData = open(stopped);
      await stoppedData.extent('pc');
      const lists = stopped.requests.list;
      const foreign = await evenings(30, TODAY, ['processed/pc/2026/12/03/export.json.gz']);
      const resumed = await evenings(30, TODAY, [agentKey(NOW - 2 * DAY, 9_000_000_000, 500, '-g1')]);
      // Act / Assess: its last 12 days of logging, up to and with its last key date, which it names
      expect(await stoppedData.loggedBytes('pc', TODAY)).toEqual({
        days: 12,
        bytes: 12 * 3 * 2_160_000,
        bytesPerSecond: 2_160_000 / (59 * 60 + 1),
        lastDay: TODAY - 40 * DAY,
      });
      expect(stopped.requests.list).toBe(lists);
      // Alone (the CLI): the same, the last key date found by folder
      expect(await open(stopped).loggedBytes('pc', TODAY)).toMatchObject({
        days: 12,
        bytes: 12 * 3 * 2_160_000,
        lastDay: TODAY - 40 * DAY,
      });
      // One evening long ago (a laptop tried once): that evening is its day of logging
      expect(await open(await evenings(0, TODAY - 40 * DAY)).loggedBytes('pc', TODAY)).toMatchObject({
        days: 1,
        bytes: 3 * 2_160_000,
        lastDay: TODAY - 40 * DAY,
      });
      expect(await open(foreign).loggedBytes('pc', TODAY)).toBeNull();
      // Logging again since today, or yesterday: its days before the break, not around the clock until tomorrow
      // (a month of evenings: the first page holds every key; 400 days: the date found by folder).
      for (const [since, days] of [
        [TODAY, 30],
        [TODAY - DAY, 30],
        [TODAY, 400],
      ] as const) {
        const back = await evenings(days, TODAY - 40 * DAY);
        await back.put(agentKey(since + HOUR, 8_000_000_000, 1000), encode(batch(since + HOUR)), {
          contentType: 'application/json',
        });
        const data = open(back);
        const expected = {
          days: 12,
          bytes: 12 * 3 * 2_160_000,
          lastDay: TODAY - 40 * DAY,
          resumedDay: since,
        };
        expect(await data.loggedBytes('pc', TODAY)).toEqual(expected);
        // Asked again (the Costs view's slider, the Settings hint at each key): no LIST more, folders included
        const lists = back.requests.list;
        expect(await data.loggedBytes('pc', TODAY)).toEqual(expected);
        expect(back.requests.list).toBe(lists);
      }
      expect(await open(resumed).loggedBytes('pc', TODAY)).toEqual({
        days: 12,
        bytes: 12 * 3 * 2_160_000 + 500,
      });
    });
  });

  it('a host that stopped 40 days ago: its newest objects are found by folder (years, months, days)', async () => {
    // Prepare
    const last = NOW - 40 * DAY;
    const store = await hourly(100 * 24, last);
    const data = open(store);
    // Act
    const extent = await data.extent('pc');
    const sensors = await data.listSensors('pc');
    // Assess
    expect(extent).toEqual({ first: last - (100 * 24 - 1) * HOUR, last: last + 59 * MINUTE });
    expect(sensors).toEqual(SENSORS);
    // The first page; the last week (empty); three folder LISTs; the last key date's days.
    expect(store.requests.list).toBe(6);
    // A newer year folder holding no date folder (a file put there by hand): the years before it are looked in
    await store.put('processed/pc/2027/notes/readme.json.gz', encode(batch(last)), {
      contentType: 'application/json',
    });
    expect((await open(store).extent('pc')).last).toBe(last + 59 * MINUTE);
  });

  it('a host that last stored 6 days ago: the last 13 days hold its last day and the 5 before it, one LIST', async () => {
    // Prepare
    const last = NOW - 6 * DAY;
    const store = await hourly(100 * 24, last);
    const data = open(store);
    // Act
    const extent = await data.extent('pc');
    // Assess
    expect(extent.last).toBe(last + 59 * MINUTE);
    expect(store.requests.list).toBe(2); // the first page, the last 13 days
  });

  it('the newest reading in a batch stored under an earlier date than the last (it reached past its day) is the extent', async () => {
    // Prepare: 50 days of hourly batches; one batch keyed 3 days before the last reaches 4 hours past them all.
    const last = NOW - 2 * HOUR;
    const store = await hourly(50 * 24, last);
    const start = last - 3 * DAY;
    await store.put(keyOf('pc', start).replace('b-', 'long-'), encode(batch(start, 3 * 24 * 60 + 6 * 60)), {
      contentType: 'application/json',
    });
    const data = open(store);
    // Act
    const extent = await data.extent('pc');
    // Assess
    expect(extent.last).toBe(start + (3 * 24 * 60 + 6 * 60 - 1) * MINUTE);
  });

  it('a host with fewer than 1,000 objects: one LIST serves the sensors, the extent and every chart', async () => {
    // Prepare
    const store = await hourly(30 * 24, NOW - 100 * DAY);
    const data = open(store);
    // Act
    await data.listSensors('pc');
    const extent = await data.extent('pc');
    await data.query('pc', { from: extent.first!, to: extent.first! + HOUR, keys: KEYS });
    await data.query('pc', { from: extent.last! - DAY, to: extent.last!, keys: KEYS });
    // Assess
    expect(store.requests.list).toBe(1);
  });

  it('a listing is kept listTtlMs from when it came (a slow one too); then an object stored meanwhile is listed', async () => {
    // Prepare: each LIST takes 12 s of the clock, more than the 10 s a listing is kept (moto took 2 s for 9 pages,
    // and the three calls of a Charts open each listed the year again).
    let now = NOW;
    const store = await hourly(2 * 24, NOW - 2 * HOUR);
    const list = store.list.bind(store);
    store.list = async (prefix, range) => {
      const listed = await list(prefix, range);
      now += 12_000;
      return listed;
    };
    const data = open(store, () => now, 10_000);
    const range = { from: NOW - HOUR, to: NOW + HOUR, keys: KEYS };
    // Act, Assess
    expect((await data.query('pc', range)).series[0]!.stats.count).toBe(0);
    await store.put(keyOf('pc', NOW - HOUR), encode(batch(NOW - HOUR)), { contentType: 'application/json' });
    now += 9_000;
    expect((await data.query('pc', range)).series[0]!.stats.count).toBe(0);
    expect(store.requests.list).toBe(1);
    now += 2_000;
    expect((await data.query('pc', range)).series[0]!.stats.count).toBe(60);
    expect(store.requests.list).toBe(2);
  });
});
