import { createReadStream, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
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
    for (const { body } of documents) {
      const text = gunzipSync(body).toString('utf8');
      expect(text.indexOf('"rollups":')).toBeLessThan(text.indexOf('"sessions":['));
    }
    for (const { name, body } of documents) {
      const { rows, ...rest } = decodeProcessed(body, name);
      const outline = await outlineProcessed(body, name);
      const first = Math.min(...rows.t);
      const last = Math.max(...rows.t);
      expect({ name, ...outline }).toEqual({ name, ...rest, first, last });
    }
  });

  it('reads only the head: damaged after its first 16 KB, a document gives the same outline or a clear error, never another', async () => {
    const documents = (await storedDocuments()).filter(({ body }) => body.length > 16 * 1024);
    const fromHead: string[] = [];
    for (const { name, body } of documents) {
      const damaged = Uint8Array.from(body);
      damaged.fill(0, 16 * 1024);
      const outline = await outlineProcessed(damaged, name).catch((error: unknown) => error);
      if (outline instanceof Error) expect(outline).toMatchObject({ code: 'PROCESSED_UNREADABLE' });
      else {
        expect(outline).toEqual(await outlineProcessed(body, name));
        fromHead.push(name);
      }
    }
    // bm1: 26 KB gzip, its outline the first 12 KB of 143 KB of JSON.
    expect(fromHead).toContain('nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt');
  });

  it('reads documents written before the rollups came first (rows first) to the same outline', async () => {
    for (const { name, body } of await storedDocuments()) {
      const { sessions, rollups, summary, ...header } = JSON.parse(gunzipSync(body).toString('utf8'));
      const olderText = JSON.stringify({ ...header, sessions, rollups, summary });
      expect(olderText.indexOf('"sessions":[')).toBeLessThan(olderText.indexOf('"rollups":'));
      const older = gzipSync(olderText);
      expect({ name, ...(await outlineProcessed(older, name)) }).toEqual({
        name,
        ...(await outlineProcessed(body, name)),
      });
    }
  });

  it('refuses a damaged body with the same error as a whole decode', async () => {
    const bad = new Uint8Array([0x1f, 0x8b, 1, 2, 3]);
    await expect(outlineProcessed(bad, 'processed/pc/x.json.gz')).rejects.toMatchObject({
      code: 'PROCESSED_UNREADABLE',
    });
  });
});
