import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { hostLabel } from '../../../shared/host-name';
import { useBundledCli } from '../../../test-support/bundled-cli';
import { collect, hostRenameSkip, runCli, spawnCli, waitForOutput } from '../../../test-support/cli-process';
import { SAMPLES_DIR } from '../../../test-support/services';
import { logDataLines, storedKeys } from '../../../test-support/store-lines';

/**
 * PCs named in another script, through the real CLI on a PC of that name (its own UTS namespace). Every name in
 * Cyrillic, Greek or Kanji was the host `unknown-host` (and `Jürgen-PC` was `j-rgen-pc`): lived, two PCs named
 * игровой-пк and рабочий-пк uploading into one store put both logs under raw/unknown-host/, where the charts and
 * sessions read them as one PC.
 */
const ADA = join(SAMPLES_DIR, 'gpuz', 'nvidia-ada-pwrsrc-gpuz-2024.txt');
const BM1 = join(SAMPLES_DIR, 'gpuz', 'nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt');
const SKIP = hostRenameSkip();

/** The data lines stored under each host of a local store. */
function linesByHost(store: string): Map<string, string[]> {
  const byHost = new Map<string, string[]>();
  for (const key of storedKeys(store, 'raw').filter((k) => k.endsWith('.csv.gz'))) {
    const host = key.split('/')[1]!;
    const lines = logDataLines(gunzipSync(readFileSync(join(store, key))));
    byHost.set(host, [...(byHost.get(host) ?? []), ...lines]);
  }
  return byHost;
}

