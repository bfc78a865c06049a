import type { CloudHealth, DeployOutcome, DeployPlanView, Settings } from '../../shared/contract';
import {
  applyLabel,
  type CloudForm,
  deployRequest,
  formFromTarget,
  offersDownload,
  outcomeNotes,
  outcomeStatus,
  planLines,
  planStatus,
  processorNotice,
  progressText,
  stateNote,
} from './cloud-model';

const empty: CloudForm = {
  profile: '',
  region: '',
  environment: 'dev',
  endpoint: '',
  kafkaEndpoint: '',
  kafkaTopic: '',
  kafkaSecret: '',
  alarmEmail: '',
  rawExpiry: '',
  architecture: '',
  concurrency: 'auto',
  terraformPath: '',
  analyticsCopy: '',
};

const plan = (over: Partial<DeployPlanView> = {}): DeployPlanView =>
  ({
    action: 'deploy',
    check: {
      terraform: 'Terraform 1.11.4',
      account: '123456789012',
      arn: 'arn:aws:iam::123456789012:user/a',
      region: 'us-east-1',
    },
    counts: { add: 3, change: 0, remove: 0 },
    changes: [
      { action: 'create', address: 'aws_s3_bucket.raw' },
      { action: 'replace', address: 'aws_lambda_function.p' },
    ],
    warnings: [],
    ...over,
  }) as DeployPlanView;

describe('cloud-model', () => {
  it('a request carries only what was typed, trimmed; auto concurrency and empty choices are left out', () => {
    expect(deployRequest('deploy', { ...empty, environment: ' prod ' })).toEqual({
      action: 'deploy',
      environment: 'prod',
    });
    expect(
      deployRequest('destroy', {
        ...empty,
        profile: ' home ',
        rawExpiry: '7',
        concurrency: '-1',
        architecture: 'x86_64',
        analyticsCopy: 'off',
        kafkaSecret: 'arn:x',
      }),
    ).toEqual({
      action: 'destroy',
      environment: 'dev',
      profile: 'home',
      rawExpiryDays: 7,
      concurrency: -1,
      architecture: 'x86_64',
      analyticsCopy: false,
      kafkaSaslSecretArn: 'arn:x',
    });
  });

  it('plan words: counts, nothing to do, the button, the lines, the state', () => {
    expect(planStatus(plan())).toBe('Plan: 3 to add, 0 to change, 0 to destroy.');
    const none = { add: 0, change: 0, remove: 0 };
    expect(planStatus(plan({ counts: none }))).toBe('Nothing to change: the stack is up to date.');
    expect(planStatus(plan({ action: 'destroy', counts: none }))).toMatch(/^Nothing is deployed/);
    expect(applyLabel(plan())).toBe('Deploy');
    expect(applyLabel(plan({ counts: none }))).toBe('Save settings');
    expect(applyLabel(plan({ action: 'destroy', counts: none }))).toBeNull();
    expect(planLines(plan())).toEqual(['+ aws_s3_bucket.raw', '-/+ aws_lambda_function.p']);
    expect(
      stateNote(plan({ state: 'adopted', counts: { add: 0, change: 0, remove: 0, import: 4 } })),
    ).toMatch(/4 resources that already exist are adopted/);
    expect(stateNote(plan())).toBeNull();
  });

  it('outcome, progress and download offers', () => {
    const settings = {
      target: { kind: 's3', bucket: 'gpuz-cloud-dev-raw-123456789012', region: 'us-east-1' },
    } as Settings;
    const outcome = {
      action: 'deploy',
      processedBucket: 'p',
      region: 'us-east-1',
      settings,
      stateCopy: 's3://p/terraform-state/x',
    } as DeployOutcome;
    expect(outcomeStatus(outcome)).toBe(
      'Deployed. The agent now uploads to s3://gpuz-cloud-dev-raw-123456789012; the dashboard reads s3://p.',
    );
    expect(outcomeNotes(outcome)).toEqual([
      'The Terraform state is also kept in your account: s3://p/terraform-state/x.',
    ]);
    expect(
      progressText({ phase: 'download', done: 1_500_000, total: 27_000_000, current: 'terraform.zip' }),
    ).toBe('download 1.5 of 27.0 MB terraform.zip');
    expect(progressText({ phase: 'apply', done: 2, total: 3, current: 'aws_s3_bucket.raw' })).toBe(
      'apply 2/3 aws_s3_bucket.raw',
    );
    expect(offersDownload('TERRAFORM_MISSING')).toBe(true);
    expect(offersDownload('NO_CREDENTIALS')).toBe(false);
  });

  it('starts from the stack the agent uploads to, and from nothing for another bucket or a folder', () => {
    const ours = {
      target: {
        kind: 's3',
        bucket: 'gpuz-cloud-prod-raw-123456789012',
        region: 'eu-west-1',
        profile: 'home',
      },
    } as Settings;
    expect(formFromTarget(ours)).toEqual({
      environment: 'prod',
      region: 'eu-west-1',
      profile: 'home',
      endpoint: '',
    });
    expect(formFromTarget({ target: { kind: 's3', bucket: 'mine', region: 'x' } } as Settings)).toBeNull();
    expect(formFromTarget({ target: { kind: 'local', dir: '/s' } } as Settings)).toBeNull();
  });

  it('says where the person deploys that the processor in the account lags behind the app, and nothing otherwise', () => {
    const health: CloudHealth = {
      checkedAt: 0,
      alarm: { state: 'OK' },
      failed: { count: 0, latest: [] },
      quarantined: { count: 0, latest: [] },
      problems: [],
    };
    const appliedAt = Date.parse('2026-11-30T09:15:00Z');
    expect(processorNotice({ ...health, processor: { current: false, appliedAt } })).toMatch(
      /^The processor function in your account is an earlier build than this app’s \(deployed .+\): Plan deploy, then Apply, updates it/,
    );
    expect(processorNotice({ ...health, processor: { current: true, appliedAt } })).toBe('');
    expect(processorNotice(health)).toBe(''); // deployed from another PC: not known here
    expect(processorNotice(null)).toBe(''); // no stack
  });
});
