import { join } from 'node:path';
import { emptyCounters } from '../../../shared/agent-status';
import { AppError, type ErrorData, toErrorData } from '../../../shared/errors';
import { sweepStaleTemps } from '../../../shared/fs/atomic-file';
import { makeFolder } from '../../../shared/fs/make-folder';
import { createLiveWindow } from '../../../shared/live-window';
import type { Column, RowEvent } from '../../../shared/parse/types';
import { LAMBDA_MAX_BATCH_BYTES } from '../../../shared/process/lambda-budget';
import { sleep as defaultSleep } from '../backoff';
import { GZIP_LEVEL } from '../batch-object';
import {
  type CheckpointData,
  checkpointForStore,
  loadCheckpoint,
  logStored,
  saveCheckpoint,
  storeChangeNotice,
  storeIdOf,
} from '../checkpoint';
import { createIngest, type Ingest } from '../ingest';
import { createReadingStats } from '../insights/reading-stats';
import { createLogCopies } from '../log-copies';
import { pendingBatches } from '../pending-batches';
import { previewRows, recentRows } from '../recent-rows';
import { FRESH_BATCHES, openSpool, type Spool } from '../spool';
import { type RepairOutcome, recoverDamagedBatch, repairSpool } from '../spool-repair';
import { checkpointTakenOver, lockStateDir, stateFolderNotMade } from '../state-lock';
import { loadStats, type Stats } from '../stats';
import { CREDENTIAL_CODES, OUTAGE_CODES, STOPPING_CODES } from '../store/s3-errors';
import { createUploadQueue, uploadRecordOf } from '../upload-queue';
import { createUploader } from '../uploader';
import { createCatchUp } from './catch-up';
import {
  type AgentConfig,
  type AgentDeps,
  DEFAULTS,
  defaultWatch,
  type StateLock,
  subscribe,
  type Timers,
} from './config';
import { type CredentialsWatch, createCredentialsWatch } from './credentials-watch';
import { logConditionOf, noticeOf } from './log-condition';
import { createLogElsewhere, LOOK_EVERY_MS } from './log-elsewhere';
import { createLookTimer } from './look-timer';
import { type AgentEvent, type AgentModel, initialModel, mayKick, stateOf, transition } from './model';
import { createStatusFile, type StatusFile } from './status-file';
import { createStoreLookup } from './store-lookup';
import type { Agent, AgentStatus, LiveRowsListener, UploadProgress, UploadRecord } from './types';
import { openUploadHistory, type UploadHistory } from './upload-history';

/**
 * The upload agent: tailer → spool → uploader → store, with persisted counters and a live view. Its rules live
 * in model.ts (a pure transition function); the callbacks here report what happened and perform effects.
 *
 *   const agent = createAgent({ logPath, host: 'gaming-pc', timeZone: 'Europe/Berlin', stateDir,
 *     intervalMs: 60 * 60_000, compress: true, store }, { clock: { now: Date.now } })
 *   await agent.start()      // re-sends the spool, then tails from the checkpoint
 *   await agent.uploadNow()  // seal what is complete and send it
 *   await agent.stop()       // seal, flush (bounded), persist
 *
 * `watch: false` is the one-shot mode of `gpuz-cloud upload` without --watch: no timers, no file watcher;
 * uploadNow() reads the log to its last complete line and sends it.
 */
type Listener<T> = (value: T) => void;

/** A person answered a refusal (resume, upload now, retry), or the agent stops: no retry on new credentials. */
const ENDS_CREDENTIALS_WATCH: ReadonlySet<AgentEvent['type']> = new Set([
  'resumed',
  'retry-requested',
  'stopping',
  'stopped',
]);

/** How far back the live view is filled from the log on start: ~30 min of a 30-column GPU-Z log at 1 Hz. */
const RECENT_ROWS_MAX_BYTES = 2 * 1024 * 1024;

