/**
 * The real synthesized stack, ready for Terraform against moto: the emulator endpoint switch on, the stand-in
 * bundle's hash, and (for the test only) the AWS provider constraint relaxed to what the machine's provider mirror
 * holds (hashicorp/aws 5.100.0 here; the stack pins 6.25.0, which no registry download can fetch on this machine).
 *
 *   findProviderMirror(process.env) → '/opt/tf-plugins' (GPUZ_TF_PROVIDER_MIRROR, else a known place) or null
 *   synthForMoto('http://127.0.0.1:5055') → { stackJsonPath: '/tmp/gpuz-real-…/cdk.tf.json', lambdaZipPath }
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import { emulatorEndpoints, resolveConfig } from '../config';
import { GpuzCloudStack } from '../stack';
import { writeEmptyZip } from './empty-zip';

/** Where images of this machine kind keep the mirror (ENVIRONMENT.md), and Terraform's own default place. */
const KNOWN_MIRRORS = [
  '/opt/tf-plugins',
  '/usr/share/terraform/plugins',
  '/usr/local/share/terraform/plugins',
];

export function findProviderMirror(env: Record<string, string | undefined>): string | null {
  const candidates = [env.GPUZ_TF_PROVIDER_MIRROR, ...KNOWN_MIRRORS].filter((d): d is string => Boolean(d));
  return candidates.find((dir) => existsSync(join(dir, 'registry.terraform.io', 'hashicorp', 'aws'))) ?? null;
}

export function synthForMoto(motoEndpoint: string): { stackJsonPath: string; lambdaZipPath: string } {
  const zip = writeEmptyZip();
  const outdir = mkdtempSync(join(tmpdir(), 'gpuz-real-synth-'));
  const app = new App({ outdir });
  new GpuzCloudStack(
    app,
    'gpuz-cloud',
    resolveConfig({ lambdaZipPath: zip.path, endpoints: emulatorEndpoints(motoEndpoint) }),
  );
  app.synth();
  const stackJsonPath = join(outdir, 'stacks', 'gpuz-cloud', 'cdk.tf.json');
  const stack = JSON.parse(readFileSync(stackJsonPath, 'utf8')) as {
    terraform: { required_providers: { aws: { version: string } } };
  };
  stack.terraform.required_providers.aws.version = '>= 5.0';
  writeFileSync(stackJsonPath, JSON.stringify(stack, null, 2));
  return { stackJsonPath, lambdaZipPath: zip.path };
}
