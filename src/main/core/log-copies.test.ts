import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adaLog, adaRows } from './agent/agent.test-support';
import { type FileIdentity, readIdentity } from './file-identity';
import { createLogCopies } from './log-copies';

async function identityOf(path: string): Promise<FileIdentity> {
  const handle = await open(path, 'r');
  try {
    const id = await readIdentity(handle, (await handle.stat()).size);
    if (!id) throw new Error('no identity');
    return id;
  } finally {
    await handle.close();
  }
}

describe('log copies (a log the store could not be asked about)', () => {
  let dir: string;
  let log: string;
  let clock: number;
  const copies = (capBytes = 1 << 30) =>
    createLogCopies({ dir: join(dir, 'copies'), capBytes, now: () => clock++ });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gpuz-log-copies-'));
    log = join(dir, 'GPU-Z Sensor Log.txt');
    clock = 1_000;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('copies the log, then only what it grew by; listed with its identity', async () => {
    // Prepare
    writeFileSync(log, adaLog(1, 51));
    const id = await identityOf(log);
    const kept = copies();

    // Act
    const first = await kept.keep(log, id);
    appendFileSync(log, adaRows(51, 61));
    const second = await kept.keep(log, id);
    const idle = await kept.keep(log, id);

    // Assess
    expect([first.began, second.began, idle.began]).toEqual([true, false, false]);
    expect([first.bytes, second.bytes, idle.bytes]).toEqual([
      adaLog(1, 51).length,
      adaLog(1, 61).length,
      adaLog(1, 61).length,
    ]);
    const listed = (await kept.list()).copies;
    expect(listed.map((c) => ({ id: c.identity.fileId, bytes: c.bytes }))).toEqual([
      { id: id.fileId, bytes: adaLog(1, 61).length },
    ]);
    expect(readFileSync(listed[0]!.path)).toEqual(adaLog(1, 61));
  });

  it('adds nothing once the log is another one (replaced since the look that saw it)', async () => {
    // Prepare
    writeFileSync(log, adaLog(1, 51));
    const id = await identityOf(log);
    const kept = copies();
    await kept.keep(log, id);

    // Act
    writeFileSync(log, adaLog(51, 151));
    const after = await kept.keep(log, id);

    // Assess
    expect(after).toMatchObject({ began: false, bytes: adaLog(1, 51).length, capped: false });
  });

  it('lists copies oldest first, removes one by its log', async () => {
    // Prepare
    const kept = copies();
    writeFileSync(log, adaLog(1, 51));
    const a = await identityOf(log);
    await kept.keep(log, a);
    writeFileSync(log, adaLog(51, 101));
    const b = await identityOf(log);
    await kept.keep(log, b);

    // Act
    const before = (await kept.list()).copies.map((c) => c.identity.fileId);
    await kept.remove(a.fileId);
    const after = (await kept.list()).copies.map((c) => c.identity.fileId);

    // Assess
    expect(before).toEqual([a.fileId, b.fileId]);
    expect(after).toEqual([b.fileId]);
  });

  it('stays under its cap and says so; the rest stays in the log only', async () => {
    // Prepare
    writeFileSync(log, adaLog(1, 101));
    const id = await identityOf(log);
    const cap = adaLog(1, 51).length;

    // Act
    const kept = await copies(cap).keep(log, id);

    // Assess
    expect(kept).toMatchObject({ began: true, bytes: cap, capped: true });
  });

  it('sets aside a copy that no longer starts with its log (damaged on disk) instead of sending it as that log', async () => {
    // Prepare
    writeFileSync(log, adaLog(1, 51));
    const kept = copies();
    const { path } = await kept.keep(log, await identityOf(log));
    writeFileSync(path, adaLog(51, 101));

    // Act
    const listed = (await kept.list()).copies;

    // Assess
    expect(listed).toEqual([]);
    expect(existsSync(`${path}.damaged`)).toBe(true);
    expect(readdirSync(join(dir, 'copies'))).toHaveLength(1);
  });

  it('copies a long log a part at each look (a months-old log does not hold one look for long)', async () => {
    // Prepare
    writeFileSync(log, adaLog(1, 101));
    const id = await identityOf(log);
    const part = adaLog(1, 41).length;
    const kept = createLogCopies({ dir: join(dir, 'copies'), capBytes: 1 << 30, perLookBytes: part });

    // Act
    const looks = [];
    for (let i = 0; i < 4; i++) looks.push(await kept.keep(log, id));

    // Assess
    expect(looks.map((k) => [k.began, k.bytes, k.capped])).toEqual([
      [true, part, false],
      [false, 2 * part, false],
      [false, adaLog(1, 101).length, false],
      [false, adaLog(1, 101).length, false],
    ]);
    expect(readFileSync(looks[3]!.path)).toEqual(adaLog(1, 101));
  });
});
