import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { useBundledCli } from '../../../test-support/bundled-cli';
import { runCli } from '../../../test-support/cli-process';
import { SAMPLES_DIR } from '../../../test-support/services';
import { lineStarts } from '../../../test-support/store-lines';
import { createLocalStore } from '../store/local';

/**
 * GPU-Z killed in the middle of a row (a driver crash while overclocking, or Task Manager) and started again: it
 * appends its header to the cut row, and its new session may have other sensors (here: another card). And a write
 * that failed on a full disk: a cut row with the next row glued to it. What the built CLI stores and processes.
 */
const ADA = readFileSync(join(SAMPLES_DIR, 'gpuz', 'nvidia-ada-pwrsrc-gpuz-2024.txt'));
const BM1 = readFileSync(join(SAMPLES_DIR, 'gpuz', 'nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt'));

describe('a row cut short with the next line glued to it (built CLI, local store)', () => {
  const { dir, cli } = useBundledCli('gpuz-torn-row-');

  it('processes every whole row: the next session of another card, and the row after a cut one', async () => {
    // Prepare: ada's header and 100 rows, its 101st row cut after 37 bytes, bm1's header glued to it; in bm1, row
    // 600 cut after 50 bytes with row 601 glued to it.
    const ada = lineStarts(ADA);
    const bm1 = lineStarts(BM1);
    const log = join(dir, 'GPU-Z Sensor Log.txt');
    writeFileSync(
      log,
      Buffer.concat([
        ADA.subarray(0, ada[101]! + 37),
        BM1.subarray(0, bm1[600]! + 50),
        BM1.subarray(bm1[601]!),
      ]),
    );
    const root = join(dir, 'store');
    // Act
    const run = await runCli(cli, [
      'upload',
      '--file',
      log,
      '--local',
      root,
      '--state-dir',
      join(dir, 'state'),
    ]);
    // Assess: 100 ada rows and 1,181 of bm1's 1,182 (the cut one is no row), in documents of their own sessions.
    expect(run.code).toBe(0);
    const store = createLocalStore({ root });
    const documents: { rows: number; sessions: number; skipReasons: Record<string, number> }[] = [];
    for (const listed of await store.list('processed/')) {
      const object = await store.get(listed.key);
      const document = JSON.parse(gunzipSync(object!.body).toString('utf8')) as {
        summary: { rows: number; sessions: number; skipReasons: Record<string, number> };
      };
      documents.push(document.summary);
    }
    expect(documents.map((d) => d.rows).sort((a, b) => a - b)).toEqual([100, 1181]);
    // Before: the agent cut the header off the first cut row (35 bytes skipped, said), but the row glued to the
    // second was skipped with it as one line of the wrong cell count: 1,180 rows.
    expect(documents.map((d) => d.skipReasons)).toContainEqual({ 'field-count': 1 });
    expect(run.stderr + run.stdout).toMatch(/Skipped 35 bytes of a damaged line/);
  }, 60_000);
});
