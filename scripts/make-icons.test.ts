import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The committed icons are exactly what scripts/make-icons.mjs renders from build/icon.svg, in the sizes
// electron-builder (ICO, Linux icon set) and the tray (1× and 2×) need.
const BUILD = fileURLToPath(new URL('../build/', import.meta.url));
const SCRIPT = fileURLToPath(new URL('make-icons.mjs', import.meta.url));

function pngSize(bytes: Buffer): [number, number] {
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

/** ICONDIR + ICONDIRENTRY sizes; 0 in a byte means 256. */
function icoSizes(bytes: Buffer): number[] {
  expect(bytes.readUInt16LE(2)).toBe(1); // type 1 = icon
  const count = bytes.readUInt16LE(4);
  return Array.from({ length: count }, (_, i) => bytes[6 + i * 16] || 256);
}

describe('icons', () => {
  it('has the Windows ICO with 16–256 px, the Linux set 16–512 px and 4 tray states at 1× and 2×', () => {
    expect(icoSizes(readFileSync(join(BUILD, 'icon.ico')))).toEqual([16, 24, 32, 48, 64, 128, 256]);
    expect(pngSize(readFileSync(join(BUILD, 'icon.png')))).toEqual([512, 512]);
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512]) {
      expect(pngSize(readFileSync(join(BUILD, 'icons', `${size}x${size}.png`)))).toEqual([size, size]);
    }
    for (const state of ['watching', 'uploading', 'paused', 'error']) {
      expect(pngSize(readFileSync(join(BUILD, 'tray', `${state}.png`)))).toEqual([16, 16]);
      expect(pngSize(readFileSync(join(BUILD, 'tray', `${state}@2x.png`)))).toEqual([32, 32]);
    }
  });

  it('are up to date: a fresh render from build/icon.svg gives the same bytes', () => {
    const out = mkdtempSync(join(tmpdir(), 'gpuz-icons-'));
    try {
      const run = spawnSync(process.execPath, [SCRIPT, '--out', out], { encoding: 'utf8', timeout: 60_000 });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const files = [
        'icon.ico',
        'icon.png',
        ...readdirSync(join(out, 'icons')).map((f) => `icons/${f}`),
      ].concat(readdirSync(join(out, 'tray')).map((f) => `tray/${f}`));
      expect(files).toHaveLength(2 + 8 + 8);
      for (const file of files) {
        expect(readFileSync(join(out, file)).equals(readFileSync(join(BUILD, file))), file).toBe(true);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
