import type { TextEncoding } from './types';

/**
 * Bytes (chunks split anywhere) → decoded text lines with their 1-based line numbers.
 *
 *   reader.push(bytes('Date ,\r\n2024-01-01 00:00:00 ,1 ,\r\n2024'), sink)
 *     → sink.line('Date ,', 1), sink.line('2024-01-01 00:00:00 ,1 ,', 2)   ('2024' is held)
 *   reader.end(sink) → sink.line('2024', 3)
 *
 * Encoding: a BOM (UTF-8, UTF-16 LE/BE) decides; else the first line with a byte ≥ 0x80 decides between
 * strict UTF-8 and Windows-1252 (GPU-Z writes the system code page, where ° is the lone byte 0xB0, which is
 * never valid UTF-8). 8-bit text is cut into lines on the LF byte *before* decoding, so a chunk boundary
 * inside a multi-byte character cannot matter. In a UTF-8 file, a later line that is not valid UTF-8 (HWiNFO
 * writes localised Yes/No cells in GBK under a UTF-8 header) is decoded with U+FFFD and counted in `replaced` —
 * except a cell that is 是 or 否 in GBK or Big5 (withChineseYesNo), read as that word.
 * NUL runs (GPU-Z writing at its old offset after the file was truncated) end a line: the header and the row
 * glued behind the NULs come out as two lines with the same number. Blank lines are dropped.
 * A sink with a `bytes` method is offered each 8-bit line as bytes first (GPU-Z data rows are parsed there
 * without decoding or splitting strings); the lines it declines are decoded one by one, as above.
 */
export interface LineSink {
  line(text: string, line: number): void;
  /**
   * Optional fast path for 8-bit text: the line as bytes `[from, to)` (without CR/LF), before any decoding.
   * Returns true when it used the line; false sends the line down the decoded path (`line`) as usual. Only
   * an ASCII line can be taken, so the decoding (cp1252 or UTF-8) cannot matter.
   */
  bytes?(bytes: Uint8Array, from: number, to: number, line: number): boolean;
  /** A line longer than MAX_LINE_BYTES was dropped to keep memory bounded. */
  overlong(line: number): void;
}

export interface LineReader {
  push(chunk: Uint8Array, sink: LineSink): void;
  end(sink: LineSink): void;
  /** undefined until a BOM or a non-ASCII line decided it (pure ASCII is reported as utf-8 at end). */
  readonly encoding: TextEncoding | undefined;
  /** Invalid UTF-8 sequences replaced by U+FFFD, and the first line that had one. */
  readonly replaced: { count: number; firstLine: number | undefined };
}

export const MAX_LINE_BYTES = 4 * 1024 * 1024;

export function createLineReader(): LineReader {
  return new ByteLineReader();
}

/**
 * A class, not closures made per call: a parser (one per processed document) makes one, and closures made again for
 * each document got optimised code of their own that V8 threw away and compiled again at the next one
 * (emitByteLines was compiled 5–8 times per 100 MB backfill; bench/backfill.ts, `--trace-opt`).
 */
class ByteLineReader implements LineReader {
  encoding: TextEncoding | undefined = undefined;
  readonly replaced = { count: 0, firstLine: undefined as number | undefined };
  private head: Uint8Array | undefined = new Uint8Array(0);
  private pending = new Uint8Array(0);
  private pendingText = '';
  private utf16: InstanceType<typeof TextDecoder> | undefined = undefined;
  private lastWasNul = false;
  private discarding = false;
  private lineNo = 0;
  private readonly strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private readonly lenient = new TextDecoder('utf-8', { ignoreBOM: true });
  private readonly ansi = new TextDecoder('windows-1252');

  push(chunk: Uint8Array, sink: LineSink): void {
    this.feed(chunk, sink, false);
  }

  end(sink: LineSink): void {
    this.feed(new Uint8Array(0), sink, true);
    this.encoding ??= 'utf-8';
  }

