import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogParser } from '../../shared/parse';
import { SAMPLES_DIR } from '../../test-support/services';
import { createBatchBuilder, MAX_BATCH_SPAN_MINUTES, type SealedBatch } from './batch';
import { forEachLine, rowWallMinutes } from './log-lines';

/** Every real sample: GPU-Z (damaged, UTF-16, several sessions), HWiNFO and nvidia-smi. */
const samples = ['gpuz', 'hwinfo', 'nvidia-smi'].flatMap((dir) =>
  readdirSync(join(SAMPLES_DIR, dir)).map((name) => join(dir, name)),
);

/** The file's complete lines in pieces of about `size` bytes, each ending at a line end (what the tailer gives). */
function pieces(bytes: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  let from = 0;
  while (from < bytes.length) {
    const end = bytes.indexOf(10, Math.min(bytes.length - 1, from + size - 1));
    if (end < 0) break;
    out.push(bytes.subarray(from, end + 1));
    from = end + 1;
  }
  return out;
}

function sealAll(chunks: Buffer[], readRows: boolean): { sealed: SealedBatch[]; counted: number } {
  let counted = 0;
  const builder = createBatchBuilder({
    fileId: 'a1b2c3d4e5f6',
    offset: 0,
    sessionHeader: null,
    maxBatchBytes: 48 * 1024,
    createParser: (extra) => createLogParser({ timeZone: 'Europe/Berlin', ...extra }),
    ...(readRows
      ? {
          onRows: (rows) => {
            counted += rows.length;
          },
        }
      : {
          onRowCount: (rows) => {
            counted += rows;
          },
        }),
    now: () => 0,
  });
  const sealed = chunks.flatMap((chunk) => builder.append(chunk));
  const last = builder.seal();
  if (last) sealed.push(last);
  return { sealed, counted };
}

describe('a batch builder that only counts rows (no live view: values not read)', () => {
  it.each(samples)('seals the batches of %s that a builder reading every row seals', (sample) => {
    const bytes = readFileSync(join(SAMPLES_DIR, sample));
    // Big pieces, and pieces of a line or two (a batch then ends on every piece's edge).
    for (const size of [64 * 1024, 97]) {
      const chunks = pieces(bytes, size);
      const reading = sealAll(chunks, true);
      const counting = sealAll(chunks, false);
      expect(reading.sealed.length).toBeGreaterThan(0);
      // The bodies compared as bytes (a deep compare of Buffers goes byte by byte as objects: minutes).
      const facts = (batches: SealedBatch[]) =>
        batches.map(({ body, ...rest }) => ({ ...rest, body: body.toString('base64') }));
      expect(facts(counting.sealed)).toEqual(facts(reading.sealed));
      expect(counting.counted).toBe(reading.counted);
      expect(counting.counted).toBe(reading.sealed.reduce((sum, b) => sum + b.rows, 0));
    }
  });
});

describe('nvidia-smi run once per sample (its header before every row)', () => {
  it('cuts the rows into batches by size, not one batch per row', () => {
    // Arrange: the real sample, 224 rows each after its own copy of the header, read as the tailer gives it.
    const bytes = readFileSync(
      join(SAMPLES_DIR, 'nvidia-smi', 'nvidia-smi-rtx2070-repeated-header-2023.csv'),
    );
    for (const size of [64 * 1024, 97]) {
      // Act
      const { sealed, counted } = sealAll(pieces(bytes, size), false);
      // Assess: before, 224 batches (one PUT per row); now what the 48 KiB size limit makes of its 56 KB.
      expect(counted).toBe(224);
      expect(sealed.reduce((sum, b) => sum + b.rows, 0)).toBe(224);
      expect(sealed).toHaveLength(Math.ceil(bytes.length / (48 * 1024)));
    }
  });
});

