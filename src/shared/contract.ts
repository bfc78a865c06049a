/**
 * The one API between the UI (renderer) and the main process, declared once.
 *
 * Both transports derive everything from the runtime keys of `contract`:
 *   contract.methods.getStatus → IPC channel 'gpuz:call:getStatus', HTTP route 'POST /api/call/getStatus'
 *   contract.events.status     → IPC channel 'gpuz:event:status',   SSE event 'status' on 'GET /api/events'
 * Adding a method is one line here plus its implementation in the app service; no transport edits.
 * Errors cross as `{ code, message, advice }` (ErrorData), never as stack traces.
 */
import type {
  AgentState,
  AgentStatus,
  CatchUpProgress,
  LiveSnapshot,
  ReadingFigures,
  ReadingStats,
  UploadProgress,
  UploadRecord,
} from './agent-status';
import type { BudgetScheduleNow } from './cost/budget-schedule';
import type { ErrorData } from './errors';
import type {
  AlertEvent,
  AlertRule,
  LoggingSession,
  PlaySession,
  SessionFigures,
  SessionList,
  SessionQuery,
  SessionsProgress,
} from './insights/types';
import type { Column } from './parse/types';

export type {
  AgentState,
  AgentStatus,
  AlertEvent,
  AlertRule,
  CatchUpProgress,
  Column,
  ErrorData,
  LiveSnapshot,
  LoggingSession,
  PlaySession,
  ReadingFigures,
  ReadingStats,
  SessionFigures,
  SessionList,
  SessionQuery,
  SessionsProgress,
  UploadProgress,
  UploadRecord,
};

/** The alert rules in force, the suggested ones (off until turned on) and this run's alert history, newest last. */
export interface AlertsView {
  rules: AlertRule[];
  suggested: AlertRule[];
  /** Oldest first, kept across restarts (`{stateDir}/alerts.json`). */
  history: AlertEvent[];
  /** The saved history could not be read (set aside): what happened and where the file is. */
  notice?: ErrorData | undefined;
}

/** Where batches go: a local folder (embedded processing) or an S3 bucket (AWS or compatible). */
export type TargetSettings =
  | { kind: 'local'; dir: string }
  | {
      kind: 's3';
      /** Where the agent PUTs raw batches. */
      bucket: string;
      region: string;
      profile?: string;
      endpoint?: string;
      /** Where the Lambda writes processed documents (the dashboard reads here); default: `bucket`. */
      processedBucket?: string;
      /**
       * What the deployed stack does, as its outputs said at the last deploy (the cost estimate's defaults): raw
       * batches deleted this many days after upload (absent: kept) …
       */
      rawExpiryDays?: number;
      /** … and the daily analytics copy written (absent: not). */
      analyticsCopy?: boolean;
    };

/** How often to upload: a fixed interval, or the largest interval that fits a monthly PUT budget. */
export type ScheduleSettings =
  | { kind: 'interval'; minutes: number }
  | { kind: 'budget'; monthlyPuts: number };

export interface Settings {
  logPath: string;
  target: TargetSettings;
  schedule: ScheduleSettings;
  compression: 'gzip' | 'none';
  host: string;
  /** IANA zone GPU-Z's naive timestamps are written in. */
  timeZone: string;
  /** Threshold alerts evaluated on the live rows (core/insights/alerts.ts); none until the user adds some. */
  alerts?: AlertRule[];
  /**
   * The PC the settings were last saved on from the Settings form (its name as a host: the settings store sets it
   * when a save has none, as a form's; saves that carry the loaded settings on keep it): settings copied to another
   * PC are told apart at start (core/app/host-check.ts).
   */
  savedOn?: string;
}

/** One validation problem, by dotted field path (`target.bucket`) with words a person can act on. */
export interface FieldError {
  field: string;
  message: string;
}

export type SaveSettingsResult =
  | {
      ok: true;
      settings: Settings;
      /** They are the settings in use (saved again, e.g. over a file that was refused): no restart was needed. */
      unchanged?: boolean;
    }
  | { ok: false; errors: FieldError[] };

