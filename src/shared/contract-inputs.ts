/**
 * The run-time shape of every contract input, one valibot schema per method that takes input, checked by both
 * transports in main (Electron IPC, headless HTTP) before a handler runs:
 *   checkInput('queryChart', { from: 0, to: 1, keys: ['gpu_temp_c'] }) → { ok: true, value }
 *   checkInput('queryChart', { keys: 'abc' })
 *     → { ok: false, error: { code: 'BAD_INPUT', message: 'queryChart: from: expected number; keys: expected Array', … } }
 *
 * Adding a method with input to contract.ts makes typecheck fail here until its schema is added, and again when
 * the schema's output is not exactly the contract's input type. Methods without input need no entry (their input
 * must be absent). Only main imports this module: the page bundle stays free of valibot.
 * Inputs are JSON values (the HTTP transport's rule; IPC inputs are normalised to it first).
 */
import * as v from 'valibot';
import type { MethodInput, MethodName } from './contract';
import type { ErrorData } from './errors';
import type { AlertRule } from './insights/types';
import { isValidHost } from './keys';

/** Settings get their field-by-field check (with words per field) from validate-settings.ts; here: an object. */
const settingsObject = v.custom<import('./contract').Settings>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  'expected an object',
);

const deployInput = {
  profile: v.optional(v.string()),
  region: v.optional(v.string()),
  environment: v.string(),
  project: v.optional(v.string()),
  endpoint: v.optional(v.string()),
  kafkaEndpoint: v.optional(v.string()),
  kafkaTopic: v.optional(v.string()),
  kafkaSaslSecretArn: v.optional(v.string()),
  alarmEmail: v.optional(v.string()),
  rawExpiryDays: v.optional(v.number()),
  architecture: v.optional(v.picklist(['arm64', 'x86_64'])),
  concurrency: v.optional(v.union([v.number(), v.literal('auto')])),
  terraformPath: v.optional(v.string()),
  analyticsCopy: v.optional(v.boolean()),
};

/** A host name as the store's keys carry it (`[a-z0-9._-]`, never '..'): it becomes a key prefix. */
const hostName = v.pipe(v.string(), v.check(isValidHost, 'a host name of a-z 0-9 . _ -'));

/** `{ host? }` or no input at all (null over HTTP, absent over IPC): this PC's data. */
const hostChoice = v.pipe(
  v.nullish(v.strictObject({ host: v.exactOptional(hostName) })),
  v.transform((choice) => choice ?? undefined),
);

type MethodsWithInput = { [M in MethodName]: MethodInput<M> extends void ? never : M }[MethodName];
type Schemas = { [M in MethodsWithInput]: v.GenericSchema<unknown, MethodInput<M>> };

export const inputSchemas = {
  retry: v.object({ batchId: v.string() }),
  validateSettings: settingsObject,
  saveSettings: settingsObject,
  saveAccessKeys: v.object({ accessKeyId: v.string(), secretAccessKey: v.string() }),
  // Every field is optional, so only a strict object tells a made-up input (an array, a typo) from a query.
  estimateCost: v.strictObject({
    intervalMinutes: v.exactOptional(v.number()),
    monthlyPuts: v.exactOptional(v.pipe(v.number(), v.integer(), v.minValue(2))),
    regime: v.exactOptional(v.picklist(['legacy', 'credits', 'none'])),
    kafkaSecret: v.exactOptional(v.boolean()),
    analyticsCopy: v.exactOptional(v.boolean()),
    rawExpiryDays: v.exactOptional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  }),
  queryChart: v.object({
    from: v.number(),
    to: v.number(),
    keys: v.array(v.string()),
    host: v.exactOptional(hostName),
  }),
  listSensors: hostChoice,
  getDataExtent: hostChoice,
  listSessions: v.strictObject({
    from: v.number(),
    to: v.number(),
    host: v.exactOptional(hostName),
    gapMinutes: v.exactOptional(v.number()),
    playLoadPct: v.exactOptional(v.number()),
  }),
  // Field by field with words per field in validate-alert-rules.ts (as settings); here: a list.
  saveAlertRules: v.array(v.custom<AlertRule>((value) => typeof value === 'object' && value !== null)),
  planDeploy: v.object({ ...deployInput, action: v.picklist(['deploy', 'destroy']) }),
  applyDeploy: v.object({ confirm: v.string() }),
  repairState: v.object({ confirm: v.literal(true) }),
} satisfies Schemas;

/** `true` when A and B are the same type (optional vs required and `| undefined` count). */
type Same<A, B> = (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false;
/** Methods whose schema's output differs from the contract's input type; must stay `never`. */
type Drifted = {
  [M in MethodsWithInput]: Same<v.InferOutput<(typeof inputSchemas)[M]>, MethodInput<M>> extends true
    ? never
    : M;
}[MethodsWithInput];
const noDrift: [Drifted] extends [never] ? true : { schemaDiffersFromContract: Drifted } = true;
void noDrift;

export type CheckedInput<M extends MethodName> =
  | { ok: true; value: MethodInput<M> }
  | { ok: false; error: ErrorData };

/** Checks `input` (a JSON value) against the method's schema; methods without input take none (null or absent). */
export function checkInput<M extends MethodName>(name: M, input: unknown): CheckedInput<M> {
  const schema = (inputSchemas as Partial<Record<MethodName, v.GenericSchema>>)[name];
  if (!schema) {
    if (input === undefined || input === null) return { ok: true, value: undefined as MethodInput<M> };
    return { ok: false, error: badInput(name, ['takes no input']) };
  }
  const result = v.safeParse(schema, input);
  if (result.success) return { ok: true, value: result.output as MethodInput<M> };
  return { ok: false, error: badInput(name, result.issues.map(describeIssue)) };
}

/**
 * 'keys: expected Array', 'from: required' — the field path and what was expected, never the received value
 * (it may be a secret typed into a form).
 */
function describeIssue(issue: v.BaseIssue<unknown>): string {
  const path = v.getDotPath(issue);
  const what =
    issue.received === 'undefined'
      ? 'required'
      : issue.expected
        ? `expected ${issue.expected}`
        : // a check's own words (never the value): 'expected a host name of a-z 0-9 . _ -'
          issue.kind === 'validation'
          ? `expected ${issue.message}`
          : 'not allowed';
  return path ? `${path}: ${what}` : what;
}

function badInput(name: string, problems: string[]): ErrorData {
  const shown = problems.slice(0, 5).join('; ');
  const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
  return {
    code: 'BAD_INPUT',
    message: `${name}: ${shown}${more}.`,
    advice: 'The request does not match what the app expects; reload the page or update the app.',
  };
}
