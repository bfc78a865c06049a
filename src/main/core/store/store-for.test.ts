import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Settings } from '../../../shared/contract';
import { AccessKeys } from '../access-keys';
import { openRuntime, withAccessKeys } from '../app/runtime';
import { createStoreFor } from './index';

const ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const ENV_ID = 'AKIAENVIRONMENTCHAIN';

/** A loopback S3 stand-in that records who signed each request (the access key id in SigV4's Credential=). */
async function startSigningRecorder() {
  const signers: string[] = [];
  const server: Server = createServer((request, response) => {
    const match = /Credential=([A-Z0-9]+)\//.exec(request.headers.authorization ?? '');
    signers.push(match?.[1] ?? 'unsigned');
    response.writeHead(200, { 'content-type': 'application/xml' });
    response.end(
      '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>b</Name><IsTruncated>false</IsTruncated></ListBucketResult>',
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { signers, endpoint, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('createStoreFor credentials', () => {
  let recorder: Awaited<ReturnType<typeof startSigningRecorder>>;
  let dir: string;
  beforeEach(async () => {
    recorder = await startSigningRecorder();
    dir = await mkdtemp(join(tmpdir(), 'gpuz-store-for-'));
    // The default chain's first source; a profile that does not exist must not be consulted when keys are given.
    vi.stubEnv('AWS_ACCESS_KEY_ID', ENV_ID);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'environment-secret-environment-secret-00');
    vi.stubEnv('AWS_PROFILE', '');
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await recorder.close();
    // Opening a runtime may still be creating its folders (cache, spool) in the background.
    await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
  });

  const s3Settings = (): Settings => ({
    logPath: join(dir, 'GPU-Z Sensor Log.txt'),
    target: { kind: 's3', bucket: 'raw-b', region: 'eu-central-1', endpoint: recorder.endpoint },
    schedule: { kind: 'interval', minutes: 60 },
    compression: 'gzip',
    host: 'pc',
    timeZone: 'Europe/Berlin',
  });

  it('signs with stored keys when present, else with the default chain (here: the environment)', async () => {
    const keys = new AccessKeys({ accessKeyId: ID, secretAccessKey: SECRET });
    const target = s3Settings().target as Extract<Settings['target'], { kind: 's3' }>;
    await createStoreFor({ ...target, accessKeys: keys }).list('raw/');
    await createStoreFor(target).list('raw/');
    expect(recorder.signers).toEqual([ID, ENV_ID]);
  });

  it('stored keys win over a named profile', async () => {
    const keys = new AccessKeys({ accessKeyId: ID, secretAccessKey: SECRET });
    const target = {
      ...(s3Settings().target as Extract<Settings['target'], { kind: 's3' }>),
      profile: 'no-such-profile-here',
    };
    await createStoreFor({ ...target, accessKeys: keys }).list('raw/');
    expect(recorder.signers).toEqual([ID]);
  });

  it('the production runtime (runtime.ts) passes the keys through to the S3 client', async () => {
    const keys = new AccessKeys({ accessKeyId: ID, secretAccessKey: SECRET });
    const withKeys = await openRuntime(withAccessKeys(s3Settings(), keys), {
      stateDir: dir,
      agentVersion: 'test',
    });
    await withKeys.data.extent('pc');
    await withKeys.close?.();
    // The extent makes a LIST or two (the first key, the last week): each signed with the stored keys.
    expect(new Set(recorder.signers)).toEqual(new Set([ID]));
    recorder.signers.length = 0;
    const without = await openRuntime(withAccessKeys(s3Settings(), null), {
      stateDir: dir,
      agentVersion: 'test',
    });
    await without.data.extent('pc');
    await without.close?.();
    expect(new Set(recorder.signers)).toEqual(new Set([ENV_ID]));
  });
});