  private start(bytes: Uint8Array, final: boolean): Uint8Array | undefined {
    const all = concat(this.head ?? new Uint8Array(0), bytes);
    if (all.length < 4 && !final) {
      this.head = all;
      return undefined;
    }
    this.head = undefined;
    const [b0, b1, b2, b3] = all;
    if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) {
      this.encoding = 'utf-8-bom';
      return all.subarray(3);
    }
    if ((b0 === 0xfe && b1 === 0xff) || (b0 === 0 && b1 !== 0 && b2 === 0 && b3 !== 0 && all.length >= 4)) {
      this.encoding = 'utf-16be';
    } else if ((b0 === 0xff && b1 === 0xfe) || (b0 !== 0 && b1 === 0 && b2 !== 0 && b3 === 0)) {
      this.encoding = 'utf-16le';
    }
    if (this.encoding === 'utf-16be' || this.encoding === 'utf-16le')
      this.utf16 = new TextDecoder(this.encoding);
    return all;
  }

  private decodeBlock(bytes: Uint8Array): string {
    if (this.encoding === 'windows-1252') return this.ansi.decode(bytes);
    try {
      const text = this.strict.decode(bytes);
      if (this.encoding === undefined && text.length !== bytes.length) this.encoding = 'utf-8';
      return text;
    } catch {
      return this.decodeLineByLine(bytes);
    }
  }

  private decodeLineByLine(bytes: Uint8Array): string {
    let text = '';
    let from = 0;
    let offset = 0;
    while (from < bytes.length) {
      const nl = bytes.indexOf(10, from);
      const to = nl < 0 ? bytes.length : nl + 1;
      const part = bytes.subarray(from, to);
      try {
        const decoded = this.strict.decode(part);
        if (this.encoding === undefined && decoded.length !== part.length) this.encoding = 'utf-8';
        text += decoded;
      } catch {
        if (this.encoding === undefined) {
          this.encoding = 'windows-1252';
          return text + this.ansi.decode(bytes.subarray(from));
        }
        const decoded = this.lenient.decode(withChineseYesNo(part));
        const count = countChar(decoded, 0xfffd) - countValidReplacementChars(part);
        this.replaced.count += count;
        this.replaced.firstLine ??= this.lineNo + offset + 1;
        text += decoded;
      }
      offset++;
      from = to;
    }
    return text;
  }

  private emitText(text: string, sink: LineSink, final: boolean): void {
    let from = 0;
    for (;;) {
      const nl = text.indexOf('\n', from);
      if (nl < 0 && !final) return;
      const to = nl < 0 ? text.length : nl;
      if (nl < 0 && to === from) return;
      this.lineNo++;
      const end = to > from && text.charCodeAt(to - 1) === 13 ? to - 1 : to;
      this.emitLine(text.slice(from, end), sink);
      if (nl < 0) return;
      from = nl + 1;
    }
  }

  private emitLine(text: string, sink: LineSink): void {
    if (text.indexOf('\0') < 0) {
      if (!isBlank(text)) sink.line(text, this.lineNo);
      return;
    }
    for (const piece of text.split(/\0+/)) {
      const clean = piece.endsWith('\r') ? piece.slice(0, -1) : piece;
      if (!isBlank(clean)) sink.line(clean, this.lineNo);
    }
  }

  private pushBytes(bytes: Uint8Array, sink: LineSink, final: boolean): void {
    let buffer = bytes.indexOf(0) >= 0 ? this.squeezeNuls(bytes) : bytes;
    if (buffer.length > 0) this.lastWasNul = buffer[buffer.length - 1] === 0;
    if (this.discarding) {
      const nl = buffer.indexOf(10);
      if (nl < 0) return;
      this.discarding = false;
      buffer = buffer.subarray(nl + 1);
    }
    if (this.pending.length > 0) {
      // Only the line held from the last chunk is joined with its end: the rest of the chunk is not copied.
      const nl = buffer.indexOf(10);
      if (nl >= 0) {
        this.emitBlock(concat(this.pending, buffer.subarray(0, nl + 1)), sink, final);
        this.pending = new Uint8Array(0);
        buffer = buffer.subarray(nl + 1);
      } else {
        buffer = concat(this.pending, buffer);
      }
    }
    const last = final ? buffer.length - 1 : buffer.lastIndexOf(10);
    if (last < 0) {
      this.pending = buffer.slice();
      if (this.pending.length > MAX_LINE_BYTES) {
        this.pending = new Uint8Array(0);
        this.discarding = true;
        sink.overlong(++this.lineNo);
      }
      return;
    }
    this.pending = buffer.slice(last + 1);
    this.emitBlock(buffer.subarray(0, last + 1), sink, final);
  }

  /** Whole lines (a last one without LF only when final) → the sink: as bytes first if it takes them, else decoded. */
  private emitBlock(block: Uint8Array, sink: LineSink, final: boolean): void {
    let rest = block;
    if (sink.bytes === undefined) {
      // The sink may offer its byte path only once it has seen the first line (the header names the format): that
      // line alone is decoded first, so the rest of the first chunk can take the byte path too.
      const nl = block.indexOf(10);
      if (nl < 0 || nl === block.length - 1 || this.lineNo > 0) {
        this.emitText(this.decodeBlock(block), sink, final);
        return;
      }
      this.emitText(this.decodeBlock(block.subarray(0, nl + 1)), sink, true);
      rest = block.subarray(nl + 1);
    }
    if (sink.bytes === undefined) this.emitText(this.decodeBlock(rest), sink, final);
    else this.emitByteLines(rest, sink);
  }

  /** Each line of `block` (all of it: the caller holds back a last line without LF unless it is final). */
  private emitByteLines(block: Uint8Array, sink: LineSink): void {
    let from = 0;
    while (from < block.length) {
      const nl = block.indexOf(10, from);
      const next = nl < 0 ? block.length : nl + 1;
      const to = nl < 0 ? block.length : nl;
      const end = to > from && block[to - 1] === 13 ? to - 1 : to;
      if (end > from && sink.bytes!(block, from, end, this.lineNo + 1)) this.lineNo++;
      else this.emitText(this.decodeBlock(block.subarray(from, next)), sink, true);
      from = next;
    }
  }

  /** Collapses every NUL run to one NUL (also across chunks), so a long truncation hole costs no memory. */
  private squeezeNuls(bytes: Uint8Array): Uint8Array {
    const out = allocLike(bytes, bytes.length);
    let n = 0;
    let previousNul = this.lastWasNul;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      if (b === 0 && previousNul) continue;
      previousNul = b === 0;
      out[n++] = b;
    }
    return out.subarray(0, n);
  }

  private pushText(bytes: Uint8Array, sink: LineSink, final: boolean): void {
    const decoder = this.utf16!;
    const text = this.pendingText + (final ? decoder.decode(bytes) : decoder.decode(bytes, { stream: true }));
    const last = final ? text.length : text.lastIndexOf('\n') + 1;
    this.pendingText = text.slice(last);
    if (this.pendingText.length > MAX_LINE_BYTES) {
      this.pendingText = '';
      sink.overlong(++this.lineNo);
    }
    this.emitText(text.slice(0, last), sink, final);
  }

  private feed(chunk: Uint8Array, sink: LineSink, final: boolean): void {
    const bytes = this.head !== undefined ? this.start(chunk, final) : chunk;
    if (bytes === undefined) return;
    if (this.utf16) this.pushText(bytes, sink, final);
    else this.pushBytes(bytes, sink, final);
  }
}

