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
      /^exported 356 rows on 1 day \(\d+(\.\d)? KB\) to .*; 0 days up to date; read 1 batch, skipped 0 unchanged\n$/,
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

  describe('says what it did not export, instead of a bare "exported 0 rows"', () => {
    /** A store with the ada sample under 'gaming-pc' and bm1 under a PC named рабочий-пк. */
    async function twoPcs() {
      const root = mkdtempSync(join(tmpdir(), 'gpuz-export-hosts-'));
      dirs.push(root);
      await buildSampleStore(join(root, 'store'), {
        timeZone: 'UTC',
        files: [
          { file: 'gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt', host: 'gaming-pc' },
          { file: 'gpuz/nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt', host: 'xn----7sbd2afhylc7e' },
        ],
      });
      return (out: string, more: Partial<ExportCommandOptions> = {}): ExportCommandOptions => ({
        local: join(root, 'store'),
        out: join(root, out),
        format: 'ndjson',
        ...more,
      });
    }

    it('a --host the store lacks: exit 2 naming the hosts it holds, as the Host picker names them', async () => {
      const options = await twoPcs();
      const run = capture();
      expect(await runExport(options('a', { host: ['gamign-pc'] }), run.io)).toBe(2);
      // Assess: before, 'exported 0 rows on 0 days …' and exit 0.
      expect(run.out.join('')).toBe('');
      expect(run.err.join('')).toBe(
        "gpuz-cloud export: No host “gamign-pc” in the store — It holds gaming-pc and рабочий-пк (xn----7sbd2afhylc7e). --host takes a PC's name as Charts' Host picker shows it.\n",
      );
    });

    it('a PC’s name as typed finds its host; one unknown among known ones is said, the others exported', async () => {
      const options = await twoPcs();
      const run = capture();
      expect(await runExport(options('b', { host: ['Рабочий-ПК', 'laptop'] }), run.io)).toBe(0);
      expect(run.out.join('')).toMatch(/^exported 1182 rows on 1 day/);
      expect(run.err.join('')).toBe(
        'gpuz-cloud export: no host “laptop” in the store; the others are exported. It holds gaming-pc and рабочий-пк (xn----7sbd2afhylc7e).\n',
      );
    });

    it('a date range without rows names the dates the store has; an empty store says so', async () => {
      const options = await twoPcs();
      const late = capture();
      expect(await runExport(options('c', { from: '2030-01-01' }), late.io)).toBe(0);
      expect(late.err.join('')).toBe(
        "gpuz-cloud export: no rows in --from 2030-01-01: the store's batches begin on 2024-04-20 … 2026-08-06 (the log's clock)\n",
      );
      const root = mkdtempSync(join(tmpdir(), 'gpuz-export-empty-'));
      dirs.push(root);
      const empty = capture();
      expect(await runExport({ local: root, out: join(root, 'out'), format: 'ndjson' }, empty.io)).toBe(0);
      expect(empty.err.join('')).toBe('gpuz-cloud export: the store holds no processed rows yet\n');
    });
  });
});
