/**
 * Words a person can act on for the errors Terraform reports most often during a GPU-Z Cloud deploy.
 *
 *   adviceForDiagnostic({ severity: 'error', summary: '… api error AccessDenied: … s3:CreateBucket' })
 *     → 'The AWS identity may not do s3:CreateBucket. Deploy with an administrator profile (--profile) …'
 *   adviceForDiagnostic({ severity: 'error', summary: 'Unsupported argument' }) → undefined
 */
import type { Diagnostic } from './ui-messages';

interface Rule {
  test: RegExp;
  advice: (match: RegExpExecArray) => string;
}

const RULES: Rule[] = [
  {
    test: /ExpiredToken|token (?:has |is )?expired|SSO session .*expired|InvalidGrantException/i,
    advice: () =>
      'Your AWS session expired: run `aws sso login --profile <profile>` (or refresh the keys) and retry.',
  },
  {
    test: /no valid credential sources|NoCredentialProviders|failed to refresh cached credentials|could not find default credentials/i,
    advice: () =>
      'Terraform found no AWS credentials: pass --profile <name>, or run `aws configure` / `aws sso login` first.',
  },
  {
    test: /InvalidClientTokenId|SignatureDoesNotMatch|UnrecognizedClientException/i,
    advice: () => 'AWS rejected the access key: check the profile’s keys with `aws sts get-caller-identity`.',
  },
  {
    test: /AccessDenied|UnauthorizedOperation|not authorized to perform/i,
    advice: (m) =>
      `The AWS identity may not do ${/perform: ([\w:*-]+)/.exec(m.input)?.[1] ?? 'this action'}. Deploy with an administrator profile (--profile), ` +
      'or ask the account owner to grant it; see docs/infrastructure.md for the permissions a deploy needs.',
  },
  {
    test: /BucketAlreadyExists\b/,
    advice: () =>
      'Bucket names are global and another AWS account owns this one: choose another --env or project name.',
  },
  {
    test: /BucketAlreadyOwnedByYou/,
    advice: () =>
      'The bucket exists in your account but not in this deploy’s state (an earlier deploy from another machine?): ' +
      'destroy it there, or import it with `terraform import`.',
  },
  {
    test: /BucketNotEmpty/,
    advice: () =>
      'The bucket still holds objects: run `gpuz-cloud destroy`, which empties both buckets first.',
  },
  {
    test: /Error acquiring the state lock|state lock/i,
    advice: () =>
      'Another deploy or destroy is running for this account. Wait for it; if none is, remove the stale lock file.',
  },
  {
    test: /no available releases match the given constraints ([^\s:]+)|was not found in any of the search locations/,
    advice: (m) =>
      `No AWS provider${m[1] ? ` ${m[1]}` : ''} where Terraform looked: a provider mirror (GPUZ_TF_PROVIDER_MIRROR) must hold the ` +
      'version this stack pins (`terraform providers mirror <dir>` next to the stack adds it); without a mirror, check the internet connection or proxy.',
  },
  {
    test: /Failed to (?:query|install) (?:available )?provider|registry\.terraform\.io|could not connect to registry/i,
    advice: () =>
      'Terraform could not download the AWS provider. Check the internet connection or proxy, or point ' +
      'GPUZ_TF_PROVIDER_MIRROR at a local provider mirror (`terraform providers mirror <dir>`).',
  },
  {
    test: /UnreservedConcurrentExecution below its minimum value/i,
    advice: () =>
      "This account's Lambda concurrency quota is too small to reserve any (new accounts often have 10): deploy " +
      'again with --concurrency -1 (the deploy chooses that itself when it can read the account settings), or ask ' +
      'AWS for a higher quota (Service Quotas → AWS Lambda → Concurrent executions).',
  },
  {
    test: /execution role does not have permissions to call (?:PutObject|ListBucket)|destination.*permission/i,
    advice: () =>
      'Lambda did not yet see the role’s new permission for the failed bucket (IAM is eventually consistent): run deploy again in a minute.',
  },
  {
    test: /TooManyRequestsException|Throttling|Rate exceeded/i,
    advice: () => 'AWS throttled the requests: wait a minute and run the same command again; it resumes.',
  },
  {
    test: /InvalidParameterValueException.*(?:role|assume)/i,
    advice: () =>
      'The new IAM role was not yet visible to Lambda (IAM is eventually consistent): run deploy again in a minute.',
  },
];

export function adviceForDiagnostic(diagnostic: Diagnostic): string | undefined {
  const text = `${diagnostic.summary}\n${diagnostic.detail ?? ''}`;
  for (const rule of RULES) {
    const match = rule.test.exec(text);
    if (match) return rule.advice(match);
  }
  return undefined;
}
