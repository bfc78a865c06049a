import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { normaliseHost, rawKey } from '../../../shared/keys';
import { parseLog } from '../../../shared/parse';
import { SAMPLES_DIR } from '../../../test-support/services';
import { createLocalProcessor } from '../pipeline/local-processor';
import { createLocalStore, type LocalStore } from '../store/local';

/**
 * Every shared sample (GPU-Z, HWiNFO, nvidia-smi), uploaded as one raw batch each under its own host and
 * processed by the local pipeline — the store `export` reads in the tests.
 *
 *   const { store, samples } = await buildSampleStore('/tmp/store', { timeZone: 'Europe/Berlin' })
 *   samples[0] → { host: 'nvidia-ada-pwrsrc-gpuz-2024', file: 'gpuz/nvidia-ada-…txt', rows: 356, timeZone }
 */
export interface StoredSample {
  host: string;
  file: string;
  bytes: Buffer;
  rows: number;
  timeZone: string;
}

export function sampleFiles(): string[] {
  return ['gpuz', 'hwinfo', 'nvidia-smi'].flatMap((dir) =>
    readdirSync(`${SAMPLES_DIR}${dir}`)
      .sort()
      .map((name) => `${dir}/${name}`),
  );
}

export async function buildSampleStore(
  root: string,
  options: { timeZone: string; files?: { file: string; bytes?: Buffer; host?: string; batchId?: string }[] },
): Promise<{ store: LocalStore; samples: StoredSample[] }> {
  const store = createLocalStore({ root });
  const processor = createLocalProcessor({ timeZone: options.timeZone });
  const samples: StoredSample[] = [];
  try {
    const inputs: { file: string; bytes?: Buffer; host?: string; batchId?: string }[] =
      options.files ?? sampleFiles().map((file) => ({ file }));
    for (const input of inputs) {
      const bytes = input.bytes ?? readFileSync(`${SAMPLES_DIR}${input.file}`);
      const host = input.host ?? normaliseHost(input.file.replace(/^.*\//, '').replace(/\.[^.]+$/, ''));
      const parsed = parseLog(bytes, { timeZone: options.timeZone });
      const key = rawKey({
        host,
        firstLocal: parsed.rows[0]!.local,
        batchId: input.batchId ?? `sample-0-${bytes.length}`,
        compressed: true,
      });
      await store.put(key, gzipSync(bytes), {
        contentType: 'application/gzip',
        metadata: { timezone: options.timeZone },
      });
      const result = await processor.onRawStored(key, store);
      if (result.outcome !== 'processed') throw new Error(`${input.file} was ${result.outcome}`);
      samples.push({ host, file: input.file, bytes, rows: result.rows, timeZone: options.timeZone });
    }
  } finally {
    // The day documents are written behind the processed objects: done before the store is handed out, so nothing
    // writes into it afterwards (a caller that deleted the folder at once raced that write: ENOTEMPTY).
    await processor.close();
  }
  return { store, samples };
}

/**
 * A real GPU-Z log re-timed as GPU-Z would have written it from `startUtc` on in `timeZone`: each row keeps
 * its offset from the first row, and its wall-clock stamp follows the zone (so across a DST change the
 * stamps jump forward an hour, or repeat one). Bytes other than the time stamps are untouched.
 *
 *   retimeGpuzLog(bytes, { startUtc: Date.parse('2024-10-27T00:50:00Z'), timeZone: 'Europe/Berlin' })
 *     → rows stamped 02:50:00 … 02:59:59, 02:00:00 … (the repeated hour)
 */
export function retimeGpuzLog(bytes: Buffer, options: { startUtc: number; timeZone: string }): Buffer {
  const text = bytes.toString('latin1');
  const format = new Intl.DateTimeFormat('sv-SE', {
    timeZone: options.timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  let first: number | null = null;
  const retimed = text.replace(/^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})/gm, (stamp) => {
    const t = Date.parse(`${stamp.replace(' ', 'T')}Z`);
    first ??= t;
    return format.format(new Date(options.startUtc + (t - first)));
  });
  return Buffer.from(retimed, 'latin1');
}
