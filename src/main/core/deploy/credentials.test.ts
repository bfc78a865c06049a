import { credentialsError } from './credentials';

/** Errors shaped like the ones the AWS SDK throws (name + message), fed to our own mapping. */
function sdkError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

describe('credentialsError', () => {
  it('an expired SSO session → aws sso login for that profile', () => {
    const error = credentialsError(
      sdkError(
        'CredentialsProviderError',
        'The SSO session associated with this profile has expired or is otherwise invalid.',
      ),
      'home',
    );
    expect(error.code).toBe('CREDENTIALS_EXPIRED');
    expect(error.advice).toBe(
      'Run `aws sso login --profile home` (or refresh the access keys), then try again.',
    );
  });

  it('an expired session token', () => {
    expect(
      credentialsError(sdkError('ExpiredToken', 'The security token included in the request is expired'))
        .code,
    ).toBe('CREDENTIALS_EXPIRED');
  });

  it('no credentials at all → how to configure them', () => {
    const error = credentialsError(
      sdkError('CredentialsProviderError', 'Could not load credentials from any providers'),
    );
    expect(error.code).toBe('NO_CREDENTIALS');
    expect(error.advice).toContain('aws configure');
    const named = credentialsError(
      sdkError('CredentialsProviderError', 'Profile work could not be found'),
      'work',
    );
    expect(named.message).toContain('profile "work"');
    expect(named.advice).toContain('[profile work]');
  });

  it('a rejected key, and anything else as unreachable', () => {
    expect(credentialsError(sdkError('InvalidClientTokenId', 'The security token is invalid')).code).toBe(
      'CREDENTIALS_REJECTED',
    );
    expect(
      credentialsError(sdkError('Error', 'getaddrinfo ENOTFOUND sts.eu-central-1.amazonaws.com')).code,
    ).toBe('STS_UNREACHABLE');
  });
});
