export function runOrThrow(command: string, args: string[], what: string): void;
export function stampOf(file: string): string;
export function venvBin(dir: string, name: string): string;
export function isVenvCurrent(dir: string, requirements: string): boolean;
export function ensureVenv(options: { dir: string; requirements: string }): 'cached' | 'installed';
