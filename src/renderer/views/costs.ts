/**
 * Costs: every figure comes from the cost model in the main process (estimateCost): usage per service against
 * the free tier as bars, the monthly estimate, an interval what-if slider, the regime, the smallest safe interval.
 */
import type { CostView, FreeTierRegime } from '../../shared/contract';
import { field, h, replaceChildren } from '../dom';
import { formatCount, formatDuration, formatUsd } from '../format';
import { describeError, type MountView } from './view';

export const mountCosts: MountView = (root, api) => {
  const regime = h(
    'select',
    { id: 'cost-regime' },
    h('option', { value: 'legacy' }, 'Account before 15 July 2025 (12-month free tier)'),
    h('option', { value: 'credits' }, 'Newer account (credits)'),
    h('option', { value: 'none' }, 'No free tier'),
  );
  const slider = h('input', {
    id: 'cost-interval',
    type: 'range',
    min: '1',
    max: '240',
    step: '1',
    value: '60',
  });
  const kafkaSecret = h('input', { id: 'cost-kafka-secret', type: 'checkbox' });
  const analyticsCopy = h('input', { id: 'cost-analytics-copy', type: 'checkbox' });
  const sliderValue = h('output', { for: 'cost-interval', 'data-testid': 'cost-interval-value' });
  const figures = h('dl', { class: 'facts', 'data-testid': 'cost-figures' });
  const bars = h('div', { 'data-testid': 'cost-services' });
  const notes = h('ul', { class: 'muted' });
  let request = 0;

  async function refresh(intervalMinutes?: number): Promise<void> {
    const mine = ++request;
    try {
      const view = await api.estimateCost({
        regime: regime.value as FreeTierRegime,
        ...(intervalMinutes ? { intervalMinutes } : {}),
        ...(kafkaSecret.checked ? { kafkaSecret: true } : {}),
        ...(analyticsCopy.checked ? { analyticsCopy: true } : {}),
      });
      if (mine === request) render(view);
    } catch (error) {
      const { message, advice } = describeError(error);
      replaceChildren(figures, h('dd', { role: 'alert' }, `${message} ${advice}`));
    }
  }

  function render(view: CostView): void {
    slider.value = String(view.intervalMinutes);
    sliderValue.textContent = formatDuration(view.intervalMinutes * 60_000);
    replaceChildren(
      figures,
      h('dt', {}, 'Monthly estimate'),
      h(
        'dd',
        { class: 'big', 'data-testid': 'cost-monthly', 'data-usd': view.monthlyUsd },
        formatUsd(view.monthlyUsd),
      ),
      h('dt', {}, 'Charged to the card'),
      h('dd', { 'data-testid': 'cost-billed', 'data-usd': view.billedUsd }, formatUsd(view.billedUsd)),
      h('dt', {}, 'PUT-class requests'),
      h(
        'dd',
        { 'data-testid': 'cost-puts', 'data-value': view.putClassRequests },
        formatCount(view.putClassRequests),
      ),
      h('dt', {}, 'Smallest safe interval'),
      h(
        'dd',
        { 'data-testid': 'cost-safe-interval', 'data-minutes': view.smallestSafeIntervalMinutes ?? '' },
        view.smallestSafeIntervalMinutes === null
          ? 'none fits 2,000 PUTs a month'
          : `${view.smallestSafeIntervalMinutes} min (2,000 PUT-class requests a month)`,
      ),
    );
    replaceChildren(
      bars,
      ...view.services.map((s) =>
        h(
          'div',
          { class: 'usage-row', 'data-service': s.service },
          h('span', {}, s.service),
          s.allowance > 0
            ? h('meter', {
                min: 0,
                max: s.allowance,
                low: s.allowance * 0.8,
                high: s.allowance,
                optimum: 0,
                value: Math.min(s.monthly, s.allowance * 1.5),
                'aria-label': `${s.service}: ${formatCount(s.monthly)} of ${formatCount(s.allowance)} free`,
              })
            : h('span', { class: 'muted' }, 'no free allowance'),
          h(
            'span',
            { class: 'muted', 'data-col': 'usage' },
            `${fmt(s.monthly)} ${s.unit}${s.allowance > 0 ? ` / ${fmt(s.allowance)} free (${Math.round(s.percentUsed ?? 0)} %)` : ''}`,
          ),
          h('span', { 'data-col': 'usd', 'data-usd': s.usd }, formatUsd(s.usd)),
        ),
      ),
    );
    replaceChildren(
      notes,
      ...view.warnings.map((w) => h('li', {}, w)),
      h('li', {}, `Prices checked ${view.pricesAsOf}.`),
    );
  }

  regime.addEventListener('change', () => refresh(Number(slider.value)));
  kafkaSecret.addEventListener('change', () => refresh(Number(slider.value)));
  analyticsCopy.addEventListener('change', () => refresh(Number(slider.value)));
  slider.addEventListener('input', () => {
    sliderValue.textContent = formatDuration(Number(slider.value) * 60_000);
    void refresh(Number(slider.value));
  });

  replaceChildren(
    root,
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'costs-title' },
      h('h2', { id: 'costs-title' }, 'Costs'),
      field('Free-tier regime', regime),
      h(
        'div',
        { class: 'field' },
        kafkaSecret,
        h(
          'label',
          { for: 'cost-kafka-secret' },
          ' Kafka credentials in a Secrets Manager secret (deployed with one)',
        ),
      ),
      h(
        'div',
        { class: 'field' },
        analyticsCopy,
        h(
          'label',
          { for: 'cost-analytics-copy' },
          ' Daily analytics copy (Parquet under analytics/, deployed with it)',
        ),
      ),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'cost-interval' }, 'What if the interval were '),
        slider,
        sliderValue,
      ),
      figures,
    ),
    h('section', { class: 'panel' }, h('h2', {}, 'Usage against the free tier, per month'), bars, notes),
  );
  void refresh();
  return () => undefined;
};

function fmt(value: number): string {
  if (value === 0) return '0';
  if (Math.abs(value) >= 100) return formatCount(value);
  return value.toPrecision(3);
}
