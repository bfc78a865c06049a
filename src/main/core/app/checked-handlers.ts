/**
 * The contract's handlers as both transports serve them (Electron IPC in main, the headless HTTP API): every input
 * checked against its schema (src/shared/contract-inputs.ts) before the handler runs, and one error shape out.
 *
 *   const served = checkedHandlers(app.handlers, { log: (line) => console.error(line) })
 *   await served.queryChart({ keys: 'abc' })   → throws AppError BAD_INPUT 'queryChart: from: expected number; …'
 *   a handler that hits a bug (TypeError …)    → throws AppError INTERNAL '<method> failed inside the app.' and
 *                                                 logs the real error with its stack; no internals cross the wire
 *   AppError and service errors (S3, STS …)    → passed on unchanged (they are worded for people)
 *
 * Inputs are JSON values on both transports: IPC inputs (structured clone) are brought to JSON first, so
 * `{ x: undefined }` means what it means over HTTP (absent), and the same size limit applies.
 */

import { type ContractHandlers, type MethodName, methodNames } from '../../../shared/contract';
import { checkInput } from '../../../shared/contract-inputs';
import { AppError } from '../../../shared/errors';

/** The largest input either transport accepts, as JSON bytes (HTTP answers 413 above it). */
export const MAX_INPUT_BYTES = 1024 * 1024;

/** Errors that mean a bug in the app, not a refusal or a service's answer: their text is not for the UI. */
const BUG_ERRORS = [TypeError, ReferenceError, RangeError, SyntaxError, EvalError, URIError];

export interface CheckedHandlersOptions {
  /** Where an internal error's details go (the app log / stderr). */
  log(line: string): void;
}

export function checkedHandlers(
  handlers: ContractHandlers,
  options: CheckedHandlersOptions,
): ContractHandlers {
  const served: Partial<Record<MethodName, (input: unknown) => Promise<unknown>>> = {};
  for (const name of methodNames) {
    const handler = handlers[name] as (input: unknown) => Promise<unknown>;
    served[name] = async (raw: unknown) => {
      const checked = checkInput(name, asJson(name, raw));
      if (!checked.ok) throw AppError.fromData(checked.error);
      try {
        return await handler(checked.value);
      } catch (error) {
        throw hideInternals(name, error, options);
      }
    };
  }
  return served as ContractHandlers;
}

/** A JSON copy of an IPC input (undefined stays undefined: no input); refuses what JSON cannot carry. */
function asJson(name: MethodName, raw: unknown): unknown {
  if (raw === undefined) return undefined;
  let text: string | undefined;
  try {
    text = JSON.stringify(raw);
  } catch {
    text = undefined;
  }
  if (text === undefined) throw badInput(name, 'the input is not a JSON value.');
  if (Buffer.byteLength(text) > MAX_INPUT_BYTES) {
    throw badInput(name, `the input is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MB.`);
  }
  return JSON.parse(text);
}

function badInput(name: MethodName, what: string): AppError {
  return new AppError(
    'BAD_INPUT',
    `${name}: ${what}`,
    'The request does not match what the app expects; reload the page or update the app.',
  );
}

function hideInternals(name: MethodName, error: unknown, options: CheckedHandlersOptions): unknown {
  if (error instanceof AppError || !BUG_ERRORS.some((type) => error instanceof type)) return error;
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  options.log(`gpuz-cloud: ${name} failed inside the app: ${detail}`);
  return new AppError(
    'INTERNAL',
    `${name} failed inside the app.`,
    'Try again; if it keeps failing, report it with the app log (it has the details).',
  );
}
