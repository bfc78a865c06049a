/**
 * Cloud: the provisioning wizard. 1 · where (profile, region, environment) → 2 · Plan (Terraform plan: the
 * account it will touch and every resource it creates, changes or deletes) → 3 · type the environment name and
 * Deploy (or Destroy) with a progress bar. Afterwards the agent uploads to the new buckets (or back to the local
 * folder). The main process runs Terraform (deploy/wizard.ts); this view only asks and shows. Its data and words
 * live in cloud-model.ts; a failure shows as an error box (message, then what to do in the dashboard's words).
 */
import type { CloudHealth, DeployOutcome, DeployPlanRequest, DeployPlanView } from '../../shared/contract';
import { field, h, replaceChildren } from '../dom';
import {
  accountLine,
  applyLabel,
  CHANGED_SINCE_PLAN,
  type CloudForm,
  confirmHint,
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
import { describeError, errorBox, type MountView } from './view';

export const mountCloud: MountView = (root, api) => {
  const profile = h('input', {
    id: 'deploy-profile',
    autocomplete: 'off',
    placeholder: 'default credentials',
  });
  const region = h('input', { id: 'deploy-region', autocomplete: 'off', placeholder: 'us-east-1' });
  const environment = h('input', { id: 'deploy-environment', autocomplete: 'off', value: 'dev' });
  const endpoint = h('input', { id: 'deploy-endpoint', autocomplete: 'off', placeholder: 'empty for AWS' });
  const kafkaEndpoint = h('input', {
    id: 'deploy-kafka-endpoint',
    autocomplete: 'off',
    placeholder: 'empty: Kafka off',
  });
  const kafkaTopic = h('input', { id: 'deploy-kafka-topic', autocomplete: 'off' });
  const kafkaSecret = h('input', {
    id: 'deploy-kafka-secret',
    autocomplete: 'off',
    placeholder: 'arn:aws:secretsmanager:…',
  });
  const alarmEmail = h('input', {
    id: 'deploy-alarm-email',
    type: 'email',
    autocomplete: 'email',
    placeholder: 'empty: keep as deployed',
  });
  const rawExpiry = h('input', {
    id: 'deploy-raw-expiry',
    type: 'number',
    min: 0,
    step: 1,
    placeholder: 'empty: keep as deployed (0 keeps raw batches)',
  });
  const architecture = h(
    'select',
    { id: 'deploy-architecture' },
    h('option', { value: '' }, 'keep as deployed (arm64 at first)'),
    h('option', { value: 'arm64' }, 'arm64 (Graviton, about 20% cheaper)'),
    h('option', { value: 'x86_64' }, 'x86_64'),
  );
  const concurrency = h('input', { id: 'deploy-concurrency', autocomplete: 'off', placeholder: 'auto' });
  const terraformPath = h('input', {
    id: 'deploy-terraform-path',
    autocomplete: 'off',
    placeholder: 'found by itself (PATH, winget, the app’s own copy)',
  });
  const downloadBox = h('div', { 'data-testid': 'terraform-download' });
  const analyticsCopy = h(
    'select',
    { id: 'deploy-analytics-copy' },
    h('option', { value: '' }, 'keep as deployed (off at first)'),
    h('option', { value: 'on' }, 'on: yesterday’s rows as Parquet under analytics/, daily'),
    h('option', { value: 'off' }, 'off'),
  );
  const planDeploy = h(
    'button',
    { type: 'button', class: 'primary', 'data-testid': 'plan-deploy' },
    'Plan deploy',
  );
  const planDestroy = h('button', { type: 'button', 'data-testid': 'plan-destroy' }, 'Plan destroy');
  const status = h('p', { role: 'status', 'data-testid': 'deploy-status', 'aria-live': 'polite' });
  const planBox = h('div', { 'data-testid': 'deploy-plan' });
  const progressBar = h('progress', { id: 'deploy-progress', max: 1, value: 0, hidden: true });
  const progressLabel = h('label', { for: 'deploy-progress', 'data-testid': 'deploy-progress-label' });
  const resultBox = h('div', { 'data-testid': 'deploy-result' });
  let busy = false;

  const request = (action: DeployPlanRequest['action']): DeployPlanRequest =>
    deployRequest(action, {
      profile: profile.value,
      region: region.value,
      environment: environment.value,
      endpoint: endpoint.value,
      kafkaEndpoint: kafkaEndpoint.value,
      kafkaTopic: kafkaTopic.value,
      kafkaSecret: kafkaSecret.value,
      alarmEmail: alarmEmail.value,
      rawExpiry: rawExpiry.value,
      architecture: architecture.value as CloudForm['architecture'],
      concurrency: concurrency.value,
      terraformPath: terraformPath.value,
      analyticsCopy: analyticsCopy.value as CloudForm['analyticsCopy'],
    });

  function setBusy(value: boolean): void {
    busy = value;
    for (const control of root.querySelectorAll<HTMLButtonElement | HTMLInputElement | HTMLSelectElement>(
      'button, input, select',
    ))
      control.disabled = value;
  }

  async function run<T>(label: string, work: () => Promise<T>): Promise<T | undefined> {
    if (busy) return undefined;
    setBusy(true);
    status.textContent = `${label}…`;
    replaceChildren(downloadBox);
    try {
      return await work();
    } catch (error) {
      const { code, message, advice } = describeError(error);
      status.textContent = '';
      status.append(errorBox({ message: `${label} failed: ${message}`, advice }));
      // No binary, or a download that failed: the button stays on offer (with what went wrong above it).
      if (offersDownload(code)) offerDownload();
      return undefined;
    } finally {
      setBusy(false);
    }
  }

  /** No terraform anywhere: one click fetches the pinned, checksum-verified release into the app's own folder. */
  function offerDownload(): void {
    const download = h(
      'button',
      { type: 'button', class: 'primary', 'data-testid': 'download-terraform' },
      'Download Terraform',
    );
    download.addEventListener('click', async () => {
      progressBar.hidden = false;
      progressBar.value = 0;
      const installed = await run('Downloading Terraform', () => api.installTerraform());
      progressBar.hidden = true;
      if (installed) {
        status.textContent = `Terraform ${installed.version} is ready (${installed.path}). Press Plan deploy again.`;
      }
    });
    replaceChildren(
      downloadBox,
      h(
        'p',
        { class: 'muted' },
        'GPU-Z Cloud can download Terraform 1.11.4 from releases.hashicorp.com (about 27 MB), check it against its published SHA-256 and keep it in its own local folder. Or install it yourself (winget install Hashicorp.Terraform) and press Plan again, or give its path below.',
      ),
      download,
    );
  }

  async function plan(action: DeployPlanRequest['action']): Promise<void> {
    replaceChildren(resultBox);
    replaceChildren(planBox);
    progressLabel.textContent = '';
    const view = await run(action === 'deploy' ? 'Planning' : 'Planning the destroy', () =>
      api.planDeploy(request(action)),
    );
    if (view) showPlan(view);
  }

  function showPlan(view: DeployPlanView): void {
    status.textContent = planStatus(view);
    const label = applyLabel(view);
    const confirm = h('input', { id: 'deploy-confirm', autocomplete: 'off' });
    const apply = h(
      'button',
      {
        type: 'submit',
        class: view.action === 'destroy' ? 'danger' : 'primary',
        'data-testid': 'apply-deploy',
      },
      label ?? '',
    );
    const form = h(
      'form',
      { novalidate: true },
      field(`Type "${request(view.action).environment}" to confirm`, confirm, confirmHint(view.action)),
      apply,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void applyPlan(confirm.value);
    });
    const restored = stateNote(view);
    replaceChildren(
      planBox,
      h('p', { 'data-testid': 'deploy-account' }, accountLine(view)),
      ...(view.check.notes ?? []).map((note) =>
        h('p', { class: 'muted', 'data-testid': 'deploy-note' }, note),
      ),
      restored ? h('p', { class: 'muted', 'data-testid': 'deploy-state' }, restored) : null,
      view.changes.length > 0
        ? h(
            'ul',
            { class: 'plan', 'data-testid': 'deploy-changes' },
            ...planLines(view).map((line) => h('li', {}, line)),
          )
        : null,
      ...view.warnings.map((w) => h('p', { class: 'muted' }, `Warning: ${w}`)),
      label === null ? null : form,
    );
  }

  async function applyPlan(confirm: string): Promise<void> {
    progressBar.hidden = false;
    progressBar.value = 0;
    const outcome = await run('Applying', () => api.applyDeploy({ confirm }));
    progressBar.hidden = true;
    if (outcome) showOutcome(outcome);
  }

  function showOutcome(outcome: DeployOutcome): void {
    replaceChildren(planBox);
    status.textContent = outcomeStatus(outcome);
    replaceChildren(resultBox, ...outcomeNotes(outcome).map((note) => h('p', { class: 'muted' }, note)));
  }

  /**
   * Deploy applies the plan shown, made from the fields as they were: a field changed after it would not be deployed
   * (lived: "Delete raw batches after" typed after the plan, and the stack deployed without it), so the plan goes.
   */
  function withdrawPlan(): void {
    if (busy || planBox.childElementCount === 0) return;
    replaceChildren(planBox);
    status.textContent = CHANGED_SINCE_PLAN;
  }

  planDeploy.addEventListener('click', () => void plan('deploy'));
  planDestroy.addEventListener('click', () => void plan('destroy'));
  const offProgress = api.on('deployProgress', (progress) => {
    progressBar.max = Math.max(progress.total, 1);
    progressBar.value = progress.done;
    progressLabel.textContent = progressText(progress);
  });
  const processorBox = h('p', { class: 'notice', 'data-testid': 'deploy-processor' });
  const showProcessor = (health: CloudHealth | null) => {
    processorBox.textContent = processorNotice(health);
    processorBox.hidden = processorBox.textContent === '';
  };
  showProcessor(null);
  const offHealth = api.on('cloudHealth', showProcessor);
  api.getCloudHealth().then(showProcessor, () => undefined);

  replaceChildren(
    root,
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'cloud-title' },
      h('h2', { id: 'cloud-title' }, 'Cloud'),
      h(
        'p',
        { class: 'muted' },
        'Deploys the buckets, the processor Lambda and its alarm into your own AWS account with Terraform, then points the agent at them. See the Costs view for what it costs.',
      ),
      processorBox,
      h(
        'div',
        { class: 'columns', on: { input: withdrawPlan, change: withdrawPlan } },
        h(
          'fieldset',
          {},
          h('legend', {}, 'Where'),
          field(
            'Profile',
            profile,
            'From ~/.aws/config (aws configure or aws configure sso); empty for the default credentials.',
          ),
          field('Region', region, 'e.g. eu-central-1; empty for AWS_REGION or us-east-1.'),
          field('Environment', environment, 'Part of every resource name: dev, prod…'),
          field('Endpoint', endpoint, 'Only for an AWS emulator (moto, LocalStack).'),
        ),
        h(
          'fieldset',
          {},
          h('legend', {}, 'Kafka (optional)'),
          field(
            'Kafka brokers',
            kafkaEndpoint,
            'host:port, comma-separated; the Lambda also produces every row there.',
          ),
          field('Kafka topic', kafkaTopic),
          field(
            'Kafka credentials secret',
            kafkaSecret,
            'For brokers that need SASL: a Secrets Manager secret {"username","password","mechanism"}; the function may read only that secret. A secret costs $0.40 a month (the Costs view adds it when you tick its box).',
          ),
        ),
        h(
          'fieldset',
          {},
          h('legend', {}, 'Settings of the stack'),
          field(
            'Alarm e-mail',
            alarmEmail,
            'The error alarm writes here (confirm the e-mail AWS sends once); "none" stops it. SNS e-mail is free for the first 1,000 a month.',
          ),
          field(
            'Delete raw batches after (days)',
            rawExpiry,
            'The processed copy stays; 0 keeps raw batches forever.',
          ),
          field('Lambda architecture', architecture),
          field(
            'Daily Parquet copy',
            analyticsCopy,
            'For DuckDB, Spark or Athena: once a day, one Parquet file per PC and day under analytics/ in the processed bucket. About 3 LIST, 1 PUT and one GET per batch a day per PC (the Costs view shows it).',
          ),
          field(
            'Reserved concurrency',
            concurrency,
            'auto: 2 where the account allows it (new accounts with a quota of 10 cannot reserve any); -1: none.',
          ),
          field(
            'Terraform binary',
            terraformPath,
            'Only when yours is somewhere GPU-Z Cloud does not look; PATH is read again at every plan.',
          ),
        ),
      ),
      h('div', { class: 'actions' }, planDeploy, planDestroy),
      status,
      downloadBox,
      planBox,
      h('div', {}, progressLabel, progressBar),
      resultBox,
    ),
  );
  // Start from the stack the agent uploads to (its names are predictable), so a second plan targets the same one.
  api.getSettings().then(
    (settings) => {
      const stack = formFromTarget(settings);
      if (!stack) return;
      environment.value = stack.environment;
      region.value = stack.region;
      profile.value = stack.profile;
      endpoint.value = stack.endpoint;
    },
    () => undefined,
  );
  return () => {
    offProgress();
    offHealth();
  };
};
