// moto server: S3, CloudWatch, CloudWatch Logs, IAM, STS and the Lambda API on one local port.
import { join } from 'node:path';
import { findFreePort, httpStatus, waitUntil } from './net.mjs';
import { isOurProcess, spawnDetached, stopProcess } from './processes.mjs';

/** The string that identifies our moto in its command line: its port flag. */
export function motoMarker(port) {
  return `-p ${port}`;
}

/** `{ port } → true` when our moto answers its management API. */
export async function isMotoReady(moto) {
  return (await httpStatus(`http://127.0.0.1:${moto.port}/moto-api/`)) === 200;
}

/** `→ true` when the recorded moto process is still ours and answering. */
export async function isMotoRunning(moto) {
  return Boolean(moto) && isOurProcess(moto.pid, motoMarker(moto.port)) && (await isMotoReady(moto));
}

/**
 * Starts moto on a free port and waits for `/moto-api/`.
 * `{ command: ['moto_server'], stateDir } → { pid, port, endpoint, logFile }`.
 */
export async function startMoto({ command, stateDir }) {
  const port = await findFreePort();
  const logFile = join(stateDir, 'moto.log');
  const [bin, ...pre] = command;
  const pid = spawnDetached(bin, [...pre, '-H', '127.0.0.1', '-p', String(port)], {
    logFile,
    cwd: stateDir,
    env: process.env,
  });
  const moto = { pid, port, endpoint: `http://127.0.0.1:${port}`, logFile };
  try {
    await waitUntil(() => isMotoReady(moto), {
      what: 'moto server',
      timeoutMs: 30_000,
      isAlive: () => isOurProcess(pid, motoMarker(port)),
      logFile,
    });
  } catch (error) {
    await stopProcess(pid, motoMarker(port)); // Nothing half-started is left behind unrecorded.
    throw error;
  }
  return moto;
}