/**
 * S3 access keys typed into Settings, as the UI may see them: whether keys are stored, never the secret —
 * at most the access key id's last 4 characters. An AWS named profile or the default chain is preferred.
 */
export interface AccessKeysStatus {
  stored: boolean;
  /** Last 4 characters of the stored access key id ('MPLE'), to tell keys apart. */
  accessKeyIdLast4?: string;
  /** Why keys cannot be saved here (headless mode, no OS keychain); absent when they can. */
  unavailable?: ErrorData;
  /** Stored keys that cannot be read back (saved by another user account): enter them again. */
  problem?: ErrorData;
}

export interface AccessKeysInput {
  accessKeyId: string;
  secretAccessKey: string;
}

/** Field errors use `accessKeys.accessKeyId` / `accessKeys.secretAccessKey`; refusals are thrown as ErrorData. */
export type SaveAccessKeysResult =
  | { ok: true; status: AccessKeysStatus }
  | { ok: false; errors: FieldError[] };

export interface LogCandidate {
  path: string;
  exists: boolean;
  /** Why this place: "GPU-Z's default (Documents)", "GPU-Z install folder", "Desktop". */
  reason: string;
}

/** Free-tier regime of the account (the cost model's: legacy 12-month allowance, credits, none). */
export type FreeTierRegime = 'legacy' | 'credits' | 'none';

export interface CostQuery {
  /** What-if interval; the current schedule's interval when omitted. */
  intervalMinutes?: number;
  /**
   * What-if monthly PUT budget (the Settings hint as it is typed): priced as a budget schedule at the interval its
   * agent would give now; the settings' own budget (if any) when omitted.
   */
  monthlyPuts?: number;
  /** The account's free tier; the one that applies today for an account of unknown age when omitted. */
  regime?: FreeTierRegime;
  /** The stack reads Kafka credentials from a Secrets Manager secret (adds $0.40 a month + API calls). */
  kafkaSecret?: boolean;
  /** The stack writes the daily analytics copy (its LIST/PUT/GET and storage). */
  analyticsCopy?: boolean;
  /** The stack expires raw batches after this many days (the Cloud view's "Delete raw batches after"); 0: kept. */
  rawExpiryDays?: number;
}

export interface ServiceUsage {
  service: string;
  /** What is counted: `requests`, `GB-seconds`… */
  unit: string;
  monthly: number;
  /** The free allowance for the regime (0 when there is none). */
  allowance: number;
  /** monthly / allowance × 100, or null without an allowance. */
  percentUsed: number | null;
  usd: number;
}

