/**
 * Costs: binds costs-model.ts to the page. Every figure comes from the one cost answer in the main process
 * (estimateCost → src/shared/cost/answer.ts): the headline, the monthly estimate, an interval what-if slider, the
 * account's free tier, usage per AWS line against its free allowance as bars, each line explained in plain words.
 */
import type { CostView, FreeTierRegime } from '../../shared/contract';
import { field, h, replaceChildren } from '../dom';
import { formatDuration } from '../format';
import { costFigures, costHeadline, costNotes, REGIME_CHOICES, serviceRows } from './costs-model';
import { describeError, errorBox, type MountView } from './view';

export const mountCosts: MountView = (root, api) => {
  const regime = h(
    'select',
    { id: 'cost-regime' },
    ...REGIME_CHOICES.map((c) => h('option', { value: c.value }, c.label)),
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
  const rawExpiry = h('input', {
    id: 'cost-raw-expiry',
    type: 'number',
    min: '0',
    step: '1',
    inputmode: 'numeric',
    placeholder: 'kept',
  });
  /** The days typed (a whole number above 0), else 0: raw batches kept. */
  const rawExpiryDays = () => {
    const days = Math.floor(Number(rawExpiry.value));
    return Number.isFinite(days) && days > 0 ? days : 0;
  };
  const sliderValue = h('output', { for: 'cost-interval', 'data-testid': 'cost-interval-value' });
  const headline = h('p', { class: 'headline', 'data-testid': 'cost-headline' });
  const figures = h('dl', { class: 'facts', 'data-testid': 'cost-figures' });
  const problem = h('div', {});
  const bars = h('div', { 'data-testid': 'cost-services', class: 'usage' });
  const notes = h('ul', { class: 'muted' });
  let request = 0;
  let regimeChosen = false;
  // Until the person changes them, the stack's own answer: what the deployed stack does (settings' target).
  let copyChosen = false;
  let expiryChosen = false;

  async function refresh(intervalMinutes?: number): Promise<void> {
    const mine = ++request;
    try {
      const view = await api.estimateCost({
        // Until the person picks one, the main process answers with the regime that applies today.
        ...(regimeChosen ? { regime: regime.value as FreeTierRegime } : {}),
        ...(intervalMinutes ? { intervalMinutes } : {}),
        ...(kafkaSecret.checked ? { kafkaSecret: true } : {}),
        ...(copyChosen ? { analyticsCopy: analyticsCopy.checked } : {}),
        ...(expiryChosen ? { rawExpiryDays: rawExpiryDays() } : {}),
      });
      if (mine === request) render(view);
    } catch (error) {
      replaceChildren(problem, errorBox(describeError(error)));
    }
  }

  function render(view: CostView): void {
    replaceChildren(problem);
    regime.value = view.regime;
    if (!copyChosen) analyticsCopy.checked = view.analyticsCopy;
    if (!expiryChosen) rawExpiry.value = view.rawExpiryDays > 0 ? String(view.rawExpiryDays) : '';
    slider.value = String(view.intervalMinutes);
    sliderValue.textContent = formatDuration(view.intervalMinutes * 60_000);
    headline.textContent = costHeadline(view);
    replaceChildren(
      figures,
      ...costFigures(view).flatMap((f) => [
        h('dt', {}, f.label),
        h(
          'dd',
          { 'data-testid': f.testid, ...f.data, ...(f.big ? { class: 'big' } : {}), title: f.tip },
          f.text,
          f.tip ? h('span', { class: 'hint block' }, f.tip) : null,
        ),
      ]),
    );
    replaceChildren(
      bars,
      ...serviceRows(view).map((row) =>
        h(
          'div',
          { class: 'usage-row', 'data-service': row.service },
          h(
            'span',
            { title: row.explanation },
            h('span', {}, row.words),
            h('span', { class: 'hint block' }, row.explanation),
          ),
          row.meter
            ? h('meter', {
                min: 0,
                max: row.meter.max,
                low: row.meter.low,
                high: row.meter.high,
                optimum: 0,
                value: row.meter.value,
                'aria-label': row.meter.label,
              })
            : h('span', { class: 'muted' }, 'no free allowance'),
          h('span', { class: 'muted', 'data-col': 'usage', title: row.service }, row.usageText),
          h('span', { 'data-col': 'usd', 'data-usd': row.usd }, row.usdText),
        ),
      ),
    );
    replaceChildren(notes, ...costNotes(view).map((note) => h('li', {}, note)));
  }

  const again = () => refresh(Number(slider.value));
  regime.addEventListener('change', () => {
    regimeChosen = true;
    void again();
  });
  kafkaSecret.addEventListener('change', again);
  analyticsCopy.addEventListener('change', () => {
    copyChosen = true;
    void again();
  });
  rawExpiry.addEventListener('input', () => {
    expiryChosen = true;
    void again();
  });
  slider.addEventListener('input', () => {
    sliderValue.textContent = formatDuration(Number(slider.value) * 60_000);
    void again();
  });

  replaceChildren(
    root,
    h(
      'div',
      { class: 'columns' },
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'costs-title' },
        h('h2', { id: 'costs-title' }, 'Costs in your AWS account'),
        headline,
        problem,
        figures,
        h(
          'div',
          { class: 'field' },
          h('label', { for: 'cost-interval' }, 'What if the interval were'),
          h('div', { class: 'inline' }, slider, sliderValue),
        ),
        field('Your AWS free tier', regime),
        h(
          'div',
          { class: 'check' },
          kafkaSecret,
          h(
            'label',
            { for: 'cost-kafka-secret' },
            'Kafka password in a Secrets Manager secret (deployed with one)',
          ),
        ),
        h(
          'div',
          { class: 'check' },
          analyticsCopy,
          h(
            'label',
            { for: 'cost-analytics-copy' },
            'Daily analytics copy (Parquet files, deployed with it)',
          ),
        ),
        field(
          'Raw batches deleted after (days; empty: kept)',
          rawExpiry,
          'As deployed in Cloud, "Delete raw batches after (days)": the processed data stays, so the charts keep every day.',
        ),
      ),
      h(
        'section',
        { class: 'panel' },
        h('h2', {}, 'Each line of the AWS bill, per month, against its free allowance'),
        bars,
        notes,
      ),
    ),
  );
  void refresh();
  return () => undefined;
};
