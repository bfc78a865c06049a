import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogParser } from '../../shared/parse';
import { SAMPLES_DIR } from '../../test-support/services';
import { createBatchBuilder, type SealedBatch } from './batch';

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
