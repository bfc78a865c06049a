import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createLogParser } from '../../../shared/parse';
import { encodeProcessed, type Producer, processRawObject, type RowMessage } from '../../../shared/process';
import { SAMPLES_DIR } from '../../../test-support/services';
import { loadCheckpoint } from './checkpoint';
import { forwardProcessed } from './forward-processed';
import { createFolderSource } from './sources';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const ADA = 'gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt';

/** A local store folder holding the processed documents of two real logs (356 + 3 rows). */
async function storeWithTwoBatches(
  inputs: Record<string, string | Buffer> = {
    'raw/pc/2024/04/20/a-0-1.csv.gz': ADA,
    'raw/pc/2017/06/17/b-0-1.csv.gz': 'gpuz/intel-igpu-gpuz-2017-old-names-tiny-lf.txt',
  },
): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'gpuz-forward-'));
  dirs.push(root);
  for (const [key, file] of Object.entries(inputs)) {
    const body = (async function* () {
      yield gzipSync(typeof file === 'string' ? readFileSync(`${SAMPLES_DIR}${file}`) : file);
    })();
    const outcome = await processRawObject(
      { sourceKey: key, body, timeZone: 'UTC' },
      { createParser: createLogParser },
    );
    if (outcome.kind !== 'processed') throw new Error('expected processed');
    const path = join(root, key.replace('raw/', 'processed/').replace('.csv.gz', '.json.gz'));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, await encodeProcessed(outcome.batch));
  }
  await writeFile(join(root, 'processed', 'notes.txt'), 'not a batch');
  await writeFile(join(root, 'processed/pc/2024/04/20/a-0-1.json.gz.meta.json'), '{}');
  return root;
}

function recordingProducer(failOnCall?: number) {
  const sent: RowMessage[] = [];
  let calls = 0;
  const producer: Producer = {
    async send(batch) {
      calls += 1;
      if (calls === failOnCall) throw new Error('broker went away');
      sent.push(...batch);
    },
    disconnect: async () => {},
  };
  return { producer, sent };
}

