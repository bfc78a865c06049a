#!/usr/bin/env node
// Generates every raster icon from SVG (run after editing build/icon.svg, then commit the results):
//   node scripts/make-icons.mjs [--out <dir>]      (default: build/; the test renders into a temp folder)
//   build/icon.svg → build/icon.png (512), build/icons/{16..512}x{…}.png (Linux), build/icon.ico (Windows, 16–256)
//   tray glyph + state badge → build/tray/{watching,uploading,paused,error}.png (16 px) and @2x (32 px)
// resvg renders (prebuilt binary from npm, no system libraries); png-to-ico packs the ICO.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import pngToIco from 'png-to-ico';

const BUILD = fileURLToPath(new URL('../build/', import.meta.url));
export const ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512];
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
export const TRAY_STATES = ['watching', 'uploading', 'paused', 'error'];

/** SVG text → PNG bytes at `size`×`size`. */
export function renderPng(svg, size) {
  const resvg = new Resvg(svg, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } });
  return resvg.render().asPng();
}

// The tray glyph: a cloud in the task bar's light colour, with a coloured badge that carries the state.
// Shapes only (no text), so it stays legible at 16 px on dark and light task bars (dark outline).
const BADGES = {
  watching: { fill: '#22c55e', mark: '<circle cx="24" cy="24" r="2.6" fill="#fff"/>' },
  uploading: {
    fill: '#3b82f6',
    mark: '<path d="M24 19.5 l4.5 5 h-3 v4 h-3 v-4 h-3 z" fill="#fff"/>',
  },
  paused: {
    fill: '#f59e0b',
    mark: '<rect x="20.6" y="19.5" width="2.6" height="9" fill="#fff"/><rect x="24.8" y="19.5" width="2.6" height="9" fill="#fff"/>',
  },
  error: {
    fill: '#ef4444',
    mark: '<rect x="22.7" y="18.5" width="2.6" height="7" fill="#fff"/><rect x="22.7" y="27" width="2.6" height="2.6" fill="#fff"/>',
  },
};

export function traySvg(state) {
  const badge = BADGES[state];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 32 32">
  <path d="M8 22 a5.5 5.5 0 0 1 1-10.9 a7.5 7.5 0 0 1 14-0.6 a5.2 5.2 0 0 1 1.5 10.2 z"
    fill="#e2e8f0" stroke="#0f172a" stroke-width="1.6" stroke-linejoin="round"/>
  <circle cx="24" cy="24" r="7.4" fill="${badge.fill}" stroke="#0f172a" stroke-width="1.4"/>
  ${badge.mark}
</svg>`;
}

export async function makeIcons(buildDir = BUILD) {
  const svg = await readFile(join(BUILD, 'icon.svg'), 'utf8');
  await mkdir(join(buildDir, 'icons'), { recursive: true });
  await mkdir(join(buildDir, 'tray'), { recursive: true });
  const pngs = new Map(ICON_SIZES.map((size) => [size, renderPng(svg, size)]));
  for (const [size, png] of pngs) await writeFile(join(buildDir, 'icons', `${size}x${size}.png`), png);
  await writeFile(join(buildDir, 'icon.png'), /** @type {Buffer} */ (pngs.get(512)));
  await writeFile(join(buildDir, 'icon.ico'), await pngToIco(ICO_SIZES.map((size) => pngs.get(size))));
  for (const state of TRAY_STATES) {
    const glyph = traySvg(state);
    await writeFile(join(buildDir, 'tray', `${state}.png`), renderPng(glyph, 16));
    await writeFile(join(buildDir, 'tray', `${state}@2x.png`), renderPng(glyph, 32));
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  const at = process.argv.indexOf('--out');
  await makeIcons(at > 0 ? process.argv[at + 1] : BUILD);
  process.stdout.write(`icons written to build/ in ${Math.round(performance.now() - started)} ms\n`);
}
