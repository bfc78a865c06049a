import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { SAMPLES_DIR } from '../../../test-support/services';
import { createLocalStore } from '../store/local';
import { dataLinesOf, rawLines, sorted } from './agent.test-support';

/**
 * Crash safety: a writer replays a real log while the agent process is SIGKILLed at random moments and
 * restarted; afterwards every complete line written is in exactly one raw object.
 */
const SAMPLE = join(SAMPLES_DIR, 'gpuz', 'nvidia-turing-usbc-gpuz-2023-trunc2mb.txt');
const KILLS = 24;

describe('agent crash safety (real processes, SIGKILL)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gpuz-crash-'));
  const bundles = { agent: join(dir, 'agent.mjs'), writer: join(dir, 'writer.mjs') };

  beforeAll(async () => {
    for (const [name, entry] of [
      ['agent', 'crash-agent.test-support.ts'],
      ['writer', 'crash-writer.test-support.ts'],
    ] as const) {
      await build({
        entryPoints: [join(import.meta.dirname, entry)],
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        outfile: bundles[name],
        logLevel: 'silent',
      });
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`loses and duplicates nothing across ${KILLS} SIGKILLs`, async () => {
    const log = join(dir, 'GPU-Z Sensor Log.txt');
    const storeDir = join(dir, 'store');
    const stateDir = join(dir, 'state');
    const writer = spawn(process.execPath, [bundles.writer, SAMPLE, log, '250'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const writerDone = new Promise<void>((resolve) => writer.on('exit', () => resolve()));
    let kills = 0;
    let seed = 11;
    const random = () => {
      seed = (seed * 69069 + 1) % 4294967296;
      return seed / 4294967296;
    };
    while (kills < KILLS) {
      const agent = spawn(process.execPath, [bundles.agent, log, storeDir, stateDir, 'watch'], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await started(agent);
      await delay(100 + random() * 600);
      agent.kill('SIGKILL');
      await new Promise((resolve) => agent.on('exit', resolve));
      kills++;
    }
    await writerDone;
    const final = spawn(process.execPath, [bundles.agent, log, storeDir, stateDir, 'once'], {
      stdio: 'inherit',
    });
    expect(await new Promise((resolve) => final.on('exit', resolve))).toBe(0);

    const written = dataLinesOf(readFileSync(log));
    expect(written.length).toBe(3083);
    const got = await rawLines(createLocalStore({ root: storeDir }));
    expect(got.objects).toBeGreaterThan(KILLS);
    expect(got.data.length).toBe(written.length);
    expect(sorted(got.data)).toEqual(sorted(written));
  }, 90_000);
});

function started(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`agent exited early with ${code}`)));
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
