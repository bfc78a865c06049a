/**
 * Opt-in: init, validate, plan and apply the real stack against moto, then destroy it. Needs a Terraform or
 * OpenTofu binary and a provider mirror holding hashicorp/aws 6.25.0 (`terraform providers mirror <dir>` on a
 * machine with registry access):
 *   GPUZ_TF_BINARY=/usr/local/bin/terraform GPUZ_TF_PROVIDER_MIRROR=/opt/tf-mirror npx vitest run --project integration infra
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { App } from 'cdktf';
import { createAwsClients } from '../src/main/core/deploy/aws-clients';
import { createDeployEngine } from '../src/main/core/deploy/engine';
import { runDoctor } from '../src/main/core/doctor/run-doctor';
import { requireServices } from '../src/test-support/services';
import { emulatorEndpoints, resolveConfig } from './config';
import { GpuzCloudStack } from './stack';
import { writeEmptyZip } from './testing/empty-zip';

const binary = process.env.GPUZ_TF_BINARY;
const mirror = process.env.GPUZ_TF_PROVIDER_MIRROR;
const reason = 'set GPUZ_TF_BINARY and GPUZ_TF_PROVIDER_MIRROR to run the real apply against moto';

describe.skipIf(!binary || !mirror)(`real apply of the stack against moto (${reason})`, () => {
  it('init → validate → plan → apply → doctor passes → destroy', async () => {
    const services = requireServices();
    const zip = writeEmptyZip();
    const outdir = mkdtempSync(join(tmpdir(), 'gpuz-synth-'));
    const app = new App({ outdir });
    new GpuzCloudStack(
      app,
      'gpuz-cloud',
      resolveConfig({ lambdaZipPath: zip.path, endpoints: emulatorEndpoints(services.motoEndpoint) }),
    );
    app.synth();
    const environment = `it${Math.random().toString(36).slice(2, 7)}`;
    const engine = createDeployEngine({
      terraform: { path: binary! },
      stateDir: mkdtempSync(join(tmpdir(), 'gpuz-apply-')),
      stackJsonPath: join(outdir, 'stacks', 'gpuz-cloud', 'cdk.tf.json'),
      lambdaZipPath: zip.path,
      accountId: 'moto',
      environment,
      region: services.region,
      providerMirror: mirror,
      clock: () => new Date(),
    });
    await engine.init();
    const cwd = await engine.workingDir();
    await promisify(execFile)(binary!, ['validate', '-json'], {
      cwd,
      env: { ...process.env, TF_CLI_CONFIG_FILE: join(cwd, 'terraform.rc') },
    });
    const plan = await engine.plan();
    expect(plan.counts).toEqual({ add: 19, change: 0, remove: 0 });
    const { outputs } = await engine.apply();
    expect(outputs?.functionName).toBe(`gpuz-cloud-${environment}-processor`);

    const clients = createAwsClients({ region: services.region, endpoint: services.motoEndpoint });
    const checks = await runDoctor({ clients, project: 'gpuz-cloud', environment, now: new Date() });
    expect(checks.filter((c) => c.status === 'fail')).toEqual([]);

    await engine.plan({ destroy: true });
    await engine.apply();
  });
});
