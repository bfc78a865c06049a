/**
 * A moto server of a test's own (the shared one from `npm run services` must not be killed or reconfigured):
 *   const port = await freePort()
 *   const moto = await startMotoOn(port)                                   → the child, answering /moto-api/
 *   await startMotoOn(port, { INITIAL_NO_AUTH_ACTION_COUNT: '5' })         → checking signatures after 5 requests
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export async function startMotoOn(port: number, env: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: 'ignore',
    env: { ...process.env, ...env },
  });
  for (let i = 0; i < 100; i++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/moto-api/`);
      if (response.ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`moto_server did not start on port ${port}`);
}
