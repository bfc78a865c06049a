// Small network probes used to pick ports and to wait for servers.
import { connect, createServer } from 'node:net';

/** Asks the OS for a free TCP port on 127.0.0.1, e.g. `→ 41873`. */
export function findFreePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/** `→ true` when something accepts a TCP connection on 127.0.0.1:port within `timeoutMs`. */
export function canConnect(port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** `GET url → status code`, or 0 when nothing answers. */
export async function httpStatus(url, timeoutMs = 2000) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/**
 * Polls `probe()` until it resolves true; rejects with `what` and the log to read after `timeoutMs`.
 * `isAlive()` lets a crashed server fail fast instead of waiting out the timeout.
 */
export async function waitUntil(probe, { what, timeoutMs, isAlive, logFile }) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    if (isAlive && !isAlive()) throw new Error(`${what} exited during start-up; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} was not ready after ${timeoutMs / 1000} s; see ${logFile}`);
}
