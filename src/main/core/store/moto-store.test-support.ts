/**
 * An S3 store on the shared moto server for integration tests, with the test credentials:
 *   motoStore('hosts-k2j9x0ab')                                          → s3://hosts-k2j9x0ab on MOTO_ENDPOINT
 *   motoStore(bucket, { endpoint: `http://127.0.0.1:${gate.port}`, maxAttempts: 1 }) → through a gate (tcp-gate.ts)
 */
import { requireServices } from '../../../test-support/services';
import { createS3Client, createS3Store, type S3Store } from './s3';

export function motoStore(
  bucket: string,
  options: { endpoint?: string; maxAttempts?: number } = {},
): S3Store {
  const services = requireServices();
  return createS3Store({
    client: createS3Client({
      region: services.region,
      endpoint: options.endpoint ?? services.motoEndpoint,
      credentials: services.credentials,
      ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
    }),
    bucket,
  });
}
