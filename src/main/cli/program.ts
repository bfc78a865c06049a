import { Command } from 'commander';
import { appVersion } from '../core/app-version';
import { registerCommands } from './commands';

/**
 * Builds the `gpuz-cloud` command tree for these arguments (`process.argv.slice(2)`); each command lives in its
 * own file under commands/, and only the one being run is loaded (every one for --help, -V or an unknown name).
 */
export async function createProgram(args: readonly string[]): Promise<Command> {
  const program = new Command('gpuz-cloud')
    .description('Ship the GPU-Z sensor log to your own cloud and bring it back as charts.')
    .version(appVersion, '-V, --version')
    .showHelpAfterError('(run gpuz-cloud --help for usage)');
  await registerCommands(program, args);
  return program;
}
