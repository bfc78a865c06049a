/**
 * Parsers for commander options the commands share (a bad value ends the command with commander's usage error):
 *   parseDate('2026-01-31') → '2026-01-31';  parseDate('31.1.') → InvalidArgumentError 'expected a date like 2026-01-31'
 *   parsePositive('5') → 5;                  parsePositive('0') → InvalidArgumentError 'expected a whole number ≥ 1'
 */
import { InvalidArgumentError } from 'commander';

export function parseDate(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new InvalidArgumentError('expected a date like 2026-01-31');
  }
  return value;
}

export function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number ≥ 1');
  return n;
}
