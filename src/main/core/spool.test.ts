import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSpool } from './spool';
import { spoolEntry as entry } from './spool.test-support';

describe('spool: batches just added are sent from memory', () => {
  it('the last 2 added with their log bytes are handed out once without reading the file; older ones are read and checked', async () => {
    // Prepare: three batches added with their log bytes, then every body file deleted
    const dir = mkdtempSync(join(tmpdir(), 'gpuz-spool-'));
    const spool = await openSpool({ dir, capBytes: 1 << 20 });
    const raws = [0, 1, 2].map((i) => Buffer.from(`2026-01-01 00:00:0${i} , ${i}.0 ,\r\n`, 'latin1'));
    const entries = raws.map((raw, i) => entry(i * 100, raw));
    for (const [i, e] of entries.entries()) await spool.add(e.manifest, e.body, raws[i]);
    for (const e of entries) unlinkSync(join(dir, `${e.manifest.batchId}.csv.gz`));
    // The catch-up's pending bytes count the batches as the log holds them, not compressed
    expect(spool.rawBytes).toBe(raws.reduce((sum, raw) => sum + raw.length, 0));

    // Act / Assess: the newest two from memory (once), the oldest from its (missing) file
    const newest = await spool.readChecked(entries[2]!.manifest.batchId);
    expect(newest.raw).toBe(raws[2]);
    expect(newest.body.equals(entries[2]!.body)).toBe(true);
    expect((await spool.readChecked(entries[1]!.manifest.batchId)).raw).toBe(raws[1]);
    await expect(spool.readChecked(entries[0]!.manifest.batchId)).rejects.toMatchObject({
      code: 'SPOOL_BODY_MISSING',
    });
    await expect(spool.readChecked(entries[2]!.manifest.batchId)).rejects.toMatchObject({
      code: 'SPOOL_BODY_MISSING',
    });
    rmSync(dir, { recursive: true, force: true });
  });

  it('a batch added without its log bytes is read back and checked against its manifest', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'gpuz-spool-'));
    const spool = await openSpool({ dir, capBytes: 1 << 20 });
    const raw = Buffer.from('2026-01-01 00:00:00 , 1.0 ,\r\n', 'latin1');
    const e = entry(0, raw);
    await spool.add(e.manifest, e.body);

    // Act
    const read = await spool.readChecked(e.manifest.batchId);

    // Assess
    expect(read.raw.equals(raw)).toBe(true);
    expect(read.raw).not.toBe(raw);
    rmSync(dir, { recursive: true, force: true });
  });
});
