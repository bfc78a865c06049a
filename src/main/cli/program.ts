import { Command } from 'commander';
import { appVersion } from '../core/app-version';
import { registerCommands } from './commands';

/** Builds the `gpuz-cloud` command tree; each command lives in its own file under commands/. */
export function createProgram(): Command {
  const program = new Command('gpuz-cloud')
    .description('Ship the GPU-Z sensor log to your own cloud and bring it back as charts.')
    .version(appVersion, '-V, --version')
    .showHelpAfterError('(run gpuz-cloud --help for usage)');
  registerCommands(program);
  return program;
}