describe.skipIf(SKIP !== null)(`a PC named in another script${SKIP ? ` (skipped: ${SKIP})` : ''}`, () => {
  const { dir, cli } = useBundledCli('gpuz-pc-name-');

  /** A PC's folder with its log, and `upload` of that log into `store` on a PC of a given name. */
  function aPc(name: string, store: string) {
    const pc = join(dir, name);
    mkdirSync(pc);
    const log = join(pc, 'GPU-Z Sensor Log.txt');
    const upload = (pcName: string, state = 'state', extra: string[] = []) =>
      runCli(cli, ['upload', '--file', log, '--local', store, '--state-dir', join(pc, state), ...extra], {
        pcName,
      });
    return { pc, log, upload };
  }

  it('two PCs named in Cyrillic keep their data apart in one store, each under its name', async () => {
    const store = join(dir, 'shared-store');
    const upload = (pcName: string, log: string, state: string) =>
      runCli(cli, ['upload', '--file', log, '--local', store, '--state-dir', join(dir, state)], { pcName });

    const gaming = await upload('игровой-пк', ADA, 'state-gaming');
    const office = await upload('рабочий-пк', BM1, 'state-office');

    expect(gaming.code, gaming.stderr).toBe(0);
    expect(office.code, office.stderr).toBe(0);
    const byHost = linesByHost(store);
    // Assess: before, one host 'unknown-host' with 1,538 lines of two GPUs.
    expect([...byHost.keys()].sort()).toEqual(['xn----7sbd2afhylc7e', 'xn----ctbcthhyble']);
    expect(byHost.get('xn----ctbcthhyble')).toEqual(logDataLines(readFileSync(ADA)));
    expect(byHost.get('xn----7sbd2afhylc7e')).toEqual(logDataLines(readFileSync(BM1)));
    expect(
      storedKeys(store, 'processed')
        .map((k) => hostLabel(k.split('/')[1]!))
        .sort(),
    ).toEqual(['игровой-пк', 'рабочий-пк']);
  });

  it('an update goes on under the host this state folder uploaded under before (unknown-host), a new one under the name', async () => {
    // An earlier build on игровой-пк uploaded as unknown-host (the same uploads.json as --host unknown-host leaves).
    const store = join(dir, 'updated-store');
    const { log, upload } = aPc('updated-pc', store);
    const bm1 = readFileSync(BM1);
    const half = bm1.indexOf('\n', bm1.length >> 1) + 1;
    writeFileSync(log, bm1.subarray(0, half));
    const before = await upload('игровой-пк', 'state', ['--host', 'unknown-host']);

    appendFileSync(log, bm1.subarray(half));
    const after = await upload('игровой-пк');
    const fresh = await upload('игровой-пк', 'state-fresh');

    expect(before.code, before.stderr).toBe(0);
    expect(after.code, after.stderr).toBe(0);
    expect(fresh.code, fresh.stderr).toBe(0);
    const byHost = linesByHost(store);
    // The updated folder's rows are all under unknown-host, once; a fresh folder on this PC sends the log under its name.
    expect(byHost.get('unknown-host')).toEqual(logDataLines(bm1));
    expect(byHost.get('xn----ctbcthhyble')).toEqual(logDataLines(bm1));
  });

  it('a PC renamed: the uploads go under the new name and say how to keep the earlier one; --host keeps it', async () => {
    const { log, upload } = aPc('renamed-pc', join(dir, 'renamed-store'));
    const ada = readFileSync(ADA);
    const [third, twoThirds] = [ada.length / 3, (2 * ada.length) / 3].map((at) => ada.indexOf('\n', at) + 1);

    writeFileSync(log, ada.subarray(0, third));
    const before = await upload('DESKTOP-7F3K2QA');
    appendFileSync(log, ada.subarray(third, twoThirds));
    const renamed = await upload('GamingRig');
    appendFileSync(log, ada.subarray(twoThirds));
    const kept = await upload('GamingRig', 'state', ['--host', 'desktop-7f3k2qa']);

    expect([before.code, renamed.code, kept.code], renamed.stderr).toEqual([0, 0, 0]);
    expect(before.stderr).not.toContain('note:');
    expect(renamed.stderr).toContain(
      'note: This state folder last uploaded as “desktop-7f3k2qa”; this PC is named “gamingrig”, and the uploads go under “gamingrig” now',
    );
    expect(renamed.stderr).toContain('pass --host desktop-7f3k2qa');
    expect(kept.stderr).not.toContain('note:');
    const byHost = linesByHost(join(dir, 'renamed-store'));
    const lines = logDataLines(ada);
    expect(byHost.get('desktop-7f3k2qa')).toEqual([
      ...logDataLines(ada.subarray(0, third)),
      ...logDataLines(ada.subarray(twoThirds)),
    ]);
    expect(byHost.get('gamingrig')).toEqual(logDataLines(ada.subarray(third, twoThirds)));
    expect([...byHost.values()].flat().sort()).toEqual([...lines].sort());
  });

  it('the app’s first start on a renamed PC’s folder says so, as upload does; once', async () => {
    // Lived: `agent` as GamingRig on the folder `upload` had used as DESKTOP-7F3K2QA took the new name without a word,
    // and the charts began listing two hosts.
    const store = join(dir, 'renamed-app-store');
    const { pc, log, upload } = aPc('renamed-app-pc', store);
    writeFileSync(log, readFileSync(ADA));
    expect((await upload('DESKTOP-7F3K2QA')).code).toBe(0);
    const renderer = join(pc, 'renderer');
    mkdirSync(renderer);
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>stand-in</title>');
    const start = async () => {
      const agent = spawnCli(
        cli,
        ['agent', '--port', '0', '--state-dir', join(pc, 'state'), '--file', log, '--renderer-dir', renderer],
        { pcName: 'GamingRig', env: { GPUZ_CLOUD_DASHBOARD_TOKEN: 'pc-name-test-token-0123456789abcdef' } },
      );
      const ended = collect(agent);
      await waitForOutput(agent, /Dashboard: http/, 'stdout');
      agent.kill('SIGTERM');
      return ended;
    };

    const first = await start();
    const second = await start();

    expect([first.code, second.code], first.stderr).toEqual([0, 0]);
    expect(first.stderr).toContain(
      'note: This state folder last uploaded as “desktop-7f3k2qa”; this PC is named “gamingrig”, and the uploads go under “gamingrig” now',
    );
    expect(first.stderr).toContain('set Settings → Host name to desktop-7f3k2qa and save');
    expect(second.stderr).not.toContain('last uploaded as');
  });

  it('the app on a folder this PC’s CLI uploaded from under the earlier name goes on under it (no settings yet)', async () => {
    // Lived: `agent` on the state folder `upload` had used (its default is the app's) split the log: the first 200 rows
    // under unknown-host, the rest under xn----ctbcthhyble.
    const store = join(dir, 'app-store');
    const { pc, log, upload } = aPc('app-pc', store);
    const ada = readFileSync(ADA);
    const half = ada.indexOf('\n', ada.length >> 1) + 1;
    writeFileSync(log, ada.subarray(0, half));
    const before = await upload('игровой-пк', 'state', ['--host', 'unknown-host']);
    appendFileSync(log, ada.subarray(half));
    const renderer = join(pc, 'renderer');
    mkdirSync(renderer);
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>stand-in</title>');

    const agent = spawnCli(
      cli,
      [
        'agent',
        '--port',
        '0',
        '--state-dir',
        join(pc, 'state'),
        '--file',
        log,
        '--local',
        store,
        '--renderer-dir',
        renderer,
      ],
      { pcName: 'игровой-пк', env: { GPUZ_CLOUD_DASHBOARD_TOKEN: 'pc-name-test-token-0123456789abcdef' } },
    );
    await waitForOutput(agent, /Dashboard: http/, 'stdout');
    const ended = collect(agent);
    agent.kill('SIGTERM'); // the agent seals and stores every complete row as it stops
    const result = await ended;

    expect(before.code, before.stderr).toBe(0);
    expect(result.code, result.stderr).toBe(0);
    expect([...linesByHost(store).entries()]).toEqual([['unknown-host', logDataLines(ada)]]);
    expect(JSON.parse(readFileSync(join(pc, 'state', 'settings.json'), 'utf8')).host).toBe('unknown-host');
  });
});
