import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { readProcessedDocument } from '../../../shared/process';
import { schemaErrors, validateProcessed } from '../../../shared/process/testing/schema-validators';
import { SAMPLES_DIR } from '../../../test-support/services';
import type { PutOptions, Store, StoredObject } from '../store/types';
import { createLocalProcessor } from './local-processor';

/** A Store kept in a Map (a fake of our own interface), recording put options and counting puts per key. */
function memoryStore() {
  const objects = new Map<string, StoredObject & { options: PutOptions; lastModified: Date }>();
  const puts = new Map<string, number>();
  const store: Store = {
    kind: 'local',
    description: 'memory',
    async put(key, body, options) {
      const lastModified = new Date();
      objects.set(key, {
        body,
        etag: `"${objects.size}"`,
        metadata: options.metadata ?? {},
        options,
        lastModified,
      });
      puts.set(key, (puts.get(key) ?? 0) + 1);
      return { etag: `"${objects.size}"` };
    },
    async get(key) {
      return objects.get(key) ?? null;
    },
    async listFolders() {
      return [];
    },
    async list(prefix) {
      return [...objects.keys()]
        .filter((key) => key.startsWith(prefix))
        .sort()
        .map((key) => ({
          key,
          size: objects.get(key)!.body.length,
          etag: objects.get(key)!.etag,
          lastModified: objects.get(key)!.lastModified,
        }));
    },
  };
  /** An object as an earlier run left it: stored a day ago. */
  const putEarlier = async (key: string, body: Uint8Array) => {
    await store.put(key, body, { contentType: 'application/gzip', metadata: { timezone: 'UTC' } });
    objects.get(key)!.lastModified = new Date(Date.now() - 86_400_000);
  };
  return { store, objects, puts, putEarlier };
}

const log = readFileSync(`${SAMPLES_DIR}gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt`);