describe('a gap in the log: a PC asleep for days with GPU-Z logging, a clock set right or back', () => {
  /** The real samples of the three formats (their rows' dates rewritten below, the same width). */
  const FORMATS = [
    'gpuz/nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt',
    'hwinfo/hwinfo-ansi-nvidia-furmark-2017.CSV',
    'nvidia-smi/nvidia-smi-gtx1650-pstate-units-2024.csv',
  ];
  const MINUTE = 60_000;

  /** The sample with every row from the `at`-th on moved by `minutes` (its date and time rewritten in place). */
  function shifted(sample: string, at: number, minutes: number): { bytes: Buffer; rowOffset: number } {
    const bytes = readFileSync(join(SAMPLES_DIR, sample));
    const parts: Buffer[] = [];
    let row = 0;
    let rowOffset = -1;
    let offset = 0;
    forEachLine(bytes, (from, to) => {
      const line = bytes.subarray(from, to);
      const wall = rowWallMinutes(line);
      if (wall !== null && row++ >= at) {
        if (rowOffset < 0) rowOffset = offset;
        parts.push(restamp(line, wall, minutes));
      } else parts.push(line);
      offset += line.length;
    });
    return { bytes: Buffer.concat(parts), rowOffset };
  }

  /** The line with its written minute moved (seconds as they were), in the format it is written in. */
  function restamp(line: Buffer, wall: number, minutes: number): Buffer {
    const d = new Date((wall + minutes) * MINUTE);
    const two = (n: number) => String(n).padStart(2, '0');
    const [y, mo, da, h, mi] = [
      d.getUTCFullYear(),
      d.getUTCMonth() + 1,
      d.getUTCDate(),
      d.getUTCHours(),
      d.getUTCMinutes(),
    ];
    const text = line.toString('latin1');
    const moved = text
      .replace(/^(\s*)\d{4}-\d\d-\d\d \d\d:\d\d/, `$1${y}-${two(mo)}-${two(da)} ${two(h)}:${two(mi)}`)
      .replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d/, `${y}/${two(mo)}/${two(da)} ${two(h)}:${two(mi)}`)
      .replace(/^\d{1,2}\.\d{1,2}\.\d{4},\d{1,2}:\d\d/, `${da}.${mo}.${y},${h}:${two(mi)}`);
    expect(moved).not.toBe(text);
    return Buffer.from(moved, 'latin1');
  }

  /** Earliest and latest written minute of a batch's rows. */
  function spanOf(batch: SealedBatch): number {
    const walls: number[] = [];
    forEachLine(batch.body, (from, to) => {
      const wall = rowWallMinutes(batch.body.subarray(from, to));
      if (wall !== null) walls.push(wall);
    });
    return Math.max(...walls) - Math.min(...walls);
  }

  const rowsOf = (batches: SealedBatch[]) => batches.reduce((sum, b) => sum + b.rows, 0);

  it.each(FORMATS)('seals before the first row after 3 days asleep, and again 1 day back (%s)', (sample) => {
    for (const minutes of [3 * 24 * 60, -24 * 60]) {
      // Arrange: the rows from the 40th on written `minutes` later (a sleep) or earlier (a clock set back)
      const { bytes, rowOffset } = shifted(sample, 40, minutes);
      for (const size of [64 * 1024, 97]) {
        // Act
        const { sealed, counted } = sealAll(pieces(bytes, size), false);
        // Assess: one batch ends right before the jump, none spans it, and every row is in one batch
        expect(sealed.map((b) => b.end)).toContain(rowOffset);
        for (const batch of sealed) expect(spanOf(batch)).toBeLessThan(MAX_BATCH_SPAN_MINUTES);
        expect(rowsOf(sealed)).toBe(counted);
        expect(sealed[0]!.start).toBe(0);
        for (let i = 1; i < sealed.length; i++) expect(sealed[i]!.start).toBe(sealed[i - 1]!.end);
        // … and the batch after it is keyed at the new date (its first row), where a read of that time looks
        const after = sealed.find((b) => b.start === rowOffset)!;
        expect(after.firstLocal!.slice(0, 10)).not.toBe(sealed[0]!.firstLocal!.slice(0, 10));
      }
    }
  });

  it.each(FORMATS)('keeps rows less than 8 hours apart in one batch (%s)', (sample) => {
    const plain = sealAll(pieces(readFileSync(join(SAMPLES_DIR, sample)), 64 * 1024), false);
    const { bytes } = shifted(sample, 40, MAX_BATCH_SPAN_MINUTES - 60);
    const gapped = sealAll(pieces(bytes, 64 * 1024), false);
    expect(gapped.sealed.map((b) => [b.start, b.end])).toEqual(plain.sealed.map((b) => [b.start, b.end]));
  });
});

describe('a line longer than a whole read (a power cut’s NUL hole of megabytes, garbage without a line feed)', () => {
  it('skips its pieces as damage and keeps every batch’s range at its real place in the log', () => {
    // The tailer passes such a line on in pieces without a line feed rather than stall. Before, the builder dropped
    // them without counting their bytes: every later batch named a range 3 MiB short of its place, and so did the
    // checkpoint — a restart found other bytes there and sent the rest of the log again (lived: 160 rows twice).
    const ada = readFileSync(join(SAMPLES_DIR, 'gpuz', 'nvidia-ada-pwrsrc-gpuz-2024.txt'));
    const lines = ada.toString('latin1').split(/(?<=\n)/);
    const before = Buffer.from(lines.slice(0, 40).join(''), 'latin1');
    const after = Buffer.from(lines.slice(40, 80).join(''), 'latin1');
    const hole = Buffer.alloc(3 << 20);
    const damaged: [number, number][] = [];
    const builder = createBatchBuilder({
      fileId: 'a1b2c3d4e5f6',
      offset: 0,
      sessionHeader: null,
      maxBatchBytes: 8 << 20,
      createParser: (extra) => createLogParser({ timeZone: 'UTC', ...extra }),
      onRowCount: () => undefined,
      onDamaged: (offset, bytes) => damaged.push([offset, bytes]),
      now: () => 0,
    });
    // As the tailer gives them: the lines, the hole in 1 MiB reads, then the hole's last bytes with the next lines.
    const sealed = [
      ...builder.append(before),
      ...[0, 1, 2].flatMap((i) => builder.append(hole.subarray(i << 20, (i + 1) << 20))),
      ...builder.append(after),
    ];
    sealed.push(builder.seal()!);
    const log = Buffer.concat([before, hole, after]);
    expect(builder.offset).toBe(log.length);
    expect(sealed.map((b) => [b.start, b.end])).toEqual([
      [0, before.length],
      [before.length + hole.length, log.length],
    ]);
    for (const batch of sealed) {
      expect(batch.body.subarray(batch.prefixBytes).equals(log.subarray(batch.start, batch.end))).toBe(true);
    }
    expect(damaged.reduce((sum, [, bytes]) => sum + bytes, 0)).toBe(hole.length);
    expect(damaged[0]![0]).toBe(before.length);
    expect(sealed.reduce((sum, b) => sum + b.rows, 0)).toBe(79);
  });
});
