import { AppError } from '../../../shared/errors';
import { LOCAL_STOPPING_CODES } from './local-errors';

/**
 * An AWS SDK error → what the agent does about it.
 *
 *   classifyS3Error({ name: 'NoSuchBucket' }, 'my-logs') → AppError BUCKET_MISSING (stop, tell the person)
 *   classifyS3Error({ name: 'SlowDown', $metadata: { httpStatusCode: 503 } }) → 'retry'
 *   classifyS3Error({ name: 'InvalidArgument', $metadata: { httpStatusCode: 400 } }) → 'fail'
 *
 * Stopping errors cannot heal by waiting (a missing bucket or a denied PUT would be retried forever, each
 * attempt a billed request); network errors, 5xx and throttling do heal.
 */
export const STOPPING_CODES = new Set<string>([
  'CREDENTIALS_EXPIRED',
  'CREDENTIALS_MISSING',
  'CREDENTIALS_INVALID',
  'ACCESS_DENIED',
  'BUCKET_MISSING',
  ...LOCAL_STOPPING_CODES,
]);

/**
 * Refusals of the credentials themselves, which signing in again or a new key heals (`aws sso login`,
 * `aws configure`): a watching agent tries again by itself once the credentials it would use change
 * (agent/credentials-watch.ts).
 */
export const CREDENTIAL_CODES: ReadonlySet<string> = new Set([
  'CREDENTIALS_EXPIRED',
  'CREDENTIALS_MISSING',
  'CREDENTIALS_INVALID',
]);

/**
 * Codes a wait heals: the uploader retries with backoff (watching: until it works) and the state is `offline`, its
 * error saying what to wait for — the network or a drive that went away, and a full local drive, which a person
 * frees outside the app (it stopped until "Upload now", which `upload --watch` in a terminal does not have).
 */
export const OUTAGE_CODES: ReadonlySet<string> = new Set(['STORE_UNREACHABLE', 'STORE_FULL', 'STORE_GONE']);

/** Temporary credentials (SSO, an assumed role, a session token) past their expiry: S3 answers 400. */
const EXPIRED_NAMES = new Set(['ExpiredToken', 'ExpiredTokenException', 'TokenRefreshRequired']);

const RETRY_NAMES = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'RequestTimeout',
  'RequestTimeTooSkewed',
  'InternalError',
  'ServiceUnavailable',
  'TimeoutError',
  'AbortError',
]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
]);

/** A connection that was never made: the request did not leave this PC. */
/** ENOENT: a local store's drive that is not there (local-errors.ts driveNotThere); S3's client never says it. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENOENT',
]);

/**
 * The request failed before it reached the store (no connection, no credentials to sign it with), so the store
 * never saw it: not billed, and not counted (an outage's attempts ate a monthly PUT budget before). An error that
 * came back from S3, or a connection cut or timed out after the request went, counts.
 *   neverSent(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' })) → true
 *   neverSent(new AppError('CREDENTIALS_MISSING', …, { cause: credentialsProviderError }))              → true
 *   neverSent(storeFolderGone('/mnt/nas/gpuz'))                                                         → true
 *   neverSent(slowDown503) → false
 */
export function neverSent(error: unknown): boolean {
  for (let e = error, depth = 0; typeof e === 'object' && e !== null && depth < 4; depth++) {
    const { name, code } = e as SdkErrorShape;
    if ((code && NOT_SENT_CODES.has(code)) || name === 'CredentialsProviderError') return true;
    // No credentials to sign with; a store folder that is gone (nothing was touched).
    if (e instanceof AppError && (e.code === 'CREDENTIALS_MISSING' || e.code === 'STORE_GONE')) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

interface SdkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

export function classifyS3Error(error: unknown, bucket: string): AppError | 'retry' | 'fail' {
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const name = e.name ?? '';
  const status = e.$metadata?.httpStatusCode;
  if (
    EXPIRED_NAMES.has(name) ||
    (name === 'CredentialsProviderError' && /expired|refresh/i.test(e.message ?? ''))
  ) {
    return new AppError(
      'CREDENTIALS_EXPIRED',
      `The AWS session used for the upload has expired (${e.message ?? name})`,
      'Sign in again (`aws sso login`, with --profile if you use one) or renew the temporary keys: `upload --watch` and `agent` notice the new credentials within a minute and send again, a one-shot upload is started again; nothing is lost meanwhile: the batches wait in the spool.',
      {
        cause: error,
        gui: 'Sign in again in a terminal (`aws sso login --profile <name>`) or renew the keys: uploads go on by themselves within a minute (or press "Upload now" on the Overview), and the charts read with the new credentials at their next load. The batches wait in the spool.',
      },
    );
  }
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(e.message ?? '')) {
    return new AppError(
      'CREDENTIALS_MISSING',
      'No AWS credentials were found for the upload',
      'Run `aws configure` (or set AWS_PROFILE / pass --profile), or use --local <dir> to keep the log on this PC.',
      {
        cause: error,
        gui: 'In Settings, enter an AWS profile name (or access keys), or choose "Local folder" to keep the log on this PC.',
      },
    );
  }
  if (name === 'InvalidAccessKeyId' || name === 'SignatureDoesNotMatch') {
    return new AppError(
      'CREDENTIALS_INVALID',
      `S3 rejected the AWS credentials (${name})`,
      'The access key is wrong, deleted or its secret does not match: create a new key and run `aws configure` again; a watching agent (`upload --watch`, `agent`, the app) sends by itself within a minute of that.',
      { cause: error },
    );
  }
  if (name === 'AccessDenied' || (status === 403 && !RETRY_NAMES.has(name))) {
    return new AppError(
      'ACCESS_DENIED',
      `S3 refused the upload to "${bucket}": access denied`,
      'The credentials lack s3:PutObject on this bucket (or a bucket policy denies it): use the credentials the wizard set up, or fix the policy.',
      { cause: error },
    );
  }
  if (name === 'NoSuchBucket') {
    return new AppError(
      'BUCKET_MISSING',
      `S3 refused the upload: the bucket "${bucket}" does not exist`,
      'Run the wizard (deploy) or check the bucket name and region.',
      { cause: error },
    );
  }
  if (RETRY_NAMES.has(name) || (status !== undefined && (status >= 500 || status === 429))) return 'retry';
  if (e.code && NETWORK_CODES.has(e.code)) return 'retry';
  // The SDK wraps socket failures without an HTTP status: no response at all means the network.
  if (status === undefined) return 'retry';
  return 'fail';
}

/**
 * An AWS SDK or network error in a few words, its code or name first:
 *   describeSdkError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }))
 *   → 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9'
 */
export function describeSdkError(error: unknown): string {
  const e = error as { name?: string; code?: string; message?: string };
  return [e.code ?? e.name, e.message].filter(Boolean).join(': ') || String(error);
}
