import { createHash } from 'node:crypto';

/**
 * A processor bundle's identity: the base64 SHA-256 of its zip, as Terraform records it (`source_code_hash`, written
 * into the stack by infra/lambda-zip.ts) and Lambda reports it (`CodeSha256`). One definition for the stack, the
 * deploy's bundle check and the checks of which build the function runs (core/deploy/processor-code.ts, doctor).
 *
 *   bundleHash(readFileSync('dist/lambda/gpu-processor.zip')) → 'q1VvB…=' (44 characters)
 */
export function bundleHash(zip: Uint8Array): string {
  return createHash('sha256').update(zip).digest('base64');
}
