import type { Command } from 'commander';
import { registerAgent } from './agent';
import { registerDeploy } from './deploy';
import { registerDestroy } from './destroy';
import { registerDoctor } from './doctor';
import { registerEstimate } from './estimate';
import { registerExport } from './export';
import { registerForward } from './forward';
import { registerParse } from './parse';
import { registerRepair } from './repair';
import { registerReprocess } from './reprocess';
import { registerStatus } from './status';
import { registerUpload } from './upload';

/** Every CLI command registers itself here; one file per command in this folder. */
export function registerCommands(program: Command): void {
  registerAgent(program);
  registerDeploy(program);
  registerDestroy(program);
  registerDoctor(program);
  registerEstimate(program);
  registerExport(program);
  registerForward(program);
  registerParse(program);
  registerRepair(program);
  registerReprocess(program);
  registerStatus(program);
  registerUpload(program);
}
