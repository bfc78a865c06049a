/**
 * Errors that cross a boundary (UI ↔ main, CLI output, Lambda logs) as data a person can act on.
 *
 *   throw new AppError('BUCKET_MISSING', 'S3 says the bucket "x" does not exist', 'Run the wizard or check the bucket name.')
 *   → toErrorData(e) = { code: 'BUCKET_MISSING', message: '…', advice: 'Run the wizard …' }
 *   new AppError('NO_CREDENTIALS', '…', 'Pass --profile <name> …', { gui: 'Enter a profile in Settings → Profile …' })
 *   → the CLI prints the advice, the dashboard shows `guiAdvice`.
 *   new AppError('BUCKET_MISSING', '…') without advice → the code's advice from ERROR_ADVICE (error-codes.ts)
 * Codes are the ErrorCode union; on the wire (ErrorData) a code is a string: another build may send one this
 * build does not know.
 */
import { ERROR_ADVICE, type ErrorCode, isErrorCode } from './error-codes';

export type { ErrorCode };

export interface ErrorData {
  code: string;
  message: string;
  /** What to do, in a terminal's words (flags, commands). */
  advice?: string;
  /** What to do, in the dashboard's words (views, fields, buttons), when that differs from `advice`. */
  guiAdvice?: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly advice: string | undefined;
  readonly guiAdvice: string | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    advice?: string,
    options?: { cause?: unknown /** The advice in the dashboard's words. */; gui?: string },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.advice = advice ?? (isErrorCode(code) ? ERROR_ADVICE[code] : undefined);
    this.guiAdvice = options?.gui;
  }

  /** An error that came over a wire as data: its code may be one this build does not know. */
  static fromData({ code, message, advice, guiAdvice }: ErrorData): AppError {
    return new AppError(
      code as ErrorCode,
      message,
      advice,
      guiAdvice === undefined ? undefined : { gui: guiAdvice },
    );
  }
}

/** Narrows an unknown `catch` value to an Error (wrapping strings and other throwables). */
export function assertIsError(value: unknown): asserts value is Error {
  if (!(value instanceof Error)) {
    throw new Error(`Expected an Error, got ${typeof value}: ${String(value)}`);
  }
}

export function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/** The `{ code, message, advice }` shape that crosses process and network boundaries. */
export function toErrorData(value: unknown): ErrorData {
  if (value instanceof AppError) {
    return {
      code: value.code,
      message: value.message,
      ...(value.advice === undefined ? {} : { advice: value.advice }),
      ...(value.guiAdvice === undefined ? {} : { guiAdvice: value.guiAdvice }),
    };
  }
  const error = toError(value);
  const code = (error as { code?: unknown }).code;
  return { code: typeof code === 'string' ? code : 'UNEXPECTED', message: error.message };
}

/** One line for a page (the Overview's notes, the Alerts view): "message. advice", the message's full stop once. */
export function formatNotice(data: Pick<ErrorData, 'message' | 'advice'>): string {
  return data.advice ? `${data.message.replace(/\.$/, '')}. ${data.advice}` : data.message;
}

/** One line for a terminal: "message — advice". */
export function formatErrorLine(value: unknown): string {
  const data = toErrorData(value);
  return data.advice ? `${data.message} — ${data.advice}` : data.message;
}
