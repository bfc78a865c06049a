/**
 * The contract, implemented once on top of the agent, the settings, the cost model and the processed
 * data; the headless HTTP server and Electron's IPC both serve these handlers.
 *
 *   const app = createAppService({ settings, lock, openRuntime, estimateCost, detectLogFiles })
 *   await app.start()                     takes the state folder's lock (another agent there: AGENT_RUNNING, and
 *                                          nothing is written), then opens the runtime for the saved settings
 *   await app.start({ edit })             the same, saving edit(saved settings) first, once the lock is held
 *   await app.handlers.pause()            → AgentStatus with state 'paused'
 *   app.events.on('status', show)         status, upload records, progress and live rows, pushed
 *   await app.handlers.saveSettings(s)    validates, saves atomically, restarts the agent on the new target
 *   settings.json replaced on disk        (e.g. `gpuz-cloud deploy`) reloaded, agent restarted, 'settings' pushed
 *   await app.handlers.saveAccessKeys(k)  encrypts into the vault (or refuses), reopens an S3 runtime with them
 *   await app.handlers.planDeploy(r)      the provisioning wizard (deploy/wizard.ts); applyDeploy then restarts
 *                                          the agent on the stack's buckets ('deployProgress' pushed meanwhile)
 *   await app.handlers.checkState()       what `gpuz-cloud repair` would do (a damaged checkpoint: set aside,
 *                                          rebuilt from the store); repairState({ confirm: true }) does it
 */
import { isDeepStrictEqual } from 'node:util';
import type {
  ContractHandlers,
  CostQuery,
  CostView,
  DeployPlanRequest,
  DeployProgress,
  EventSource,
  HostList,
  LogCandidate,
  SaveSettingsResult,
  SensorInfo,
  Settings,
  TargetSettings,
} from '../../../shared/contract';
import { AppError, type ErrorData, toError, toErrorData } from '../../../shared/errors';
import { processedKeyFor } from '../../../shared/keys';
import { sameSensorKeys } from '../../../shared/parse/column-keys';
import { createAccessKeyStore } from '../access-keys';
import type { StateLock } from '../agent';
import { createHealthMonitor, type HealthMonitor } from '../cloud-health/monitor';
import type { CloudHealthSource } from '../cloud-health/open-health';
import { storedHistory, withThisPc } from '../cost/stored-history';
import { createPendingData } from '../data/pending-data';
import type { ProcessedData } from '../data/processed-data';
import type { PreparedDeploy } from '../deploy/prepare';
import { createDeployWizard, type DeployWizard } from '../deploy/wizard';
import { type AlertHistory, memoryAlertHistory, openAlertHistory } from '../insights/alert-history';
import { createAlertEvaluator, SUGGESTED_RULES } from '../insights/alerts';
import { createSessionMemo, type SessionMemo } from '../insights/session-memo';
import { SESSION_KEYS } from '../insights/sessions';
import type { StateCheck } from '../repair';
import type { SecretVault } from '../secret-vault';
import { SETTINGS_FILE, type SettingsStore } from '../settings';
import type { CostViewContext } from './cost-view';
import { createEventHub } from './event-hub';
import { memoryPauseState, type PauseState } from './pause-state';
import { type Runtime, type RuntimeSettings, withAccessKeys } from './runtime';
import { validateSettings } from './validate-settings';

export type { Runtime };

/** Alerts kept for the history view (this run only). */

