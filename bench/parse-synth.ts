import { once } from 'node:events';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLES_DIR } from '../src/test-support/services';

/** The real samples a synthetic log can replay (../shared/samples/gpuz/). */
export const REPLAY_SAMPLES = {
  turing: 'nvidia-turing-usbc-gpuz-2023-trunc2mb.txt',
  bm1: 'nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt',
} as const;

/**
 * Writes a GPU-Z log of about `bytes` bytes by replaying the rows of a real sample (cp1252, CRLF, one header
 * per 50,000-row session) with a clock that advances one second per row, so every timestamp is valid.
 *
 *   await synthesizeGpuzLog('/tmp/big.txt', 100e6) → 100 MB, ~147,000 rows of the Turing sample's 30 columns
 *   await synthesizeGpuzLog('/tmp/big.txt', 100e6, 'bm1') → 100 MB, 179,211 rows of bm1's 25 columns
 */
export async function synthesizeGpuzLog(
  path: string,
  bytes: number,
  sample: keyof typeof REPLAY_SAMPLES = 'turing',
): Promise<void> {
  const source = readFileSync(join(SAMPLES_DIR, 'gpuz', REPLAY_SAMPLES[sample]), 'latin1');
  const lines = source.split('\r\n').filter((l) => l.trim() !== '');
  const header = lines[0]!;
  const bodies = lines.slice(1).map((l) => l.slice(19));
  const out = createWriteStream(path, { encoding: 'latin1' });
  let written = 0;
  let t = Date.UTC(2024, 9, 26, 12, 0, 0);
  let i = 0;
  while (written < bytes) {
    let block = '';
    for (let n = 0; n < 2000; n++, i++) {
      if (i % 50_000 === 0) block += `${header}\r\n`;
      block += `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')}${bodies[i % bodies.length]}\r\n`;
      t += 1000;
    }
    written += block.length;
    if (!out.write(block)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