export interface CostView {
  regime: FreeTierRegime;
  intervalMinutes: number;
  /** USD at list price after the free allowances. */
  monthlyUsd: number;
  /** What the card is charged (credits regime: after credits). */
  billedUsd: number;
  /** PUT-class requests (PUT + LIST) the month makes at this interval. */
  putClassRequests: number;
  /**
   * What they are: the batches' PUTs (raw and processed), the day seals (LIST + PUT), the dashboard's LISTs and of
   * those the daily look at all stored data (`historyLists`), and the rest (health checks, the analytics copy).
   */
  putClassParts: {
    uploads: number;
    batches: number;
    daySeals: number;
    lists: number;
    historyLists: number;
    other: number;
  };
  /** The hosts (PCs) the estimate counts: those seen in the store, this PC's among them. */
  hosts: number;
  /**
   * Months of readings stored before this month, per host on average (each host's oldest reading): processed data
   * never expires (raw batches only with `rawExpiryDays`), so this month's storage pays for them too. 0 for a store that is new this month or not read.
   */
  historyMonths: number;
  /**
   * Raw batches are priced as deleted this many days after upload (CostQuery.rawExpiryDays, else the deployed
   * stack's); 0: kept.
   */
  rawExpiryDays: number;
  /** The daily analytics copy is priced (CostQuery.analyticsCopy, else the deployed stack's). */
  analyticsCopy: boolean;
  /** The oldest reading in the store, of any host counted (null: none, or the store was not read). */
  storedSince: number | null;
  /**
   * How long GPU-Z logs a day per PC, as priced: measured from the log bytes the PCs stored on their recent whole days
   * (the keys the dashboard lists anyway), a PC not measured yet counted around the clock, with what the month would
   * cost all around the clock beside it; null: priced around the clock (24 h a day), nothing measured yet.
   */
  logging: {
    hoursPerDay: number;
    /** Log bytes a day per PC measured, on average. */
    bytesPerDay: number;
    /** Whole days measured. */
    days: number;
    /** PCs counted around the clock in `hoursPerDay`: no whole day of theirs stored yet. */
    unmeasuredHosts: number;
    /** PCs that stored nothing lately, measured on their last days of logging instead. */
    idleHosts: number;
    /** The newest of their last stored dates (UTC midnight naming a local date); null when none is idle. */
    lastLoggedDay: number | null;
    /** Of those, PCs that store again since yesterday or today (no whole day of it yet), and the newest such date. */
    resumedHosts: number;
    resumedDay: number | null;
    /** Measured by this PC's agent (no whole day stored lately, or the store not read): `days` it looked over. */
    seenByAgent: boolean;
    /** The month at 24 h a day. */
    aroundTheClockUsd: number;
  } | null;
  /** A budget schedule as its agent runs it now (budget-schedule.ts); null: a fixed interval. */
  schedule: BudgetScheduleNow | null;
  services: ServiceUsage[];
  /** Smallest whole-minute interval within putBudget PUT-class requests a month (null: none fits). */
  smallestSafeIntervalMinutes: number | null;
  /** The PUT-class budget of the smallest safe interval (2,000: the old S3 free allowance). */
  putBudget: number;
  /** The target is AWS S3 itself; false for a local folder or an S3-compatible server (no AWS bill: a what-if). */
  awsBilled: boolean;
  warnings: string[];
  /** Price table date, for the footnote. */
  pricesAsOf: string;
}

export interface SensorInfo {
  key: string;
  name: string;
  unit: string;
}

export interface ChartQuery {
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
  keys: string[];
  /** The host whose processed objects to read (listHosts' names); this PC when absent. */
  host?: string;
}

/**
 * How far a queryChart has read: `done` of `total` steps (the objects' summaries, then the rows it reads; only the
 * share is meant to be shown).
 */
export interface ChartsProgress {
  query: ChartQuery;
  done: number;
  total: number;
}

/** Which host's stored data a read method looks at; this PC when absent (or no input at all). */
export interface HostChoice {
  host?: string;
}

/** Per-key figures over the whole queried range (also shown under the chart). */
export interface SeriesStats {
  min: number | null;
  max: number | null;
  avg: number | null;
  count: number;
}

/** Where to deploy the stack (the in-app wizard; the CLI takes the same as flags). */
export interface DeployInput {
  /** Named profile from ~/.aws/config; empty for the default credential chain. */
  profile?: string | undefined;
  /** Default: AWS_REGION, else us-east-1. */
  region?: string | undefined;
  /** Part of every resource name: dev, prod… */
  environment: string;
  project?: string | undefined;
  /** AWS API emulator (moto, LocalStack) for tests; empty for AWS. */
  endpoint?: string | undefined;
  /** Comma-separated Kafka brokers (host:port); with a topic the Lambda also produces every row there. */
  kafkaEndpoint?: string | undefined;
  kafkaTopic?: string | undefined;
  /** ARN of a Secrets Manager secret {"username","password","mechanism"} when the brokers need SASL. */
  kafkaSaslSecretArn?: string | undefined;
  /** The error alarm e-mails this address (the owner confirms once); 'none' removes it; absent keeps the deployed one. */
  alarmEmail?: string | undefined;
  /** Delete raw/ batches this many days after upload (0 keeps them); absent keeps the deployed value. */
  rawExpiryDays?: number | undefined;
  /** Lambda architecture; absent keeps the deployed one (arm64 on a first deploy). */
  architecture?: 'arm64' | 'x86_64' | undefined;
  /** Reserved concurrency: a number, -1 for none, or 'auto' (default: what the account allows, up to 2). */
  concurrency?: number | 'auto' | undefined;
  /** A terraform or tofu binary to use instead of looking on PATH and in the app's own folder. */
  terraformPath?: string | undefined;
  /** The daily Parquet copy under analytics/ (Terraform `analytics_copy`, docs/analytics.md); absent keeps the deployed one (off at first). */
  analyticsCopy?: boolean | undefined;
}