export interface AppServiceDeps {
  settings: SettingsStore;
  /** Typed-in secrets: the OS keychain in the tray app, a refusing vault in headless mode. */
  secrets: SecretVault;
  /**
   * Takes the state folder's one-agent lock (state-lock.ts); throws AGENT_RUNNING while another process holds it.
   * Absent (tests): no lock.
   */
  lock?(): Promise<StateLock>;
  /** Builds an agent (not started yet, using the lock the app holds) and the processed data for these settings. */
  openRuntime(settings: RuntimeSettings, lock: StateLock): Runtime | Promise<Runtime>;
  estimateCost(query: CostQuery, context: CostViewContext): CostView;
  detectLogFiles(): Promise<LogCandidate[]>;
  /** The provisioning wizard's setup (binary, credentials, bundle); absent, planDeploy says it is unavailable. */
  deploy?: {
    prepare(request: DeployPlanRequest): Promise<PreparedDeploy>;
    /** The target after a destroy removed the buckets in use: the fresh-install local store. */
    fallback: TargetSettings;
    /** After a destroy and the restart on the new settings: removes what the PC kept of those buckets (caches). */
    forgetBuckets?(buckets: string[], endpoint: string | undefined): Promise<void>;
    /** Fetches the pinned Terraform when none is installed (prepare.ts downloadTerraform). */
    installTerraform?(
      onProgress: (progress: DeployProgress) => void,
    ): Promise<{ path: string; version: string }>;
  };
  /** Where the person's pause is kept (pause-state.ts, `{stateDir}/paused.json`); absent (tests): for the run. */
  pauseState?: PauseState;
  /** Where the alert history is kept (`{stateDir}/alerts.json`); absent (tests): in memory for the run. */
  alertHistoryPath?: string;
  /** A settings file changed on disk but cannot be used; the running settings stay. Default: stderr. */
  onSettingsError?(error: unknown): void;
  /** Reads the deployed stack's health (cloud-health/open-health.ts); absent or null: no cloud health. */
  openCloudHealth?(settings: RuntimeSettings): CloudHealthSource | null;
  /**
   * Checks the state folder for these settings as `gpuz-cloud repair` does (repair.ts), under the lock the app holds;
   * called with the agent stopped. Absent: checkState and repairState say the check is not available.
   */
  checkState?(settings: RuntimeSettings, lock: StateLock): Promise<StateCheck>;
}

export interface AppService {
  handlers: ContractHandlers;
  events: EventSource;
  /** `edit`: settings changes to save once the lock is held (`gpuz-cloud agent --file …`); invalid → BAD_OPTION. */
  start(options?: { edit?(saved: Settings): Settings }): Promise<void>;
  stop(): Promise<void>;
}

const NO_LOCK: StateLock = { release: async () => undefined, notice: null };

/** sessionsProgress and chartsProgress are pushed at most this often (and once more when the reading is done). */
const READ_PROGRESS_MS = 250;

/** `emit` at most every READ_PROGRESS_MS, and always at the end (`done` = `total`). */
function throttled(emit: (done: number, total: number) => void): (done: number, total: number) => void {
  let shownAt = 0;
  return (done, total) => {
    if (done < total && Date.now() - shownAt < READ_PROGRESS_MS) return;
    shownAt = Date.now();
    emit(done, total);
  };
}

