/** Repository root (ends with a path separator). */
export const REPO_ROOT: string;
/** The Electron executable if it is on disk, else null; never downloads. */
export function findElectronBinary(env?: NodeJS.ProcessEnv, root?: string): string | null;
