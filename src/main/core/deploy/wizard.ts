/**
 * The main-process half of the in-app provisioning wizard: plan, show, then apply exactly what was planned.
 *
 *   const wizard = createDeployWizard({ prepare: (input) => prepareDeploy(options, input), settings, fallback, onProgress })
 *   await wizard.plan({ action: 'deploy', environment: 'dev', region: 'eu-central-1' })
 *     → { action: 'deploy', check: { account: '1234…' }, counts: { add: 19, … }, changes: [{ action: 'create', address }] }
 *   await wizard.apply({ confirm: 'dev' })
 *     → { action: 'deploy', rawBucket, processedBucket, region, settings }   (settings.json now points at the stack)
 *   destroy: the versioned buckets are emptied first (Terraform cannot delete them otherwise), and a target on
 *   them goes back to the local store.
 * One operation at a time; a plan is used once. Same steps as `gpuz-cloud deploy` / `destroy`.
 */
import type {
  DeployOutcome,
  DeployPlanRequest,
  DeployPlanView,
  DeployProgress,
  TargetSettings,
} from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import { stackBuckets } from '../../../shared/stack/names';
import type { SettingsStore } from '../settings';
import { emptyStackBuckets } from './empty-bucket';
import type { StackOutputs } from './outputs';
import type { PreparedDeploy } from './prepare';
import type { ProgressEvent } from './progress';
import { pointSettingsAtStack, pointSettingsAwayFrom } from './settings-target';

export interface DeployWizardDeps {
  prepare(request: DeployPlanRequest): Promise<PreparedDeploy>;
  settings: SettingsStore;
  /** Where uploads go after the stack they used is destroyed (the fresh-install local store). */
  fallback: TargetSettings;
  /** Told the buckets a destroy deleted (with the endpoint used), once settings point away from them. */
  onDestroyed?(buckets: string[], endpoint: string | undefined): void;
  onProgress(progress: DeployProgress): void;
}

export interface DeployWizard {
  plan(request: DeployPlanRequest): Promise<DeployPlanView>;
  apply(input: { confirm: string }): Promise<DeployOutcome>;
}

interface Planned {
  request: DeployPlanRequest;
  prepared: PreparedDeploy;
  view: DeployPlanView;
  /** Destroy: the buckets as the state knows them (null when nothing was deployed). */
  outputs: StackOutputs | null;
}

export function createDeployWizard(deps: DeployWizardDeps): DeployWizard {
  let planned: Planned | null = null;
  let busy = false;
  const progress = (event: ProgressEvent) =>
    deps.onProgress({ phase: event.phase, done: event.done, total: event.total, current: event.current });

  async function exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (busy) {
      throw new AppError(
        'DEPLOY_BUSY',
        'A deploy or destroy is already running.',
        'Wait for it to finish; its progress is shown.',
      );
    }
    busy = true;
    try {
      return await work();
    } finally {
      busy = false;
    }
  }

  return {
    plan: (request) =>
      exclusive(async () => {
        planned = null;
        const prepared = await deps.prepare(request);
        const { state, imports } = await prepared.engine.init(progress);
        const destroy = request.action === 'destroy';
        const plan = await prepared.engine.plan({ destroy, onProgress: progress });
        // After the plan: a destroy plan imports adopted resources first, so the outputs know them.
        const outputs = destroy ? await prepared.engine.outputs().catch(() => null) : null;
        const view: DeployPlanView = {
          action: request.action,
          check: prepared.check,
          counts: plan.counts,
          changes: plan.changes.map((c) => ({ action: c.action, address: c.address })),
          warnings: plan.warnings,
          state: state === 'restored' ? 'restored' : imports > 0 ? 'adopted' : 'local',
        };
        planned = { request, prepared, view, outputs };
        return view;
      }),
    apply: ({ confirm }) =>
      exclusive(async () => {
        if (!planned) {
          throw new AppError(
            'NO_PLAN',
            'There is no plan to apply.',
            'Press Plan first, then check what it lists.',
          );
        }
        const { request, prepared, view, outputs } = planned;
        if (confirm !== request.environment) {
          throw new AppError(
            'NOT_CONFIRMED',
            `Type the environment name "${request.environment}" to confirm.`,
            request.action === 'destroy'
              ? 'Destroying deletes the buckets and every batch uploaded to them.'
              : 'The plan above lists what will be created or changed in your account.',
          );
        }
        planned = null; // a plan is applied once; a failed apply needs a new plan
        const changes = view.counts.add + view.counts.change + view.counts.remove + (view.counts.import ?? 0);
        if (request.action === 'destroy') {
          const emptied = await emptyStackBuckets(prepared.clients.s3, outputs);
          if (changes > 0) await prepared.engine.apply(progress);
          const buckets = stackBuckets(outputs, { ...request, accountId: prepared.check.account });
          const change = await pointSettingsAwayFrom({
            store: deps.settings,
            buckets,
            fallback: deps.fallback,
          });
          deps.onDestroyed?.(buckets, request.endpoint || undefined);
          return { action: 'destroy', region: prepared.check.region, emptied, settings: change.current };
        }
        const applied =
          changes > 0 ? await prepared.engine.apply(progress) : await prepared.engine.copyState();
        const deployed = await prepared.engine.outputs();
        const change = await pointSettingsAtStack({
          store: deps.settings,
          outputs: deployed,
          access: { profile: request.profile || undefined, endpoint: request.endpoint || undefined },
        });
        return {
          action: 'deploy',
          rawBucket: deployed.rawBucket,
          processedBucket: deployed.processedBucket,
          region: deployed.region,
          settings: change.current,
          ...(applied.stateCopy ? { stateCopy: applied.stateCopy } : {}),
          warnings: applied.warnings,
        };
      }),
  };
}
