import {
  appendFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir, uptime } from 'node:os';
import { join } from 'node:path';
import { runRepair } from '../../cli/commands/repair';
import { runUpload, type UploadOptions } from '../../cli/commands/upload';
import { createLocalStore } from '../store/local';
import { collectIo, dataLinesOf, rawLines, sample, sorted } from './agent.test-support';
import { createAgent } from './index';

/**
 * The damaged-state matrix: every state file the agent keeps, damaged the ways disks, crashes and people damage
 * them, then the `upload` command run on it (and `repair` where it refuses). Each case: no row lost (or the loss
 * said with its byte range), none twice, no stack trace, and a message that names the file.
 */
const { lines } = sample('gpuz/nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt');
const PART1 = lines(0, 600);
const PART2 = lines(600, 900);
const OTHER_LOG = sample('gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt').bytes;

const STACK = /\n\s+at .+:\d+/;

describe('damaged-state matrix (upload and repair commands, real sample)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gpuz-damaged-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const log = () => join(dir, 'GPU-Z Sensor Log.txt');
  const state = (name = '') => join(dir, 'state', name);
  const options = (): UploadOptions => ({
    file: log(),
    local: join(dir, 'store'),
    stateDir: state(),
    watch: false,
    compress: true,
    estimate: false,
    host: 'pc',
    tz: 'UTC',
  });
  const upload = async () => {
    const io = collectIo();
    return { code: await runUpload(options(), io), text: io.text() };
  };
  const repair = async () => {
    const io = collectIo();
    const code = await runRepair(
      { file: log(), local: join(dir, 'store'), stateDir: state(), host: 'pc', tz: 'UTC', yes: true },
      { ...io, confirm: null },
    );
    return { code, text: io.text() };
  };
  const stored = () => rawLines(createLocalStore({ root: join(dir, 'store') }));
  /**
   * Seals what the log holds past the checkpoint into 60 KB batches that stay in the spool (paused, as during an
   * outage); their manifests' names, sorted.
   */
  async function spoolUnsent(): Promise<string[]> {
    const agent = createAgent({
      logPath: log(),
      host: 'pc',
      timeZone: 'UTC',
      stateDir: state(),
      intervalMs: 3_600_000,
      maxBatchBytes: 60_000,
      compress: true,
      store: createLocalStore({ root: join(dir, 'store') }),
      watch: false,
    });
    await agent.start();
    agent.pause();
    await agent.uploadNow();
    await agent.stop();
    return readdirSync(state('spool'))
      .filter((n) => n.endsWith('.json'))
      .sort();
  }

  describe('checkpoint.json', () => {
    const checkpoint = () => JSON.parse(readFileSync(state('checkpoint.json'), 'utf8'));
    const refused: [string, (text: string) => string][] = [
      ['empty', () => ''],
      ['zero-filled to its length (a power cut)', (text) => '\0'.repeat(text.length)],
      ['garbage', () => 'ÿØÿà\u0000JFIF garbage'],
      ['truncated', (text) => text.slice(0, Math.floor(text.length / 2))],
      ['a list', () => '[]'],
      ['null', () => 'null'],
      ['a newer version', (text) => JSON.stringify({ ...JSON.parse(text), version: 4 })],
      ['no identity but an offset', (text) => JSON.stringify({ ...JSON.parse(text), identity: null })],
      ['a negative offset', (text) => JSON.stringify({ ...JSON.parse(text), offset: -5 })],
      ['a float offset', (text) => JSON.stringify({ ...JSON.parse(text), offset: 1234.5 })],
      ['a string offset', (text) => JSON.stringify({ ...JSON.parse(text), offset: '335400' })],
    ];
    it.each(refused)(
      '%s: refused naming the file and `repair`; repair rebuilds it from the store; nothing sent twice',
      async (_name, damage) => {
        // Prepare: part 1 is in the store, then the checkpoint is damaged and the log grows
        writeFileSync(log(), PART1);
        expect((await upload()).code).toBe(0);
        writeFileSync(state('checkpoint.json'), damage(readFileSync(state('checkpoint.json'), 'utf8')));
        appendFileSync(log(), PART2);
        // Act
        const refusedRun = await upload();
        const repaired = await repair();
        const after = await upload();
        // Assess
        expect(refusedRun.code).toBe(2);
        expect(refusedRun.text).toMatch(
          /checkpoint\.json is damaged: .+ — Run `gpuz-cloud repair --state-dir/,
        );
        expect(refusedRun.text).not.toMatch(STACK);
        expect(repaired).toMatchObject({
          code: 0,
          text: expect.stringMatching(
            /done: checkpoint\.json: set aside as .*checkpoint\.json\.damaged-.*; rebuilt at byte \d+/,
          ),
        });
        expect(after.code).toBe(0);
        expect(sorted((await stored()).data)).toEqual(sorted(dataLinesOf(Buffer.concat([PART1, PART2]))));
      },
    );

    it('rebuilt behind batches still in the spool (an outage): reading goes on after them, at every later start; nothing cut twice', async () => {
      // Prepare: part 1 in the store; part 2 cut into 60 KB batches that wait in the spool (paused, as in an outage)
      writeFileSync(log(), PART1);
      expect((await upload()).code).toBe(0);
      appendFileSync(log(), PART2);
      expect((await spoolUnsent()).length).toBeGreaterThan(1);
      // A power cut zero-fills the checkpoint; repair rebuilds it from the store: at part 1's end, behind the spool
      writeFileSync(state('checkpoint.json'), '\0'.repeat(500));
      expect(await repair()).toMatchObject({
        code: 0,
        text: expect.stringMatching(
          /reading resumes after byte \d+ .*; the batches waiting in the spool \(to byte \d+\) are sent first, and reading goes on after them/,
        ),
      });
      // Act: a run sends the spool (nothing new in the log, so no batch is sealed after it); then another run
      const sent = await upload();
      const next = await upload();
      // Assess: the second run read on after the spool's batches, not again from part 1's end (one 8 MiB batch of
      // the same rows under another key: the soak of 2026-12-07, seed 58, stored 421 rows twice so)
      expect([sent.code, next.code]).toEqual([0, 0]);
      expect(sorted((await stored()).data)).toEqual(sorted(dataLinesOf(Buffer.concat([PART1, PART2]))));
      expect(checkpoint().offset).toBe(Buffer.concat([PART1, PART2]).length);
    });

    it('damaged while the whole log waits in the spool (offline since the first start): repair says the spool goes first; nothing cut twice', async () => {
      // Prepare: every batch spooled, none stored; then a power cut zero-fills the checkpoint
      writeFileSync(log(), Buffer.concat([PART1, PART2]));
      await spoolUnsent();
      writeFileSync(state('checkpoint.json'), '\0'.repeat(500));
      // Act
      const repaired = await repair();
      const runs = [await upload(), await upload()];
      // Assess
      expect(repaired).toMatchObject({
        code: 0,
        text: expect.stringMatching(
          /holds nothing of this log: the batches waiting in the spool \(to byte \d+\) are sent first, and reading goes on after them/,
        ),
      });
      expect(runs.map((run) => run.code)).toEqual([0, 0]);
      expect(sorted((await stored()).data)).toEqual(sorted(dataLinesOf(Buffer.concat([PART1, PART2]))));
    });

    it('repair without --host and without settings looks in the host of the last upload, not this computer’s', async () => {
      // Prepare: `upload --host pc` (no settings.json), then the checkpoint is damaged
      writeFileSync(log(), PART1);
      expect((await upload()).code).toBe(0);
      writeFileSync(state('checkpoint.json'), '{"version":1,"garb');
      // Act
      const io = collectIo();
      const code = await runRepair(
        { file: log(), local: join(dir, 'store'), stateDir: state(), tz: 'UTC', yes: true },
        { ...io, confirm: null },
      );
      // Assess: it found the log under the host of the last upload (it said the store "holds nothing of this log")
      expect(code).toBe(0);
      expect(io.text()).toMatch(/rebuilt at byte \d+/);
    });

    const resumed: [string, () => void, RegExp][] = [
      [
        'deleted',
        () => unlinkSync(state('checkpoint.json')),
        /No checkpoint knew this log; the store holds it up to byte \d+/,
      ],
      [
        'naming another log',
        () => {
          const other = join(dir, 'other.txt');
          writeFileSync(other, OTHER_LOG);
          // A real identity of a real log, not this one.
          const { identity } = checkpoint();
          writeFileSync(
            state('checkpoint.json'),
            JSON.stringify({
              ...checkpoint(),
              identity: {
                ...identity,
                fileId: 'a1b2c3d4e5f6',
                fingerprint: `a1b2c3d4e5f6${identity.fingerprint.slice(12)}`,
              },
            }),
          );
        },
        /No checkpoint knew this log; the store holds it up to byte \d+/,
      ],
      [
        'a mid-line offset',
        () =>
          writeFileSync(
            state('checkpoint.json'),
            JSON.stringify({ ...checkpoint(), offset: checkpoint().offset - 100 }),
          ),
        /reading resumes by content at byte \d+, after the last line already stored that the log still holds/,
      ],
      [
        'an offset past the end',
        () =>
          writeFileSync(
            state('checkpoint.json'),
            JSON.stringify({ ...checkpoint(), offset: checkpoint().offset + 1_000_000 }),
          ),
        /shorter than the checkpoint says .*reading resumes by content/,
      ],
    ];
    it.each(resumed)(
      '%s: the agent finds where it stands and says so; nothing sent twice',
      async (_name, damage, said) => {
        // Prepare
        writeFileSync(log(), PART1);
        expect((await upload()).code).toBe(0);
        damage();
        appendFileSync(log(), PART2);
        // Act
        const run = await upload();
        // Assess
        expect(run.code).toBe(0);
        expect(run.text).toMatch(said);
        expect(sorted((await stored()).data)).toEqual(sorted(dataLinesOf(Buffer.concat([PART1, PART2]))));
      },
    );
  });

  describe('stats.json and agent.lock', () => {
    const cases: [string, () => void, number, RegExp][] = [
      [
        'stats.json empty',
        () => writeFileSync(state('stats.json'), ''),
        0,
        /stats\.json was damaged \(it is empty\); the counters start again from zero/,
      ],
      [
        'stats.json garbage',
        () => writeFileSync(state('stats.json'), '{"rowsRead": 12,,'),
        0,
        /stats\.json was damaged \(it is not JSON/,
      ],
      [
        'stats.json of wrong types',
        () => writeFileSync(state('stats.json'), '{"rowsRead":"many","bytesRead":-1}'),
        0,
        /stats\.json was damaged \(rowsRead is "many", not a count\)/,
      ],
      [
        'agent.lock garbage',
        () => writeFileSync(state('agent.lock'), '\u0000\u0000{'),
        0,
        /agent\.lock held no readable process id .*taken over/,
      ],
      [
        'agent.lock of a live process from before this boot',
        () =>
          writeFileSync(
            state('agent.lock'),
            JSON.stringify({ pid: 1, bootedAt: Date.now() - uptime() * 1000 - 86_400_000 }),
          ),
        0,
        /agent\.lock was left before this computer last started \(process 1\): taken over/,
      ],
      [
        'agent.lock of an unrelated live process',
        () =>
          writeFileSync(
            state('agent.lock'),
            JSON.stringify({ pid: 1, bootedAt: Math.round((Date.now() - uptime() * 1000) / 1000) * 1000 }),
          ),
        2,
        /Another upload agent \(process 1\) is using .* \(lock file .*agent\.lock\) — .*If no agent runs \(process 1 is another program\), delete .*agent\.lock/,
      ],
    ];
    it.each(cases)(
      '%s: said, naming the file; counters never block uploading',
      async (_name, damage, code, said) => {
        // Prepare
        writeFileSync(log(), PART1);
        expect((await upload()).code).toBe(0);
        damage();
        appendFileSync(log(), PART2);
        // Act
        const run = await upload();
        // Assess
        expect({ code: run.code, stack: STACK.test(run.text) }).toEqual({ code, stack: false });
        expect(run.text).toMatch(said);
        const expected = code === 0 ? [PART1, PART2] : [PART1];
        expect(sorted((await stored()).data)).toEqual(sorted(dataLinesOf(Buffer.concat(expected))));
      },
    );
  });

  describe('spool/', () => {
    /** Seals part 1 into several spooled batches without sending them (paused, as during an outage). */
    async function spoolPart1(): Promise<string[]> {
      writeFileSync(log(), PART1);
      return spoolUnsent();
    }
    const second = (names: string[]) => names[1]!.replace(/\.json$/, '');

    const cases: [string, (names: string[]) => void, RegExp][] = [
      [
        'manifest deleted',
        (n) => unlinkSync(state(`spool/${n[1]}`)),
        /spool\/[0-9a-f-]+\.csv\.gz had no manifest: one was made from the body/,
      ],
      [
        'manifest garbage',
        (n) => writeFileSync(state(`spool/${n[1]}`), 'not json at all'),
        /spool\/[0-9a-f-]+\.json was no manifest \(it is not JSON/,
      ],
      [
        'manifest truncated',
        (n) => truncateSync(state(`spool/${n[1]}`), 40),
        /spool\/[0-9a-f-]+\.json was no manifest \(it is not JSON/,
      ],
      [
        'manifest of wrong types',
        (n) => {
          const m = JSON.parse(readFileSync(state(`spool/${n[1]}`), 'utf8'));
          writeFileSync(state(`spool/${n[1]}`), JSON.stringify({ ...m, rows: 'many' }));
        },
        /was no manifest \(rows is "many", not a count\)/,
      ],
      [
        'manifest with a key that leaves the store',
        (n) => {
          const m = JSON.parse(readFileSync(state(`spool/${n[1]}`), 'utf8'));
          writeFileSync(state(`spool/${n[1]}`), JSON.stringify({ ...m, key: '../../escaped.csv.gz' }));
        },
        /was no manifest \(key is "\.\.\/\.\.\/escaped\.csv\.gz", not raw\//,
      ],
      [
        'body deleted',
        (n) => unlinkSync(state(`spool/${second(n)}.csv.gz`)),
        /was damaged in the spool \(its body is missing\): cut again from the log, byte for byte/,
      ],
      [
        'body empty',
        (n) => writeFileSync(state(`spool/${second(n)}.csv.gz`), ''),
        /was damaged in the spool \(its body has 0 bytes, not \d+\): cut again from the log/,
      ],
      [
        'body truncated',
        (n) => truncateSync(state(`spool/${second(n)}.csv.gz`), 100),
        /was damaged in the spool \(its body has 100 bytes, not \d+\): cut again from the log/,
      ],
      [
        'body garbage (same size)',
        (n) => {
          const path = state(`spool/${second(n)}.csv.gz`);
          writeFileSync(path, Buffer.alloc(readFileSync(path).length, 0x41));
        },
        /was damaged in the spool \(.*is damaged: it does not decompress.*\): cut again from the log/,
      ],
      [
        'junk files',
        () => {
          writeFileSync(state('spool/notes.txt'), 'my notes');
          writeFileSync(state('spool/backup.csv.gz.bak'), 'x');
        },
        /spool\/notes\.txt is no part of any batch: left alone/,
      ],
    ];
    it.each(cases)(
      '%s: repaired at start or before sending, said naming the file; every row once',
      async (_name, damage, said) => {
        // Prepare
        const names = await spoolPart1();
        expect(names.length).toBeGreaterThan(3);
        damage(names);
        // Act
        const run = await upload();
        // Assess
        expect({ code: run.code, stack: STACK.test(run.text) }).toEqual({ code: 0, stack: false });
        expect(run.text).toMatch(said);
        expect(sorted((await stored()).data)).toEqual(sorted(dataLinesOf(PART1)));
        expect(readdirSync(dir)).not.toContain('escaped.csv.gz');
      },
    );

    it('body deleted and the log gone meanwhile: the loss is said with its byte range; the rest once', async () => {
      // Prepare
      const names = await spoolPart1();
      const lost = JSON.parse(readFileSync(state(`spool/${names[1]}`), 'utf8'));
      unlinkSync(state(`spool/${second(names)}.csv.gz`));
      writeFileSync(log(), OTHER_LOG);
      // Act
      const run = await upload();
      // Assess
      expect(run.code).toBe(0);
      expect(run.text).toMatch(
        new RegExp(
          `Batch ${lost.batchId} .*${lost.rows} rows \\(bytes ${lost.start}–${lost.end} of ${lost.fileId}.*\\) are lost`,
        ),
      );
      const lostRows = new Set(dataLinesOf(PART1.subarray(lost.start, lost.end)));
      const expected = [...dataLinesOf(PART1).filter((l) => !lostRows.has(l)), ...dataLinesOf(OTHER_LOG)];
      expect(sorted((await stored()).data)).toEqual(sorted(expected));
    });
  });
});
