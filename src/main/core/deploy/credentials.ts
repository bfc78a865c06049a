/**
 * Checks that AWS credentials work before anything else runs (profile, SSO or environment).
 *
 *   await checkCredentials({ sts, profile: 'home' }) → { account: '123456789012', arn: 'arn:aws:iam::…:user/me' }
 *   expired SSO session → AppError CREDENTIALS_EXPIRED, advice 'Run `aws sso login --profile home` …'
 */
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { AppError, toError } from '../../../shared/errors';

export interface CallerIdentity {
  account: string;
  arn: string;
}

export async function checkCredentials(options: {
  sts: STSClient;
  profile?: string | undefined;
}): Promise<CallerIdentity> {
  try {
    const identity = await options.sts.send(new GetCallerIdentityCommand({}));
    return { account: identity.Account!, arn: identity.Arn! };
  } catch (error) {
    throw credentialsError(error, options.profile);
  }
}

export function credentialsError(error: unknown, profile?: string): AppError {
  const name = (error as { name?: string }).name ?? '';
  const message = toError(error).message;
  const profileFlag = profile ? ` --profile ${profile}` : '';
  if (/expired|InvalidGrant|refresh failed/i.test(`${name} ${message}`)) {
    return new AppError(
      'CREDENTIALS_EXPIRED',
      `Your AWS session has expired (${message}).`,
      `Run \`aws sso login${profileFlag}\` (or refresh the access keys), then try again.`,
      { cause: error },
    );
  }
  if (
    name === 'CredentialsProviderError' ||
    /Could not load credentials|profile .* could not be found/i.test(message)
  ) {
    return new AppError(
      'NO_CREDENTIALS',
      profile
        ? `No AWS credentials for profile "${profile}" (${message}).`
        : `No AWS credentials found (${message}).`,
      profile
        ? `Check ~/.aws/config for [profile ${profile}], or run \`aws configure${profileFlag}\` / \`aws sso login${profileFlag}\`.`
        : 'Pass --profile <name>, or run `aws configure` (access keys) or `aws configure sso` first.',
      {
        cause: error,
        gui: profile
          ? `The profile "${profile}" has no working credentials: check its name in the Profile field, or sign in again (in a terminal: \`aws sso login${profileFlag}\`).`
          : 'Enter an AWS profile name in the Profile field (a profile from ~/.aws/config), or create one first in a terminal with `aws configure`.',
      },
    );
  }
  if (/InvalidClientTokenId|SignatureDoesNotMatch|UnrecognizedClient/i.test(`${name} ${message}`)) {
    return new AppError(
      'CREDENTIALS_REJECTED',
      `AWS rejected the credentials (${name}).`,
      `The access key is wrong or deleted: create a new one, then run \`aws configure${profileFlag}\`.`,
      { cause: error },
    );
  }
  return new AppError(
    'STS_UNREACHABLE',
    `Could not check the credentials with AWS STS: ${message}`,
    'Check the internet connection, the proxy and the region (--region).',
    { cause: error, gui: 'Check the internet connection, the proxy and the Region field.' },
  );
}
