import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { createGzipPieces } from './gzip-pieces';
import { MAX_NUMBER_BYTES, writeNumber } from './number-text';

const text = (value: number) => {
  const out = new Uint8Array(MAX_NUMBER_BYTES);
  return Buffer.from(out.subarray(0, writeNumber(out, 0, value))).toString('latin1');
};

describe('numbers written as bytes', () => {
  it.each([
    [0, '0'],
    [-0, '0'],
    [99.8, '99.8'],
    [-0.825, '-0.825'],
    [0.05, '0.05'],
    [1713610929000, '1713610929000'],
    [4294967296, '4294967296'],
    [123456789012345, '123456789012345'],
    [0.000001, '0.000001'],
    [1e-7, '1e-7'],
    [1e21, '1e+21'],
    [0.1 + 0.2, '0.30000000000000004'],
    [Number.NaN, 'null'],
  ])('%s → %s, as String() gives (NaN: null)', (value, expected) => {
    expect(text(value)).toBe(expected);
  });

  it('equals String() for any double, and for the decimals sensors write', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        expect(text(value)).toBe(String(value));
      }),
      { numRuns: 20_000 },
    );
    const decimal = fc
      .tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 7 }))
      .map(([m, k]) => Number(`${m / 10 ** k}`));
    fc.assert(
      fc.property(decimal, (value) => {
        expect(text(value)).toBe(String(value));
      }),
      { numRuns: 20_000 },
    );
  });

  it('a gzip stream of text and numeric arrays over several pieces is the JSON it stands for', async () => {
    const values = Float64Array.from({ length: 100_000 }, (_, i) =>
      i % 7 === 0 ? Number.NaN : Math.floor(i / 3) / 8,
    );
    const out = createGzipPieces(6);
    await out.text('{"name":"GPU Temperature [°C]","v":');
    await out.numbers([values.subarray(0, 3), values.subarray(3, 3), values.subarray(3)]);
    await out.text(`,"long":"${'x'.repeat(200_000)}","empty":`);
    await out.numbers([]);
    await out.text('}');
    const json = gunzipSync(await out.end()).toString('utf8');
    expect(json).toBe(
      JSON.stringify({
        name: 'GPU Temperature [°C]',
        v: [...values].map((v) => (Number.isNaN(v) ? null : v)),
        long: 'x'.repeat(200_000),
        empty: [],
      }),
    );
  });
});
