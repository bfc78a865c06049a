/**
 * Runs every doctor check against one deployment, in the order a person would troubleshoot.
 *
 *   await runDoctor({ clients, project: 'gpuz-cloud', environment: 'dev', now: new Date() })
 *     → [{ id: 'credentials', status: 'pass', … }, { id: 'raw-bucket', … }, … { id: 'logs', lines: [...] }]
 * Without working credentials nothing else can be asked: the other checks are skipped.
 */

import { stackNames } from '../../../shared/stack/names';
import { checkCredentials } from '../deploy/credentials';
import { checkFunction, checkRolePolicy } from './function-checks';
import { checkLogs, checkRecentErrors } from './monitoring-checks';
import { checkBucket, checkNotification } from './storage-checks';
import type { CheckResult, DoctorClients } from './types';

export const CHECK_TITLES: Record<string, string> = {
  credentials: 'AWS credentials',
  'raw-bucket': 'Raw bucket',
  'processed-bucket': 'Processed bucket',
  notification: 'S3 → Lambda notification',
  function: 'Processor function',
  'role-policy': 'Function role policy',
  errors: 'Lambda errors (24 h)',
  logs: 'Last log lines',
};

export async function runDoctor(options: {
  clients: DoctorClients;
  project: string;
  environment: string;
  profile?: string | undefined;
  /** The base64 SHA-256 of the processor bundle this install deploys; null or absent: not compared. */
  bundleHash?: string | null;
  now: Date;
}): Promise<CheckResult[]> {
  const { clients, environment } = options;
  let account: string;
  let arn: string;
  try {
    ({ account, arn } = await checkCredentials({ sts: clients.sts, profile: options.profile }));
  } catch (error) {
    const e = error as { message: string; advice?: string };
    const failed: CheckResult = {
      id: 'credentials',
      title: CHECK_TITLES.credentials!,
      status: 'fail',
      detail: e.message,
    };
    if (e.advice) failed.advice = e.advice;
    return [
      failed,
      ...Object.entries(CHECK_TITLES)
        .slice(1)
        .map(
          ([id, title]): CheckResult => ({ id, title, status: 'skip', detail: 'needs working credentials' }),
        ),
    ];
  }
  const names = stackNames({ project: options.project, environment, accountId: account });
  const results: CheckResult[] = [
    {
      id: 'credentials',
      title: CHECK_TITLES.credentials!,
      status: 'pass',
      detail: `account ${account} as ${arn}`,
    },
    await checkBucket(clients.s3, 'raw-bucket', CHECK_TITLES['raw-bucket']!, names.rawBucket, environment),
    await checkBucket(
      clients.s3,
      'processed-bucket',
      CHECK_TITLES['processed-bucket']!,
      names.processedBucket,
      environment,
    ),
  ];
  results.push(
    results[1]!.status === 'pass'
      ? await checkNotification(clients.s3, names, environment)
      : { id: 'notification', title: CHECK_TITLES.notification!, status: 'skip', detail: 'no raw bucket' },
  );
  const fn = await checkFunction(clients.lambda, names, environment, options.bundleHash);
  results.push(fn.result, await checkRolePolicy(clients.iam, fn.roleArn, names, environment));
  results.push(await checkRecentErrors(clients.cloudwatch, names.functionName, options.now));
  results.push(await checkLogs(clients.logs, names.logGroup, options.now));
  return results;
}