describe('createLocalProcessor', () => {
  it('processes a stored raw batch into processed/ with the zone from its metadata', async () => {
    const { store, objects } = memoryStore();
    const key = 'raw/pc/2024/04/20/b-0-187068.csv.gz';
    await store.put(key, gzipSync(log), {
      contentType: 'text/csv',
      metadata: { timezone: 'America/New_York' },
    });

    const result = await createLocalProcessor({ timeZone: 'UTC' }).onRawStored(key, store);

    expect(result).toEqual({
      outcome: 'processed',
      outputKey: 'processed/pc/2024/04/20/b-0-187068.json.gz',
      rows: 356,
    });
    const stored = objects.get(result.outputKey!)!;
    expect(stored.options).toEqual({ contentType: 'application/json', contentEncoding: 'gzip' });
    const doc = readProcessedDocument(stored.body);
    expect(schemaErrors(validateProcessed, doc)).toEqual([]);
    // 13:02:09 EDT = 17:02:09 UTC.
    expect(doc).toMatchObject({
      timeZone: 'America/New_York',
      summary: { firstT: Date.UTC(2024, 3, 20, 17, 2, 9) },
    });
  });

  it('quarantines a broken batch, ignores keys that are not raw batches, and writes latest.json.gz on request', async () => {
    const { store, objects } = memoryStore();
    const processor = createLocalProcessor({ timeZone: 'UTC', latestJson: true });
    await store.put('raw/pc/2024/04/20/cut-0-9.csv.gz', gzipSync(log).subarray(0, 500), {
      contentType: 'text/csv',
    });
    await store.put('raw/pc/2024/04/20/ok-0-9.csv', log, { contentType: 'text/csv' });

    expect(await processor.onRawStored('raw/pc/2024/04/20/cut-0-9.csv.gz', store)).toMatchObject({
      outcome: 'quarantined',
      outputKey: 'quarantine/pc/2024/04/20/cut-0-9.json',
      code: 'BAD_GZIP',
    });
    expect(await processor.onRawStored('processed/pc/x.json.gz', store)).toMatchObject({
      outcome: 'ignored',
    });
    expect(await processor.onRawStored('raw/pc/2024/04/20/none-0-1.csv', store)).toMatchObject({
      outcome: 'missing',
    });
    await processor.onRawStored('raw/pc/2024/04/20/ok-0-9.csv', store);
    expect(readProcessedDocument(objects.get('processed/latest.json.gz')!.body).batchId).toBe('ok-0-9');
  });

  describe('heal: raw batches an earlier run stored without output (`upload --local` before 2026-12-02)', () => {
    const earlier = 'raw/pc/2024/04/20/early-0-187068.csv.gz';

    it('processes those, and only those: not a batch with a document or a record, nor one stored now', async () => {
      // Arrange: one raw batch alone, one with its processed document, one with its quarantine record, one stored
      // as the heal starts (this run's own), one damaged
      const { store, objects, puts, putEarlier } = memoryStore();
      await putEarlier(earlier, gzipSync(log));
      await putEarlier('raw/pc/2024/04/20/done-0-9.csv.gz', gzipSync(log));
      await putEarlier('processed/pc/2024/04/20/done-0-9.json.gz', gzipSync('{}'));
      await putEarlier('raw/pc/2024/04/20/bad-0-9.csv.gz', gzipSync(log).subarray(0, 500));
      await putEarlier('raw/pc/2024/04/20/kept-0-9.csv.gz', gzipSync(log).subarray(0, 500));
      await putEarlier('quarantine/pc/2024/04/20/kept-0-9.json', Buffer.from('{}'));
      await store.put('raw/pc/2024/04/20/now-0-9.csv.gz', gzipSync(log), { contentType: 'application/gzip' });
      const processor = createLocalProcessor({ timeZone: 'UTC', latestJson: true, dayRollupsDelayMs: 5 });
      const prefixes: string[] = [];
      const list = store.list.bind(store);
      store.list = (prefix, range) => {
        prefixes.push(prefix);
        return list(prefix, range);
      };

      // Act
      const result = await processor.heal(store);
      await processor.close();

      // Assess: the earlier rows are processed as the Lambda would (a day document too), never as latest.json
      expect(result).toEqual({ processed: 1, quarantined: 1, left: 0 });
      const doc = readProcessedDocument(objects.get('processed/pc/2024/04/20/early-0-187068.json.gz')!.body);
      expect(schemaErrors(validateProcessed, doc)).toEqual([]);
      expect(doc.summary.rows).toBe(356);
      expect(objects.has('quarantine/pc/2024/04/20/bad-0-9.json')).toBe(true);
      expect([...objects.keys()].filter((k) => k.startsWith('rollups/'))).toEqual([
        'rollups/pc/2024/04/20.json.gz',
      ]);
      expect(objects.has('processed/latest.json.gz')).toBe(false);
      expect(objects.has('processed/pc/2024/04/20/now-0-9.json.gz')).toBe(false);
      expect(puts.get('processed/pc/2024/04/20/done-0-9.json.gz')).toBe(1);
      expect(puts.get('quarantine/pc/2024/04/20/kept-0-9.json')).toBe(1);
      // One walk of processed/ serves this heal and the day documents' (it was two)
      expect(prefixes.filter((prefix) => prefix === 'processed/')).toHaveLength(1);
    });

    it('a batch handed to onRawStored meanwhile is processed once; close() stops after the batch in hand', async () => {
      // Arrange: three earlier batches; the agent re-sends the first from its spool as the heal starts
      const { store, puts, putEarlier } = memoryStore();
      const keys = ['a', 'b', 'c'].map((id) => `raw/pc/2024/04/20/${id}-0-187068.csv.gz`);
      for (const key of keys) await putEarlier(key, gzipSync(log));
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let holding = false;
      const put = store.put.bind(store);
      store.put = async (key, body, options) => {
        if (key.includes('/b-0-')) {
          holding = true;
          await held;
        }
        return put(key, body, options);
      };
      const processor = createLocalProcessor({ timeZone: 'UTC' });

      // Act: the spool's batch is handed over before the heal's listing comes back; close comes while the second
      // batch's document is being stored
      const healed = processor.heal(store);
      await processor.onRawStored(keys[0]!, store, { body: log, size: log.length, timeZone: 'UTC' });
      await vi.waitFor(() => expect(holding).toBe(true));
      const closed = processor.close();
      release();
      await closed;
      const result = await healed;

      // Assess
      expect(puts.get('processed/pc/2024/04/20/a-0-187068.json.gz')).toBe(1);
      expect(result).toEqual({ processed: 1, quarantined: 0, left: 1 });
      expect(puts.has('processed/pc/2024/04/20/c-0-187068.json.gz')).toBe(false);
    });
  });

  describe('on the processing thread (process-worker.ts bundled, as dist/cli and out/main hold it)', () => {
    const cache = join(import.meta.dirname, '../../../../node_modules/.cache');
    mkdirSync(cache, { recursive: true });
    const dir = mkdtempSync(join(cache, 'gpuz-process-worker-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const bm1 = readFileSync(`${SAMPLES_DIR}gpuz/nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt`);
    const key = `raw/pc/2026/01/01/b-0-${bm1.length}.csv.gz`;

    it('stores the same bytes as this thread does, from the stored object or from the log bytes just stored', async () => {
      // Prepare
      await build({
        entryPoints: [join(import.meta.dirname, 'process-worker.ts')],
        outfile: join(dir, 'process-worker.mjs'),
        bundle: true,
        platform: 'node',
        format: 'esm',
        packages: 'external',
        logLevel: 'silent',
      });
      const thread = pathToFileURL(join(dir, 'process-worker.mjs'));
      const { store, objects } = memoryStore();
      const gz = gzipSync(bm1, { level: 3 });
      await store.put(key, gz, { contentType: 'application/gzip', metadata: { timezone: 'Europe/Berlin' } });
      const processedKey = key.replace(/^raw/, 'processed').replace('.csv.gz', '.json.gz');
      const inThisThread = createLocalProcessor({ timeZone: 'UTC' });
      await inThisThread.onRawStored(key, store);
      const expected = Buffer.from(objects.get(processedKey)!.body);
      const processor = createLocalProcessor({ timeZone: 'UTC', thread });

      // Act
      const fromStore = await processor.onRawStored(key, store);
      const fromStore2 = Buffer.from(objects.get(processedKey)!.body);
      const fromBytes = await processor.onRawStored(key, store, {
        body: Buffer.from(new Uint8Array(bm1)),
        size: gz.length,
        timeZone: 'Europe/Berlin',
      });
      await processor.close();

      // Assess
      expect(fromStore).toEqual({ outcome: 'processed', outputKey: processedKey, rows: 1182 });
      expect(fromBytes).toEqual(fromStore);
      expect(fromStore2.equals(expected)).toBe(true);
      expect(Buffer.from(objects.get(processedKey)!.body).equals(expected)).toBe(true);
      expect(readProcessedDocument(expected)).toMatchObject({
        sourceBytes: gz.length,
        timeZone: 'Europe/Berlin',
      });
    });

    it('a thread that cannot start: the batch is processed in this thread instead', async () => {
      // Prepare
      const broken = join(dir, 'broken-worker.mjs');
      writeFileSync(broken, "throw new Error('no worker here');\n");
      const { store, objects } = memoryStore();
      const processor = createLocalProcessor({ timeZone: 'UTC', thread: pathToFileURL(broken) });

      await store.put(key, bm1, { contentType: 'text/csv', metadata: { timezone: 'UTC' } });
      // A buffer of its own: moved to the thread, which fails, so the batch is read again from the store.
      const body = Buffer.from(new Uint8Array(bm1));

      // Act
      const result = await processor.onRawStored(key, store, { body, size: bm1.length, timeZone: 'UTC' });
      await processor.close();

      // Assess
      expect(body.byteLength).toBe(0);
      expect(result).toMatchObject({ outcome: 'processed', rows: 1182 });
      expect(objects.has(result.outputKey!)).toBe(true);
    });

    it('a thread that fails with three batches out: each is processed in this thread or fails on its own', async () => {
      // Prepare: all jobs are posted before the thread fails (the second failure found no thread to close and
      // crashed the process), and the third batch is gone from the store (its error came before the first batch
      // was stored: an unhandled rejection)
      const broken = join(dir, 'broken-worker.mjs');
      writeFileSync(broken, "throw new Error('no worker here');\n");
      const { store, objects } = memoryStore();
      const processor = createLocalProcessor({ timeZone: 'UTC', thread: pathToFileURL(broken) });
      const keys = [key, key.replace('b-0-', 'b-1-'), key.replace('b-0-', 'b-2-')];
      for (const k of keys.slice(0, 2)) {
        await store.put(k, bm1, { contentType: 'text/csv', metadata: { timezone: 'UTC' } });
      }
      const stored = () => ({ body: Buffer.from(new Uint8Array(bm1)), size: bm1.length, timeZone: 'UTC' });

      // Act
      const results = await Promise.allSettled(keys.map((k) => processor.onRawStored(k, store, stored())));
      await processor.close();

      // Assess
      const [first, second, third] = results.map((r) => (r.status === 'fulfilled' ? r.value : r.reason));
      expect([first, second]).toMatchObject([
        { outcome: 'processed', rows: 1182 },
        { outcome: 'processed', rows: 1182 },
      ]);
      expect(objects.has(first.outputKey) && objects.has(second.outputKey)).toBe(true);
      expect(third).toBeInstanceOf(Error);
      expect(String(third)).toContain('is gone from the store');
    });
  });
});
