import { SUGGESTED_RULES } from './alerts';
import { validateAlertRules } from './validate-alert-rules';

describe('validateAlertRules', () => {
  it('keeps valid rules (the suggested ones included)', () => {
    expect(validateAlertRules(SUGGESTED_RULES)).toEqual({ rules: SUGGESTED_RULES, errors: [] });
  });

  it.each([
    { input: 'hot', field: 'alerts' },
    { input: [{ ...SUGGESTED_RULES[0], value: 'hot' }], field: 'alerts.0.value' },
    { input: [{ ...SUGGESTED_RULES[0], comparison: '>' }], field: 'alerts.0.comparison' },
    { input: [{ ...SUGGESTED_RULES[0], durationSeconds: -1 }], field: 'alerts.0.durationSeconds' },
    { input: [{ ...SUGGESTED_RULES[0], sensor: 'Hot Spot' }], field: 'alerts.0.sensor' },
    { input: [SUGGESTED_RULES[0], SUGGESTED_RULES[0]], field: 'alerts.1.id' },
    { input: [{ ...SUGGESTED_RULES[0], enabled: 'yes' }], field: 'alerts.0.enabled' },
  ])('refuses $field', ({ input, field }) => {
    expect(validateAlertRules(input).errors.map((e) => e.field)).toContain(field);
  });
});