function isBlank(text: string): boolean {
  if (text.length === 0) return true;
  const first = text.charCodeAt(0);
  return (first === 32 || first === 9 || first === 13) && text.trim() === '';
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = allocLike(b, a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * A new byte array of the kind `like` is: a Buffer's line stays a Buffer (its indexOf is memchr, and V8's compiled
 * byte reader sees one kind of array: a joined line as a plain Uint8Array deoptimised it once per process).
 */
function allocLike(like: Uint8Array, length: number): Uint8Array {
  return typeof Buffer === 'function' && Buffer.isBuffer(like)
    ? Buffer.allocUnsafe(length)
    : new Uint8Array(length);
}

/** HWiNFO's Chinese Yes/No in the system code pages it writes them in (GBK: CA C7, B7 F1; Big5: AC 4F, A7 5F). */
const LEGACY_YES_NO = ['gbk', 'big5'].map((label) => new TextDecoder(label, { fatal: true }));
const YES_NO = new Map(['是', '否'].map((word) => [word, new TextEncoder().encode(word)]));

/**
 * A line of a UTF-8 file with HWiNFO's Yes/No cells in GBK or Big5 (the real zh-CN sample: 840 cells of 否/是 as
 * B7 F1 / CA C7 under a UTF-8 header), with those cells in UTF-8; the line itself when it has none. Only a cell of
 * exactly one such character is changed: any other byte that is not UTF-8 stays for the lenient decode to count.
 *   withChineseYesNo(bytes('1.0,\xB7\xF1,3\n')) → bytes('1.0,否,3\n')
 */
function withChineseYesNo(line: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let kept = 0;
  for (let from = 0; from < line.length; ) {
    const comma = line.indexOf(44, from);
    let to = comma < 0 ? line.length : comma;
    while (to > from && (line[to - 1] === 10 || line[to - 1] === 13)) to--;
    const word = to - from === 2 && line[from]! >= 0x80 ? yesNoOf(line.subarray(from, to)) : undefined;
    if (word) {
      parts.push(line.subarray(kept, from), word);
      kept = to;
    }
    from = comma < 0 ? line.length : comma + 1;
  }
  if (parts.length === 0) return line;
  parts.push(line.subarray(kept));
  // 是 and 否 are 3 bytes in UTF-8 against 2: the line grows by one byte per cell.
  const out = allocLike(
    line,
    parts.reduce((length, part) => length + part.length, 0),
  );
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function yesNoOf(cell: Uint8Array): Uint8Array | undefined {
  for (const decoder of LEGACY_YES_NO) {
    try {
      const word = YES_NO.get(decoder.decode(cell));
      if (word) return word;
    } catch {
      // not this code page
    }
  }
  return undefined;
}

function countChar(text: string, code: number): number {
  let n = 0;
  for (
    let i = text.indexOf(String.fromCharCode(code));
    i >= 0;
    i = text.indexOf(String.fromCharCode(code), i + 1)
  )
    n++;
  return n;
}

/** U+FFFD that the file really contains (EF BF BD) is text, not a replacement made by us. */
function countValidReplacementChars(bytes: Uint8Array): number {
  let n = 0;
  for (let i = bytes.indexOf(0xef); i >= 0 && i + 2 < bytes.length; i = bytes.indexOf(0xef, i + 1)) {
    if (bytes[i + 1] === 0xbf && bytes[i + 2] === 0xbd) n++;
  }
  return n;
}