/** Checked before anything runs: the binary, and whose account the credentials open. */
export interface DeployCheck {
  terraform: string;
  account: string;
  arn: string;
  region: string;
  /** What the deploy decided for this account and why (e.g. no reserved concurrency on a quota of 10). */
  notes?: string[];
}

export interface DeployPlanRequest extends DeployInput {
  action: 'deploy' | 'destroy';
}

export interface DeployPlanView {
  action: 'deploy' | 'destroy';
  check: DeployCheck;
  /** `import`: resources that exist but were in no state (adopted instead of created again). */
  counts: { add: number; change: number; remove: number; import?: number };
  /** One line per resource: { action: 'create', address: 'aws_s3_bucket.raw' }. */
  changes: { action: string; address: string }[];
  warnings: string[];
  /** Where the state came from: this PC, the copy in the account, or adoption of what exists. */
  state?: 'local' | 'restored' | 'adopted';
}

export interface DeployProgress {
  phase: string;
  done: number;
  total: number;
  /** What Terraform works on now, e.g. "creating aws_lambda_function.processor". */
  current: string;
}

export interface DeployOutcome {
  action: 'deploy' | 'destroy';
  /** Deploy: the buckets the agent now uploads to. */
  rawBucket?: string;
  processedBucket?: string;
  region: string;
  /** Destroy: object versions and delete markers removed per bucket before Terraform deleted it. */
  emptied?: { bucket: string; deleted: number }[];
  /** The settings the agent runs with afterwards. */
  settings: Settings;
  /** Deploy: where the state's copy now is in the account (s3://…/terraform-state/terraform.tfstate). */
  stateCopy?: string;
  /** Deploy: what went wrong after a successful apply (e.g. the state copy could not be written). */
  warnings?: string[];
}

/** One object in the account that needs attention: a failed event's record, or a quarantined batch. */
export interface CloudRecord {
  key: string;
  /** Epoch ms it was written. */
  at: number;
}

/**
 * What the deployed stack says about processing, read by the app (null target: not one of our stacks):
 * the error alarm, events that failed every Lambda attempt (recorded in the failed bucket, `reprocessFailed` runs
 * them again) and batches the processor quarantined as unreadable.
 */
