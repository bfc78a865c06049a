import { canonicalKey } from './column-keys';
import { splitNameAndUnit } from './columns';
import {
  type EventOut,
  type FormatHandler,
  gluedLineStart,
  hasCellCount,
  skipBadTimestamp,
  skipBeforeHeader,
  skipFieldCount,
  skipGluedStart,
} from './handler';
import { parseCell, readDigits } from './numbers';
import { readIsoLikeTimestamp, type Stamper } from './timestamps';
import type { Column } from './types';
import { slugify } from './units';

/**
 * `nvidia-smi --query-gpu=… --format=csv` lines → session and row events, one series per GPU.
 *
 *   'timestamp, index, name, utilization.gpu [%], memory.used [MiB]'
 *   '2023/06/22 18:56:56.252, 0, NVIDIA GeForce RTX 2070, 22 %, 841 MiB'
 *     → session { columns: gpu_load_pct (gpu '0'), memory_used_mb (gpu '0') }
 *     → row { values: [22, 841], text: { index: '0', name: 'NVIDIA GeForce RTX 2070' } }
 *
 * The first GPU keeps the plain keys (so a one-GPU log lines up with GPU-Z); every further GPU gets its
 * columns appended with keys suffixed `_gpu<index>`, announced by a new session event. A header equal to the
 * current one is ignored (scripts often run nvidia-smi once per sample and append, header included).
 * `[N/A]`, `[Not Supported]` and other bracketed notes read as null.
 */
export function createNvidiaSmiHandler(stamp: Stamper): FormatHandler {
  let fields: Field[] | undefined;
  let headerText = '';
  let idField = -1;
  let session = -1;
  let columns: Column[] = [];
  let gpus = new Map<string, { offset: number; suffix: string }>();
  let warnedNoHeader = false;

  function header(text: string): void {
    if (text === headerText) return;
    headerText = text;
    fields = text.split(',').map((cell) => toField(cell));
    idField =
      ['index', 'uuid', 'pci.bus_id']
        .map((n) => fields!.findIndex((f) => f.name === n))
        .find((i) => i >= 0) ?? -1;
    gpus = new Map();
    columns = [];
  }

  function gpuFor(cells: string[], line: number, out: EventOut): { offset: number; suffix: string } {
    const id = idField >= 0 ? cells[idField]!.trim() : '0';
    const known = gpus.get(id);
    if (known) return known;
    const ordinal = gpus.size;
    const suffix = ordinal === 0 ? '' : `_gpu${fields![idField]?.name === 'index' ? id : ordinal}`;
    const entry = { offset: columns.length, suffix };
    gpus.set(id, entry);
    const numeric = fields!.filter((f) => f.kind === 'number');
    columns = [
      ...columns,
      ...numeric.map((f) => ({ name: f.name, unit: f.unit, key: f.key + suffix, gpu: id })),
    ];
    session++;
    out.push({ type: 'session', session, format: 'nvidia-smi', columns, line });
    return entry;
  }

  function row(text: string, line: number, out: EventOut): void {
    if (fields === undefined) {
      skipBeforeHeader(line, out, warnedNoHeader);
      warnedNoHeader = true;
      return;
    }
    const cells = text.split(',');
    if (cells.length !== fields.length) {
      if (!readGlued(text, line, out)) out.push(skipFieldCount(line, fields.length, cells.length));
      return;
    }
    const t = readTimestamp(cells[0]!, stamp);
    if (t === undefined) {
      if (!readGlued(text, line, out)) out.push(skipBadTimestamp(line, cells[0]!));
      return;
    }
    const gpu = gpuFor(cells, line, out);
    const values: (number | null)[] = new Array(columns.length).fill(null);
    const textCells: Record<string, string> = {};
    let n = gpu.offset;
    for (let i = 1; i < fields.length; i++) {
      const field = fields[i]!;
      const cell = cells[i]!.trim();
      if (field.kind === 'number') values[n++] = parseSmiCell(cell, field.rawUnit);
      else textCells[field.key + gpu.suffix] = cell;
    }
    const local = cells[0]!.trim().slice(0, 19).replace(/\//g, '-');
    out.push({ type: 'row', session, line, t: t, local, values, text: textCells });
  }

  /**
   * A row cut short (nvidia-smi killed mid-write: scripts that run it once per sample and append) with the header
   * or row written next glued behind it: the cut start is skipped, the glued line read on its own (as the agent's
   * batches cut it). False when no whole header or row starts after the broken start.
   *
   *   '2023/06/22 18:57:00.362, 0, NVtimestamp, index, name, …' → skip, then the header
   */
  function readGlued(text: string, line: number, out: EventOut): boolean {
    const cells = fields!.length;
    const start = gluedLineStart(
      text,
      GLUED_START,
      (rest) => isHeader(rest) || (hasCellCount(rest, cells) && isWholeRow(rest, cells)),
    );
    if (start <= 0) return false;
    out.push(skipGluedStart(line, start));
    readLine(text.slice(start), line, out);
    return true;
  }

  function readLine(text: string, line: number, out: EventOut): void {
    if (isHeader(text)) header(text);
    else row(text, line, out);
  }

  return { line: readLine, end() {} };
}

/** Where a glued line may start: a header's first cell, or a row's timestamp. */
const GLUED_START = /timestamp *,|\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}/g;

