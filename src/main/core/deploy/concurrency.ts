/**
 * How much concurrency the processor may reserve in this account, decided when planning from the account's own
 * Lambda settings (GetAccountSettings). AWS keeps `min(100, quota)` executions unreserved, so an account whose
 * quota is 10 (common for new accounts) cannot reserve any: reserving 2 there fails the whole deploy with
 * "decreases account's UnreservedConcurrentExecution below its minimum value of [10]".
 *
 *   decideConcurrency({ limit: 1000, unreserved: 1000, current: 0 }, 'auto') → { value: 2, note: '' }
 *   decideConcurrency({ limit: 10, unreserved: 10, current: 0 }, 'auto')
 *     → { value: -1, note: 'This account may run 10 Lambda executions at once and reserve none of them: …' }
 *   decideConcurrency({ limit: 10, unreserved: 10, current: 0 }, 5) → AppError BAD_CONCURRENCY
 *   decideConcurrency(null, 'auto') → { value: -1, note: 'Could not read …' }   (settings unreadable)
 */
import {
  GetAccountSettingsCommand,
  GetFunctionConcurrencyCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { AppError } from '../../../shared/errors';

/** What the processor reserves where it can: a burst of uploads then cannot run up a bill. */
export const WANTED_CONCURRENCY = 2;
/** The stack's value for "reserve nothing". */
export const NO_RESERVATION = -1;

export interface AccountConcurrency {
  /** The account's quota of concurrent executions in this region. */
  limit: number;
  /** What is left unreserved now. */
  unreserved: number;
  /** What this function reserves already (a redeploy gives it back before reserving again). */
  current: number;
}

export type ConcurrencyChoice = number | 'auto';

/** The most this function may reserve: everything unreserved (plus its own) above AWS's minimum. */
export function reservableConcurrency(account: AccountConcurrency): number {
  return Math.max(0, account.unreserved + account.current - Math.min(100, account.limit));
}

export function decideConcurrency(
  account: AccountConcurrency | null,
  choice: ConcurrencyChoice,
): { value: number; note: string } {
  if (choice === NO_RESERVATION) return { value: NO_RESERVATION, note: '' };
  if (!account) {
    if (choice !== 'auto') return { value: choice, note: '' };
    return {
      value: NO_RESERVATION,
      note: "Could not read the account's Lambda concurrency settings, so the function reserves none (the account's quota still caps it).",
    };
  }
  const reservable = reservableConcurrency(account);
  if (choice === 'auto') {
    if (reservable >= WANTED_CONCURRENCY) return { value: WANTED_CONCURRENCY, note: '' };
    return {
      value: NO_RESERVATION,
      note:
        `This account may run ${account.limit} Lambda executions at once and reserve ${reservable} of them: the ` +
        `function reserves none, and the account's quota of ${account.limit} caps it instead.`,
    };
  }
  if (choice > reservable) {
    throw new AppError(
      'BAD_CONCURRENCY',
      `This account can reserve at most ${reservable} Lambda executions (quota ${account.limit}, AWS keeps ${Math.min(100, account.limit)} unreserved); ${choice} was asked.`,
      'Leave the concurrency on auto (the deploy then chooses), use -1 to reserve none, or ask AWS for a higher quota (Service Quotas → AWS Lambda → Concurrent executions).',
    );
  }
  return { value: choice, note: '' };
}

/**
 * The account's settings through the Lambda API; null when they cannot be read (no permission, an emulator
 * without the call): the decision then reserves nothing rather than risk the deploy.
 */
export async function readAccountConcurrency(
  lambda: LambdaClient,
  functionName: string,
): Promise<AccountConcurrency | null> {
  try {
    const { AccountLimit } = await lambda.send(new GetAccountSettingsCommand({}));
    const limit = AccountLimit?.ConcurrentExecutions;
    const unreserved = AccountLimit?.UnreservedConcurrentExecutions;
    if (limit === undefined || unreserved === undefined) return null;
    const current = await lambda
      .send(new GetFunctionConcurrencyCommand({ FunctionName: functionName }))
      .then((r) => r.ReservedConcurrentExecutions ?? 0)
      .catch(() => 0);
    return { limit, unreserved, current };
  } catch {
    return null;
  }
}
