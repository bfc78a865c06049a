/** The repository root (ends with a path separator). */
export const REPO_ROOT: string;
/** Why the Windows smoke suite cannot run here, or null when it can. */
export function windowsSkipReason(env?: NodeJS.ProcessEnv): string | null;
