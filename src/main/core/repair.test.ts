import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../test-support/own-moto';
import { sample } from './agent/agent.test-support';
import { checkStateFolder } from './repair';
import { createLocalStore } from './store/local';
import { createS3Client, createS3Store } from './store/s3';
import type { Store } from './store/types';

describe('repair while the store cannot be reached', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gpuz-repair-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A real log and a checkpoint a power cut zero-filled → the state folder. */
  function zeroFilledCheckpoint(): string {
    writeFileSync(logPath(), sample('gpuz/nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt').lines(0, 50));
    const stateDir = join(dir, 'state');
    mkdirSync(stateDir);
    writeFileSync(join(stateDir, 'checkpoint.json'), Buffer.alloc(5169));
    return stateDir;
  }
  const logPath = () => join(dir, 'GPU-Z Sensor Log.txt');
  const repairRefusal = (stateDir: string, store: Store) =>
    checkStateFolder({ stateDir, logPath: logPath(), store, host: 'pc', timeZone: 'UTC' }).catch(
      (e: unknown) => e,
    );

  it('says the store could not be reached and that nothing was changed; the damaged checkpoint stays as it was', async () => {
    // Prepare: a real log and a checkpoint a power cut zero-filled; the network is down (a refused connection)
    const stateDir = zeroFilledCheckpoint();
    const store = createS3Store({
      bucket: 'gpu-logs',
      client: createS3Client({
        region: 'us-east-1',
        endpoint: `http://127.0.0.1:${await freePort()}`, // nothing listens there: refused, as with the network down
        maxAttempts: 1,
        credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      }),
    });
    // Act
    const error = await repairRefusal(stateDir, store);
    // Assess: before, the person read "connect ECONNREFUSED 127.0.0.1:…" and nothing else
    expect(error).toMatchObject({
      code: 'STORE_UNREACHABLE',
      message: expect.stringMatching(
        /^s3:\/\/gpu-logs could not be reached to ask what it holds of .*GPU-Z Sensor Log\.txt \(.*ECONNREFUSED/,
      ),
      advice: expect.stringMatching(
        /repair needs it: check the network connection .* Nothing was changed\.$/,
      ),
      guiAdvice: expect.stringMatching(/press "Check and repair…" again\. Nothing was changed\.$/),
    });
    expect(readFileSync(join(stateDir, 'checkpoint.json'))).toEqual(Buffer.alloc(5169));
    expect(readdirSync(stateDir).sort()).toEqual(['checkpoint.json']); // nothing set aside, the lock released
  });

  it('a local store folder that is gone: the store’s words, then that repair should run again and nothing was changed', async () => {
    // Prepare: the checkpoint zero-filled, and the store folder away (a drive not connected); the agent had seen it.
    const stateDir = zeroFilledCheckpoint();
    const store = createLocalStore({ root: join(dir, 'store') });
    store.expectRoot?.();
    // Act
    const error = await repairRefusal(stateDir, store);
    // Assess: before, the advice was the agent's alone ("the batches wait in the spool…"), in a repair
    expect(error).toMatchObject({
      code: 'STORE_GONE',
      advice: expect.stringMatching(
        /^Connect or mount the drive .* Then run repair again\. Nothing was changed\.$/,
      ),
      guiAdvice: expect.stringMatching(/Then press "Check and repair…" again\. Nothing was changed\.$/),
    });
    expect(readFileSync(join(stateDir, 'checkpoint.json'))).toEqual(Buffer.alloc(5169));
  });
});
