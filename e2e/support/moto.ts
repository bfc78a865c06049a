/**
 * A moto server of the spec's own (it is stopped and restarted mid-test, so it cannot be the shared one):
 *   const moto = await startMoto(); moto.endpoint → 'http://127.0.0.1:41234'; await moto.stop(); await moto.start()
 * The port stays the same across restarts, as a flaky network would make it look to the agent. It keeps no bucket
 * across a restart: `await createBucket(moto, 'gpuz-e2e-…')` again.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { type AgentProcess, startAgentProcess } from './agent-process';

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

/** Makes `bucket` in this moto server (test credentials). */
export async function createBucket(moto: MotoServer, bucket: string): Promise<void> {
  const s3 = new S3Client({
    endpoint: moto.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  s3.destroy();
}

/**
 * `gpuz-cloud agent` whose settings send `logPath` to `bucket` in this moto (hourly, gzip, host e2e-pc), with the test
 * credentials in its environment.
 */
export async function startAgentOnMoto(options: {
  moto: MotoServer;
  bucket: string;
  logPath: string;
  stateDir: string;
  timeZone?: string;
}): Promise<AgentProcess> {
  await mkdir(options.stateDir, { recursive: true });
  await writeFile(
    join(options.stateDir, 'settings.json'),
    JSON.stringify({
      logPath: options.logPath,
      target: { kind: 's3', bucket: options.bucket, region: 'us-east-1', endpoint: options.moto.endpoint },
      schedule: { kind: 'interval', minutes: 60 },
      compression: 'gzip',
      host: 'e2e-pc',
      timeZone: options.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    }),
  );
  return startAgentProcess({
    stateDir: options.stateDir,
    env: { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1' },
  });
}
