import { AppError } from '../errors';
import { createLineReader } from './line-reader';
import type { LogFormat } from './types';

/**
 * The format of a log from its first bytes (BOM and encoding handled), or undefined.
 *
 *   detectFormat(bytes('        Date        , GPU Clock [MHz] ,…')) → 'gpuz'
 *   detectFormat(bytes('Date,Time,"Core #0 VID [V]",…'))          → 'hwinfo'
 *   detectFormat(bytes('timestamp, power.draw [W]\n…'))           → 'nvidia-smi'
 * A headerless GPU-Z/HWiNFO/nvidia-smi data row is recognised too (a live batch that lost its header).
 */
export function detectFormat(firstBytes: Uint8Array): LogFormat | undefined {
  const reader = createLineReader();
  let first: string | undefined;
  const sink = {
    line: (text: string) => {
      first ??= text;
    },
    overlong: () => {},
  };
  reader.push(firstBytes, sink);
  if (first === undefined) reader.end(sink);
  return first === undefined ? undefined : detectFormatFromLine(first);
}

export function detectFormatFromLine(line: string): LogFormat | undefined {
  const text = line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
  const cells = text.split(',', 3);
  if (cells.length < 2) return undefined;
  const first = cells[0]!.trim();
  const second = cells[1]!.trim();
  if (first === 'Date') return second === 'Time' ? 'hwinfo' : 'gpuz';
  if (first === 'timestamp') return 'nvidia-smi';
  if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(first)) return 'gpuz';
  if (/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/.test(first)) return 'nvidia-smi';
  if (/^\d{1,2}\.\d{1,2}\.\d{4}$/.test(first) && /^\d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?$/.test(second))
    return 'hwinfo';
  return undefined;
}

/** The error for input that is none of the supported formats. */
export function unknownFormatError(firstLine: string | undefined): AppError {
  const shown = firstLine === undefined ? 'the input is empty' : `it starts with "${preview(firstLine)}"`;
  return new AppError(
    'UNKNOWN_FORMAT',
    `This is not a log format GPU-Z Cloud can read: ${shown}`,
    'Supported: the GPU-Z sensor log ("GPU-Z Sensor Log.txt"), HWiNFO CSV logs and nvidia-smi --format=csv output. ' +
      'Check that the file is one of these and not a screenshot, ZIP or spreadsheet export.',
  );
}

function preview(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what we hide
  const printable = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?').trim();
  return printable.length > 60 ? `${printable.slice(0, 60)}…` : printable;
}
