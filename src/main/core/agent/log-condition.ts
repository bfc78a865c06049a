import { type ErrorData, toErrorData } from '../../../shared/errors';
import type { IngestEvent } from '../ingest';
import type { LogCondition } from './model';

/**
 * What a tail event says about the log, in words a person can act on (null: nothing about the log changed).
 *
 *   logConditionOf({ type: 'unavailable', reason: 'missing', detail: 'ENOENT' }, 'C:\\…\\GPU-Z Sensor Log.txt')
 *     → { log: 'missing', error: { code: 'LOG_MISSING', message: 'The log C:\\… is not there', advice: 'Waiting …' } }
 *   logConditionOf({ type: 'file', … }) → { log: 'ok', error: null }
 *   noticeOf({ type: 'damaged', offset: 200681, bytes: 143 }) → { code: 'LINE_DAMAGED', message: 'Skipped 143 bytes …' }
 */
export function logConditionOf(
  event: IngestEvent,
  path: string,
): { log: LogCondition; error: ErrorData | null } | null {
  switch (event.type) {
    case 'available':
    case 'file':
      return { log: 'ok', error: null };
    case 'refused':
      return { log: 'not-a-log', error: toErrorData(event.error) };
    case 'unavailable':
      if (event.reason === 'not-a-file') {
        return {
          log: 'not-a-file',
          error: {
            code: 'LOG_NOT_A_FILE',
            message: `${path} is a folder, not a log file`,
            advice:
              'Point the log file setting (--file) at the log itself, e.g. "…\\Documents\\GPU-Z Sensor Log.txt".',
          },
        };
      }
      if (event.reason === 'locked') {
        return {
          log: 'locked',
          error: {
            code: 'LOG_LOCKED',
            message: `${path} is locked by another program (${event.detail})`,
            advice:
              'Waiting: reading goes on, with nothing lost, once that program lets go of it. GPU-Z never locks its log; close what does (an editor, a backup or sync tool).',
          },
        };
      }
      if (event.reason === 'unreadable') {
        return {
          log: 'unreadable',
          error: {
            code: 'LOG_UNREADABLE',
            message: `${path} cannot be read (${event.detail})`,
            advice:
              'Give this user read access to the file, or point the log file setting (--file) at one it can read.',
          },
        };
      }
      return {
        log: 'missing',
        error: {
          code: 'LOG_MISSING',
          message: `The log ${path} is not there`,
          advice:
            'GPU-Z creates it when it starts logging: in GPU-Z, Sensors tab, tick "Log to file" and save to this path, or point the log file setting (--file) at the log GPU-Z writes.',
        },
      };
    default:
      return null;
  }
}

/** What ingest found and did that a person should know (a notice), or null. */
export function noticeOf(event: IngestEvent): ErrorData | null {
  if (event.type === 'resumed') {
    return { code: event.point.verified ? 'RESUMED_FROM_STORE' : 'RESUMED_BY_CONTENT', message: event.note };
  }
  if (event.type === 'damaged' && event.overlong) {
    return {
      code: 'LINE_DAMAGED',
      message: `Skipped ${(event.bytes / 2 ** 20).toFixed(1)} MiB (${event.bytes.toLocaleString('en-US')} bytes) at byte ${event.offset.toLocaleString('en-US')} of the log: no line feed in a whole read, far too long for a log line (a NUL hole a power loss left, or bytes that are no log line); the rows around it are sent`,
    };
  }
  if (event.type === 'damaged') {
    return {
      code: 'LINE_DAMAGED',
      message: `Skipped ${event.bytes} bytes of a damaged line at byte ${event.offset} of the log: a row cut short (the logger — GPU-Z, HWiNFO or nvidia-smi — stopped in the middle of it, a power loss or a truncation) with a NUL run or the next header after it; the rows around it are sent`,
    };
  }
  if (event.type === 'copy-begun') {
    return {
      code: 'LOG_COPIED',
      message: `The store could not be asked what it holds of the log: its lines are copied to ${event.path} at each look and sent from there once the store answers, so that GPU-Z overwriting the log meanwhile loses none of them`,
    };
  }
  if (event.type === 'copy-capped') {
    return {
      code: 'LOG_COPY_FULL',
      message: `The copies of logs waiting for the store reached the spool's cap at ${event.bytes} bytes of the log being copied: the rest is read from the log itself once the store answers, and is lost if GPU-Z overwrites it before`,
      advice:
        'The store has been unreachable for long: fix the connection or the credentials, or raise the spool cap.',
    };
  }
  if (event.type === 'copy-refused') {
    return {
      code: 'LOG_COPY_NOT_A_LOG',
      message: `The copy of a file that took the log's place while the store could not be asked is no sensor log (${event.reason}): deleted, nothing of it sent`,
    };
  }
  if (event.type === 'copy-unreadable') {
    return {
      code: 'LOG_COPY_UNREADABLE',
      message: `The copy ${event.path} of a log GPU-Z replaced while the store could not be asked cannot be read (${event.code}): left in place, its rows not sent yet`,
      advice:
        'Check that this account can read the file (an antivirus may hold it); it is read again when GPU-Z begins its next log or the agent starts again.',
    };
  }
  if (event.type === 'copy-sent') {
    const logged =
      event.firstLocal && event.lastLocal ? ` logged ${event.firstLocal} – ${event.lastLocal}` : '';
    return {
      code: 'LOG_COPY_SENT',
      message: `Sent ${event.rows} row(s)${logged} in ${event.batches} batch(es) from the copy of a log GPU-Z replaced while the store could not be asked (read from byte ${event.from} of ${event.bytes}); the copy is deleted`,
    };
  }
  return null;
}
