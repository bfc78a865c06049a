/**
 * Errors that cross a boundary (UI ↔ main, CLI output, Lambda logs) as data a person can act on.
 *
 *   throw new AppError('BUCKET_MISSING', 'S3 says the bucket "x" does not exist', 'Run the wizard or check the bucket name.')
 *   → toErrorData(e) = { code: 'BUCKET_MISSING', message: '…', advice: 'Run the wizard …' }
 */
export interface ErrorData {
  code: string;
  message: string;
  advice?: string;
}

export class AppError extends Error {
  readonly code: string;
  readonly advice: string | undefined;

  constructor(code: string, message: string, advice?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.advice = advice;
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
    return value.advice === undefined
      ? { code: value.code, message: value.message }
      : { code: value.code, message: value.message, advice: value.advice };
  }
  const error = toError(value);
  const code = (error as { code?: unknown }).code;
  return { code: typeof code === 'string' ? code : 'UNEXPECTED', message: error.message };
}

/** One line for a terminal: "message — advice". */
export function formatErrorLine(value: unknown): string {
  const data = toErrorData(value);
  return data.advice ? `${data.message} — ${data.advice}` : data.message;
}
