import { assignKeys, type KeyedTool } from './column-keys';
import type { Column } from './types';
import { normaliseUnit } from './units';

/**
 * Header cells → columns with name, normalised unit and key. The unit is the *last* `[...]`, which may be
 * empty; a cell without brackets has no unit.
 *
 *   toColumns([' GPU Clock [MHz] ', ' Power Consumption (%) [% TDP] ', ' PerfCap Reason [] '])
 *     → [{ name: 'GPU Clock', unit: 'MHz', key: 'gpu_clock_mhz' },
 *        { name: 'Power Consumption (%)', unit: '% TDP', key: 'power_consumption_pct_tdp' },
 *        { name: 'PerfCap Reason', unit: '', key: 'perfcap_reason' }]
 */
export function toColumns(cells: string[], tool: KeyedTool = 'gpuz'): Column[] {
  const named = cells.map(splitNameAndUnit);
  const keys = assignKeys(named, tool);
  return named.map((column, i) => ({ ...column, key: keys[i]! }));
}

export function splitNameAndUnit(cell: string): { name: string; unit: string } {
  const text = unquote(cell.trim());
  const open = text.lastIndexOf('[');
  if (!text.endsWith(']') || open < 0) return { name: text, unit: '' };
  return { name: text.slice(0, open).trim(), unit: normaliseUnit(text.slice(open + 1, -1)) };
}

function unquote(text: string): string {
  return text.length >= 2 && text.startsWith('"') && text.endsWith('"')
    ? text.slice(1, -1).replace(/""/g, '"')
    : text;
}

/** True when the last cell is only whitespace: the trailing comma GPU-Z and HWiNFO put after every line. */
export function hasTrailingEmptyCell(cells: string[]): boolean {
  const last = cells[cells.length - 1];
  return last !== undefined && cells.length > 1 && last.trim() === '';
}
