/**
 * Which free-tier regime the account is in, from the AWS Free Tier API's GetAccountPlanState when it can
 * be read, else the user's choice, and a line saying which it was.
 *
 *   await resolveRegime({ userChoice: 'legacy', now, planApi })
 *   → { regime: 'credits', source: 'free-tier-api', summary: 'Free Tier API: plan FREE, ACTIVE, $87.50 …' }
 *
 * The API client is injected (FreeTierPlanApi) so the CLI and the app can pass whatever they have. The
 * official client, @aws-sdk/client-freetier (GetAccountPlanStateCommand), is not available from the npm
 * registry this project installs from (404 on 2026-11-28), so no adapter ships yet: wrapping it is
 *   { getAccountPlanState: () => client.send(new GetAccountPlanStateCommand({})) }.
 */
import { type FreeTierRegime, LAST_LEGACY_OFFER_ENDS } from '../../../shared/cost/free-tier';
import { toError } from '../../../shared/errors';

/** The fields of GetAccountPlanState's response that we use (same names as the API). */
export interface AccountPlanState {
  accountId?: string;
  /** FREE | PAID */
  accountPlanType?: string;
  /** NOT_STARTED | ACTIVE | EXPIRED */
  accountPlanStatus?: string;
  accountPlanRemainingCredits?: { amount?: number; unit?: string };
  accountPlanExpirationDate?: Date | string;
}

export interface FreeTierPlanApi {
  getAccountPlanState(): Promise<AccountPlanState>;
}

export interface ResolvedRegime {
  regime: FreeTierRegime;
  source: 'free-tier-api' | 'user';
  /** One line for the table's notes: what was read, or why nothing was. */
  summary: string;
  creditsRemainingUsd?: number;
}

export async function resolveRegime(input: {
  userChoice: FreeTierRegime;
  now: Date;
  planApi?: FreeTierPlanApi | undefined;
}): Promise<ResolvedRegime> {
  const { userChoice, now, planApi } = input;
  if (!planApi) {
    return {
      regime: userChoice,
      source: 'user',
      summary: `Free Tier API: not read (no client available); using --regime ${userChoice}.`,
    };
  }
  let state: AccountPlanState;
  try {
    state = await planApi.getAccountPlanState();
  } catch (error) {
    return {
      regime: userChoice,
      source: 'user',
      summary: `Free Tier API: could not read the plan (${toError(error).message}); using --regime ${userChoice}.`,
    };
  }
  return regimeFromPlanState(state, userChoice, now);
}

/**
 * FREE plan, or any plan with credits left before its expiry → credits. EXPIRED → none. A PAID plan
 * without credits is either a legacy account or one whose free tier ended; the API cannot tell which, so
 * the user's choice stands, except that every legacy 12-month offer had ended by 2026-07-15.
 */
export function regimeFromPlanState(
  state: AccountPlanState,
  userChoice: FreeTierRegime,
  now: Date,
): ResolvedRegime {
  const credits = state.accountPlanRemainingCredits?.amount;
  const expires = state.accountPlanExpirationDate ? new Date(state.accountPlanExpirationDate) : undefined;
  const read =
    `Free Tier API: plan ${state.accountPlanType ?? '?'}, ${state.accountPlanStatus ?? '?'}` +
    (credits !== undefined
      ? `, ${credits.toFixed(2)} ${state.accountPlanRemainingCredits?.unit ?? 'USD'} credits left`
      : '') +
    (expires ? `, expires ${expires.toISOString().slice(0, 10)}` : '');
  const active = state.accountPlanStatus === 'ACTIVE' && (!expires || expires > now);
  const withCredits = credits !== undefined ? { creditsRemainingUsd: credits } : {};

  if (active && (state.accountPlanType === 'FREE' || (credits ?? 0) > 0)) {
    return {
      regime: 'credits',
      source: 'free-tier-api',
      summary: `${read} → regime credits.`,
      ...withCredits,
    };
  }
  if (state.accountPlanStatus === 'EXPIRED') {
    return { regime: 'none', source: 'free-tier-api', summary: `${read} → regime none.` };
  }
  const legacyOver = now.toISOString().slice(0, 10) >= LAST_LEGACY_OFFER_ENDS;
  const regime = userChoice === 'credits' || (userChoice === 'legacy' && legacyOver) ? 'none' : userChoice;
  return {
    regime,
    source: 'free-tier-api',
    summary: `${read} → regime ${regime} (the API does not tell a legacy 12-month offer from none).`,
  };
}
