/**
 * Alert rules as they arrive in settings (untrusted JSON) → rules, or field errors a person can act on:
 *   validateAlertRules([{ id: 'hot', sensor: 'hot_spot_c', comparison: '>=', value: 100, durationSeconds: 10, enabled: true }])
 *     → { rules: [that rule], errors: [] }
 *   validateAlertRules([{ …, value: 'hot' }]) → { rules: [], errors: [{ field: 'alerts.0.value', message: … }] }
 */
import type { FieldError } from '../../../shared/contract';
import type { AlertRule } from '../../../shared/insights/types';

const KEY = /^[a-z0-9_]{1,64}$/;
const MAX_RULES = 50;

export function validateAlertRules(value: unknown): { rules: AlertRule[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!Array.isArray(value))
    return { rules: [], errors: [{ field: 'alerts', message: 'Alert rules must be a list.' }] };
  if (value.length > MAX_RULES)
    errors.push({ field: 'alerts', message: `At most ${MAX_RULES} alert rules.` });
  const rules: AlertRule[] = [];
  const ids = new Set<string>();
  value.slice(0, MAX_RULES).forEach((item: unknown, i) => {
    const add = (name: string, message: string) => errors.push({ field: `alerts.${i}.${name}`, message });
    const rule = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const { id, sensor, comparison, value: threshold, durationSeconds, hysteresis, enabled } = rule;
    const before = errors.length;
    if (typeof id !== 'string' || !KEY.test(id.replaceAll('-', '_')) || ids.has(id))
      add('id', 'Give each rule its own short name (letters, digits, dashes).');
    if (typeof sensor !== 'string' || !KEY.test(sensor))
      add('sensor', 'Pick a sensor by its key (e.g. hot_spot_c).');
    if (comparison !== '>=' && comparison !== '<=') add('comparison', 'Choose ≥ or ≤.');
    if (typeof threshold !== 'number' || !Number.isFinite(threshold)) add('value', 'Enter a number.');
    if (typeof durationSeconds !== 'number' || !(durationSeconds >= 0 && durationSeconds <= 86_400))
      add('durationSeconds', 'Enter 0 to 86,400 seconds.');
    if (hysteresis !== undefined && (typeof hysteresis !== 'number' || !(hysteresis >= 0)))
      add('hysteresis', 'Enter 0 or more.');
    if (typeof enabled !== 'boolean') add('enabled', 'Say whether the rule is on.');
    if (errors.length > before) return;
    ids.add(id as string);
    rules.push({
      id: id as string,
      sensor: sensor as string,
      comparison: comparison as AlertRule['comparison'],
      value: threshold as number,
      durationSeconds: durationSeconds as number,
      ...(hysteresis === undefined ? {} : { hysteresis: hysteresis as number }),
      enabled: enabled as boolean,
    });
  });
  return { rules, errors };
}
