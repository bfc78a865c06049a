import { type FreeTierPlanApi, regimeFromPlanState, resolveRegime } from './plan-state';

const now = new Date('2026-11-28T12:00:00Z');

describe('resolveRegime', () => {
  it('keeps the user choice when there is no Free Tier client, and says so', async () => {
    const r = await resolveRegime({ userChoice: 'none', now });
    expect(r).toEqual({
      regime: 'none',
      source: 'user',
      summary: 'Free Tier API: not read (no client available); using --regime none.',
    });
  });

  it('keeps the user choice when the API refuses, with the reason', async () => {
    const planApi: FreeTierPlanApi = {
      getAccountPlanState: async () => {
        throw new Error('AccessDeniedException: not authorized to perform freetier:GetAccountPlanState');
      },
    };
    const r = await resolveRegime({ userChoice: 'credits', now, planApi });
    expect(r.regime).toBe('credits');
    expect(r.source).toBe('user');
    expect(r.summary).toMatch(/could not read the plan \(AccessDeniedException/);
  });

  it('reads a FREE plan with credits as the credits regime and passes the credits on', async () => {
    const planApi: FreeTierPlanApi = {
      getAccountPlanState: async () => ({
        accountId: '123456789012',
        accountPlanType: 'FREE',
        accountPlanStatus: 'ACTIVE',
        accountPlanRemainingCredits: { amount: 87.5, unit: 'USD' },
        accountPlanExpirationDate: '2027-03-01T00:00:00Z',
      }),
    };
    const r = await resolveRegime({ userChoice: 'legacy', now, planApi });
    expect(r).toEqual({
      regime: 'credits',
      source: 'free-tier-api',
      creditsRemainingUsd: 87.5,
      summary:
        'Free Tier API: plan FREE, ACTIVE, 87.50 USD credits left, expires 2027-03-01 → regime credits.',
    });
  });
});

describe('regimeFromPlanState', () => {
  it('maps an expired plan to none', () => {
    expect(
      regimeFromPlanState({ accountPlanType: 'FREE', accountPlanStatus: 'EXPIRED' }, 'credits', now).regime,
    ).toBe('none');
  });

  it('a PAID plan with credits before expiry is still on credits', () => {
    const state = {
      accountPlanType: 'PAID',
      accountPlanStatus: 'ACTIVE',
      accountPlanRemainingCredits: { amount: 20, unit: 'USD' },
      accountPlanExpirationDate: new Date('2027-01-01Z'),
    };
    expect(regimeFromPlanState(state, 'none', now).regime).toBe('credits');
    // The same plan after its expiry date has no credits to draw on.
    expect(regimeFromPlanState(state, 'none', new Date('2027-02-01Z')).regime).toBe('none');
  });

  it('a PAID plan without credits keeps legacy before 2026-07-15 and falls back to none after', () => {
    const state = { accountPlanType: 'PAID', accountPlanStatus: 'ACTIVE' };
    expect(regimeFromPlanState(state, 'legacy', new Date('2026-03-01Z')).regime).toBe('legacy');
    expect(regimeFromPlanState(state, 'legacy', now).regime).toBe('none');
    expect(regimeFromPlanState(state, 'credits', now).regime).toBe('none');
  });
});