export function createAgent(
  config: AgentConfig,
  deps: AgentDeps = {},
): Agent & { readonly ready: Promise<void> } {
  const now = () => (deps.clock ?? Date).now();
  const timers: Timers = deps.timers ?? {
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  };
  const watching = config.watch ?? true;
  // Never a batch the processor Lambda could not finish in half its timeout (lambda-budget.ts).
  const maxBatchBytes = Math.min(config.maxBatchBytes ?? DEFAULTS.maxBatchBytes, LAMBDA_MAX_BATCH_BYTES);
  const pollMs = config.pollMs ?? DEFAULTS.pollMs;
  /** The counters so far (none before the state folder is open). */
  const countersNow = () => (stats ? stats.counters : emptyCounters(''));
  const intervalMs = (openedAt: number | null) =>
    typeof config.intervalMs === 'function' ? config.intervalMs(countersNow(), openedAt) : config.intervalMs;
  const usedUpUntil = (until: NonNullable<AgentConfig['budgetUsedUpUntil']>) => {
    const at = until(countersNow());
    return at === null ? null : new Date(at).toISOString();
  };
  const live = createLiveWindow({ windowMs: config.liveWindowMs ?? DEFAULTS.liveWindowMs });
  // Every row the live view adds (each once), for the Overview's since-session / since-start figures.
  const readingStats = createReadingStats();
  const listeners = {
    status: new Set<Listener<AgentStatus>>(),
    upload: new Set<Listener<UploadRecord>>(),
    progress: new Set<Listener<UploadProgress>>(),
    live: new Set<LiveRowsListener>(),
  };
  /** Batches whose last attempt failed and that wait for the next one (their newest record says 'retrying'). */
  const retrying = new Set<string>();
  /** uploadNow calls waiting to hear that the store is out of reach (the queue keeps retrying on its own). */
  const offlineWaiters = new Set<() => void>();
  /** Reading held by the backpressure: woken when an attempt fails (the store went out of reach) or stop begins. */
  const heldReads = new Set<() => void>();
  let stopAsked = false;
  const wakeHeldReads = () => {
    for (const wake of heldReads) wake();
    heldReads.clear();
  };
  const emit = <T>(set: Set<Listener<T>>, value: T) => {
    for (const l of set) l(value);
  };
  let uploads: UploadHistory | null = null;
  /** {stateDir}/agent-status.json, kept current for `gpuz-cloud status` while this agent holds the folder. */
  let statusFile: StatusFile | null = null;
  let model: AgentModel = initialModel();
  /** Watching, a refusal of the credentials is tried again once they change (set up below, with the queue). */
  let credentialsWatch: CredentialsWatch | null = null;
  const dispatch = (event: AgentEvent) => {
    model = transition(model, event);
    if (event.type === 'upload-failed' && event.stopping && CREDENTIAL_CODES.has(event.error.code))
      credentialsWatch?.refused();
    else if (event.type === 'uploaded') credentialsWatch?.accepted();
    else if (ENDS_CREDENTIALS_WATCH.has(event.type)) credentialsWatch?.cancel();
  };
  const at = () => new Date(now()).toISOString();
  let stats: Stats;
  let spool: Spool;
  let ingest: Ingest;
  /** Where showing the log went up to while the store could not be asked (onUnplaced); null: never. */
  let preview: { fileId: string; end: number; header: Buffer | null } | null = null;
  /** Until a look first reaches the log's end, the rows read are its backlog: in the log before this run could read them. */
  let caughtUpOnce = false;
  /** How far through the work it is behind on (catch-up.ts), for status(). */
  const catchUp = createCatchUp();
  let queue: ReturnType<typeof createUploadQueue>;
  const looks = createLookTimer(timers, now, () => {
    void serial(async () => {
      // A look that was due as stop() began: stop's own last look reads what there is. (Run after it, it read and
      // sealed for a stopped agent — beside the next one, when the app replaced its agent.)
      if (model.phase !== 'running' || stopAsked) return;
      let caughtUp = true;
      try {
        await backpressure();
        caughtUp = await tick();
      } catch (error) {
        reportTickError(error);
      }
      schedule(caughtUp ? pollMs : 0);
    });
  });
  let closeWatch: (() => void) | null = null;
  /** The once-a-minute look at the other places GPU-Z writes its log (log-elsewhere.ts), while watching. */
  let elsewhereTimer: unknown = null;
  function lookElsewhere(elsewhere: ReturnType<typeof createLogElsewhere>, inMs: number): void {
    elsewhereTimer = timers.setTimeout(async () => {
      const found = await elsewhere.look().catch(() => null);
      if (found) {
        notice(found);
        emitStatus();
      }
      if (!stopAsked && !lockLost) lookElsewhere(elsewhere, config.otherLogsCheckMs ?? LOOK_EVERY_MS);
    }, inMs);
  }
  /** No more looks at the log, change notifications or looks elsewhere (a stop, or the folder lost to another agent). */
  function stopWatching(): void {
    looks.cancel();
    closeWatch?.();
    closeWatch = null;
    if (elsewhereTimer !== null) timers.clearTimeout(elsewhereTimer);
  }
  let chain: Promise<unknown> = Promise.resolve();
  /**
   * "Upload now" could not read the log (the store could not be asked what it holds of it, at a start without
   * network): what is read once it answers is sealed and sent then, not an interval later.
   */
  let sealWhenCaughtUp = false;
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = chain.then(work, work);
    chain = next.catch(() => undefined);
    return next;
  };

  const problem = (error: ErrorData) => dispatch({ type: 'problem', error: { ...error, at: at() } });
  const notice = (data: ErrorData) => dispatch({ type: 'notice', notice: { ...data, at: at() } });
  const repairContext = () => ({
    logPath: config.logPath,
    host: config.host,
    timeZone: config.timeZone,
    now: () => new Date(now()),
  });
  /** Counts and says what spool repair found (spool-repair.ts). */
  const reportRepair = (outcome: RepairOutcome) => {
    const c = stats.counters;
    c.spoolFilesSetAside = (c.spoolFilesSetAside ?? 0) + outcome.setAside;
    c.batchesLost = (c.batchesLost ?? 0) + outcome.lost.length;
    c.rowsLost = (c.rowsLost ?? 0) + outcome.lost.reduce((sum, b) => sum + b.rows, 0);
    for (const n of outcome.notices) notice(n);
    const lost = outcome.notices.find((n) => n.code === 'SPOOL_LOST');
    if (lost) problem(lost);
  };

  const lookup = createStoreLookup({
    store: config.store,
    host: config.host,
    logPath: config.logPath,
    now,
    retry: config.retry,
    count: (kind) => stats.countRequest(kind),
    refusal: () => {
      if (!model.blocked || !model.lastError) return null;
      return AppError.fromData(model.lastError);
    },
    reached: () => {
      if (!model.offline) return;
      dispatch({ type: 'store-reached' });
      // The store answers: the uploader's wait between attempts (up to minutes after an outage) ends now. Left to run
      // out, reading waited for it (the backpressure below) and a log GPU-Z replaced meanwhile lost its rows.
      queue?.wake();
    },
  });

  let unlock: (() => Promise<void>) | null = null;
  let checkLock: StateLock['check'] | null = null;
  /** Set once another agent took the state folder over (keepLock): this one reads, sends and writes nothing more. */
  let lockLost: AppError | null = null;
  let lockRestoredSaid = false;
  const ready = (async () => {
    const stateDir = config.stateDir;
    await makeFolder(stateDir).catch((error: unknown) => {
      throw stateFolderNotMade(error, stateDir);
    });
    const lock = await (deps.lockStateDir ?? lockStateDir)(stateDir);
    unlock = lock.release;
    checkLock = lock.check?.bind(lock) ?? null;
    if (lock.notice) notice(lock.notice);
    for (const n of config.startNotices ?? []) notice(n);
    // Writes cut by a kill or a power cut leave their temp copies (the checkpoint's, the stats'…): this process
    // holds the folder now, so nothing else writes them.
    await sweepStaleTemps(stateDir);
    statusFile = createStatusFile({
      path: join(stateDir, 'agent-status.json'),
      pid: process.pid,
      now,
      timers,
    });
    const loaded = await loadStats(join(stateDir, 'stats.json'), () => new Date(now()));
    stats = loaded.stats;
    catchUp.resume(stats.catchUp);
    if (loaded.notice) notice(loaded.notice);
    const opened = await openUploadHistory(join(stateDir, 'uploads.json'), () => new Date(now()));
    uploads = opened.history;
    if (opened.notice) notice(opened.notice);
    const checkpointPath = join(stateDir, 'checkpoint.json');
    let saved: CheckpointData | null;
    try {
      saved = await loadCheckpoint(checkpointPath);
    } catch (error) {
      // Refused, not reset: resetting would send the whole log again under new keys.
      dispatch({ type: 'state-refused', error: { ...toErrorData(error), at: at() } });
      await showLogWhileRefused();
      return;
    }
    spool = await openSpool({
      dir: join(stateDir, 'spool'),
      capBytes: config.spoolCapBytes ?? DEFAULTS.spoolCapBytes,
    });
    reportRepair(await repairSpool(spool, repairContext()));
    const spooled = spool.list().map((m) => m.batchId);
    stats.keepOnly(spooled);
    const here = checkpointForStore(saved, storeIdOf(config.store), spooled);
    let checkpointOnDiskAt = saved?.updatedAt;
    // A local folder this checkpoint says holds rows is not made again if missing: its drive may be unmounted.
    if (logStored(here.checkpoint, spool.list())) config.store.expectRoot?.();
    if (here.changedFrom !== null) notice(storeChangeNotice(here.changedFrom, here.checkpoint));
    // A checkpoint from before stores were named gets this one's name now, not at the next seal: a target changed
    // before that (a deploy while GPU-Z is closed) would otherwise be taken for the store the claims are about.
    else if (saved !== null && saved.store === undefined) {
      await saveCheckpoint(checkpointPath, here.checkpoint);
      checkpointOnDiskAt = here.checkpoint.updatedAt;
    }
    ingest = createIngest({
      logPath: config.logPath,
      checkpointPath,
      checkpoint: here.checkpoint,
      checkpointOnDiskAt,
      storeChanged: here.changedFrom !== null,
      spool,
      claimFromStore: (identity) => lookup.ask(identity),
      newestFromStore: () => lookup.askNewest(),
      copies: createLogCopies({
        dir: join(stateDir, 'log-copies'),
        capBytes: config.spoolCapBytes ?? DEFAULTS.spoolCapBytes,
        now,
      }),
      host: config.host,
      timeZone: config.timeZone,
      compress: config.compress,
      gzipLevel: watching ? GZIP_LEVEL.watching : GZIP_LEVEL.oneShot,
      maxBatchBytes,
      countedUpTo: stats.readTo,
      beforeSpool: () => stats.save(),
      now,
      // Without a live view (a one-shot upload) the rows are only counted: their values are not read here.
      ...(config.liveView === false
        ? {
            onRowCount: (rows: number) => {
              stats.counters.rowsRead += rows;
            },
          }
        : {
            // A log's copy (sent once the store answers) is counted only: its rows were shown while it waited.
            onRowCount: (rows: number) => {
              stats.counters.rowsRead += rows;
            },
            onRows: (rows: RowEvent[], columns: Column[], counted: boolean) => {
              // Rows an earlier run read (again from the checkpoint after a crash): shown, not counted, and not
              // alerted on again (it did, and its alerts are in alerts.json).
              if (counted) stats.counters.rowsRead += rows.length;
              const added = live.add(rows, columns, { skipShown: preview !== null });
              readingStats.add(added, columns);
              const origin = !counted ? { earlier: true } : caughtUpOnce ? undefined : { backlog: true };
              for (const l of listeners.live) l(added, columns, origin);
            },
          }),
      onUnplaced: async (identity) => {
        // First run, the store out of reach: show the log's rows meanwhile; delivery reads them once it answers.
        if (config.liveView === false) return;
        // Another log than the last look's (GPU-Z began one meanwhile): shown from its start.
        const same = preview?.fileId === identity.fileId ? preview : null;
        preview = await previewRows({
          path: config.logPath,
          from: same?.end ?? 0,
          header: same?.header ?? null,
          timeZone: config.timeZone,
          maxBytes: RECENT_ROWS_MAX_BYTES,
        }).then((got) => {
          if (got.rows.length > 0) {
            const added = live.add(got.rows, got.columns, { skipShown: true });
            readingStats.add(added, got.columns);
            for (const l of listeners.live) l(added, got.columns, { backlog: true });
          }
          return { fileId: identity.fileId, end: got.end, header: got.header };
        });
      },
      onPlaced: async ({ offset, header }) => {
        kick(); // batches held until the log's place was saved (ingest `storeChanged`) may go now
        // A restart: the view shows the log's last rows before the first new one arrives (GPU-Z may not be running).
        if (config.liveView === false || live.snapshot().rows.length > 0) return;
        const recent = await recentRows({
          path: config.logPath,
          offset,
          header,
          timeZone: config.timeZone,
          maxBytes: RECENT_ROWS_MAX_BYTES,
        });
        showEarlier(recent);
      },
      onBytesRead: (bytes) => {
        stats.counters.bytesRead += bytes;
      },
      // Sent at once, not at the end of this look at the log (the spool's count may not change over it: a batch
      // leaving the spool after its processing while this one is spooled; it then waited for the next batch).
      onSpooled: () => kick(),
      onDropped: (dropped) => {
        stats.counters.batchesDropped += dropped.length;
        const rows = dropped.reduce((sum, m) => sum + m.rows, 0);
        problem({
          code: 'SPOOL_FULL',
          message: `The spool reached its cap of ${config.spoolCapBytes ?? DEFAULTS.spoolCapBytes} bytes: dropped the ${dropped.length} oldest batch(es), ${rows} rows never uploaded`,
          advice:
            'The store has been unreachable for long: fix the connection or the credentials, or raise the spool cap.',
        });
        for (const m of dropped) recordUpload({ ...uploadRecordOf(m, now()), status: 'dropped' });
      },
      onEvent: (event) => {
        const said = noticeOf(event);
        if (said) {
          const c = stats.counters;
          if (said.code === 'RESUMED_BY_CONTENT') c.resumesByContent = (c.resumesByContent ?? 0) + 1;
          if (event.type === 'damaged') c.bytesDamaged = (c.bytesDamaged ?? 0) + event.bytes;
          notice(said);
          return emitStatus();
        }
        const condition = logConditionOf(event, config.logPath);
        if (condition && (condition.log !== model.log || condition.error?.code !== model.lastError?.code)) {
          dispatch({
            type: 'log',
            log: condition.log,
            error: condition.error ? { ...condition.error, at: at() } : null,
          });
          emitStatus();
        }
      },
    });
    // The counters are saved with how far the log was read (a restart does not count those rows again).
    stats.reading = () => ingest.readTo;
    const uploader = createUploader({
      store: config.store,
      agentVersion: config.agentVersion ?? '0.0.0-dev',
      backoff: { baseMs: config.retry?.baseMs ?? 1000, maxMs: config.retry?.maxMs ?? 5 * 60_000 },
      maxAttempts: config.retry?.maxAttempts ?? (watching ? Number.POSITIVE_INFINITY : 5),
      random: deps.random ?? Math.random,
      sleep: deps.sleep ?? defaultSleep,
      onSent: () => stats.countRequest('put'),
      onAttempt: ({ batchId, error, retryInMs }) => {
        const m = spool.get(batchId);
        if (error === undefined) {
          // The queue said 'uploading' before the first attempt; a later one follows a 'retrying' (Uploads view).
          if (m && retrying.delete(batchId))
            recordUpload({ ...uploadRecordOf(m, now()), status: 'uploading' });
          emit(listeners.progress, { batchId, sentBytes: 0, totalBytes: m?.storedBytes ?? 0 });
          return;
        }
        const data = toErrorData(error);
        // The Uploads view shows the batch waiting for its next attempt, not 'uploading 0 B of …' for the whole outage.
        if (m) {
          retrying.add(batchId);
          const retryAt = new Date(now() + (retryInMs ?? 0)).toISOString();
          const advice =
            data.advice ?? 'Check the network connection; the batch waits in the spool until it is sent.';
          const error = { ...data, message: `Attempt failed: ${data.message}`, advice };
          recordUpload({ ...uploadRecordOf(m, now()), status: 'retrying', error, retryAt });
        }
        dispatch({
          type: 'attempt-failed',
          error: {
            ...data,
            message: `Upload of ${batchId} failed (${data.message}); retrying in ${Math.round((retryInMs ?? 0) / 1000)} s`,
            advice:
              data.advice ??
              'Check the network connection; the batches wait in the spool and are sent when it is back.',
            at: at(),
          },
        });
        emitStatus();
        for (const wake of offlineWaiters) wake();
        offlineWaiters.clear();
        wakeHeldReads();
      },
    });
    queue = createUploadQueue({
      spool,
      uploader,
      store: config.store,
      now,
      isHeld: (id) => ingest.isHeld(id),
      mayUpload: () =>
        keepLock().then(
          () => true,
          () => false,
        ),
      onRecord: recordUpload,
      onUploaded: async (m, _durationMs, staysInSpool) => {
        const c = stats.counters;
        // A batch sent again (stored by an earlier run whose processing of it did not finish) is stored once: its
        // PUT is counted as a request (the store counts those), the batch, rows and bytes are not counted twice —
        // `counted` holds it from this save (the same write as these counters) until it leaves the spool.
        if (!stats.counted.has(m.batchId)) {
          c.batchesUploaded += 1;
          if (c.rowsUploaded !== undefined) c.rowsUploaded += m.rows; // unknown for an earlier version's batches
          c.rawBytesUploaded += m.rawBytes;
          c.compressedBytesUploaded += m.storedBytes;
          if (staysInSpool) stats.counted.add(m.batchId);
        }
        dispatch({ type: 'uploaded', at: at() });
        emit(listeners.progress, { batchId: m.batchId, sentBytes: m.storedBytes, totalBytes: m.storedBytes });
        await stats.save();
      },
      onError: (error) => {
        stats.counters.batchesFailed += 1;
        dispatch({
          type: 'upload-failed',
          error: { ...error, at: at() },
          stopping: STOPPING_CODES.has(error.code),
        });
        emitStatus();
      },
      onState: (s) => {
        dispatch({ type: 'queue', busy: s === 'uploading' });
        emitStatus();
      },
      onDamaged: async (manifest, error) => {
        reportRepair(await recoverDamagedBatch(spool, manifest, error.message, repairContext()));
        await stats.save();
        emitStatus();
      },
      ...(deps.onRawStored ? { onRawStored: deps.onRawStored } : {}),
      // The spool shrank after the queue went idle (the last batch's processing ends after its upload): without this
      // the status kept that batch as waiting until the next look that read rows — for good once the log stopped.
      onProcessed: (m) => {
        stats.counted.delete(m.batchId); // saved with the next counters (a start drops it anyway: not in the spool)
        emitStatus();
      },
      onHookError: (error, key) => {
        stats.counters.processingFailures = (stats.counters.processingFailures ?? 0) + 1;
        problem({
          code: 'PROCESSING_FAILED',
          message: `Stored ${key}, but processing it for the dashboard failed: ${toErrorData(error).message}`,
          advice:
            'The raw batch is safe and stays in the spool: the next start (or `gpuz-cloud upload`) processes it again. Check that the store folder can be written.',
        });
      },
    });
    // Paused before it was ready (the app pauses an agent it opens while the person's pause stands).
    queue.setPaused(model.paused);
    const fingerprint = config.store.credentialsFingerprint;
    if (watching && fingerprint) {
      credentialsWatch = createCredentialsWatch({
        fingerprint,
        timers,
        everyMs: config.credentialsCheckMs ?? DEFAULTS.credentialsCheckMs,
        maxMs: 30 * 60_000,
        onChange: () => {
          if (model.phase !== 'running' || !model.blocked) return;
          notice({
            code: 'CREDENTIALS_CHANGED',
            message: `The AWS credentials changed since ${config.store.description} refused them (a new sign-in or key): sending again`,
          });
          // What Upload now does, without reading the log first (the next look does).
          sendAgain('retry-requested');
        },
      });
    }
  })();
  // start() and stop() report a failed setup; an agent opened and never started must not end the process with an
  // unhandled rejection (a runtime opened for its data only, a start refused elsewhere).
  ready.catch(() => undefined);

  /**
   * Sends what the spool holds now (a queue waiting between attempts tries again at once: after an outage "Upload now"
   * or "Retry now" sends instead of sitting out a backoff of up to 5 minutes) and answers when it is sent — or,
   * watching, at the first failed attempt: the queue retries an unreachable store until it is back (the batches are
   * safe in the spool), and the caller (a button, the tray) hears state 'offline' and the advice instead of being held
   * for as long as the outage lasts. An attempt on a connection that hangs (a captive portal) answers only at the S3
   * timeouts: offline already, the caller hears the state as it is after answerWithinMs instead.
   */
  async function sendAnswering(): Promise<void> {
    let wake: () => void = () => undefined;
    let cap: unknown;
    const offline = new Promise<void>((resolve) => {
      wake = resolve;
      if (watching) offlineWaiters.add(wake);
      if (watching && model.offline) cap = timers.setTimeout(wake, config.retry?.answerWithinMs ?? 15_000);
    });
    queue.wake();
    await Promise.race([queue.drain(), offline]);
    offlineWaiters.delete(wake);
    if (cap !== undefined) timers.clearTimeout(cap);
  }

  function recordUpload(record: UploadRecord): void {
    if (record.status !== 'retrying') retrying.delete(record.batchId);
    uploads?.add(record);
    emit(listeners.upload, record);
  }

  function status(): AgentStatus {
    const openedAt = ingest?.openedAt ?? null;
    const interval = intervalMs(openedAt);
    const behind = stats
      ? catchUp.update({
          // The log's bytes not read yet, and the spool's batches not stored yet (as the log holds them).
          pendingBytes: (ingest?.unreadBytes ?? 0) + (spool?.rawBytes ?? 0),
          storedBytes: stats.counters.rawBytesUploaded,
          at: now(),
        })
      : null;
    // Saved with the counters (at every seal and upload): a restart goes on with this catch-up.
    if (stats) stats.catchUp = catchUp.begun();
    return {
      state: stateOf(model),
      logPath: config.logPath,
      target: config.store.description,
      targetKind: config.store.kind,
      host: config.host,
      // This run's last upload, else the kept history's (a restart that has sent nothing yet is not "never").
      lastUploadAt: model.lastUploadAt ?? uploads?.lastUploadedAt() ?? null,
      nextUploadAt: openedAt === null ? null : new Date(openedAt + interval).toISOString(),
      intervalMs: interval,
      ...(config.budgetUsedUpUntil ? { budgetUsedUpUntil: usedUpUntil(config.budgetUsedUpUntil) } : {}),
      spool: { batches: spool?.count ?? 0, bytes: spool?.bytes ?? 0, capBytes: spool?.capBytes ?? 0 },
      counters: structuredClone(countersNow()),
      lastError: model.lastError,
      notices: [...model.notices],
      catchUp: behind,
    };
  }

  function emitStatus(): void {
    const current = status();
    statusFile?.update(current);
    emit(listeners.status, current);
  }

  /**
   * Reads what is there (bounded per call) and seals on interval; each sealed batch is handed to the uploader as it is
   * spooled (onSpooled).
   */
  async function tick(): Promise<boolean> {
    await keepLock();
    const rowsBefore = stats.counters.rowsRead;
    const { caughtUp, sealed } = await ingest.readSome(maxBatchBytes);
    if (caughtUp) caughtUpOnce = true;
    // Rows counted (not those read again after a crash): a minute GPU-Z logged in, for a budget schedule's share.
    if (stats.counters.rowsRead !== rowsBefore) stats.countLogging(now());
    const openedAt = ingest.openedAt;
    const pressed = sealWhenCaughtUp && caughtUp;
    if (caughtUp) sealWhenCaughtUp = false;
    if (openedAt !== null && (pressed || now() - openedAt >= intervalMs(openedAt))) {
      queue.retryProcessing(); // an interval's upload: batches whose processing failed (a full drive) go again too
      sealed.push(...(await ingest.sealOpen()));
    }
    // Whether this look sealed anything, not whether the spool's count changed over it: a batch leaving the spool
    // (its processing done) while one is sealed keeps the count the same.
    if (sealed.length > 0) {
      await stats.save();
      emitStatus();
    } else if (stats.counters.rowsRead !== rowsBefore) {
      // New rows read: the Overview's counters (and `gpuz-cloud status`) follow at once, not at the next seal.
      emitStatus();
    }
    return caughtUp;
  }

  function kick(): void {
    if (mayKick(model)) void queue.drain();
  }

  /**
   * Before each look at the log and each upload: the state folder's lock still names this process, or is written
   * again when it was deleted. Another agent's in it (it started on a folder whose lock was gone) ends this one's
   * part at once: nothing more is read, sealed, sent or written to the folder — the other agent reads on from the
   * checkpoint and sends the spool — and this throws AGENT_LOCK_LOST. (Two agents cut the same log at different
   * places: every row after the checkpoint went twice.)
   */
  async function keepLock(): Promise<void> {
    if (lockLost) throw lockLost;
    let held = await checkLock?.();
    // Written again: if another agent wrote the checkpoint meanwhile, it ran on this folder (and may have ended and
    // let go of its lock before this one looked: a suspended machine). Its checkpoint is newer than this agent's
    // memory; going on would cut the log a second time at other places.
    if (held?.held && held.notice) {
      const other = await otherCheckpoint();
      if (other) held = { held: false, error: checkpointTakenOver(config.stateDir, other) };
    }
    if (!held || held.held) {
      // Said once a run: a tool that keeps deleting the file (a sync client, a cleaner) would fill the notes.
      if (held?.notice && !lockRestoredSaid) notice(held.notice);
      lockRestoredSaid ||= held?.notice != null;
      return;
    }
    lockLost = held.error;
    dispatch({ type: 'state-refused', error: { ...toErrorData(held.error), at: at() } });
    stopWatching();
    // The status file is the other agent's now. An upload under way ends (not awaited: this may run inside the
    // queue's loop); the other agent sends that batch again, to the same key.
    statusFile = null;
    void queue.interrupt();
    emitStatus();
    throw held.error;
  }

  /**
   * The stop of an agent refused its folder: its checkpoint could not be read (nothing ran), or another agent took the
   * folder over (lockLost) — then batches this one stored are processed to their end (the store's processed
   * documents; nothing is sent: the queue asks keepLock first) and its status file, the other agent's now, is left.
   */
  async function stopRefused(): Promise<void> {
    if (lockLost) await queue.drain();
    dispatch({ type: 'stopped' });
    await statusFile?.close(status());
    await unlock?.();
    emitStatus();
  }

  /**
   * A refused state folder reads nothing for delivery until it is repaired, but the live view shows the log's last
   * rows meanwhile (read for display only, as while the store cannot be asked): before, it said "Waiting for GPU-Z to
   * write a row…" over a log of rows, beside the error that asks to repair.
   */
  async function showLogWhileRefused(): Promise<void> {
    if (config.liveView === false) return;
    showEarlier(
      await previewRows({
        path: config.logPath,
        from: 0,
        header: null,
        timeZone: config.timeZone,
        maxBytes: RECENT_ROWS_MAX_BYTES,
      }),
    );
  }

  /** Rows the log held before this run (an earlier run read them, alerted on them): shown, not announced as new. */
  function showEarlier(got: { rows: RowEvent[]; columns: Column[] }): void {
    if (got.rows.length === 0) return;
    const added = live.add(got.rows, got.columns);
    readingStats.add(added, got.columns);
    for (const l of listeners.live) l(added, got.columns, { earlier: true });
  }

  /** checkpoint.json's path when it holds a checkpoint this agent did not write; null when it is ours or gone. */
  async function otherCheckpoint(): Promise<string | null> {
    const path = join(config.stateDir, 'checkpoint.json');
    const onDisk = await loadCheckpoint(path).catch(() => null);
    if (onDisk === null) return null;
    return ingest?.wroteCheckpoint(onDisk.updatedAt) ? null : path;
  }

  /**
   * Waits for the uploader while it is healthy and the spool holds several batches not sent yet (flat memory, no cap
   * drops): one batch at a time, so reading goes on while the queue and the local processing work on what is spooled.
   * Several = as many as the spool keeps in memory (FRESH_BATCHES): reading no further ahead sends every batch from
   * the bytes it was sealed from, without reading it back, gunzipping and checking it (a backfill of 100 MB read
   * all of it ahead: 16 MiB of gzip is ≈ 240 MB of log). Batches sent and being processed stay in the spool until
   * their output is stored (crash safety) but wait for nothing of ours: counting them made reading stop while the
   * processing thread worked, and the thread wait while reading went on (a backfill ran half as two-step lockstep).
   */
  async function backpressure(): Promise<void> {
    const ahead = () => {
      const waiting = spool.list().filter((m) => !queue.isProcessing(m.batchId));
      const bytes = waiting.reduce((sum, m) => sum + m.storedBytes, 0);
      return bytes >= 2 * maxBatchBytes || waiting.length >= FRESH_BATCHES;
    };
    while (ahead() && mayKick(model) && !model.offline && !stopAsked && queue.busy) {
      // Not only the uploader's next batch ends the wait: a store that went out of reach is retried for as long as
      // the outage lasts, and a look held here held reading and stop() with it (Ctrl+C waited for the network).
      let wake = () => {};
      const woken = new Promise<void>((resolve) => {
        wake = resolve;
        heldReads.add(resolve);
      });
      await Promise.race([queue.step(), woken]);
      heldReads.delete(wake);
    }
  }

  /** The next look at the log in `ms`, or sooner if one is due sooner (look-timer.ts). */
  function schedule(ms: number): void {
    if (model.phase === 'running' && !stopAsked && !model.refused && watching) looks.request(ms);
  }

  /**
   * Resume, or new credentials noticed after a refusal: the refusal and the store's answers are forgotten, and what
   * waits in the spool is sent now (a wait between attempts ends).
   */
  function sendAgain(event: 'resumed' | 'retry-requested'): void {
    dispatch({ type: event });
    lookup.reset();
    queue?.clear();
    queue?.wake();
    emitStatus();
    kick();
  }

  /** A look at the log failed: the store could not be asked (offline, retried at the next look) or anything else. */
  function reportTickError(error: unknown): void {
    const data = { ...toErrorData(error), at: at() };
    if (OUTAGE_CODES.has(data.code)) dispatch({ type: 'attempt-failed', error: data });
    else if (STOPPING_CODES.has(data.code)) dispatch({ type: 'upload-failed', error: data, stopping: true });
    else dispatch({ type: 'problem', error: data });
    emitStatus();
  }

  async function drainLog(): Promise<void> {
    for (;;) {
      const caughtUp = await tick();
      if (caughtUp) break;
      if (!watching && (model.blocked || model.offline)) return;
      await backpressure();
    }
    if ((await ingest.sealOpen()).length > 0) await stats.save();
  }

  const agent: Agent & { readonly ready: Promise<void> } = {
    ready,
    async start() {
      await ready;
      stopAsked = false;
      dispatch({ type: 'started' });
      emitStatus();
      if (model.refused) return;
      // Spooled batches from before a crash or an outage go first (their keys are fixed: resending is idempotent).
      kick();
      if (!watching) return;
      const watchLog = deps.watchLog ?? defaultWatch;
      closeWatch = watchLog(config.logPath, () => schedule(50));
      if (config.otherLogs) {
        const others = config.otherLogs;
        lookElsewhere(createLogElsewhere({ logPath: config.logPath, others, now }), 0);
      }
      schedule(0);
    },
    async stop() {
      await ready;
      if (model.phase === 'stopping' || model.phase === 'stopped') return;
      if (model.refused) return stopRefused();
      stopWatching();
      stopAsked = true;
      wakeHeldReads();
      await serial(async () => {
        await drainLog().catch((error) => problem(toErrorData(error)));
        dispatch({ type: 'stopping' });
      });
      // The folder went to another agent during this last look: nothing more of ours is written into it.
      if (model.refused) return stopRefused();
      if (!model.paused && !model.blocked) {
        const deadline = timers.setTimeout(() => void queue.interrupt(), config.stopFlushMs ?? 10_000);
        await queue.drain();
        timers.clearTimeout(deadline);
      }
      await queue.interrupt();
      await stats.save();
      await uploads?.flush().catch((error: unknown) => problem(toErrorData(error)));
      dispatch({ type: 'stopped' });
      await statusFile?.close(status());
      await unlock?.();
      emitStatus();
    },
    pause() {
      dispatch({ type: 'paused' });
      queue?.setPaused(true);
      emitStatus();
    },
    resume() {
      queue?.setPaused(false);
      sendAgain('resumed');
    },
    async uploadNow() {
      await ready;
      if (model.refused) return emitStatus();
      // Forget an earlier stop only: an error met while this call runs must not be retried in a loop.
      dispatch({ type: 'retry-requested' });
      lookup.reset();
      queue.clear();
      const read = await serial(drainLog).then(
        () => true,
        (error) => {
          reportTickError(error);
          return false;
        },
      );
      if (!read && watching) sealWhenCaughtUp = true;
      if (model.paused || model.blocked || model.refused) return emitStatus();
      await sendAnswering();
      emitStatus();
    },
    async retry(batchId) {
      await ready;
      if (!spool?.get(batchId)) {
        throw new AppError(
          'NOT_IN_SPOOL',
          `Batch ${batchId} is not waiting in the spool`,
          'It was uploaded or dropped already.',
        );
      }
      dispatch({ type: 'retry-requested' });
      queue.clear(batchId);
      await sendAnswering();
      emitStatus();
    },
    note(data) {
      notice(data);
      emitStatus();
    },
    status,
    history: () => uploads?.records() ?? [],
    live: () => ({ ...live.snapshot(), stats: readingStats.snapshot() }),
    pending: () =>
      spool && ingest
        ? pendingBatches(spool, ingest.peekOpen(), { host: config.host, timeZone: config.timeZone, now })
        : [],
    onStatus: (l) => subscribe(listeners.status, l),
    onUpload: (l) => subscribe(listeners.upload, l),
    onProgress: (l) => subscribe(listeners.progress, l),
    onLiveRows: (l) => subscribe(listeners.live, l),
  };
  return agent;
}
