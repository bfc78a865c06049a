import { once } from 'node:events';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLES_DIR } from '../src/test-support/services';

/**
 * Writes a GPU-Z log of about `bytes` bytes by replaying the rows of real samples (cp1252, CRLF, one header
 * per 50,000-row session) with a clock that advances one second per row, so every timestamp is valid.
 *
 *   await synthesizeGpuzLog('/tmp/big.txt', 100e6) → 100 MB, ~147,000 rows of the Turing sample's 30 columns
 */
export async function synthesizeGpuzLog(path: string, bytes: number): Promise<void> {
  const source = readFileSync(join(SAMPLES_DIR, 'gpuz/nvidia-turing-usbc-gpuz-2023-trunc2mb.txt'), 'latin1');
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
