import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3ServiceException } from '@aws-sdk/client-s3';
import { AppError } from '../../../shared/errors';
import { createS3Client, createS3Store } from './s3';
import { classifyS3Error, STOPPING_CODES } from './s3-errors';

/**
 * Temporary credentials run out on the second day: an SSO session ends after its 8–12 hours, an assumed role's
 * session token after its hour. Both used to read as something else — "No AWS credentials were found" (SSO) or a
 * failed batch retried with every new batch (S3's 400 ExpiredToken) — with advice that did not say to sign in again.
 */
describe('expired AWS sessions (the upload)', () => {
  const saved = { ...process.env };
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'gpuz-sso-'));
  });
  afterEach(() => {
    process.env = { ...saved };
    rmSync(home, { recursive: true, force: true });
  });

  it('an SSO profile whose session ended: CREDENTIALS_EXPIRED, a refusal that stops, saying to sign in again', async () => {
    // Prepare: ~/.aws as `aws sso login` leaves it, the token past its expiry (the SDK's own provider reads it)
    mkdirSync(join(home, '.aws', 'sso', 'cache'), { recursive: true });
    writeFileSync(
      join(home, '.aws', 'config'),
      '[profile gaming]\nsso_session = home\nsso_account_id = 111122223333\nsso_role_name = Uploader\nregion = eu-central-1\n' +
        '[sso-session home]\nsso_start_url = https://example.awsapps.com/start\nsso_region = eu-central-1\n',
    );
    const cache = `${createHash('sha1').update('home').digest('hex')}.json`;
    writeFileSync(
      join(home, '.aws', 'sso', 'cache', cache),
      JSON.stringify({ accessToken: 'token', expiresAt: '2026-12-04T20:00:00Z', region: 'eu-central-1' }),
    );
    Object.assign(process.env, {
      HOME: home,
      AWS_CONFIG_FILE: join(home, '.aws', 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'),
    });
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    const store = createS3Store({
      client: createS3Client({ region: 'eu-central-1', profile: 'gaming', endpoint: 'http://127.0.0.1:9' }),
      bucket: 'raw',
    });

    // Act
    const error = await store.list('raw/').catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('CREDENTIALS_EXPIRED');
    expect((error as AppError).advice).toMatch(/aws sso login/);
    expect(STOPPING_CODES.has('CREDENTIALS_EXPIRED')).toBe(true);
  });

  it("S3's ExpiredToken (an assumed role's session token ran out): CREDENTIALS_EXPIRED, not a batch refused", () => {
    // Prepare: the exception the SDK makes of S3's `<Code>ExpiredToken</Code>` (400)
    const expired = new S3ServiceException({
      name: 'ExpiredToken',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
      message: 'The provided token has expired.',
    });

    // Act
    const verdict = classifyS3Error(expired, 'raw');

    // Assess
    expect(verdict).toBeInstanceOf(AppError);
    expect((verdict as AppError).code).toBe('CREDENTIALS_EXPIRED');
  });
});
