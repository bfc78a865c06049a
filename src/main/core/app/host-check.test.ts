import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostNotice, uploadHostOf } from './host-check';

describe('hostNotice: settings saved on another PC', () => {
  it('says so when this PC uploads under the name of the PC that saved the settings, naming both and what to do', () => {
    expect(hostNotice({ host: 'old-pc', savedOn: 'old-pc' }, 'new-pc')).toEqual({
      code: 'HOST_FROM_OTHER_PC',
      message:
        'These settings were saved on the PC named “old-pc”; this PC is “new-pc” and uploads as “old-pc”',
      advice:
        'If this is another PC, set Settings → Host name to new-pc: two PCs under one name mix their readings in the charts and sessions. If it is the same PC renamed, save the settings once to keep “old-pc”.',
    });
    // A host name chosen on the other PC, not its own: the same mix
    expect(hostNotice({ host: 'gaming-pc', savedOn: 'old-pc' }, 'new-pc')?.message).toBe(
      'These settings were saved on the PC named “old-pc”; this PC is “new-pc” and uploads as “gaming-pc”',
    );
  });

  it('says nothing when saved here, when the host is already this PC’s name, or when it is not known where they were saved', () => {
    expect(hostNotice({ host: 'gaming-pc', savedOn: 'new-pc' }, 'new-pc')).toBeNull();
    expect(hostNotice({ host: 'new-pc', savedOn: 'old-pc' }, 'new-pc')).toBeNull();
    expect(hostNotice({ host: 'old-pc' }, 'new-pc')).toBeNull();
  });

  it('takes this PC’s name as earlier builds wrote it for this PC (no notice after an update), and names PCs as named', () => {
    // Jürgen-PC: 'j-rgen-pc' before, 'xn--jrgen-pc-65a' now (shared/host-name.ts)
    expect(
      hostNotice({ host: 'j-rgen-pc', savedOn: 'j-rgen-pc' }, 'xn--jrgen-pc-65a', 'j-rgen-pc'),
    ).toBeNull();
    expect(
      hostNotice({ host: 'xn----ctbcthhyble', savedOn: 'xn----ctbcthhyble' }, 'xn----7sbd2afhylc7e'),
    ).toEqual({
      code: 'HOST_FROM_OTHER_PC',
      message:
        'These settings were saved on the PC named “игровой-пк”; this PC is “рабочий-пк” and uploads as “игровой-пк”',
      advice:
        'If this is another PC, set Settings → Host name to рабочий-пк: two PCs under one name mix their readings in the charts and sessions. If it is the same PC renamed, save the settings once to keep “игровой-пк”.',
    });
  });
});

describe('uploadHostOf: the host of a CLI upload without --host', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gpuz-upload-host-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /** uploads.json as an agent leaves it, its newest upload under `host`. */
  const uploadedAs = (host: string) =>
    writeFile(
      join(dir, 'uploads.json'),
      JSON.stringify([
        {
          batchId: 'ab12-0-9',
          key: `raw/${host}/2026/12/06/ab12-0-9.csv.gz`,
          at: '2026-12-06T12:00:00.000Z',
          status: 'uploaded',
          rows: 1,
          rawBytes: 9,
          compressedBytes: 9,
          durationMs: 5,
        },
      ]),
    );
  const jurgen = { now: 'xn--jrgen-pc-65a', former: 'j-rgen-pc' };

  it('this PC’s name for a folder that never uploaded, or last uploaded under it', async () => {
    expect(await uploadHostOf(dir, jurgen)).toEqual({ host: 'xn--jrgen-pc-65a', notice: null });
    await uploadedAs('xn--jrgen-pc-65a');
    expect(await uploadHostOf(dir, jurgen)).toEqual({ host: 'xn--jrgen-pc-65a', notice: null });
  });

  it('goes on under the name earlier builds wrote for this PC, without a word', async () => {
    await uploadedAs('j-rgen-pc');
    expect(await uploadHostOf(dir, jurgen)).toEqual({ host: 'j-rgen-pc', notice: null });
  });

  it('says so when the folder last uploaded under another name (a PC renamed, or a folder copied from another PC)', async () => {
    await uploadedAs('desktop-7f3k2qa');
    expect(await uploadHostOf(dir, jurgen)).toEqual({
      host: 'xn--jrgen-pc-65a',
      notice: {
        code: 'HOST_CHANGED',
        message:
          'This state folder last uploaded as “desktop-7f3k2qa”; this PC is named “jürgen-pc”, and the uploads go under “jürgen-pc” now',
        advice:
          'If this is the same PC renamed, pass --host desktop-7f3k2qa to go on under the earlier name (else the charts list both). If the folder was copied from another PC, nothing is to be done.',
      },
    });
  });

  it('words the advice for the app’s form when the app asks', async () => {
    await uploadedAs('desktop-7f3k2qa');
    const { notice } = await uploadHostOf(dir, jurgen, 'app');
    expect(notice?.advice).toBe(
      'If this is the same PC renamed, set Settings → Host name to desktop-7f3k2qa and save to go on under the earlier name (else the charts list both). If the folder was copied from another PC, nothing is to be done.',
    );
  });
});
