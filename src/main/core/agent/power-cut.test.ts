import {
  appendFileSync,
  closeSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runUpload, type UploadOptions } from '../../cli/commands/upload';
import { createLocalStore } from '../store/local';
import { collectIo, dataLinesOf, rawLines, sample, sorted } from './agent.test-support';

/**
 * The power-cut matrix: what a gaming PC does to GPU-Z's log between two looks of the agent, through the
 * `upload` command (one-shot, and --watch), on the real bm1 sample. Every row written is in the store exactly
 * once at the end — the ones sent before the damage too — and the command says what it found and did.
 */
const { lines } = sample('gpuz/nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt');
const HEADER = lines(0, 1);
/** The first GPU-Z session: header + 599 rows, all sent before the damage. */
const BEFORE = lines(0, 600);
/** What GPU-Z writes after a restart: a new session (its header, then later rows). */
const NEW_SESSION = Buffer.concat([HEADER, lines(700, 900)]);

interface Case {
  name: string;
  /** Damages the log after the first upload; returns the rows that exist only after the damage. */
  damage(log: string): Buffer;
  /** Whether the command says it resumed by content. */
  resumes: boolean;
}

const CASES: Case[] = [
  ...[3, 558, 1000, 4000].map((k) => ({
    name: `tail cut by ${k} bytes, then GPU-Z starts a new session`,
    damage(log: string) {
      truncateSync(log, statSync(log).size - k);
      appendFileSync(log, NEW_SESSION);
      return NEW_SESSION;
    },
    resumes: true,
  })),
  {
    name: 'NUL-filled tail (a power loss), then new rows',
    damage(log: string) {
      const fd = openSync(log, 'r+');
      writeSync(fd, Buffer.alloc(5000), 0, 5000, statSync(log).size - 5000);
      closeSync(fd);
      appendFileSync(log, NEW_SESSION);
      return NEW_SESSION;
    },
    resumes: true,
  },
  {
    name: 'log cleared and restarted by GPU-Z',
    damage(log: string) {
      truncateSync(log, 0);
      writeFileSync(log, NEW_SESSION);
      return NEW_SESSION;
    },
    resumes: false,
  },
  {
    name: 'log replaced by a file with the same first rows (a restored copy), then GPU-Z writes on',
    damage(log: string) {
      unlinkSync(log);
      const replacement = Buffer.concat([lines(0, 300), HEADER, lines(700, 1100)]);
      writeFileSync(log, replacement);
      return Buffer.concat([HEADER, lines(700, 1100)]);
    },
    resumes: true,
  },
  {
    name: 'offset past the end (the last 10 rows lost), then a new session',
    damage(log: string) {
      truncateSync(log, lines(0, 590).length);
      appendFileSync(log, NEW_SESSION);
      return NEW_SESSION;
    },
    resumes: true,
  },
];

describe('power-cut matrix (upload command, real sample): every row once, and said', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gpuz-powercut-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const options = (watch: boolean): UploadOptions => ({
    file: join(dir, 'GPU-Z Sensor Log.txt'),
    local: join(dir, 'store'),
    stateDir: join(dir, 'state'),
    watch,
    interval: 300,
    compress: true,
    estimate: false,
    host: 'pc',
    tz: 'UTC',
  });
  const stored = () => rawLines(createLocalStore({ root: join(dir, 'store') }));

  it.each(CASES)('one-shot: $name', async (c) => {
    // Prepare: the first session is sent
    const log = options(false).file;
    writeFileSync(log, BEFORE);
    expect(await runUpload(options(false), collectIo())).toBe(0);
    // Act
    const added = c.damage(log);
    const io = collectIo();
    const code = await runUpload(options(false), io);
    // Assess
    expect(code).toBe(0);
    expect(sorted((await stored()).data)).toEqual(sorted([...dataLinesOf(BEFORE), ...dataLinesOf(added)]));
    if (c.resumes) expect(io.text()).toMatch(/note: .*reading resumes by content at byte \d+/);
  });

  it.each(CASES)('watch: $name', async (c) => {
    // Prepare: the agent watches; the first session reaches the store
    const log = options(true).file;
    writeFileSync(log, BEFORE);
    const io = collectIo();
    const running = runUpload(options(true), io);
    await vi.waitFor(async () => expect((await stored()).data).toHaveLength(599), { timeout: 15_000 });
    // Act
    const added = c.damage(log);
    const expected = sorted([...dataLinesOf(BEFORE), ...dataLinesOf(added)]);
    await vi.waitFor(
      async () => expect((await stored()).data.length).toBeGreaterThanOrEqual(expected.length),
      {
        timeout: 15_000,
      },
    );
    io.stop();
    // Assess
    expect(await running).toBe(0);
    expect(sorted((await stored()).data)).toEqual(expected);
    if (c.resumes) expect(io.text()).toMatch(/note: .*reading resumes by content at byte \d+/);
  });
});
