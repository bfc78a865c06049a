import type { Command } from 'commander';
import { registerEstimate } from './estimate';
import { registerParse } from './parse';

/** Every CLI command registers itself here; one file per command in this folder. */
export function registerCommands(program: Command): void {
  registerEstimate(program);
  registerParse(program);
}