export interface CloudHealth {
  checkedAt: number;
  alarm: { state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA' | 'unknown'; since?: number; reason?: string };
  failed: { count: number; latest: CloudRecord[] };
  quarantined: { count: number; latest: CloudRecord[] };
  /** Why some of it could not be read (the rest is still shown). */
  problems: string[];
  /**
   * Whether the processor function runs the code this app deploys (`current`), as of the last apply from this PC
   * (`appliedAt`, ms); absent when this PC holds no Terraform state of the stack (deployed from another PC).
   */
  processor?: { current: boolean; appliedAt: number };
}

export interface ReprocessResult {
  reprocessed: number;
  /** Records that failed again (kept in the failed bucket), with the function's error. */
  stillFailing: { key: string; error: string }[];
}

/**
 * Rows in a chart's range that this PC has read but the store does not have yet (the open batch and the
 * spool): `rows` are charted with the stored data; `notShown` are spooled rows left out to bound the work.
 */
export interface PendingRows {
  rows: number;
  notShown: number;
}

/**
 * Chart data in columns. `rows`: one value per time stamp. `rollups`: 1-minute min/max/avg.
 * A null time stamp row (all values null) is inserted at every gap between logging sessions,
 * so lines break there instead of bridging hours.
 */
export type ChartData = (
  | {
      resolution: 'rows';
      t: number[];
      series: { key: string; name: string; unit: string; values: (number | null)[]; stats: SeriesStats }[];
    }
  | {
      resolution: 'rollups';
      t: number[];
      series: {
        key: string;
        name: string;
        unit: string;
        min: (number | null)[];
        max: (number | null)[];
        avg: (number | null)[];
        stats: SeriesStats;
      }[];
    }
) & {
  pending?: PendingRows;
  /**
   * The store could not be listed (offline, a refused sign-in…), so the chart is drawn from the objects this PC read
   * before (its cache): rows stored since then are missing until the store answers. The store's error.
   */
  keptOnly?: ErrorData;
};

/** The hosts (PCs) with processed data in the store, sorted; `self` is this PC's host, listed even before its first upload. */
export interface HostList {
  self: string;
  hosts: string[];
}

/** One line of a state-folder check (`gpuz-cloud repair`, the Overview's "Check and repair"). */
export interface RepairItem {
  /** The file or folder, relative to the state folder: 'checkpoint.json', 'spool/ab12-0-4096.json'. */
  file: string;
  finding: string;
  /** What the repair does about it (null: nothing to do). */
  action: string | null;
}

/** What a check of the state folder found and whether repairing would change anything. */
export interface StateCheckView {
  items: RepairItem[];
  needed: boolean;
}

/** What a repair did, one line per step, and the agent's status once it started again. */
export interface StateRepairOutcome {
  done: string[];
  status: AgentStatus;
}

export interface DataExtent {
  /** Epoch ms of the first and last processed sample, or null when nothing is stored yet. */
  first: number | null;
  last: number | null;
}

/** A method's types, carried by a runtime placeholder so transports can enumerate the keys. */
export interface MethodSpec<I, O> {
  readonly __input?: I;
  readonly __output?: O;
}
export interface EventSpec<P> {
  readonly __payload?: P;
}

function method<I, O>(): MethodSpec<I, O> {
  return {};
}
function event<P>(): EventSpec<P> {
  return {};
}

export const contract = {
  methods: {
    getStatus: method<void, AgentStatus>(),
    getHistory: method<void, UploadRecord[]>(),
    getLive: method<void, LiveSnapshot>(),
    pause: method<void, AgentStatus>(),
    resume: method<void, AgentStatus>(),
    uploadNow: method<void, AgentStatus>(),
    retry: method<{ batchId: string }, AgentStatus>(),
    getSettings: method<void, Settings>(),
    validateSettings: method<Settings, FieldError[]>(),
    saveSettings: method<Settings, SaveSettingsResult>(),
    getAccessKeys: method<void, AccessKeysStatus>(),
    saveAccessKeys: method<AccessKeysInput, SaveAccessKeysResult>(),
    forgetAccessKeys: method<void, AccessKeysStatus>(),
    detectLogFiles: method<void, LogCandidate[]>(),
    estimateCost: method<CostQuery, CostView>(),
    /** This PC's: the live columns and the stored sensors; another host's: its stored sensors only. */
    listSensors: method<HostChoice | undefined, SensorInfo[]>(),
    getDataExtent: method<HostChoice | undefined, DataExtent>(),
    queryChart: method<ChartQuery, ChartData>(),
    /** Logging sessions (a GPU-Z header or a pause) and the play sessions inside them, in a range. */
    listSessions: method<SessionQuery, SessionList>(),
    /** The hosts seen in the store (one LIST of `processed/` by delimiter), this PC's among them. */
    listHosts: method<void, HostList>(),
    /** Alert rules, suggestions and the alert history (kept across restarts in alerts.json). */
    getAlerts: method<void, AlertsView>(),
    /** Saves the rules with the settings (settings.json `alerts`); field errors as saveSettings gives them. */
    saveAlertRules: method<AlertRule[], SaveSettingsResult>(),
    /** Checks the binary and credentials, runs init and plan; the plan is kept for applyDeploy. */
    planDeploy: method<DeployPlanRequest, DeployPlanView>(),
    /** Applies the kept plan (destroy: empties the buckets first); `confirm` must be the environment's name. */
    applyDeploy: method<{ confirm: string }, DeployOutcome>(),
    /** Downloads the pinned Terraform into the app's local folder (SHA-256 checked); progress as deployProgress 'download'. */
    installTerraform: method<void, { path: string; version: string }>(),
    /** The deployed stack's alarm, failed events and quarantined batches; null when the target is not our stack. */
    getCloudHealth: method<void, CloudHealth | null>(),
    /** Runs every recorded failed event through the function again; a success removes its record. */
    reprocessFailed: method<void, ReprocessResult>(),
    /** Checks the state folder as `gpuz-cloud repair` does (the agent stops for it and starts again); changes nothing. */
    checkState: method<void, StateCheckView>(),
    /** Checks again and applies the repairs (`confirm: true`: a person said yes), then starts the agent again. */
    repairState: method<{ confirm: true }, StateRepairOutcome>(),
  },
  events: {
    status: event<AgentStatus>(),
    upload: event<UploadRecord>(),
    progress: event<UploadProgress>(),
    liveRows: event<LiveSnapshot>(),
    /** The settings the agent now runs with: saved from the UI, or changed on disk (e.g. by `gpuz-cloud deploy`). */
    settings: event<Settings>(),
    deployProgress: event<DeployProgress>(),
    /** While listSessions reads stored data: how far (a cold "All stored data" over months takes seconds). */
    sessionsProgress: event<SessionsProgress>(),
    /** While queryChart reads stored data: how far (a cold range over S3 on a slow line takes seconds). */
    chartsProgress: event<ChartsProgress>(),
    /** Pushed when the stack's health changes (alarm state, failed or quarantined counts). */
    cloudHealth: event<CloudHealth>(),
    /** A threshold alert fired or cleared (core evaluates the live rows; the tray and the page only show it). */
    alert: event<AlertEvent>(),
  },
} as const;

type Methods = typeof contract.methods;
type Events = typeof contract.events;

export type MethodName = keyof Methods;
export type EventName = keyof Events;
export type MethodInput<M extends MethodName> = Methods[M] extends MethodSpec<infer I, unknown> ? I : never;
export type MethodOutput<M extends MethodName> = Methods[M] extends MethodSpec<unknown, infer O> ? O : never;
export type EventPayload<E extends EventName> = Events[E] extends EventSpec<infer P> ? P : never;

export const methodNames = Object.keys(contract.methods) as MethodName[];
export const eventNames = Object.keys(contract.events) as EventName[];

/** What main implements: one async function per method (input → output). */
export type ContractHandlers = {
  [M in MethodName]: undefined extends MethodInput<M>
    ? (input?: MethodInput<M>) => Promise<MethodOutput<M>>
    : (input: MethodInput<M>) => Promise<MethodOutput<M>>;
};

export type Unsubscribe = () => void;

/** Where push events come from on the main side (the app service). */
export interface EventSource {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): Unsubscribe;
}

/** What the renderer sees (`window.gpuz` in Electron, the HTTP client in a browser). */
export type GpuzApi = {
  [M in MethodName]: MethodInput<M> extends void
    ? () => Promise<MethodOutput<M>>
    : // An input that may be left out (`{ host }` or nothing: this PC's)
      undefined extends MethodInput<M>
      ? (input?: MethodInput<M>) => Promise<MethodOutput<M>>
      : (input: MethodInput<M>) => Promise<MethodOutput<M>>;
} & EventSource;

/** A reply envelope that both transports use, so errors arrive as data, not as a transport failure. */
export type Reply<O> = { ok: true; value: O } | { ok: false; error: ErrorData };

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(contract.methods, name);
}

export function isEventName(name: string): name is EventName {
  return Object.hasOwn(contract.events, name);
}
