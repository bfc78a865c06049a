/**
 * Runs the events that failed every Lambda attempt through the function again. Each record (written by Lambda's S3
 * on-failure destination) carries the original S3 event as `requestPayload`; the function is invoked with it,
 * synchronously, and a success deletes the record. The processed key derives from the raw key, so a batch that did
 * get through after all is overwritten, never duplicated.
 *
 *   await reprocessFailed({ s3, failedBucket, functionName, invoke: lambdaInvoker(lambda, functionName) })
 *     → { reprocessed: 2, stillFailing: [{ key: 'aws/lambda/async/…', error: 'S3 said AccessDenied …' }] }
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { ReprocessResult } from '../../../shared/contract';
import { failureRecordsPrefix } from '../../../shared/stack/names';

/** Runs the function on one event: resolves on success, rejects with the function's error. */
export type Invoke = (event: unknown) => Promise<void>;

/** The documented shape of an invocation record (only what is used here). */
interface InvocationRecord {
  requestPayload?: unknown;
  responsePayload?: { errorMessage?: string; errorType?: string };
}

export async function reprocessFailed(options: {
  s3: S3Client;
  failedBucket: string;
  functionName: string;
  invoke: Invoke;
  onRecord?: (key: string, outcome: 'reprocessed' | 'failed', error?: string) => void;
}): Promise<ReprocessResult> {
  const result: ReprocessResult = { reprocessed: 0, stillFailing: [] };
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await options.s3.send(
      new ListObjectsV2Command({
        Bucket: options.failedBucket,
        Prefix: failureRecordsPrefix(options.functionName),
        ContinuationToken: token,
      }),
    );
    keys.push(...(page.Contents ?? []).map((o) => o.Key!));
    token = page.NextContinuationToken;
  } while (token);

  for (const key of keys) {
    try {
      const out = await options.s3.send(new GetObjectCommand({ Bucket: options.failedBucket, Key: key }));
      const record = JSON.parse((await out.Body?.transformToString('utf8')) ?? '{}') as InvocationRecord;
      if (record.requestPayload === undefined) throw new Error('the record holds no event (requestPayload)');
      await options.invoke(record.requestPayload);
      await options.s3.send(new DeleteObjectCommand({ Bucket: options.failedBucket, Key: key }));
      result.reprocessed += 1;
      options.onRecord?.(key, 'reprocessed');
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      result.stillFailing.push({ key, error: message });
      options.onRecord?.(key, 'failed', message);
    }
  }
  return result;
}

/** The deployed function, invoked synchronously (RequestResponse): its error comes back as the rejection. */
export function lambdaInvoker(lambda: LambdaClient, functionName: string): Invoke {
  return async (event) => {
    const out = await lambda.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'RequestResponse',
        Payload: new TextEncoder().encode(JSON.stringify(event)),
      }),
    );
    if (out.FunctionError) {
      const payload = JSON.parse(new TextDecoder().decode(out.Payload ?? new Uint8Array())) as {
        errorMessage?: string;
        errorType?: string;
      };
      throw new Error(`${payload.errorType ?? out.FunctionError}: ${payload.errorMessage ?? 'no message'}`);
    }
  };
}
