import { createLineReader } from './line-reader';

function readLines(chunks: Uint8Array[]): [string, number][] {
  const reader = createLineReader();
  const lines: [string, number][] = [];
  const sink = { line: (text: string, line: number) => lines.push([text, line]), overlong: () => {} };
  for (const chunk of chunks) reader.push(chunk, sink);
  reader.end(sink);
  return lines;
}

describe('createLineReader', () => {
  it('holds a last line without EOL until end()', () => {
    const reader = createLineReader();
    const lines: string[] = [];
    const sink = { line: (text: string) => lines.push(text), overlong: () => {} };
    reader.push(new TextEncoder().encode('a\r\nb'), sink);
    expect(lines).toEqual(['a']);
    reader.push(new TextEncoder().encode('c'), sink);
    expect(lines).toEqual(['a']);
    reader.end(sink);
    expect(lines).toEqual(['a', 'bc']);
  });

  it('decodes a UTF-8 character split across chunks', () => {
    const bytes = new TextEncoder().encode('x ℃\n');
    expect(readLines([bytes.subarray(0, 3), bytes.subarray(3)])).toEqual([['x ℃', 1]]);
  });

  it('reads a Yes/No cell in GBK or Big5 under a UTF-8 header as 是/否; other bytes that are not UTF-8 count as replaced', () => {
    const reader = createLineReader();
    const lines: string[] = [];
    const sink = { line: (text: string) => lines.push(text), overlong: () => {} };
    const utf8 = (text: string) => [...new TextEncoder().encode(text)];
    const bytes = Uint8Array.from([
      ...utf8('温度 [℃],A [Yes/No],B [Yes/No],C [Yes/No],D\n'),
      ...[0x31, 0x2c, 0xb7, 0xf1, 0x2c, 0xca, 0xc7, 0x2c, 0xac, 0x4f, 0x2c, 0xff, 0x0d, 0x0a], // 1,否,是,是 (Big5),\xFF
      ...[0x32, 0x2c, 0xb7, 0xf1, 0xb7, 0xf1, 0x2c, 0x2c, 0x2c, 0x0a], // a cell of two 否: not one word, replaced
    ]);
    reader.push(bytes, sink);
    reader.end(sink);
    expect(lines).toEqual([
      '温度 [℃],A [Yes/No],B [Yes/No],C [Yes/No],D',
      '1,否,是,是,\uFFFD',
      '2,\uFFFD\uFFFD\uFFFD,,,',
    ]);
    expect(reader.replaced).toEqual({ count: 4, firstLine: 2 }); // UTF-8 reads B7 F1 B7 F1 as three
  });

  it('reads a lone 0xB0 as Windows-1252 °', () => {
    const reader = createLineReader();
    const lines: string[] = [];
    const sink = { line: (text: string) => lines.push(text), overlong: () => {} };
    reader.push(Uint8Array.from([0x41, 0x0a, 0x5b, 0xb0, 0x43, 0x5d, 0x0a]), sink);
    reader.end(sink);
    expect(lines).toEqual(['A', '[°C]']);
    expect(reader.encoding).toBe('windows-1252');
  });

  it('turns a NUL run into a line end without renumbering', () => {
    const bytes = Uint8Array.from([
      ...new TextEncoder().encode('head ,'),
      0,
      0,
      0,
      ...new TextEncoder().encode('row\nnext\n'),
    ]);
    expect(readLines([bytes])).toEqual([
      ['head ,', 1],
      ['row', 1],
      ['next', 2],
    ]);
  });

  it('reads UTF-16 LE with a BOM, split inside a code unit', () => {
    const text = 'A,°\nB\n';
    const bytes = Uint8Array.from([
      0xff,
      0xfe,
      ...[...text].flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8]),
    ]);
    expect(readLines([bytes.subarray(0, 5), bytes.subarray(5)])).toEqual([
      ['A,°', 1],
      ['B', 2],
    ]);
  });
});
