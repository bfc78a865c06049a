import type { AgentState } from '../../../shared/agent-status';
import { type AgentEvent, type AgentModel, initialModel, mayKick, stateOf, transition } from './model';

const AT = '2026-08-06T19:14:36.000Z';
const error = (code: string) => ({ code, message: `${code} happened`, at: AT });
const running = (over: Partial<AgentModel> = {}): AgentModel => ({
  ...initialModel(),
  phase: 'running',
  ...over,
});

describe('agent model: (model, event) → state a person sees', () => {
  it.each<[string, AgentModel, AgentEvent, AgentState]>([
    ['start', initialModel(), { type: 'started' }, 'watching'],
    ['queue starts sending', running(), { type: 'queue', busy: true }, 'uploading'],
    ['queue idle again', running({ uploading: true }), { type: 'queue', busy: false }, 'watching'],
    [
      'a PUT fails and will be retried',
      running({ uploading: true }),
      { type: 'attempt-failed', error: error('ECONNREFUSED') },
      'offline',
    ],
    [
      'offline stays offline when the queue pauses between retries',
      running({ offline: true, uploading: true }),
      { type: 'queue', busy: false },
      'offline',
    ],
    ['a confirmed upload ends offline', running({ offline: true }), { type: 'uploaded', at: AT }, 'watching'],
    [
      'one-shot gives up on an unreachable store',
      running(),
      { type: 'upload-failed', error: error('STORE_UNREACHABLE'), stopping: false },
      'offline',
    ],
    [
      'the store refuses for good',
      running({ uploading: true }),
      { type: 'upload-failed', error: error('ACCESS_DENIED'), stopping: true },
      'error',
    ],
    [
      'one batch refused, the others go on',
      running({ uploading: true }),
      { type: 'upload-failed', error: error('BATCH_REJECTED'), stopping: false },
      'uploading',
    ],
    [
      'upload now after a refusal tries again',
      running({ blocked: true }),
      { type: 'retry-requested' },
      'watching',
    ],
    ['pause wins over uploading', running({ uploading: true }), { type: 'paused' }, 'paused'],
    ['pause wins over a refusal', running({ blocked: true }), { type: 'paused' }, 'paused'],
    ['resume forgets a refusal', running({ paused: true, blocked: true }), { type: 'resumed' }, 'watching'],
    [
      'resume while the store is still out of reach',
      running({ paused: true, offline: true }),
      { type: 'resumed' },
      'offline',
    ],
    ['stopping still shows the final flush', running(), { type: 'stopping' }, 'watching'],
    ['stopped', running({ phase: 'stopping', uploading: true }), { type: 'stopped' }, 'stopped'],
    [
      'a problem does not change the state',
      running(),
      { type: 'problem', error: error('PROCESSING_FAILED') },
      'watching',
    ],
    [
      'the log is not there: waiting for GPU-Z',
      running(),
      { type: 'log', log: 'missing', error: error('LOG_MISSING') },
      'waiting',
    ],
    ['the log appears', running({ log: 'missing' }), { type: 'log', log: 'ok', error: null }, 'watching'],
    [
      'another program locks the log: waiting for it to let go',
      running(),
      { type: 'log', log: 'locked', error: error('LOG_LOCKED') },
      'waiting',
    ],
    [
      'the log is a folder',
      running(),
      { type: 'log', log: 'not-a-file', error: error('LOG_NOT_A_FILE') },
      'error',
    ],
    [
      'the log is no sensor log',
      running(),
      { type: 'log', log: 'not-a-log', error: error('NOT_A_LOG') },
      'error',
    ],
    [
      'a damaged checkpoint refuses the state folder',
      running(),
      { type: 'state-refused', error: error('STATE_DAMAGED') },
      'error',
    ],
    [
      'a refused state folder stays an error when paused',
      running({ refused: true }),
      { type: 'paused' },
      'error',
    ],
    [
      'the store answers again (asked what it holds of a log)',
      running({ offline: true, lastError: error('STORE_UNREACHABLE') }),
      { type: 'store-reached' },
      'watching',
    ],
    [
      'a notice does not change the state',
      running(),
      { type: 'notice', notice: error('RESUMED_BY_CONTENT') },
      'watching',
    ],
    [
      'offline wins over waiting',
      running({ log: 'missing' }),
      { type: 'attempt-failed', error: error('ECONNRESET') },
      'offline',
    ],
    [
      'waiting wins over sending the spool',
      running({ log: 'missing' }),
      { type: 'queue', busy: true },
      'waiting',
    ],
  ])('%s', (_name, before, event, expected) => {
    // Prepare: `before`
    // Act
    const after = transition(before, event);
    // Assess
    expect(stateOf(after)).toBe(expected);
  });

  it.each<[string, AgentModel, AgentEvent, string | null]>([
    [
      'an upload clears an outage message',
      running({ lastError: error('ECONNREFUSED') }),
      { type: 'uploaded', at: AT },
      null,
    ],
    [
      'an upload keeps the report of batches dropped at the spool cap',
      running({ lastError: error('SPOOL_FULL') }),
      { type: 'uploaded', at: AT },
      'SPOOL_FULL',
    ],
    [
      'a problem is the last error',
      running(),
      { type: 'problem', error: error('PROCESSING_FAILED') },
      'PROCESSING_FAILED',
    ],
    [
      'an upload keeps saying the log is missing',
      running({ log: 'missing', lastError: error('LOG_MISSING') }),
      { type: 'uploaded', at: AT },
      'LOG_MISSING',
    ],
    [
      'the log back clears what was said about it',
      running({ log: 'missing', lastError: error('LOG_MISSING') }),
      { type: 'log', log: 'ok', error: null },
      null,
    ],
    [
      'refused (another agent took the folder over): an upload cut short after it does not replace why',
      running({ refused: true, lastError: error('AGENT_LOCK_LOST') }),
      { type: 'attempt-failed', error: error('ABORTED') },
      'AGENT_LOCK_LOST',
    ],
    [
      'the log back keeps an unrelated error',
      running({ log: 'missing', lastError: error('SPOOL_FULL') }),
      { type: 'log', log: 'ok', error: null },
      'SPOOL_FULL',
    ],
  ])('%s', (_name, before, event, expected) => {
    // Prepare: `before`
    // Act
    const after = transition(before, event);
    // Assess
    expect(after.lastError?.code ?? null).toBe(expected);
  });

  it.each<[string, AgentModel, boolean]>([
    ['running', running(), true],
    ['starting', initialModel(), false],
    ['paused', running({ paused: true }), false],
    ['refused', running({ blocked: true }), false],
    ['on a refused state folder', running({ refused: true }), false],
    ['stopping', running({ phase: 'stopping' }), false],
    ['offline (the queue retries by itself)', running({ offline: true }), true],
  ])('kicks the queue on its own when %s: %s', (_name, model, expected) => {
    // Prepare: `model`
    // Act
    const kick = mayKick(model);
    // Assess
    expect(kick).toBe(expected);
  });

  it('keeps the last 20 notices, newest last', () => {
    // Prepare
    let model = running();
    // Act
    for (let i = 0; i < 25; i++) model = transition(model, { type: 'notice', notice: error(`N${i}`) });
    // Assess
    expect(model.notices.map((n) => n.code)).toEqual(Array.from({ length: 20 }, (_, i) => `N${i + 5}`));
  });
});