export function createAppService(deps: AppServiceDeps): AppService {
  const hub = createEventHub();
  const accessKeys = createAccessKeyStore(deps.secrets);
  const pendingData = createPendingData();
  /**
   * settings.json changed on disk but cannot be applied (broken by a hand edit, unreadable): the agent runs on with the
   * settings in use, and says so among its notices, which the Overview shows (in the tray app's window too); the
   * terminal got it alone before, which the tray app has not.
   */
  const settingsError = (error: unknown): void => {
    settingsUnapplied = true;
    // The refusal's own advice is for a start (`gpuz-cloud repair`, which refuses while this agent holds the folder).
    const data = { ...toErrorData(error), advice: WHILE_RUNNING, guiAdvice: WHILE_RUNNING };
    runtime?.agent.note({ ...data, message: `${NOT_APPLIED}${data.message}` });
    (deps.onSettingsError ?? reportSettingsError)(AppError.fromData(data));
  };
  /** What a destroy deleted, forgotten once the agent has restarted away from it (its cache is closed then). */
  let destroyed: { buckets: string[]; endpoint: string | undefined } | null = null;
  const wizard: DeployWizard | null = deps.deploy
    ? createDeployWizard({
        prepare: deps.deploy.prepare,
        settings: deps.settings,
        fallback: deps.deploy.fallback,
        onProgress: (progress) => hub.emit('deployProgress', progress),
        onDestroyed: (buckets, endpoint) => {
          destroyed = { buckets, endpoint };
        },
      })
    : null;
  function deployWizard(): DeployWizard {
    if (wizard) return wizard;
    throw new AppError(
      'DEPLOY_UNAVAILABLE',
      'Deploying is not available in this mode.',
      'Use `gpuz-cloud deploy` from a terminal.',
    );
  }
  let runtime: Runtime | null = null;
  /** The state folder's lock while this app runs its agent; `refusal` when another process has it. */
  let held: StateLock | null = null;
  let refusal: AppError | null = null;
  /**
   * Why the start failed when it was not the lock (settings.json refused, or anything else): the status says it — it said "not running
   * yet, wait a moment", for ever — and a save from the Settings view starts the agent, the lock taken first.
   */
  let startError: AppError | null = null;
  let health: { source: CloudHealthSource; monitor: HealthMonitor } | null = null;
  let settings: Settings | null = null;
  let unsubscribe: (() => void)[] = [];
  let unwatch: () => void = () => undefined;
  const pauseState = deps.pauseState ?? memoryPauseState();
  /** When the person paused uploads (kept in pauseState until they resume), or null. */
  let pausedAt: string | null = null;
  let pauseSaved: Promise<void> = Promise.resolve();
  /** Agents opened by this service so far (the first one says a pause kept from before the start). */
  let agentsOpened = 0;
  /** settings.json was there at the last look (a fresh install runs on defaults without one). */
  let settingsOnDisk = false;
  /** The last change of settings.json was not applied (settingsError): its note stands until the file is mended. */
  let settingsUnapplied = false;
  // Restarts run one at a time: a save from the UI and the file watcher's reload must not interleave.
  let queue: Promise<unknown> = Promise.resolve();
  function exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = queue.then(work);
    queue = run.catch(() => undefined);
    return run;
  }

  function current(): Runtime & { settings: Settings } {
    if (refusal) throw refusal;
    if (!runtime || !settings) {
      if (startError) throw startError;
      throw new AppError('NOT_STARTED', 'The agent is not running yet.', 'Wait a moment and try again.');
    }
    return { ...runtime, settings };
  }

  /** Only the process that holds the state folder's lock writes settings or secrets into it. */
  function assertHolder(): void {
    if (refusal) throw refusal;
    const lost = folderLost();
    if (lost) throw lost;
  }

  /** Another agent took the folder over while this one ran (state-lock.ts): its settings are that agent's now. */
  function folderLost(): AppError | null {
    const error = runtime?.agent.status().lastError;
    return error?.code === 'AGENT_LOCK_LOST' ? AppError.fromData(error) : null;
  }

  async function open(next: Settings): Promise<void> {
    // `settings` (what getSettings returns) stays without keys; only the runtime's copy carries them.
    const withKeys = withAccessKeys(next, await accessKeys.load());
    // Released by this service when it stops, not by each agent; each agent asks it whether it is still held. Its
    // notice (a stale lock taken over) is said once, by the first agent.
    const check = held?.check?.bind(held);
    const lock: StateLock = {
      release: async () => undefined,
      notice: runtime === null ? (held?.notice ?? null) : null,
      ...(check ? { check } : {}),
    };
    const opened = await deps.openRuntime(withKeys, lock);
    const source = deps.openCloudHealth?.(withKeys) ?? null;
    if (source) {
      const monitor = createHealthMonitor({
        read: source.read,
        onChange: (h) => hub.emit('cloudHealth', h),
        clock: Date.now,
      });
      health = { source, monitor };
      monitor.start();
    }
    const { agent } = opened;
    unsubscribe = [
      agent.onStatus((status) => hub.emit('status', status)),
      agent.onUpload((record) => hub.emit('upload', record)),
      agent.onProgress((progress) => hub.emit('progress', progress)),
      agent.onLiveRows((rows, columns, origin) => {
        hub.emit('liveRows', { rows, columns, stats: agent.live().stats });
        const events = alerts.add(rows, columns);
        // Rows an earlier run read, shown again after a restart: it alerted on them (a toast at every start before).
        if (origin?.earlier) return;
        for (const event of events) {
          // From the log's backlog (a first start on an old log): listed, not announced.
          const said = origin?.backlog ? { ...event, late: true } : event;
          alertHistory.add(said);
          hub.emit('alert', said);
        }
      }),
    ];
    runtime = opened;
    settings = next;
    // The person's pause stands for every agent this app opens, until they resume.
    const first = agentsOpened === 0;
    agentsOpened += 1;
    if (pausedAt !== null) agent.pause();
    await agent.start();
    if (pausedAt !== null && first) {
      agent.note({
        code: 'UPLOADS_PAUSED',
        message: `Uploads are paused since ${pausedText(pausedAt, next.timeZone)}, as they were before this start: the log is read and its batches wait in the spool`,
        advice: 'Press Resume to send them.',
      });
    }
  }

  /**
   * Keeps the pause for the next agent (set at once: an agent opened by a restart under way reads it) and the next
   * start (saved one at a time, each the newest value: Pause then Resume pressed quickly cannot end on disk as paused).
   * A file that cannot be written costs only the next start's pause.
   */
  function keepPause(at: string | null): void {
    pausedAt = at;
    if (refusal || folderLost()) return;
    pauseSaved = pauseSaved
      .then(() => pauseState.save(pausedAt))
      .catch((error: unknown) => {
        process.stderr.write(`The pause could not be kept for the next start: ${toError(error).message}\n`);
      });
  }

  async function close(): Promise<void> {
    health?.monitor.stop();
    health = null;
    for (const off of unsubscribe) off();
    unsubscribe = [];
    const closing = runtime;
    runtime = null;
    if (closing) {
      await closing.agent.stop();
      await closing.close?.();
    }
  }

  async function restart(next: Settings): Promise<void> {
    await close();
    await open(next);
    hub.emit('status', current().agent.status());
  }

  /**
   * The state folder checked with the agent stopped (its checkpoint and spool at rest), `work` run on the check, and
   * the agent started again on the same settings whatever happened: a repaired folder is read from at once.
   */
  async function withStateCheck<T>(work: (check: StateCheck) => Promise<T>): Promise<T> {
    assertHolder();
    const checkState = deps.checkState;
    if (!checkState) {
      throw new AppError(
        'REPAIR_UNAVAILABLE',
        'Checking the state folder is not available here.',
        'Run `gpuz-cloud repair` from a terminal.',
      );
    }
    const active = settings ?? (await deps.settings.load());
    await close();
    try {
      const check = await checkState(withAccessKeys(active, await accessKeys.load()), held ?? NO_LOCK);
      try {
        return await work(check);
      } finally {
        await check.release();
      }
    } finally {
      await open(active);
      hub.emit('status', current().agent.status());
    }
  }

  /**
   * The processed data, told first what is still pending (a listing from before an upload is not reused), and
   * that pending list, read once per call (it copies the open batch).
   */
  function currentData() {
    const { agent, data, settings: active } = current();
    const pending = agent.pending();
    data.notePending?.(
      active.host,
      pending.map((batch) => processedKeyFor(batch.rawKey)),
    );
    return { agent, data, host: active.host, pending };
  }

  /** Sessions listed before, per store (its data layer), for a runtime without a memo of its own. */
  const memos = new WeakMap<ProcessedData, SessionMemo>();
  function memoOf(data: ProcessedData): SessionMemo {
    const memo = memos.get(data) ?? createSessionMemo();
    memos.set(data, memo);
    return memo;
  }

  /** New or forgotten keys matter only to an S3 target; a local one keeps running. */
  async function restartIfS3(): Promise<void> {
    if (settings?.target.kind === 's3') await restart(settings);
  }

  /**
   * The file changed on disk: restart on what it now says, unless that is what already runs. Deleted while this app
   * runs (by hand, a cleaner, the whole state folder): the settings in use are written back, said in the agent's
   * notices — before, the agent restarted on a fresh install's defaults (another log, a local folder in place of the
   * bucket) without a word.
   */
  async function reload(): Promise<void> {
    if (folderLost()) return;
    const onDisk = (await deps.settings.exists?.()) ?? true;
    if (!onDisk && settingsOnDisk && settings) {
      await restoreSettings(settings);
      return;
    }
    settingsOnDisk = onDisk;
    let next: Settings;
    try {
      next = await deps.settings.load();
    } catch (error) {
      settingsError(error);
      return;
    }
    const mended = settingsUnapplied;
    settingsUnapplied = false;
    if (isDeepStrictEqual(next, settings)) {
      // A restart starts a new agent, whose notes are its own; the same settings keep this one, whose notes say the
      // file was broken — until this one says it is mended (seen at 1920×1080: the note stood after the fix).
      if (mended) runtime?.agent.note(SETTINGS_MENDED);
      return;
    }
    await restart(next);
    hub.emit('settings', next);
  }

  async function restoreSettings(inUse: Settings): Promise<void> {
    const saved = await deps.settings.save(inUse);
    if (!saved.ok) return;
    // A deleted folder took the watch with it: watched again in the folder the save made.
    watchSettings();
    runtime?.agent.note({
      code: 'SETTINGS_RESTORED',
      message: `${SETTINGS_FILE} was deleted while GPU-Z Cloud ran: written again from the settings in use`,
      advice:
        'To start over with the defaults, change them in the Settings view, or delete the file while GPU-Z Cloud is not running.',
    });
  }

  function watchSettings(): void {
    unwatch();
    unwatch = deps.settings.watch?.(() => void exclusive(reload).catch(settingsError)) ?? (() => undefined);
  }

  /**
   * Takes the state folder's lock and starts the first agent on the settings `choose` gives (read there, after the
   * lock: a save made by then is the one used). A failure releases the lock; one that is not the lock's is kept in
   * `startError` for the status and the Settings view.
   */
  async function begin(choose: () => Promise<Settings>): Promise<Settings> {
    try {
      held = deps.lock ? await deps.lock() : NO_LOCK;
    } catch (error) {
      refusal = error instanceof AppError ? error : null;
      throw error;
    }
    refusal = null; // an earlier try met the lock held; it is ours now
    let chosen: Settings;
    try {
      if (deps.alertHistoryPath) {
        const opened = await openAlertHistory(deps.alertHistoryPath, () => new Date());
        alertHistory = opened.history;
        alertNotice = opened.notice;
      }
      pausedAt = await pauseState.load();
      chosen = await choose();
      await open(chosen);
    } catch (error) {
      await close();
      await held.release();
      held = null;
      startError =
        error instanceof AppError
          ? error
          : new AppError('INTERNAL', `The agent did not start: ${toError(error).message}`, undefined, {
              cause: error,
            });
      if (SETTINGS_REFUSALS.has(startError.code)) watchRefusedSettings();
      throw error;
    }
    startError = null;
    settingsOnDisk = (await deps.settings.exists?.()) ?? true;
    watchSettings();
    return chosen;
  }

  /**
   * After a start that settings.json refused, the file is watched: mended by hand (or by `gpuz-cloud repair`), the
   * agent starts on it by itself. Before, the tray app waited for a Save in Settings or its own restart.
   */
  function watchRefusedSettings(): void {
    let again: NodeJS.Timeout | undefined;
    const tryStart = () =>
      void exclusive(async () => {
        clearTimeout(again);
        if (runtime || !startError) return;
        const chosen = await begin(() => deps.settings.load()).catch(() => null);
        if (chosen) {
          hub.emit('status', current().agent.status());
          hub.emit('settings', chosen);
        } else if (refusal) {
          // Another process holds the folder — `gpuz-cloud repair` writing this very file holds it a moment longer
          // than the write — so no refusal for good: the status says who, and the start is tried again.
          startError = refusal;
          refusal = null;
          again = setTimeout(tryStart, LOCK_RETRY_MS);
        }
      });
    unwatch();
    const stopWatching = deps.settings.watch?.(tryStart) ?? (() => undefined);
    unwatch = () => {
      clearTimeout(again);
      stopWatching();
    };
  }

  /**
   * The Settings view's save after a start that settings.json refused: valid settings are saved (the refused file
   * kept beside, settings.ts) with the lock held, and the agent starts on them. Before, the save opened an agent
   * without the lock: a `gpuz-cloud agent` on the same folder could run beside it and send the same rows.
   */
  async function startWith(candidate: unknown): Promise<SaveSettingsResult> {
    const { errors } = validateSettings(candidate);
    if (errors.length > 0) return { ok: false, errors };
    const started = await begin(async () => {
      const result = await deps.settings.save(candidate);
      if (result.ok) return result.settings;
      throw new AppError('SETTINGS_INVALID', `${result.errors[0]!.field}: ${result.errors[0]!.message}`);
    });
    hub.emit('status', current().agent.status());
    hub.emit('settings', started);
    return { ok: true, settings: started };
  }

  /** Saves what a command line changed (`agent --file …`); a refusal names the field it failed on. */
  async function saveEdit(next: Settings): Promise<Settings> {
    const result = await deps.settings.save(next);
    if (result.ok) return result.settings;
    const first = result.errors[0]!;
    throw new AppError(
      'BAD_OPTION',
      `${first.field}: ${first.message}`,
      'Fix the option and run the command again.',
    );
  }

  /** The hosts in the store, this PC's among them even before its first upload. */
  async function hostList(): Promise<HostList> {
    const { data, host } = currentData();
    const seen = await data.hosts();
    return { self: host, hosts: withThisPc(seen, host) };
  }

  /** Kept in the state folder once the lock is held (alerts.json); in memory until then, or without a path. */
  let alertHistory: AlertHistory = memoryAlertHistory();
  let alertNotice: ErrorData | null = null;
  // One evaluator for the app's life: an episode open before a restart of the agent (settings saved) stays one.
  const alerts = createAlertEvaluator(() => settings?.alerts ?? []);

  const handlers: ContractHandlers = {
    getStatus: async () => current().agent.status(),
    getHistory: async () => current().agent.history(),
    getLive: async () => current().agent.live(),
    pause: async () => {
      const { agent } = current();
      keepPause(new Date().toISOString());
      agent.pause();
      await pauseSaved;
      return agent.status();
    },
    resume: async () => {
      const { agent } = current();
      keepPause(null);
      agent.resume();
      await pauseSaved;
      return agent.status();
    },
    uploadNow: async () => {
      const { agent } = current();
      await agent.uploadNow();
      return agent.status();
    },
    retry: async ({ batchId }) => {
      const { agent } = current();
      await agent.retry(batchId);
      return agent.status();
    },
    // After a start that settings.json refused, the form shows the settings last used (its Save puts them back).
    getSettings: async () =>
      settings ??
      (await deps.settings.load().catch(async (error: unknown) => {
        const kept = startError ? await deps.settings.lastGood?.() : null;
        if (kept) return kept.settings;
        throw error;
      })),
    validateSettings: async (candidate) => validateSettings(candidate).errors,
    saveSettings: (candidate) =>
      exclusive(async () => {
        if (!runtime && startError) return startWith(candidate);
        assertHolder();
        // A form that does not show the alert rules keeps them (they are saved by saveAlertRules).
        const keepRules =
          typeof candidate === 'object' && candidate !== null && !('alerts' in candidate) && settings?.alerts;
        const result = await deps.settings.save(
          keepRules ? { ...candidate, alerts: settings!.alerts } : candidate,
        );
        if (!result.ok) return result;
        // The settings in use saved again (the form unchanged, or saved over a file that was refused): a restart
        // would only seal and send the open batch — a PUT more, and a batch cut short — for nothing.
        if (isDeepStrictEqual(result.settings, settings)) return { ...result, unchanged: true };
        await restart(result.settings);
        hub.emit('settings', result.settings);
        return result;
      }),
    getAccessKeys: () => accessKeys.status(),
    saveAccessKeys: (input) =>
      exclusive(async () => {
        assertHolder();
        const result = await accessKeys.save(input);
        if (result.ok) await restartIfS3();
        return result;
      }),
    forgetAccessKeys: () =>
      exclusive(async () => {
        assertHolder();
        const status = await accessKeys.forget();
        await restartIfS3();
        return status;
      }),
    detectLogFiles: () => deps.detectLogFiles(),
    estimateCost: async (query) => {
      const { agent, data, settings: active } = current();
      // The cost counts every PC seen in the store; an unreachable store counts this PC only (no refusal).
      const names = await hostList().then(
        (list) => list.hosts,
        () => [active.host],
      );
      // Stored days are storage this month pays for too (objects never expire); unread: a first month.
      const stored = await storedHistory(data, names, new Date(), { oldest: true });
      return deps.estimateCost(query, {
        settings: active,
        status: agent.status(),
        hosts: names.length,
        storedSince: stored?.storedSince ?? null,
        ...(stored ? { storedDaysByHost: stored.storedDaysByHost, loggedByHost: stored.loggedByHost } : {}),
      });
    },
    listSensors: async (choice) => {
      const { agent, data, host } = currentData();
      const which = choice?.host ?? host;
      const byKey = new Map<string, SensorInfo>();
      // The live columns are this PC's: another host's sensors are the ones it stored.
      if (which === host)
        for (const column of agent.live().columns) byKey.set(column.key, pickSensor(column));
      let stored: SensorInfo[];
      try {
        stored = await data.listSensors(which);
      } catch (error) {
        // The store unread and nothing of it kept here (a start without network): this PC's live sensors still
        // chart (Live, and the rows not stored yet); a stored range's note then says why it is empty.
        if (byKey.size === 0) throw error;
        stored = [];
      }
      for (const sensor of stored) if (!byKey.has(sensor.key)) byKey.set(sensor.key, sensor);
      return [...byKey.values()];
    },
    getDataExtent: async (choice) => {
      const { data, host } = currentData();
      return data.extent(choice?.host ?? host);
    },
    queryChart: async (query) => {
      const { data, host, pending: batches } = currentData();
      if (!(query.to > query.from)) {
        throw new AppError(
          'BAD_RANGE',
          'The chart range ends before it starts.',
          'Pick an end after the start.',
        );
      }
      const which = query.host ?? host;
      const progress = throttled((done, total) => hub.emit('chartsProgress', { query, done, total }));
      if (which !== host) return data.query(which, query, [], progress);
      // Rows read but not stored yet (up to an interval of them) chart with the stored ones.
      const pending = await pendingData.decode(batches, query);
      const chart = await data.query(host, query, pending.batches, progress);
      if (pending.notShown === 0) return chart;
      return { ...chart, pending: { rows: chart.pending?.rows ?? 0, notShown: pending.notShown } };
    },
    listSessions: async (query) => {
      const { data, host, pending: batches } = currentData();
      const range = {
        from: query.from,
        to: query.to,
        keys: Object.values(SESSION_KEYS).flatMap(sameSensorKeys),
      };
      const which = query.host ?? host;
      const pending = which === host ? (await pendingData.decode(batches, range)).batches : [];
      const progress = throttled((done, total) => hub.emit('sessionsProgress', { query, done, total }));
      const rows = await data.sessionRows(which, range, pending, progress);
      const options = {
        ...(query.gapMinutes === undefined ? {} : { gapMs: query.gapMinutes * 60_000 }),
        ...(query.playLoadPct === undefined ? {} : { playLoadPct: query.playLoadPct }),
      };
      // Listed again (the view's default is all stored data), only the groups stored since are read.
      const scope = JSON.stringify([which, options, range.keys]);
      const sessions = await (current().sessions ?? memoOf(data)).list(
        scope,
        { starts: rows.starts, ...options },
        rows,
      );
      const { keptOnly, outlinedOnly } = rows;
      return { sessions, ...(keptOnly ? { keptOnly, outlinedOnly } : {}) };
    },
    listHosts: () => hostList(),
    getAlerts: async () => ({
      rules: settings?.alerts ?? [],
      suggested: SUGGESTED_RULES,
      history: alertHistory.events(),
      ...(alertNotice ? { notice: alertNotice } : {}),
    }),
    saveAlertRules: (rules) =>
      exclusive(async () => {
        assertHolder();
        const current = settings ?? (await deps.settings.load());
        // Rules are read by the evaluator on every row: saving them needs no agent restart.
        const result = await deps.settings.save({ ...current, alerts: rules });
        if (result.ok) {
          settings = result.settings;
          hub.emit('settings', result.settings);
        }
        return result;
      }),
    planDeploy: (request) => deployWizard().plan(request),
    applyDeploy: async (input) => {
      const outcome = await deployWizard().apply(input);
      // The wizard saved settings.json: restart on it now rather than when the file watcher notices.
      await exclusive(reload);
      // Settings the deploy left as they were keep the agent and its health monitor: what the Overview says of the
      // stack (the processor's code above all, which this deploy just updated) is read again now, not in 10 min.
      if (outcome.action === 'deploy') await health?.monitor.refresh().catch(() => undefined);
      const gone = destroyed;
      destroyed = null;
      if (gone) await deps.deploy?.forgetBuckets?.(gone.buckets, gone.endpoint).catch(() => undefined);
      return outcome;
    },
    getCloudHealth: async () => {
      if (!health) return null;
      return health.monitor.current() ?? health.monitor.refresh({ lists: true });
    },
    reprocessFailed: async () => {
      if (!health) {
        throw new AppError(
          'NO_STACK',
          'The agent does not upload to a GPU-Z Cloud stack, so there is nothing to reprocess.',
          'Deploy the stack in the Cloud view first.',
        );
      }
      const result = await health.source.reprocess();
      await health.monitor.refresh({ lists: true }).catch(() => undefined);
      return result;
    },
    checkState: () => exclusive(() => withStateCheck(async ({ items, needed }) => ({ items, needed }))),
    repairState: () =>
      exclusive(async () => {
        // `confirm: true` is checked at the transport (contract-inputs.ts): a person said yes to the check shown.
        const done = await withStateCheck((check) => (check.needed ? check.apply() : Promise.resolve([])));
        return { done, status: current().agent.status() };
      }),
    installTerraform: async () => {
      const install = deps.deploy?.installTerraform;
      if (!install) {
        throw new AppError(
          'DEPLOY_UNAVAILABLE',
          'Downloading Terraform is not available in this mode.',
          'Install Terraform yourself and give its path in the Cloud view.',
        );
      }
      return install((progress) => hub.emit('deployProgress', progress));
    },
  };

  return {
    handlers,
    events: hub,
    start: (options = {}) =>
      exclusive(async () => {
        await begin(async () => {
          const saved = await deps.settings.load();
          return options.edit ? await saveEdit(options.edit(saved)) : saved;
        });
      }),
    stop: () =>
      exclusive(async () => {
        startError = null;
        unwatch();
        await close();
        await alertHistory.flush().catch((error: unknown) => {
          process.stderr.write(`The alert history could not be saved: ${toError(error).message}\n`);
        });
        await held?.release();
        held = null;
      }),
  };
}

