import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sample } from './agent/agent.test-support';
import { loadCheckpoint } from './checkpoint';
import { withoutRepeatedRows } from './data/repeated-rows';
import { forEachLine } from './log-lines';
import {
  ANCHOR_LINES,
  anchoredEnd,
  anchorFinder,
  anchorsOf,
  isAnchorList,
  joinAnchors,
  MIN_RUN,
} from './resume-anchors';

const { lines } = sample('gpuz/nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt');
/** Header + 599 rows of the real bm1 sample, and a reader over any bytes (short at the end, like a file). */
const LOG = lines(0, 600);
const readerOf = (bytes: Buffer) => async (at: number, length: number) => bytes.subarray(at, at + length);

describe('resume anchors (the last lines sealed, by place and hash)', () => {
  it('cover the last ANCHOR_LINES complete lines of a range, at their places in the log', () => {
    // Act
    const anchors = anchorsOf(LOG, 0);

    // Assess
    expect(anchors).toHaveLength(ANCHOR_LINES);
    const last = anchors.at(-1)!;
    expect(last[0] + last[1]).toBe(LOG.length);
    expect(isAnchorList(anchors)).toBe(true);
  });

  it.each([
    ['the log unchanged', (log: Buffer) => log, 'all'],
    [
      'its last 1,000 bytes cut, a new session after',
      (log: Buffer) => Buffer.concat([log.subarray(0, log.length - 1000), lines(0, 1), lines(700, 710)]),
      'cut',
    ],
    [
      'its last 5,000 bytes NUL-filled',
      (log: Buffer) => Buffer.concat([log.subarray(0, log.length - 5000), Buffer.alloc(5000)]),
      'nul',
    ],
  ])('%s: anchored up to the last line still in place', async (_name, damage, kind) => {
    // Prepare
    const anchors = anchorsOf(LOG, 0);
    const damaged = damage(LOG);

    // Act
    const end = await anchoredEnd(readerOf(damaged), anchors);

    // Assess: the end of the last whole line before the first changed byte
    const firstChange = kind === 'all' ? LOG.length : kind === 'cut' ? LOG.length - 1000 : LOG.length - 5000;
    const expected = LOG.subarray(0, firstChange).lastIndexOf(0x0a) + 1;
    expect(end).toBe(kind === 'all' ? LOG.length : expected);
  });

  it.each([1, ANCHOR_LINES - 1, ANCHOR_LINES, ANCHOR_LINES + 1, 600])(
    'of %i lines (and a cut line after them): the last ones, hashed from the end, as every line hashed would give',
    (count) => {
      // Prepare: every complete line hashed, the last ANCHOR_LINES kept (what a restart compares against)
      const range = Buffer.concat([lines(0, count), Buffer.from('2026-01-01 00:00:0')]);
      const every: [number, number, string][] = [];
      let at = 0;
      for (let end = range.indexOf(0x0a); end >= 0; end = range.indexOf(0x0a, at)) {
        const line = range.subarray(at, end + 1);
        every.push([1000 + at, line.length, createHash('sha256').update(line).digest('hex').slice(0, 16)]);
        at = end + 1;
      }

      // Act
      const anchors = anchorsOf(range, 1000);

      // Assess
      expect(anchors).toEqual(every.slice(-ANCHOR_LINES));
    },
  );

  it('the same lines elsewhere (a log replaced by one that repeats them later) are not taken for them', async () => {
    // Prepare: the 256 anchored lines, now 100 bytes further on
    const anchors = anchorsOf(LOG, 0);
    const shifted = Buffer.concat([Buffer.alloc(100, 0x20), LOG]);

    // Act / Assess
    expect(await anchoredEnd(readerOf(shifted), anchors)).toBeNull();
  });

  it('join the lists of consecutive batches, and start afresh after a gap', () => {
    // Prepare
    const first = anchorsOf(lines(0, 100), 0);
    const next = anchorsOf(lines(100, 120), lines(0, 100).length);

    // Act / Assess
    expect(joinAnchors(first, next)).toHaveLength(120);
    expect(joinAnchors(first, anchorsOf(lines(101, 120), lines(0, 101).length))).toHaveLength(19);
    expect(joinAnchors(null, next)).toEqual(next);
  });

  it.each([
    [[[0, 10, 'zz']]],
    [[[5, 0, '0123456789abcdef']]],
    [
      [
        [20, 5, '0123456789abcdef'],
        [0, 5, '0123456789abcdef'],
      ],
    ],
    ['x'],
  ])('refuse a list that is not one: %j', (value) => {
    expect(isAnchorList(value)).toBe(false);
  });
});

