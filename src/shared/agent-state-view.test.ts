import { stateView, unreachableView } from './agent-state-view';
import type { AgentStatus } from './agent-status';

type Facts = Parameters<typeof stateView>[0];
const AT = '2026-12-02T12:00:00.000Z';

function facts(overrides: Partial<Facts> = {}): Facts {
  return {
    state: 'watching',
    lastError: null,
    spool: { batches: 0, bytes: 0, capBytes: 1_000_000 },
    targetKind: 'local',
    ...overrides,
  };
}

function error(code: string, message: string, advice?: string): NonNullable<AgentStatus['lastError']> {
  return { code, message, at: AT, ...(advice ? { advice } : {}) };
}

describe('stateView', () => {
  it.each([
    ['watching, nothing wrong', facts(), 'ok', 'watching', 'watching the log', null],
    ['uploading', facts({ state: 'uploading' }), 'busy', 'uploading', 'uploading', null],
    ['paused', facts({ state: 'paused' }), 'idle', 'paused', 'paused', null],
    ['starting', facts({ state: 'starting' }), 'idle', 'starting', 'starting', null],
    [
      'log missing',
      facts({
        state: 'waiting',
        lastError: error('LOG_MISSING', 'The log C:\\x.txt is not there', 'Tick it'),
      }),
      'attention',
      'waiting for the log',
      'waiting for the log',
      'LOG_MISSING',
    ],
    [
      'log is a directory',
      facts({ state: 'error', lastError: error('LOG_NOT_A_FILE', 'C:\\logs is a folder', 'Point it') }),
      'problem',
      'needs attention',
      'needs attention',
      'LOG_NOT_A_FILE',
    ],
    [
      'log is a binary file',
      facts({ state: 'error', lastError: error('NOT_A_LOG', '/bin/ls is not a sensor log', 'Point it') }),
      'problem',
      'needs attention',
      'needs attention',
      'NOT_A_LOG',
    ],
    [
      'store path is a file',
      facts({
        state: 'error',
        lastError: error('STORE_NOT_A_FOLDER', 'D:\\store is not a folder', 'Choose'),
      }),
      'problem',
      'needs attention',
      'needs attention',
      'STORE_NOT_A_FOLDER',
    ],
    [
      'store offline with three batches waiting',
      facts({ state: 'offline', spool: { batches: 3, bytes: 900, capBytes: 1_000_000 } }),
      'problem',
      'offline · 3 batches waiting',
      'offline, 3 batches waiting',
      'STORE_UNREACHABLE',
    ],
    [
      'store offline, one batch',
      facts({ state: 'offline', spool: { batches: 1, bytes: 300, capBytes: 1_000_000 } }),
      'problem',
      'offline · 1 batch waiting',
      'offline, 1 batch waiting',
      'STORE_UNREACHABLE',
    ],
    [
      'the store folder’s drive full: its own words, not "offline"',
      facts({
        state: 'offline',
        lastError: error('STORE_FULL', 'The drive of the store folder D:\\GPU-Z is full (ENOSPC)'),
        spool: { batches: 4, bytes: 900, capBytes: 1_000_000 },
      }),
      'problem',
      'store drive full · 4 batches waiting',
      'store drive full, 4 batches waiting',
      'STORE_FULL',
    ],
    [
      'the store folder gone (a drive not mounted): its own words, not "offline"',
      facts({
        state: 'offline',
        lastError: error('STORE_GONE', 'The store folder /mnt/nas/gpuz is not there, though it held …'),
        spool: { batches: 2, bytes: 900, capBytes: 1_000_000 },
      }),
      'problem',
      'store folder missing · 2 batches waiting',
      'store folder missing, 2 batches waiting',
      'STORE_GONE',
    ],
    [
      'a local store whose drive is out (lived under Wine: the badge said "offline" for an unplugged drive)',
      facts({
        state: 'offline',
        targetKind: 'local',
        lastError: error(
          'STORE_UNREACHABLE',
          'The store folder R:\\gpuz-store cannot be reached: its drive R:\\ is not there',
        ),
        spool: { batches: 0, bytes: 0, capBytes: 1_000_000 },
      }),
      'problem',
      'store drive unreachable',
      'store drive unreachable',
      'STORE_UNREACHABLE',
    ],
    [
      'watching after the spool cap dropped batches: never green over an error',
      facts({ lastError: error('SPOOL_FULL', 'dropped 2 batches') }),
      'attention',
      'watching',
      'watching the log',
      'SPOOL_FULL',
    ],
    [
      'uploading after a processing failure',
      facts({ state: 'uploading', lastError: error('PROCESSING_FAILED', 'processing failed') }),
      'attention',
      'uploading',
      'uploading',
      'PROCESSING_FAILED',
    ],
  ] as const)('%s', (_, input, tone, label, sentence, code) => {
    const view = stateView(input);
    expect(view).toMatchObject({ state: input.state, tone, label, sentence });
    expect(view.problem?.code ?? null).toBe(code);
    if (view.problem) expect(view.problem.advice).not.toBe('');
  });

  it('keeps the error’s own advice and time', () => {
    const view = stateView(
      facts({ state: 'error', lastError: error('STORE_DENIED', 'no access', 'Give access') }),
    );
    expect(view.problem).toEqual({
      code: 'STORE_DENIED',
      message: 'no access',
      advice: 'Give access',
      at: AT,
    });
  });

  it('words an outage without advice of its own for the store it is: a folder never blames the network', () => {
    const offline = { state: 'offline' as const, spool: { batches: 2, bytes: 1, capBytes: 9 } };
    const local = stateView(facts({ ...offline, targetKind: 'local' })).problem!.advice;
    const s3 = stateView(facts({ ...offline, targetKind: 's3' })).problem!.advice;
    expect(local).not.toMatch(/network connection|check the network/i);
    expect(local).toContain('drive');
    expect(local).toContain('The 2 batches in the spool are sent when it is back.');
    expect(s3).toContain('Check the network');
  });

  it('an error state without an error still says what to do', () => {
    expect(stateView(facts({ state: 'error' })).problem).toMatchObject({ code: 'AGENT_ERROR', at: null });
  });

  it('an agent the dashboard cannot reach is a problem, not "offline"', () => {
    const view = unreachableView({ code: 'NOT_STARTED', message: 'The agent is not running yet.' });
    expect(view).toMatchObject({ tone: 'problem', label: 'not running' });
    expect(view.problem?.advice).toContain('Start the agent again');
  });
});
