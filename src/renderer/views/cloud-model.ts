/**
 * The Cloud view's data and words — no DOM, unit-tested:
 *   deployRequest('deploy', { environment: ' dev ', profile: '', concurrency: 'auto', … }) → { action, environment: 'dev' }
 *   planStatus(view)  → 'Plan: 3 to add, 0 to change, 0 to destroy.'
 *   planLines(view)   → ['+ aws_s3_bucket.raw', …]
 *   outcomeStatus(outcome) → 'Deployed. The agent now uploads to s3://…; the dashboard reads s3://….'
 *   formFromTarget(settings) → the fields of the stack the agent uploads to (its names are predictable)
 *   processorNotice(health) → '' or 'The processor function in your account is an earlier build …'
 * cloud.ts binds these to the page.
 */
import type {
  CloudHealth,
  DeployOutcome,
  DeployPlanRequest,
  DeployPlanView,
  DeployProgress,
  Settings,
} from '../../shared/contract';
import { DEFAULT_PROJECT } from '../../shared/stack/names';
import { formatTime } from '../format';

/** The text fields of the form, as typed. */
export interface CloudForm {
  profile: string;
  region: string;
  environment: string;
  endpoint: string;
  kafkaEndpoint: string;
  kafkaTopic: string;
  kafkaSecret: string;
  alarmEmail: string;
  rawExpiry: string;
  architecture: '' | 'arm64' | 'x86_64';
  concurrency: string;
  terraformPath: string;
  analyticsCopy: '' | 'on' | 'off';
}

/** Errors after which "Download Terraform" stays on offer. */
const DOWNLOAD_CODES = new Set([
  'TERRAFORM_MISSING',
  'TERRAFORM_DOWNLOAD_FAILED',
  'TERRAFORM_CHECKSUM',
  'TERRAFORM_ARCHIVE',
]);

export function offersDownload(code: string): boolean {
  return DOWNLOAD_CODES.has(code);
}

const ACTION_SIGN: Record<string, string> = { create: '+', update: '~', replace: '-/+', delete: '-' };

/** What the main process gets: empty fields are left out (the stack keeps what it has). */
export function deployRequest(action: DeployPlanRequest['action'], form: CloudForm): DeployPlanRequest {
  const text = (value: string) => value.trim();
  const concurrency = text(form.concurrency);
  return {
    action,
    environment: text(form.environment),
    ...(text(form.profile) ? { profile: text(form.profile) } : {}),
    ...(text(form.region) ? { region: text(form.region) } : {}),
    ...(text(form.endpoint) ? { endpoint: text(form.endpoint) } : {}),
    ...(text(form.kafkaEndpoint) ? { kafkaEndpoint: text(form.kafkaEndpoint) } : {}),
    ...(text(form.kafkaTopic) ? { kafkaTopic: text(form.kafkaTopic) } : {}),
    ...(text(form.kafkaSecret) ? { kafkaSaslSecretArn: text(form.kafkaSecret) } : {}),
    ...(text(form.alarmEmail) ? { alarmEmail: text(form.alarmEmail) } : {}),
    ...(text(form.rawExpiry) ? { rawExpiryDays: Number(form.rawExpiry) } : {}),
    ...(form.architecture ? { architecture: form.architecture } : {}),
    ...(concurrency && concurrency !== 'auto' ? { concurrency: Number(concurrency) } : {}),
    ...(text(form.terraformPath) ? { terraformPath: text(form.terraformPath) } : {}),
    ...(form.analyticsCopy ? { analyticsCopy: form.analyticsCopy === 'on' } : {}),
  };
}

/** Said when a field changes under a plan shown: Deploy would apply the plan, not the field. */
export const CHANGED_SINCE_PLAN =
  'A field changed after the plan: press Plan deploy (or Plan destroy) again.';