describe('old checkpoints', () => {
  it('a version 2 checkpoint (no anchors) is still read; its resume falls back to time stamps', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'gpuz-ckpt-'));
    const path = join(dir, 'checkpoint.json');
    const fingerprint = 'a'.repeat(64);
    writeFileSync(
      path,
      JSON.stringify({
        version: 2,
        identity: { fileId: fingerprint.slice(0, 12), length: 600, fingerprint },
        offset: 4096,
        uploadedOffset: 4096,
        sessionHeader: null,
        tail: { length: 4096, sha256: 'b'.repeat(64) },
        lastRow: { local: '2026-10-25 02:59:55', sha256: 'c'.repeat(64) },
        generation: 0,
        note: null,
        updatedAt: '2026-10-25T00:59:56.000Z',
      }),
    );

    // Act
    const checkpoint = await loadCheckpoint(path);

    // Assess
    expect(checkpoint).toMatchObject({ version: 3, offset: 4096, anchors: null });
    rmSync(dir, { recursive: true });
  });
});

describe('anchored lines found in another file (a log edited in an editor)', () => {
  /** The finder, fed every line of `file`. */
  const finderOf = (anchors: ReturnType<typeof anchorsOf>, file: Buffer) => {
    const finder = anchorFinder(anchors);
    forEachLine(file, (start, end) => finder.visit(start, file.subarray(start, end)));
    return finder;
  };
  /** Where the finder says reading resumes in `file`. */
  const endIn = (anchors: ReturnType<typeof anchorsOf>, file: Buffer) => finderOf(anchors, file).end();
  const toLf = (bytes: Buffer) => Buffer.from(bytes.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');

  it.each([
    ['the same file', (b: Buffer) => b],
    ['LF line ends', toLf],
    [
      'its first 400 rows cut away and LF',
      (b: Buffer) => toLf(Buffer.concat([lines(0, 1), b.subarray(lines(0, 401).length)])),
    ],
  ])('%s: the end of the newest anchored row, wherever it is now', async (_name, edit) => {
    // Prepare: anchors of the log's first 500 lines; the edited file goes on with rows 500–599
    const anchors = anchorsOf(lines(0, 500), 0);
    const edited = edit(LOG);
    const last = edit(lines(0, 500))
      .toString('latin1')
      .split(/(?<=\n)/)
      .at(-1)!;

    // Act
    const end = endIn(anchors, edited);

    // Assess: just after row 499, as the edited file writes it; the run's lines are anchors of the edited file
    expect(end).toBe(edited.indexOf(last, 0, 'latin1') + last.length);
    const placed = finderOf(anchors, edited).anchors();
    expect(isAnchorList(placed)).toBe(true);
    expect(placed.length).toBeGreaterThanOrEqual(MIN_RUN);
    expect(await anchoredEnd(readerOf(edited), placed)).toBe(end);
  });

  it('a header alone never counts, however many logs of that card start with it', () => {
    // Prepare: the last line sealed was a new session's header; a new log begins with the same header
    const anchors = anchorsOf(Buffer.concat([lines(0, 300), lines(0, 1)]), 0).slice(-1);

    // Act / Assess
    expect(endIn(anchors, Buffer.concat([lines(0, 1), lines(500, 600)]))).toBeNull();
  });

  it(`a row needs a run of ${MIN_RUN} anchored lines (fewer only when the anchors are fewer)`, () => {
    // Prepare: the file holds one anchored row among others, then two consecutive ones
    const anchors = anchorsOf(lines(0, 300), 0);
    const one = Buffer.concat([lines(0, 1), lines(250, 251), lines(400, 410)]);
    const three = Buffer.concat([lines(0, 1), lines(250, 253), lines(400, 410)]);
    const four = Buffer.concat([lines(0, 1), lines(250, 254), lines(400, 410)]);

    // Act / Assess
    expect(endIn(anchors, one)).toBeNull();
    expect(endIn(anchors, three)).toBeNull();
    expect(endIn(anchors, four)).toBe(Buffer.concat([lines(0, 1), lines(250, 254)]).length);
    expect(endIn(anchorsOf(lines(250, 251), 0), one)).toBe(
      Buffer.concat([lines(0, 1), lines(250, 251)]).length,
    );
  });

  it('no anchored line in the file (another log): null', () => {
    expect(endIn(anchorsOf(lines(0, 300), 0), lines(300, 600))).toBeNull();
  });
});

describe('read side: a row is its time stamp and its readings', () => {
  it('rows of a repeated hour (same stamp, other readings) stay; a row carried twice counts once', () => {
    // Prepare: object b repeats 3 (a copy of a's row) and has its own row at 3 (the clock went back)
    const a = { t: [1, 2, 3], values: { clock: [210, 215, 220] } };
    const b = { t: [3, 3, 4], values: { clock: [220, 1800, 1805] } };

    // Act
    const [keptA, keptB] = withoutRepeatedRows([a, b]);

    // Assess
    expect(keptA).toEqual(a);
    expect(keptB).toEqual({ t: [3, 4], values: { clock: [1800, 1805] } });
  });
});
