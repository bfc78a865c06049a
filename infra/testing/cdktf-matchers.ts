/**
 * Registers CDKTF's Jest matchers with Vitest's global `expect` and declares their types.
 *   import './testing/cdktf-matchers';  expect(json).toHaveResourceWithProperties(S3Bucket, { bucket: 'x' })
 * Properties are compared with `expect.objectContaining` against the synthesized JSON, so keys are snake_case.
 */
import { Testing } from 'cdktf';

interface TerraformConstructor {
  readonly tfResourceType: string;
}

interface CdktfMatchers<R = unknown> {
  toHaveResource(type: TerraformConstructor): R;
  toHaveResourceWithProperties(type: TerraformConstructor, properties: Record<string, unknown>): R;
  toHaveDataSource(type: TerraformConstructor): R;
  toHaveProviderWithProperties(type: TerraformConstructor, properties: Record<string, unknown>): R;
}

declare module 'vitest' {
  // biome-ignore lint/suspicious/noExplicitAny: must repeat Vitest's own declaration to merge with it.
  interface Matchers<T = any> extends CdktfMatchers<T> {}
}

Testing.setupJest();
