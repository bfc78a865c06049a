import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSampleStore } from '../../core/export/sample-store.test-support';
import { type ExportCommandOptions, runExport } from './export';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      out: { write: (text: string) => out.push(text) },
      err: Object.assign(
        { write: (text: string) => err.push(text) },
        { isTTY: false },
      ) as unknown as NodeJS.WritableStream,
    },
    out,
    err,
  };
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('gpuz-cloud export', () => {
  it('exports a local store and says what it wrote; a second run says it was up to date', async () => {
    const root = mkdtempSync(join(tmpdir(), 'gpuz-export-cli-'));
    dirs.push(root);
    await buildSampleStore(join(root, 'store'), {
      timeZone: 'UTC',
      files: [{ file: 'gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt' }],
    });
    const options: ExportCommandOptions = {
      local: join(root, 'store'),
      out: join(root, 'out'),
      format: 'parquet',
    };
    const first = capture();
    expect(await runExport(options, first.io)).toBe(0);
    expect(first.out.join('')).toMatch(
      /^exported 356 rows on 1 day \(\d+\.\d kB\) to .*; 0 days up to date; read 1 batch, skipped 0 unchanged\n$/,
    );
    const second = capture();
    expect(await runExport(options, second.io)).toBe(0);
    expect(second.out.join('')).toContain('exported 0 rows on 0 days');
    expect(second.out.join('')).toContain('1 day up to date; read 0 batches, skipped 1 unchanged');
  });

  it('exits 2 with advice for arguments that cannot work', async () => {
    const both = capture();
    expect(await runExport({ local: '/x', bucket: 'b', out: '/o', format: 'parquet' }, both.io)).toBe(2);
    expect(both.err.join('')).toContain('Give either --bucket or --local, not both.');
    const order = capture();
    expect(
      await runExport(
        { local: '/x', out: '/o', format: 'parquet', from: '2026-02-01', to: '2026-01-01' },
        order.io,
      ),
    ).toBe(2);
    expect(order.err.join('')).toContain('--from 2026-02-01 is after --to 2026-01-01');
  });
});
