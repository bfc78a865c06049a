import { createReadStream, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createLogParser } from '../../../shared/parse';
import { encodeProcessed, processRawObject } from '../../../shared/process';
import { SAMPLES_DIR } from '../../../test-support/services';
import { decodeProcessed, outlineProcessed } from './decode-processed';

/** Every real sample through the processor, as the Lambda stores it (gzip JSON): one or several sessions. */
async function storedDocuments(): Promise<{ name: string; body: Uint8Array }[]> {
  const out: { name: string; body: Uint8Array }[] = [];
  for (const folder of ['gpuz', 'hwinfo', 'nvidia-smi']) {
    for (const name of readdirSync(join(SAMPLES_DIR, folder))) {
      const outcome = await processRawObject(
        {
          sourceKey: `raw/pc/2024/04/20/f-0-${name.length}.csv`,
          body: createReadStream(join(SAMPLES_DIR, folder, name)),
          timeZone: 'Europe/Berlin',
        },
        { createParser: createLogParser },
      );
      if (outcome.kind === 'processed') out.push({ name, body: await encodeProcessed(outcome.batch) });
    }
  }
  return out;
}

describe('outlineProcessed (a document without its rows)', () => {
  it('gives what decodeProcessed gives, minus the rows, for every real sample (head and tail only, or whole)', async () => {
    const documents = await storedDocuments();
    expect(documents.length).toBeGreaterThanOrEqual(12);
    for (const { name, body } of documents) {
      const { rows, ...rest } = decodeProcessed(body, name);
      const outline = await outlineProcessed(body, name);
      expect({ name, ...outline }).toEqual({ name, ...rest, first: rows.t[0], last: rows.t.at(-1) });
    }
  });

  it('refuses a damaged body with the same error as a whole decode', async () => {
    const bad = new Uint8Array([0x1f, 0x8b, 1, 2, 3]);
    await expect(outlineProcessed(bad, 'processed/pc/x.json.gz')).rejects.toMatchObject({
      code: 'PROCESSED_UNREADABLE',
    });
  });
});
