// Bundles the processor Lambda (lambda/handler.ts) for the nodejs22.x runtime and zips it.
//   node scripts/build-lambda.mjs  →  dist/lambda/index.mjs (+ .map)  →  dist/lambda/gpu-processor.zip
// Handler setting for the function: `index.handler`. @aws-sdk/* is provided by the runtime (left out);
// kafkajs and our code are bundled. Source maps apply with NODE_OPTIONS=--enable-source-maps.

import { once } from 'node:events';
import { createWriteStream, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { build } from 'esbuild';
import yazl from 'yazl';

const outDir = 'dist/lambda';
const zipPath = `${outDir}/gpu-processor.zip`;

export async function buildLambda() {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const started = performance.now();
  await build({
    entryPoints: ['lambda/handler.ts'],
    outfile: `${outDir}/index.mjs`,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    external: ['@aws-sdk/*'],
    sourcemap: true,
    minify: true,
    keepNames: true,
    legalComments: 'linked',
    // kafkajs is CommonJS and requires Node built-ins; an ES module has no `require` of its own.
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    logLevel: 'warning',
  });
  const zip = new yazl.ZipFile();
  // A fixed mtime keeps the zip byte-identical for identical code (Terraform's source hash stays put).
  const mtime = new Date('2000-01-01T00:00:00Z');
  for (const file of ['index.mjs', 'index.mjs.map', 'index.mjs.LEGAL.txt']) {
    try {
      zip.addBuffer(readFileSync(`${outDir}/${file}`), file, { mtime, mode: 0o100644 });
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'ENOENT') throw error;
    }
  }
  zip.end();
  const written = once(zip.outputStream.pipe(createWriteStream(zipPath)), 'close');
  await written;
  return {
    zipPath,
    zipBytes: statSync(zipPath).size,
    bundleBytes: statSync(`${outDir}/index.mjs`).size,
    ms: Math.round(performance.now() - started),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { zipBytes, bundleBytes, ms } = await buildLambda();
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(
    `built ${zipPath}: ${kb(zipBytes)} zipped (index.mjs ${kb(bundleBytes)}) in ${ms} ms — handler index.handler, runtime nodejs22.x`,
  );
}
