import type { AgentStatus } from '../../shared/agent-status';
import {
  BACK_ONLINE,
  createStatusSayer,
  STOPPED_IN_A_TERMINAL,
  WAITING_FOR_CREDENTIALS,
} from './status-lines';

const at = '2026-12-04T09:00:00.000Z';
const base = { state: 'watching', lastError: null, notices: [] } as unknown as AgentStatus;
const missing = {
  code: 'LOG_MISSING',
  message: 'The log C:\\GPU-Z Sensor Log.txt is not there',
  advice: 'Pass --file with the log GPU-Z writes.',
  guiAdvice: 'Pick the log in Settings.',
  at,
};

describe('createStatusSayer', () => {
  it('says each notice once and a waiting or error line once per change, in the terminal’s or the dashboard’s words', () => {
    // Arrange
    const said: string[] = [];
    const say = createStatusSayer((text) => said.push(text));
    const dashboard: string[] = [];
    const sayDashboard = createStatusSayer((text) => dashboard.push(text), { dashboard: true });
    const note = { code: 'RESUMED', message: 'Reading resumes by content at byte 4096', at };
    const steps: AgentStatus[] = [
      base,
      { ...base, notices: [note] },
      { ...base, state: 'waiting', lastError: missing, notices: [note] },
      { ...base, state: 'waiting', lastError: missing, notices: [note] },
      { ...base, state: 'uploading', lastError: missing, notices: [note] },
      { ...base, notices: [note] },
      { ...base, state: 'waiting', lastError: missing, notices: [note] },
      {
        ...base,
        state: 'watching',
        lastError: { ...missing, code: 'STATE_WRITE_FAILED', message: 'disk full' },
      },
    ];
    // Act
    for (const status of steps) {
      say(status);
      sayDashboard(status);
    }
    // Assess
    expect(said).toEqual([
      'note: Reading resumes by content at byte 4096\n',
      'waiting: The log C:\\GPU-Z Sensor Log.txt is not there — Pass --file with the log GPU-Z writes.\n',
      'waiting: The log C:\\GPU-Z Sensor Log.txt is not there — Pass --file with the log GPU-Z writes.\n',
      'watching: disk full — Pass --file with the log GPU-Z writes.\n',
    ]);
    expect(dashboard[1]).toBe(
      'waiting: The log C:\\GPU-Z Sensor Log.txt is not there — Pick the log in Settings.\n',
    );
  });

  it('says an outage once per cause however often it is retried, and says when it ends', () => {
    // Arrange: a store folder gone (lived: eight lines in nine seconds, one per attempt), then the network (S3)
    const said: string[] = [];
    const say = createStatusSayer((text) => said.push(text));
    const attempt = (code: string, batch: string, wait: number) =>
      ({
        ...base,
        state: 'offline',
        lastError: {
          code,
          message: `Upload of ${batch} failed (${code === 'STORE_GONE' ? 'The store folder /mnt/nas/gpuz is not there' : 'connect ECONNREFUSED 127.0.0.1:443'}); retrying in ${wait} s`,
          advice: 'The batches wait in the spool.',
          at,
        },
      }) as AgentStatus;
    const steps = [
      attempt('STORE_GONE', 'ab-0-9', 0),
      attempt('STORE_GONE', 'ab-0-9', 3),
      attempt('STORE_GONE', 'ab-9-19', 14),
      base,
      attempt('ECONNREFUSED', 'ab-19-29', 1),
      attempt('ECONNREFUSED', 'ab-19-29', 7),
      base,
      base,
    ];
    // Act
    for (const status of steps) say(status);
    // Assess
    expect(said).toEqual([
      'offline: Upload of ab-0-9 failed (The store folder /mnt/nas/gpuz is not there); retrying in 0 s — The batches wait in the spool.\n',
      BACK_ONLINE,
      'offline: Upload of ab-19-29 failed (connect ECONNREFUSED 127.0.0.1:443); retrying in 1 s — The batches wait in the spool.\n',
      BACK_ONLINE,
    ]);
  });

  it('tells a terminal how to go on after uploads stop (it has no "Upload now"), and leaves that to the dashboard', () => {
    // Arrange
    const said: string[] = [];
    const say = createStatusSayer((text) => said.push(text));
    const dashboard: string[] = [];
    const sayDashboard = createStatusSayer((text) => dashboard.push(text), { dashboard: true });
    const denied = {
      code: 'STORE_DENIED',
      message: 'The store folder /data cannot be written (EACCES)',
      advice: 'Give this user write access to the folder, then start the upload again.',
      guiAdvice: 'Give this user write access to the folder, then press "Upload now".',
      at,
    };
    // Act
    for (const status of [{ ...base, state: 'error', lastError: denied }, base] as AgentStatus[]) {
      say(status);
      sayDashboard(status);
    }
    // Assess
    expect(said).toEqual([
      'error: The store folder /data cannot be written (EACCES) — Give this user write access to the folder, then start the upload again.\n',
      `${STOPPED_IN_A_TERMINAL}\n`,
    ]);
    expect(dashboard).toEqual([
      'error: The store folder /data cannot be written (EACCES) — Give this user write access to the folder, then press "Upload now".\n',
    ]);
    expect(said.join('')).not.toContain('Upload now');
  });

  it('a refusal of the credentials is not answered with a restart: the command sends by itself once they change', () => {
    // Arrange
    const said: string[] = [];
    const say = createStatusSayer((text) => said.push(text));
    const expired = {
      code: 'CREDENTIALS_EXPIRED',
      message: 'The AWS session used for the upload has expired (ExpiredToken)',
      at,
    };
    // Act
    say({ ...base, state: 'error', lastError: expired } as AgentStatus);
    // Assess
    expect(said).toEqual([
      'error: The AWS session used for the upload has expired (ExpiredToken)\n',
      `${WAITING_FOR_CREDENTIALS}\n`,
    ]);
  });

  it('another agent took the folder over: said once, with no "press Ctrl+C" (the command ends by itself)', () => {
    // Arrange
    const said: string[] = [];
    const say = createStatusSayer((text) => said.push(text));
    const lost = {
      code: 'AGENT_LOCK_LOST',
      message: 'Another upload agent (process 4242) took over /state',
      at,
    };
    // Act
    say({ ...base, state: 'error', lastError: lost } as AgentStatus);
    // Assess
    expect(said).toEqual(['error: Another upload agent (process 4242) took over /state\n']);
  });
});
