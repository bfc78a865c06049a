/**
 * The processor bundle's identity for Terraform: `source_code_hash` is the base64 SHA-256 of the zip, so a
 * rebuilt bundle with new code redeploys and an identical one does not.
 *
 *   hashLambdaZip('dist/lambda/gpu-processor.zip') → 'q1VvB…=' (44 characters)
 */
import { readFileSync } from 'node:fs';
import { AppError } from '../src/shared/errors';
import { bundleHash } from '../src/shared/stack/bundle-hash';

export function hashLambdaZip(path: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new AppError(
      'LAMBDA_ZIP_MISSING',
      `The processor bundle ${path} does not exist.`,
      'Build it with `npm run build:lambda`, then synthesize again.',
      { cause: error },
    );
  }
  return bundleHash(bytes);
}
