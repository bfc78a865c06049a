import { EventEmitter } from 'node:events';
import { nextStopSignal, stopSignals } from './stop-signals';

describe('stop signals of the long-running commands', () => {
  it.each([
    ['win32', ['SIGINT', 'SIGTERM', 'SIGBREAK', 'SIGHUP']],
    ['linux', ['SIGINT', 'SIGTERM', 'SIGHUP']],
  ] as const)('on %s: %j', (platform, expected) => {
    expect(stopSignals(platform)).toEqual(expected);
  });

  it('resolves with the first signal and removes every handler, so a second Ctrl+C ends the process at once', async () => {
    // Prepare
    const source = new EventEmitter();
    const stopped = nextStopSignal(source as unknown as NodeJS.Process, 'win32');

    // Act
    source.emit('SIGBREAK');

    // Assess
    expect(await stopped).toBe('SIGBREAK');
    expect(stopSignals('win32').map((signal) => source.listenerCount(signal))).toEqual([0, 0, 0, 0]);
  });
});
