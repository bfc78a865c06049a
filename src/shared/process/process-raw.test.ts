import { readdirSync, readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { SAMPLES_DIR } from '../../test-support/services';
import { createLogParser } from '../parse';
import { createBatchBuilder } from './batch-builder';
import { encodeProcessed } from './encode-processed';
import { type ProcessOutcome, processRawObject } from './process-raw';
import { schemaErrors, validateProcessed, validateQuarantine } from './testing/schema-validators';
import type { ProcessedDocument, QuarantineDocument } from './types';

const KEY = 'raw/gaming-pc/2024/04/20/f1-0-187068.csv.gz';
const sample = (path: string) => readFileSync(`${SAMPLES_DIR}${path}`);

async function* chunks(bytes: Uint8Array, size = 1000): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function run(
  body: Uint8Array,
  options: { key?: string | undefined; maxCells?: number | undefined } = {},
): Promise<ProcessOutcome> {
  return processRawObject(
    { sourceKey: options.key ?? KEY, body: chunks(body), timeZone: 'Europe/Berlin' },
    {
      createParser: createLogParser,
      now: () => new Date('2024-04-20T12:00:00Z'),
      maxCells: options.maxCells,
    },
  );
}

async function processed(body: Uint8Array): Promise<ProcessedDocument> {
  const outcome = await run(body);
  if (outcome.kind !== 'processed') throw new Error(`quarantined: ${outcome.document.reason.message}`);
  const document = JSON.parse(gunzipSync(await encodeProcessed(outcome.batch)).toString('utf8'));
  expect(schemaErrors(validateProcessed, document)).toEqual([]);
  return document;
}

async function quarantined(body: Uint8Array, key?: string): Promise<QuarantineDocument> {
  const outcome = await run(body, { key });
  if (outcome.kind !== 'quarantine') throw new Error('expected a quarantine document');
  expect(schemaErrors(validateQuarantine, outcome.document)).toEqual([]);
  return outcome.document;
}

// Expected figures computed independently with awk over the sample files (rows; min/max of columns 2–5).
describe('processRawObject on real GPU-Z logs', () => {
  it('turns a gzip batch into one schema-valid columnar document with per-minute rollups', async () => {
    const doc = await processed(gzipSync(sample('gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt')));
    expect(doc).toMatchObject({
      host: 'gaming-pc',
      batchId: 'f1-0-187068',
      format: 'gpuz',
      timeZone: 'Europe/Berlin',
    });
    expect(doc.summary.rows).toBe(356);
    expect(doc.sessions[0]!.t).toHaveLength(356);
    expect(doc.sessions[0]!.values.gpu_clock_mhz).toHaveLength(356);
    expect(doc.summary.columns.gpu_clock_mhz).toMatchObject({ min: 2325, max: 2640, count: 356 });
    expect(doc.summary.columns.hot_spot_c).toMatchObject({ min: 62.1, max: 72.2 });
    // 13:02:09 CEST = 11:02:09 UTC.
    expect(doc.summary.firstT).toBe(Date.UTC(2024, 3, 20, 11, 2, 9));
    expect(doc.summary).toMatchObject({
      firstLocal: '2024-04-20 13:02:09',
      lastLocal: '2024-04-20 13:08:04',
    });
    // 13:02:09 … 13:08:04 spans 7 minutes; the first holds seconds 09–59.
    expect(doc.rollups.t).toHaveLength(7);
    expect(doc.rollups.t[0]).toBe(Date.UTC(2024, 3, 20, 11, 2, 0));
    expect(doc.rollups.columns.gpu_clock_mhz!.count[0]).toBe(51);
    expect(doc.rollups.columns.gpu_clock_mhz!.count.reduce((a, b) => a + b, 0)).toBe(356);
  });

  it('marks a batch whose header the uploader prepended as continuing the session, after a rewrite (-g1) too', async () => {
    // Prepare: a later batch of the real Ada log — the range holds rows only, the header goes before it.
    const log = sample('gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt');
    const header = log.subarray(0, log.indexOf(0x0a) + 1);
    const rows = log.subarray(header.length);
    const body = gzipSync(Buffer.concat([header, rows]));
    const range = `f1-${5000}-${5000 + rows.length}`;
    const firstOf = async (id: string) => {
      const outcome = await run(body, { key: `raw/gaming-pc/2024/04/20/${id}.csv.gz` });
      if (outcome.kind !== 'processed') throw new Error('expected a processed document');
      return outcome.batch.sessions[0]!;
    };
    // Act / Assess: prepended (more bytes than the range) — the session goes on from the previous batch, whether
    // or not the log was rewritten under the checkpoint before (a resume by content: ids get -g<n>).
    expect((await firstOf(range)).header).toBe(false);
    expect((await firstOf(`${range}-g1`)).header).toBe(false);
    expect((await firstOf(`${range}-g12`)).header).toBe(false);
    // The range itself starts with the header (GPU-Z started a session there): a session start.
    expect((await firstOf(`f1-0-${header.length + rows.length}-g1`)).header).toBe(true);
  });

  it('keeps the 12 sessions of a multi-session AMD log and its duplicate column', async () => {
    const doc = await processed(sample('gpuz/amd-radeon-hbm2-gpuz-2020-12-sessions.txt'));
    expect(doc.sessions).toHaveLength(12);
    expect(doc.summary.rows).toBe(1673);
    expect(doc.sessions.reduce((n, s) => n + s.t.length, 0)).toBe(1673);
    expect(doc.summary.columns.memory_clock_mhz).toMatchObject({ min: 200, max: 1750 });
    expect(doc.summary.columns.uvd_clock_mhz).toMatchObject({ min: 0, max: 105 });
    expect(doc.summary.columns.uvd_clock_mhz_2).toMatchObject({ min: 0, max: 102 });
  });

  it('keeps "-" readings as null and leaves them out of the statistics', async () => {
    const doc = await processed(sample('gpuz/igpu-gpuz-2024-lf-midfile-header-dashes.txt'));
    expect(doc.summary.rows).toBe(1006);
    expect(doc.summary.columns.gpu_clock_mhz).toMatchObject({ min: 99.8, max: 947.7 });
    expect(doc.summary.columns.gpu_load_pct).toMatchObject({ min: 0, max: 97 });
    const voltage = doc.sessions.flatMap((s) => s.values.gpu_voltage_v ?? []);
    const readings = voltage.filter((v) => v !== null).length;
    expect(voltage.length - readings).toBeGreaterThan(0);
    expect(doc.summary.columns.gpu_voltage_v?.count).toBe(readings);
  });

  it('encodes deterministically, so a reprocessed object has the same bytes (and S3 ETag)', async () => {
    const bytes = sample('gpuz/intel-igpu-gpuz-2017-old-names-tiny-lf.txt');
    const a = await run(bytes);
    const b = await run(bytes);
    if (a.kind !== 'processed' || b.kind !== 'processed') throw new Error('expected processed');
    expect(
      Buffer.from(await encodeProcessed(a.batch)).equals(Buffer.from(await encodeProcessed(b.batch))),
    ).toBe(true);
  });
});

describe('the columnar path (the parser writing rows into the builder)', () => {
  const all = ['gpuz', 'hwinfo', 'nvidia-smi'].flatMap((dir) =>
    readdirSync(`${SAMPLES_DIR}${dir}`).map((name) => `${dir}/${name}`),
  );

  it.each(all)('gives %s the same document bytes as the row events do', async (path) => {
    const bytes = gzipSync(sample(path));
    const encode = async (createParser: typeof createLogParser) => {
      const outcome = await processRawObject(
        { sourceKey: KEY, body: chunks(bytes, 777), timeZone: 'America/New_York' },
        { createParser, now: () => new Date('2024-04-20T12:00:00Z') },
      );
      if (outcome.kind !== 'processed') throw new Error(outcome.document.reason.message);
      return Buffer.from(await encodeProcessed(outcome.batch));
    };
    const columnar = await encode(createLogParser);
    // The same parser without the sink: every row a RowEvent, fed to the builder one by one.
    const events = await encode((options) => createLogParser({ ...options, sink: undefined }));
    expect(columnar.equals(events)).toBe(true);
  });

  it('keeps byte rows and text rows in order in a damaged log cut into 61-byte chunks', async () => {
    // The real Ada log with rows the byte path declines between rows it takes: an exponent and an N/A cell (read
    // as text), an impossible date and a missing cell (skipped), a NUL run with a header glued behind it, and a
    // last row cut off without its line end.
    const lines = sample('gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt').toString('latin1').split('\r\n');
    const cell = (line: string, value: string) => line.replace(/,\s*[-\d.]+\s*,/, `, ${value} ,`);
    lines[3] = cell(lines[3]!, '1e3');
    lines[5] = cell(lines[5]!, 'N/A');
    lines[7] = lines[7]!.replace(/^2024-04-20/, '2024-02-30');
    lines[9] = lines[9]!.replace(/,[^,]*,\s*$/, ',');
    lines[20] = `${lines[20]}\0\0\0\0${lines[0]}`;
    const text = `${lines.slice(0, 40).join('\r\n')}\r\n${lines[40]!.slice(0, 70)}`;
    const bytes = gzipSync(Buffer.from(text, 'latin1'));
    const encode = async (createParser: typeof createLogParser) => {
      const outcome = await processRawObject(
        { sourceKey: KEY, body: chunks(bytes, 61), timeZone: 'Europe/Berlin' },
        { createParser, now: () => new Date('2024-04-20T12:00:00Z') },
      );
      if (outcome.kind !== 'processed') throw new Error(outcome.document.reason.message);
      return { summary: outcome.batch.summary, bytes: Buffer.from(await encodeProcessed(outcome.batch)) };
    };
    const columnar = await encode(createLogParser);
    const events = await encode((options) => createLogParser({ ...options, sink: undefined }));
    expect(columnar.bytes.equals(events.bytes)).toBe(true);
    expect(columnar.summary.skipReasons).toEqual({ 'bad-timestamp': 1, 'field-count': 2 });
    expect(columnar.summary.sessions).toBe(2);
  });

  it('hands out the same batch when result() is asked twice (the stats are added up once)', async () => {
    const outcome = await run(sample('gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt'));
    if (outcome.kind !== 'processed') throw new Error('expected processed');
    const builder = createBatchBuilder();
    const parser = createLogParser({ timeZone: 'Europe/Berlin', sink: builder });
    parser.push(sample('gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt'));
    parser.end();
    expect(builder.result()).toBe(builder.result());
    expect(builder.result().summary.columns).toEqual(outcome.batch.summary.columns);
  });
});

describe('processRawObject input handling', () => {
  it('detects gzip by magic bytes even when they arrive split over chunks, and plain text under a .gz name', async () => {
    const log = sample('gpuz/intel-igpu-gpuz-2017-old-names-tiny-lf.txt');
    const split = await processRawObject(
      { sourceKey: KEY, body: chunks(gzipSync(log), 1), timeZone: 'UTC' },
      { createParser: createLogParser },
    );
    const plain = await processRawObject(
      { sourceKey: KEY, body: chunks(log, 7), timeZone: 'UTC' },
      { createParser: createLogParser },
    );
    expect(split.kind === 'processed' && split.batch.summary.rows).toBe(3);
    expect(plain.kind === 'processed' && plain.batch.summary.rows).toBe(3);
  });
});

describe('processRawObject on other formats', () => {
  it('reads HWiNFO CSV', async () => {
    const doc = await processed(sample('hwinfo/hwinfo-ansi-nvidia-furmark-2017.CSV'));
    expect(doc.format).toBe('hwinfo');
    expect(doc.summary.rows).toBe(483);
  });

  it('reads nvidia-smi CSV with its GPU id on each column', async () => {
    const doc = await processed(sample('nvidia-smi/nvidia-smi-gtx1650-pstate-units-2024.csv'));
    expect(doc.format).toBe('nvidia-smi');
    expect(doc.summary.rows).toBe(80);
    expect(doc.sessions[0]!.columns[0]!.gpu).toMatch(/^GPU-/);
  });
});

describe('processRawObject quarantines bad input instead of throwing', () => {
  it('an empty object, plain or gzip', async () => {
    expect((await quarantined(new Uint8Array(0))).reason.code).toBe('EMPTY');
    expect((await quarantined(gzipSync(Buffer.alloc(0)))).reason.code).toBe('EMPTY');
  });

  it('a truncated gzip stream', async () => {
    const whole = gzipSync(sample('gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt'));
    const doc = await quarantined(whole.subarray(0, Math.floor(whole.length / 2)));
    expect(doc.reason.code).toBe('BAD_GZIP');
    expect(doc.bytes).toBe(Math.floor(whole.length / 2));
  });

  it('garbage bytes', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    expect((await quarantined(png)).reason.code).toBe('UNKNOWN_FORMAT');
  });

  it('a header without rows', async () => {
    const log = sample('gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt');
    const headerLine = log.subarray(0, log.indexOf(0x0a) + 1);
    const doc = await quarantined(headerLine);
    expect(doc.reason.code).toBe('NO_ROWS');
    expect(doc.format).toBe('gpuz');
  });

  it('a key outside raw/', async () => {
    const doc = await quarantined(Buffer.from('x'), 'uploads/notes.txt');
    expect(doc).toMatchObject({ sourceKey: 'uploads/notes.txt', reason: { code: 'FOREIGN_KEY' } });
  });

  it('a batch beyond the cell limit', async () => {
    const outcome = await run(sample('gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt'), { maxCells: 1000 });
    expect(outcome.kind === 'quarantine' && outcome.document.reason.code).toBe('TOO_LARGE');
  });

  it('rethrows an error of the body stream itself, so the caller retries', async () => {
    async function* broken(): AsyncGenerator<Uint8Array> {
      yield gzipSync(sample('gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt')).subarray(0, 100);
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    }
    await expect(
      processRawObject(
        { sourceKey: KEY, body: broken(), timeZone: 'UTC' },
        { createParser: createLogParser },
      ),
    ).rejects.toMatchObject({ code: 'ECONNRESET' });
  });
});