export function planStatus(view: DeployPlanView): string {
  const { add, change, remove } = view.counts;
  if (add + change + remove > 0) return `Plan: ${add} to add, ${change} to change, ${remove} to destroy.`;
  return view.action === 'deploy'
    ? 'Nothing to change: the stack is up to date.'
    : 'Nothing is deployed for this account and environment.';
}

/** Nothing to apply: a destroy of nothing offers no button; a deploy of nothing still saves the settings. */
export function applyLabel(view: DeployPlanView): string | null {
  const { add, change, remove } = view.counts;
  const nothing = add + change + remove === 0;
  if (view.action === 'destroy') return nothing ? null : 'Destroy';
  return nothing ? 'Save settings' : 'Deploy';
}

export function confirmHint(action: DeployPlanRequest['action']): string {
  return action === 'destroy'
    ? 'Deletes the buckets with every batch in them, the Lambda and the alarm.'
    : 'Creates or changes the resources listed above in this account.';
}

export function stateNote(view: DeployPlanView): string | null {
  if (view.state === 'restored')
    return 'The state came back from its copy in your account (this PC had none, or an older one).';
  if (view.state === 'adopted')
    return `No state here or in your account: ${view.counts.import ?? 0} resources that already exist are adopted, not created again.`;
  return null;
}

export function accountLine(view: DeployPlanView): string {
  return `${view.check.terraform} · account ${view.check.account} (${view.check.arn}) · ${view.check.region}`;
}

export function planLines(view: DeployPlanView): string[] {
  return view.changes.map((c) => `${ACTION_SIGN[c.action] ?? c.action} ${c.address}`);
}

export function outcomeStatus(outcome: DeployOutcome): string {
  const target = outcome.settings.target;
  const where = target.kind === 's3' ? `s3://${target.bucket}` : `the local folder ${target.dir}`;
  return outcome.action === 'deploy'
    ? `Deployed. The agent now uploads to ${where}; the dashboard reads s3://${outcome.processedBucket}.`
    : `Destroyed. The agent now uploads to ${where}.`;
}

export function outcomeNotes(outcome: DeployOutcome): string[] {
  return [
    ...(outcome.emptied ?? []).map(
      (e) => `Emptied ${e.bucket}: ${e.deleted} object versions and delete markers.`,
    ),
    ...(outcome.stateCopy ? [`The Terraform state is also kept in your account: ${outcome.stateCopy}.`] : []),
    ...(outcome.warnings ?? []).map((w) => `Warning: ${w}`),
  ];
}

export function progressText(progress: DeployProgress): string {
  return progress.phase === 'download'
    ? `download ${(progress.done / 1e6).toFixed(1)} of ${(progress.total / 1e6).toFixed(1)} MB ${progress.current}`
    : `${progress.phase} ${progress.done}/${progress.total} ${progress.current}`;
}

/** The stack the agent uploads to, when it is one of ours: a second plan then targets the same one. */
export function formFromTarget(
  settings: Settings,
): Pick<CloudForm, 'environment' | 'region' | 'profile' | 'endpoint'> | null {
  const target = settings.target;
  if (target.kind !== 's3') return null;
  const deployed = new RegExp(`^${DEFAULT_PROJECT}-(.+)-raw-\\d{12}$`).exec(target.bucket);
  if (!deployed) return null;
  return {
    environment: deployed[1]!,
    region: target.region,
    profile: target.profile ?? '',
    endpoint: target.endpoint ?? '',
  };
}

/**
 * Where the person deploys, what the Overview says of the processor (core/deploy/processor-code.ts): after an app
 * update the function runs an earlier build until the stack is deployed again. '' when it is this app's, or unknown.
 */
export function processorNotice(health: CloudHealth | null): string {
  const processor = health?.processor;
  if (!processor || processor.current) return '';
  return `The processor function in your account is an earlier build than this app’s (deployed ${formatTime(processor.appliedAt)}): Plan deploy, then Apply, updates it; the plan lists the function as changed.`;
}
