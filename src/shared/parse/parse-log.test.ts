import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLES_DIR } from '../../test-support/services';
import { parseLog } from './parse-log';

describe('parseLog on the GPU-Z samples', () => {
  it('reads the 12-session AMD log with its duplicate column', () => {
    const log = parseLog(readFileSync(join(SAMPLES_DIR, 'gpuz/amd-radeon-hbm2-gpuz-2020-12-sessions.txt')), {
      timeZone: 'UTC',
    });
    expect(log.format).toBe('gpuz');
    expect(log.encoding).toBe('windows-1252');
    expect(log.sessions).toHaveLength(12);
    expect(log.rows).toHaveLength(1673);
    expect(log.sessions[0]!.columns.slice(2, 4).map((c) => c.key)).toEqual([
      'uvd_clock_mhz',
      'uvd_clock_mhz_2',
    ]);
    expect(log.rows[0]!.t).toBe(Date.UTC(2020, 2, 16, 17, 13, 5));
  });
});
