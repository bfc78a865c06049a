import type { Command } from 'commander';
import { registerEstimate } from './estimate';
import { registerForward } from './forward';
import { registerParse } from './parse';

/** Every CLI command registers itself here; one file per command in this folder. */
export function registerCommands(program: Command): void {
  registerEstimate(program);
  registerForward(program);
  registerParse(program);
}