function isHeader(text: string): boolean {
  return text.trimStart().startsWith('timestamp');
}

/** True when `text` is one row of `cells` cells (as the row reader splits it) with a timestamp first. */
function isWholeRow(text: string, cells: number): boolean {
  const split = text.split(',');
  return split.length === cells && timestampParts(split[0]!) !== undefined;
}

interface Field {
  name: string;
  unit: string;
  rawUnit: string;
  key: string;
  kind: 'number' | 'text' | 'time';
}

/** Query fields whose values are words or ids, kept in RowEvent.text. */
const TEXT_FIELDS = new Set([
  'index',
  'name',
  'uuid',
  'serial',
  'pci.bus_id',
  'pci.bus',
  'pci.device_id',
  'pci.sub_device_id',
  'pstate',
  'driver_version',
  'vbios_version',
  'power.management',
  'compute_mode',
  'display_mode',
  'display_active',
  'persistence_mode',
  'clocks_throttle_reasons.active',
  'clocks_event_reasons.active',
  'gom.current',
]);

/** With `--format=csv,nounits` the header has no units; these are nvidia-smi's fixed ones. */
function implicitUnit(name: string): string {
  if (name.startsWith('temperature.')) return '°C';
  if (name.startsWith('clocks.')) return 'MHz';
  if (name.startsWith('power.') || name.endsWith('power_limit')) return 'W';
  if (name.startsWith('memory.')) return 'MB';
  if (name.startsWith('utilization.') || name === 'fan.speed') return '%';
  return '';
}

function toField(cell: string): Field {
  const { name, unit: written } = splitNameAndUnit(cell);
  const rawUnit = /\[([^\]]*)\]\s*$/.exec(cell)?.[1]?.trim() ?? '';
  if (name === 'timestamp') return { name, unit: '', rawUnit, key: 'timestamp', kind: 'time' };
  if (TEXT_FIELDS.has(name)) return { name, unit: '', rawUnit, key: slugify(name), kind: 'text' };
  const unit = written === '' ? implicitUnit(name) : written;
  return { name, unit, rawUnit, key: canonicalKey(name, unit), kind: 'number' };
}

/** '841 MiB' → 841, '22 %' → 22, '[N/A]' → null, '[Not Supported]' → null. */
function parseSmiCell(cell: string, rawUnit: string): number | null {
  if (cell.charCodeAt(0) === 91 || cell === 'N/A') return null;
  if (rawUnit !== '' && cell.endsWith(rawUnit)) return parseCell(cell.slice(0, cell.length - rawUnit.length));
  return parseCell(cell);
}

/** '2023/06/22 18:56:56.252' → epoch ms with the milliseconds. */
function readTimestamp(cell: string, stamp: Stamper): number | undefined {
  const read = timestampParts(cell);
  if (read === undefined) return undefined;
  const { parts, ms } = read;
  return stamp(parts[0]!, parts[1]!, parts[2]!, parts[3]!, parts[4]!, parts[5]!, ms);
}

/** '2023/06/22 18:56:56.252' → its date and time fields and the milliseconds; undefined for no timestamp. */
function timestampParts(cell: string): { parts: number[]; ms: number } | undefined {
  const text = cell.trim();
  const parts = readIsoLikeTimestamp(text, 0);
  if (!parts) return undefined;
  let ms = 0;
  if (text.length > 19) {
    if (text.charCodeAt(19) !== 46) return undefined;
    const digits = text.slice(20, 23);
    ms = readDigits(digits.padEnd(3, '0'), 0, 3);
    if (ms < 0 || text.length > 23) return undefined;
  }
  return { parts, ms };
}