describe('forwardProcessed', () => {
  it('sends every row once; a rerun with the same checkpoint sends nothing', async () => {
    const root = await storeWithTwoBatches();
    const checkpointFile = join(root, 'state', 'cp.json');
    const first = recordingProducer();
    const progress: number[] = [];
    const report = await forwardProcessed({
      source: createFolderSource(root),
      producer: first.producer,
      checkpoint: await loadCheckpoint(checkpointFile),
      onProgress: (p) => progress.push(p.done),
    });
    expect(report).toEqual({
      objects: 2,
      skipped: 0,
      unreadable: 0,
      problems: [],
      rowsSent: 359,
      rowsAlreadySent: 0,
      rowsRepeated: 0,
    });
    expect(new Set(first.sent.map((m) => m.key)).size).toBe(359);
    expect(first.sent[0]!.key).toBe('pc:b-0-1:0');
    expect(progress).toEqual([0, 1, 2]);

    const again = recordingProducer();
    const rerun = await forwardProcessed({
      source: createFolderSource(root),
      producer: again.producer,
      checkpoint: await loadCheckpoint(checkpointFile),
    });
    expect(rerun).toEqual({
      objects: 0,
      skipped: 2,
      unreadable: 0,
      problems: [],
      rowsSent: 0,
      rowsAlreadySent: 359,
      rowsRepeated: 0,
    });
    expect(again.sent).toHaveLength(0);
  });

  it('resumes after a broker failure at the first row that was not acknowledged', async () => {
    const root = await storeWithTwoBatches();
    const checkpointFile = join(root, 'state', 'cp.json');
    const broken = recordingProducer(3);
    const run = (producer: Producer) =>
      loadCheckpoint(checkpointFile).then((checkpoint) =>
        forwardProcessed({ source: createFolderSource(root), producer, checkpoint, batchSize: 100 }),
      );
    // Object 1 (3 rows) goes out in call 1; object 2 (356 rows) gets calls 2 and 3, and call 3 fails.
    await expect(run(broken.producer)).rejects.toMatchObject({
      code: 'FORWARD_KAFKA_FAILED',
      advice: expect.stringContaining('The 100 rows sent without an answer may have reached Kafka'),
    });
    expect(broken.sent).toHaveLength(103);

    const fixed = recordingProducer();
    expect(await run(fixed.producer)).toEqual({
      objects: 1,
      skipped: 1,
      unreadable: 0,
      problems: [],
      rowsSent: 256,
      rowsAlreadySent: 103,
      rowsRepeated: 0,
    });
    expect([...broken.sent, ...fixed.sent].map((m) => m.key).sort()).toEqual(
      [
        ...Array.from({ length: 3 }, (_, i) => `pc:b-0-1:${i}`),
        ...Array.from({ length: 356 }, (_, i) => `pc:a-0-1:${i}`),
      ].sort(),
    );
  });

  it('only forwards batches dated on or after --since', async () => {
    const root = await storeWithTwoBatches();
    const { producer, sent } = recordingProducer();
    const report = await forwardProcessed({
      source: createFolderSource(root),
      producer,
      checkpoint: await loadCheckpoint(join(root, 'cp.json')),
      since: '2020-01-01',
    });
    expect(report.rowsSent).toBe(356);
    expect(sent.every((m) => m.key.startsWith('pc:a-0-1:'))).toBe(true);
  });

  it('reports an unreadable object and carries on with the others', async () => {
    const root = await storeWithTwoBatches();
    await mkdir(join(root, 'processed/pc/2024/04/21'), { recursive: true });
    await writeFile(join(root, 'processed/pc/2024/04/21/bad-0-1.json.gz'), gzipSync('{"schema":"other/v9"}'));
    const { producer, sent } = recordingProducer();
    const report = await forwardProcessed({
      source: createFolderSource(root),
      producer,
      checkpoint: await loadCheckpoint(join(root, 'cp.json')),
    });
    expect(report).toMatchObject({ objects: 2, unreadable: 1, rowsSent: 359 });
    expect(report.problems[0]).toContain('processed/pc/2024/04/21/bad-0-1.json.gz has schema "other/v9"');
    expect(sent).toHaveLength(359);
  });

  it('sends a row of one host and time stamp once when two objects carry it (a range cut again)', async () => {
    // Prepare: the real log, and rows 100–299 of it again in a second object (header + those rows)
    const lines = readFileSync(`${SAMPLES_DIR}${ADA}`)
      .toString('latin1')
      .split(/(?<=\n)/);
    const again = Buffer.from([lines[0], ...lines.slice(101, 301)].join(''), 'latin1');
    const root = await storeWithTwoBatches({
      'raw/pc/2024/04/20/a-0-1.csv.gz': ADA,
      'raw/pc/2024/04/20/a-50000-120000-g1.csv.gz': again,
    });
    const { producer, sent } = recordingProducer();
    // Act
    const report = await forwardProcessed({
      source: createFolderSource(root),
      producer,
      checkpoint: await loadCheckpoint(join(root, 'state', 'cp.json')),
    });
    // Assess
    const times = sent.map((m) => (JSON.parse(m.value) as { t: number }).t);
    expect(new Set(times).size).toBe(times.length);
    expect(report).toMatchObject({ rowsSent: 356, rowsRepeated: 200 });
  });

  it('sends rows whose time stamps repeat with other readings (the clock set back), and a copied row once', async () => {
    // Prepare: rows 1–100 of the real log; a second object with rows 101–200 stamped like rows 1–100 (the clock set
    // back 100 s) and a copy of row 100 as it was
    const lines = readFileSync(`${SAMPLES_DIR}${ADA}`)
      .toString('latin1')
      .split(/(?<=\n)/);
    const first = Buffer.from(lines.slice(0, 101).join(''), 'latin1');
    const setBack = lines.slice(101, 201).map((line, i) => lines[1 + i]!.slice(0, 19) + line.slice(19));
    const second = Buffer.from([lines[0], ...setBack, lines[100]].join(''), 'latin1');
    const root = await storeWithTwoBatches({
      'raw/pc/2024/04/20/b-0-1.csv.gz': first,
      'raw/pc/2024/04/20/b-1-2.csv.gz': second,
    });
    const { producer, sent } = recordingProducer();
    // Act
    const report = await forwardProcessed({
      source: createFolderSource(root),
      producer,
      checkpoint: await loadCheckpoint(join(root, 'state', 'cp.json')),
    });
    // Assess: 100 + 100 rows, each once; the copy of row 100 is not sent again
    expect(report).toMatchObject({ rowsSent: 200, rowsRepeated: 1 });
    expect(new Set(sent.map((m) => (JSON.parse(m.value) as { t: number }).t)).size).toBe(100);
  });
});
