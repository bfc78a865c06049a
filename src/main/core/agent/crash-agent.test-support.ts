/**
 * A minimal agent process for the crash test (bundled with esbuild, started with plain node, SIGKILLed):
 *   node crash-agent.mjs <log> <storeDir> <stateDir> watch|once
 * watch: tails with a 300 ms interval until killed (or SIGTERM); once: uploads everything and exits.
 */

import { createLocalStore } from '../store/local';
import { createAgent } from './index';

const [logPath, storeDir, stateDir, mode] = process.argv.slice(2) as [string, string, string, string];
const agent = createAgent({
  logPath,
  host: 'crash-pc',
  timeZone: 'UTC',
  stateDir,
  intervalMs: 300,
  pollMs: 50,
  maxBatchBytes: 16 * 1024,
  compress: true,
  store: createLocalStore({ root: storeDir }),
  watch: mode === 'watch',
});
await agent.start();
if (mode === 'once') {
  await agent.uploadNow();
  await agent.stop();
} else {
  process.stdout.write('started\n');
  process.once('SIGTERM', () => void agent.stop().then(() => process.exit(0)));
}
