/**
 * Replays a real GPU-Z sample into a temporary log the way GPU-Z writes it (ANSI bytes, CRLF, appended
 * a few rows at a time), with time stamps moved so the last row is "now":
 *   const log = readSample('gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt')
 *   await replay(log, path, { rowsPerTick: 40, tickMs: 50 })
 *   columnStats(log, 'GPU Temperature') → { min, max } computed straight from the sample's text
 */

import { readFileSync } from 'node:fs';
import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SAMPLES_DIR } from '../../src/test-support/services';

export interface SampleLog {
  header: string;
  rows: string[];
  eol: string;
}

export function readSample(relative: string): SampleLog {
  const text = readFileSync(join(SAMPLES_DIR, relative), 'latin1');
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(eol).filter((line) => line.trim() !== '');
  return { header: lines[0]!, rows: lines.slice(1), eol };
}

/**
 * Rewrites each row's `YYYY-MM-DD HH:MM:SS` so rows are 1 s apart and the last one is `end`, in local time of
 * `timeZone` (default: this process's), the zone the agent reading the log assumes.
 */
export function shiftToNow(log: SampleLog, end: number, timeZone?: string): SampleLog {
  // 'sv-SE' formats as 2024-04-20 13:02:09.
  const format = new Intl.DateTimeFormat('sv-SE', {
    ...(timeZone ? { timeZone } : {}),
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  const first = Math.floor(end / 1000) * 1000 - (log.rows.length - 1) * 1000;
  return { ...log, rows: log.rows.map((row, i) => format.format(first + i * 1000) + row.slice(19)) };
}

export async function replay(
  log: SampleLog,
  path: string,
  options: { rowsPerTick: number; tickMs: number },
): Promise<void> {
  await writeFile(path, Buffer.from(log.header + log.eol, 'latin1'));
  for (let i = 0; i < log.rows.length; i += options.rowsPerTick) {
    const chunk = log.rows
      .slice(i, i + options.rowsPerTick)
      .map((row) => row + log.eol)
      .join('');
    await appendFile(path, Buffer.from(chunk, 'latin1'));
    await new Promise((resolve) => setTimeout(resolve, options.tickMs));
  }
}

/** The values of one column (by the name before its `[unit]`), parsed from the text itself. */
export function columnValues(log: SampleLog, name: string): (number | null)[] {
  const names = log.header.split(',').map((cell) => cell.trim().replace(/\s*\[.*\]$/, ''));
  const index = names.indexOf(name);
  if (index < 0) throw new Error(`no column ${name} in ${names.join(' | ')}`);
  return log.rows.map((row) => {
    const cell = row.split(',')[index]!.trim();
    return cell === '-' || cell === '' ? null : Number(cell);
  });
}

export function columnStats(log: SampleLog, name: string): { min: number; max: number } {
  const values = columnValues(log, name).filter((v): v is number => v !== null);
  return { min: Math.min(...values), max: Math.max(...values) };
}