/** 'Dec 5, 2026, 8:01 PM' in the settings' zone (the zone the log is written in). */
function pausedText(at: string, timeZone: string): string {
  return new Date(at).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone });
}

const NOT_APPLIED = 'settings.json changed but was not applied: ';
/** After a refused start, how soon a start is tried again while another process holds the folder. */
const LOCK_RETRY_MS = 2_000;
/** A start refused for these waits for settings.json to be mended (watchRefusedSettings). */
const SETTINGS_REFUSALS: ReadonlySet<string> = new Set(['SETTINGS_UNREADABLE', 'SETTINGS_INVALID']);
const WHILE_RUNNING =
  'The agent runs on the settings in use. Fix the file, or press Save in the Settings view: it shows the settings in use and saves them over the file (kept beside).';

const SETTINGS_MENDED = {
  code: 'SETTINGS_MENDED',
  message: `${SETTINGS_FILE} can be read again: it holds the settings in use, so nothing changed`,
} as const;

function reportSettingsError(error: unknown): void {
  const message = toError(error).message;
  const advice = error instanceof AppError && error.advice ? ` ${error.advice}` : '';
  process.stderr.write(`${NOT_APPLIED}${message}${advice}\n`);
}

function pickSensor(column: { key: string; name: string; unit: string }): SensorInfo {
  return { key: column.key, name: column.name, unit: column.unit };
}
