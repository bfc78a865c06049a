/**
 * A moto server of the spec's own (it is stopped and restarted mid-test, so it cannot be the shared one):
 *   const moto = await startMoto(); moto.endpoint → 'http://127.0.0.1:41234'; await moto.stop(); await moto.start()
 * The port stays the same across restarts, as a flaky network would make it look to the agent.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

export interface MotoServer {
  endpoint: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function createMoto(): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  const moto: MotoServer = {
    endpoint,
    async start() {
      child = spawn(process.env.MOTO_SERVER_BIN ?? 'moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
        stdio: 'ignore',
      });
      const deadline = Date.now() + 30_000;
      for (;;) {
        const up = await fetch(`${endpoint}/moto-api/`).then(
          () => true,
          () => false,
        );
        if (up) return;
        if (Date.now() > deadline) throw new Error(`moto_server did not start on ${endpoint}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    async stop() {
      const running = child;
      child = null;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM');
      await exited;
    },
  };
  return moto;
}
