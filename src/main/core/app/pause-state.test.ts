import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPauseState, PAUSE_FILE } from './pause-state';

describe('the pause kept in the state folder', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gpuz-pause-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is kept until resumed: no file → not paused; paused → its time; resumed → the file is gone', async () => {
    const path = join(dir, PAUSE_FILE);
    const pause = createPauseState(path);
    const fresh = await pause.load();
    await pause.save('2026-12-05T20:01:00.000Z');
    const paused = await createPauseState(path).load();
    const file = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    await pause.save(null);
    expect({ fresh, paused, file, resumed: await pause.load() }).toEqual({
      fresh: null,
      paused: '2026-12-05T20:01:00.000Z',
      file: { pausedAt: '2026-12-05T20:01:00.000Z' },
      resumed: null,
    });
  });

  it.each(['', '{ half', '[]', '{"pausedAt": 5}', '{"pausedAt": "yesterday"}'])(
    'a file that is not one (%j) counts as not paused: uploads go on',
    async (text) => {
      writeFileSync(join(dir, PAUSE_FILE), text);
      expect(await createPauseState(join(dir, PAUSE_FILE)).load()).toBeNull();
    },
  );
});
