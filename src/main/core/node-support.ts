/**
 * Which Node runs the CLI, and what to say about it — once, in `gpuz-cloud doctor`, not on every AWS call:
 *   quietSdkNodeWarning(process.env)   the AWS SDK's 9-line NodeVersionSupportWarning stays out of every command
 *   nodeVersionCheck('v20.20.2') → { status: 'warn', detail: 'Node 20.20.2 …', advice: 'Install Node 22 …' }
 * The project needs Node ≥ 22.12 (package.json engines): Node 20 reached its end of life on 30 April 2026, the AWS
 * SDK releases after the first week of January 2027 require 22, and Electron 45's tooling wants ≥ 22.12.
 */
import type { CheckResult } from './doctor/types';

export const NODE_REQUIRED = { major: 22, minor: 12 } as const;

/** The SDK reads this variable each time it would warn; set before the first client is made. */
export function quietSdkNodeWarning(env: NodeJS.ProcessEnv): void {
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
}

export function nodeVersionCheck(version: string = process.version): CheckResult {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  const ok = major > NODE_REQUIRED.major || (major === NODE_REQUIRED.major && minor >= NODE_REQUIRED.minor);
  const wanted = `${NODE_REQUIRED.major}.${NODE_REQUIRED.minor}`;
  return ok
    ? { id: 'node', title: 'Node.js', status: 'pass', detail: `Node ${version.replace(/^v/, '')}` }
    : {
        id: 'node',
        title: 'Node.js',
        status: 'warn',
        detail: `Node ${version.replace(/^v/, '')} is older than ${wanted}: it is past its end of life, and AWS SDK releases after the first week of January 2027 will not run on it`,
        advice: `Install Node ${NODE_REQUIRED.major} LTS (${wanted} or newer) from nodejs.org; the tray app carries its own and is not affected.`,
      };
}
