/**
 * A headless agent on a local store, with settings.json written as another PC or an older setup left it:
 *   await startLocalAgent(dir, { host: 'travel-pc', timeZone: 'Pacific/Kiritimati' }, { TZ: 'Europe/Berlin' })
 * The log is the Ada sample's header and first 20 rows, moved to now; the state folder is `{dir}/state`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AgentProcess, startAgentProcess } from './agent-process';
import { readSample, shiftToNow } from './log-writer';

export async function startLocalAgent(
  dir: string,
  settings: { host: string; timeZone: string; savedOn?: string },
  env: Record<string, string> = {},
): Promise<AgentProcess> {
  const logPath = join(dir, 'GPU-Z Sensor Log.txt');
  const log = shiftToNow(readSample('gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt'), Date.now() - 1000);
  await writeFile(
    logPath,
    Buffer.from(`${log.header}${log.eol}${log.rows.slice(0, 20).join(log.eol)}${log.eol}`, 'latin1'),
  );
  await mkdir(join(dir, 'state'), { recursive: true });
  await writeFile(
    join(dir, 'state', 'settings.json'),
    JSON.stringify({
      logPath,
      target: { kind: 'local', dir: join(dir, 'store') },
      schedule: { kind: 'interval', minutes: 60 },
      compression: 'gzip',
      ...settings,
    }),
  );
  return startAgentProcess({ stateDir: join(dir, 'state'), env });
}
