import { Command } from 'commander';
import { registerCommands } from './commands';

declare const __APP_VERSION__: string;

/** The version baked in at build time (esbuild `define`), or read by tests from package.json. */
export const appVersion: string = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : '0.0.0-dev';

/** Builds the `gpuz-cloud` command tree; each command lives in its own file under commands/. */
export function createProgram(): Command {
  const program = new Command('gpuz-cloud')
    .description('Ship the GPU-Z sensor log to your own cloud and bring it back as charts.')
    .version(appVersion, '-V, --version')
    .showHelpAfterError('(run gpuz-cloud --help for usage)');
  registerCommands(program);
  return program;
}
