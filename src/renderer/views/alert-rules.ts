/**
 * The alert rules editor, its own module so both Settings and the Alerts view mount it:
 *   mountAlertRules(container, api)   one line per rule (the sensor's name and key, ≥/≤, value and unit, seconds,
 *                                      on/off; "not in this log" for a sensor the log lacks), the suggested rules
 *                                      offered off, Save → saveAlertRules (stored in settings.json)
 */
import type { AlertRule, GpuzApi, SensorInfo } from '../../shared/contract';
import { h, replaceChildren } from '../dom';
import { describeError } from './view';

export function mountAlertRules(container: HTMLElement, api: GpuzApi): void {
  let rules: AlertRule[] = [];
  const list = h('div', { 'data-testid': 'alert-rules' });
  const message = h('p', { class: 'muted', 'data-testid': 'alert-rules-message', 'aria-live': 'polite' });
  const save = h('button', { type: 'button', 'data-testid': 'alert-rules-save' }, 'Save alert rules');

  function line(rule: AlertRule, i: number, sensors: SensorInfo[]): HTMLElement {
    const sensor = sensors.find((s) => s.key === rule.sensor);
    const enabled = h('input', { type: 'checkbox', 'aria-label': `${rule.id} on` });
    enabled.checked = rule.enabled;
    enabled.addEventListener('change', () => {
      rules[i] = { ...rules[i]!, enabled: enabled.checked };
    });
    const value = h('input', {
      type: 'number',
      step: 'any',
      value: rule.value,
      'aria-label': `${rule.id} value`,
    });
    value.addEventListener('change', () => {
      rules[i] = { ...rules[i]!, value: Number(value.value) };
    });
    const seconds = h('input', {
      type: 'number',
      min: 0,
      value: rule.durationSeconds,
      'aria-label': `${rule.id} seconds`,
    });
    seconds.addEventListener('change', () => {
      rules[i] = { ...rules[i]!, durationSeconds: Number(seconds.value) };
    });
    return h(
      'div',
      { class: 'alert-rule', 'data-rule': rule.id },
      enabled,
      h('span', { class: 'rule-sensor' }, sensor ? `${sensor.name} ` : '', h('code', {}, rule.sensor)),
      rule.comparison === '>=' ? '≥' : '≤',
      value,
      h('span', { 'data-testid': 'rule-unit' }, sensor?.unit ?? ''),
      'for',
      seconds,
      's',
      // Only when the sensors are known (an unreachable store lists none): a rule that can never fire says so.
      !sensor && sensors.length > 0
        ? h('span', { class: 'muted', 'data-testid': 'rule-missing' }, 'not in this log')
        : '',
    );
  }

  save.addEventListener('click', async () => {
    try {
      const result = await api.saveAlertRules(rules);
      message.textContent = result.ok
        ? `Saved: ${rules.filter((r) => r.enabled).length} of ${rules.length} rules on.`
        : result.errors.map((e) => `${e.field}: ${e.message}`).join(' ');
    } catch (error) {
      const { message: text, advice } = describeError(error);
      message.textContent = `${text} ${advice}`;
    }
  });

  replaceChildren(
    container,
    h('h3', {}, 'Alert rules'),
    h(
      'p',
      { class: 'hint' },
      'Checked on every live row; one alert per episode (it ends 2 units back past the line).',
    ),
    list,
    save,
    message,
  );
  const sensors = api.listSensors().catch(() => [] as SensorInfo[]);
  void api.getAlerts().then(async (view) => {
    // The saved rules, then the suggestions not saved yet (off until turned on).
    rules = [...view.rules, ...view.suggested.filter((s) => !view.rules.some((r) => r.id === s.id))];
    const known = await sensors;
    replaceChildren(list, ...rules.map((rule, i) => line(rule, i, known)));
  });
}
