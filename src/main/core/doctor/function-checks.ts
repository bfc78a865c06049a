/**
 * Doctor checks for the processor function and its role's permissions.
 *   checkFunction(lambda, names, 'dev', bundleHash) → { result: { status: 'pass', detail: 'nodejs22.x arm64, 256 MB, Active' }, roleArn }
 *     (status 'warn' when the function's code is not the bundle this install deploys: deploy again to update it)
 *   checkRolePolicy(iam, roleArn, names, 'dev') → pass when the role may read raw/* and write processed/*
 */
import {
  GetRolePolicyCommand,
  type IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { GetFunctionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { StackNames } from '../../../shared/stack/names';
import { findBroadS3Grants, type PolicyDocument } from '../../../shared/stack/policies';
import { type CheckResult, errorName, REDEPLOY } from './types';

export async function checkFunction(
  lambda: LambdaClient,
  names: StackNames,
  environment: string,
  /** The base64 SHA-256 of the processor bundle this install deploys (the function's CodeSha256 when current). */
  bundleHash?: string | null,
): Promise<{ result: CheckResult; roleArn?: string | undefined }> {
  const base = { id: 'function', title: 'Processor function' };
  try {
    const { Configuration: c } = await lambda.send(
      new GetFunctionCommand({ FunctionName: names.functionName }),
    );
    const processed = c?.Environment?.Variables?.PROCESSED_BUCKET;
    const detail = `${c?.Runtime} ${(c?.Architectures ?? []).join('/')}, ${c?.MemorySize} MB, ${c?.State ?? 'state unknown'}`;
    if (processed !== names.processedBucket) {
      return {
        result: {
          ...base,
          status: 'fail',
          detail: `${detail}; PROCESSED_BUCKET is "${processed ?? ''}", expected ${names.processedBucket}`,
          advice: REDEPLOY(environment),
        },
        roleArn: c?.Role,
      };
    }
    if (c?.State === 'Failed') {
      return { result: { ...base, status: 'fail', detail, advice: REDEPLOY(environment) }, roleArn: c?.Role };
    }
    // An app or CLI update brings a new processor; the function keeps the last deploy's code until deployed again.
    if (bundleHash && c?.CodeSha256 && c.CodeSha256 !== bundleHash) {
      return {
        result: {
          ...base,
          status: 'warn',
          detail: `${names.functionName}: ${detail}; runs another build of the processor than this install ships (code ${c.CodeSha256.slice(0, 8)}…, the bundle ${bundleHash.slice(0, 8)}…)`,
          advice: `Run \`gpuz-cloud deploy --env ${environment}\` to update it: until then new batches are read by the deployed build's parser.`,
        },
        roleArn: c?.Role,
      };
    }
    const code = bundleHash && c?.CodeSha256 === bundleHash ? '; code: this install’s bundle' : '';
    return {
      result: { ...base, status: 'pass', detail: `${names.functionName}: ${detail}${code}` },
      roleArn: c?.Role,
    };
  } catch (error) {
    const missing = errorName(error) === 'ResourceNotFoundException';
    return {
      result: {
        ...base,
        status: 'fail',
        detail: missing
          ? `${names.functionName} does not exist`
          : `${names.functionName}: ${errorName(error)}`,
        advice: REDEPLOY(environment),
      },
    };
  }
}

export async function checkRolePolicy(
  iam: IAMClient,
  roleArn: string | undefined,
  names: StackNames,
  environment: string,
): Promise<CheckResult> {
  const base = { id: 'role-policy', title: 'Function role policy' };
  if (!roleArn) return { ...base, status: 'skip', detail: 'no function, so no role to inspect' };
  const roleName = roleArn.split('/').at(-1)!;
  try {
    const inline = (await iam.send(new ListRolePoliciesCommand({ RoleName: roleName }))).PolicyNames ?? [];
    const attached =
      (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }))).AttachedPolicies ?? [];
    const documents: PolicyDocument[] = [];
    for (const policyName of inline) {
      const { PolicyDocument: text } = await iam.send(
        new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }),
      );
      // IAM returns the document URL-encoded.
      if (text) documents.push(JSON.parse(decodeURIComponent(text)) as PolicyDocument);
    }
    const statements = documents.flatMap((d) => d.Statement);
    const allows = (action: string, resource: string) =>
      statements.some(
        (s) =>
          s.Effect === 'Allow' &&
          [s.Action].flat().includes(action) &&
          [s.Resource ?? []].flat().some((r) => r.includes(resource)),
      );
    const missing = [
      allows('s3:GetObject', `${names.rawBucket}/raw/`) ? null : `s3:GetObject on ${names.rawBucket}/raw/*`,
      allows('s3:PutObject', `${names.processedBucket}/processed/`)
        ? null
        : `s3:PutObject on ${names.processedBucket}/processed/*`,
      allows('logs:PutLogEvents', names.logGroup) ? null : `logs:PutLogEvents on ${names.logGroup}`,
    ].filter((m): m is string => m !== null);
    if (missing.length > 0) {
      return {
        ...base,
        status: 'fail',
        detail: `${roleName} (${inline.length} inline, ${attached.length} attached) lacks ${missing.join('; ')}`,
        advice: REDEPLOY(environment),
      };
    }
    const broad = documents.flatMap(findBroadS3Grants);
    if (broad.length > 0 || attached.length > 0) {
      return {
        ...base,
        status: 'warn',
        detail: `${roleName} grants more than it needs: ${[...broad, ...attached.map((a) => `attached ${a.PolicyName}`)].join('; ')}`,
        advice: `Remove the extra grants; ${REDEPLOY(environment)}`,
      };
    }
    return { ...base, status: 'pass', detail: `${roleName}: ${inline.join(', ')} (least privilege)` };
  } catch (error) {
    return {
      ...base,
      status: 'fail',
      detail: `${roleName}: ${errorName(error)}`,
      advice: REDEPLOY(environment),
    };
  }
}
