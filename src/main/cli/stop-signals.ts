/**
 * The signals that ask a long-running command (`agent`, `upload --watch`) to stop, as a promise of the first:
 *   const signal = await nextStopSignal()   → 'SIGINT' after Ctrl+C
 *
 * - SIGINT: Ctrl+C. SIGTERM: `kill`, service managers (Linux, macOS).
 * - SIGBREAK: Ctrl+Break (Windows only).
 * - SIGHUP: the terminal hung up; on Windows, the console window was closed (Windows ends the process about
 *   10 s later, enough to seal and spool).
 * After the first one the handlers are gone, so a second Ctrl+C ends the process at once: the spool and the
 * checkpoint make that safe, as they do for what no handler sees (Windows' TerminateProcess, logoff, shutdown).
 */
type SignalSource = Pick<NodeJS.Process, 'once' | 'off'>;

export function stopSignals(platform: NodeJS.Platform = process.platform): NodeJS.Signals[] {
  return platform === 'win32' ? ['SIGINT', 'SIGTERM', 'SIGBREAK', 'SIGHUP'] : ['SIGINT', 'SIGTERM', 'SIGHUP'];
}

export function nextStopSignal(
  source: SignalSource = process,
  platform: NodeJS.Platform = process.platform,
): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const signals = stopSignals(platform);
    const handlers = signals.map((signal) => {
      const handler = () => {
        for (const [i, other] of signals.entries()) source.off(other, handlers[i]!);
        resolve(signal);
      };
      source.once(signal, handler);
      return handler;
    });
  });
}
