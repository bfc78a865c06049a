/**
 * Charts: one sensor (picked by canonical key, so old and new GPU-Z logs line up) over live 10 min, 1 h,
 * 24 h, 7 d, 30 d or a custom range. Long ranges come back as 1-minute rollups (min–max band + average),
 * short ones as rows; zooming below a few hours reloads rows for the visible window. The stats line under
 * the chart shows min / max / avg of the range. Performance marks time "opened → first chart drawn".
 * The hash can preselect: #charts/30d/gpu_temperature_c
 */
import type {
  ChartData,
  Column,
  GpuzApi,
  LiveSnapshot,
  PendingRows,
  SensorInfo,
} from '../../shared/contract';
import { statsOf } from '../../shared/series-stats';
import { fromLocalInput, isRangeId, RANGES, type RangeId, rangeWindow, toLocalInput } from '../charts/ranges';
import { createSensorChart, type SensorChart, type SeriesToDraw } from '../charts/sensor-chart';
import { field, h, replaceChildren } from '../dom';
import { formatReading } from '../format';
import { describeError, type MountView } from './view';

const LIVE_KEEP_MS = 10 * 60_000;

export const mountCharts: MountView = (root, api) => {
  performance.clearMarks('gpuz:charts:open');
  performance.clearMarks('gpuz:charts:drawn');
  performance.mark('gpuz:charts:open');
  const [, hashRange, hashKey] = location.hash.slice(1).split('/');
  let range: RangeId = hashRange && isRangeId(hashRange) ? hashRange : '1h';
  let key = hashKey ?? '';
  let shown: { from: number; to: number } = { from: 0, to: 0 };
  let live: LiveSnapshot = { columns: [], rows: [] };
  let firstDrawn = false;
  let pendingDraw = false;
  let request = 0;

  const picker = h('select', { id: 'chart-sensor' });
  const rangeButtons = RANGES.map((r) =>
    h('button', { type: 'button', 'data-range': r.id, 'aria-pressed': String(r.id === range) }, r.label),
  );
  const fromInput = h('input', { id: 'chart-from', type: 'datetime-local' });
  const toInput = h('input', { id: 'chart-to', type: 'datetime-local' });
  const customBox = h(
    'div',
    { class: 'actions', hidden: range !== 'custom' },
    field('From', fromInput),
    field('To', toInput),
    h('button', { type: 'button', 'data-testid': 'chart-apply' }, 'Show'),
    h('button', { type: 'button', 'data-testid': 'chart-fit' }, 'All stored data'),
  );
  const stats = h('p', { 'data-testid': 'chart-stats', 'aria-live': 'polite' });
  const note = h('p', { class: 'muted', 'data-testid': 'chart-note' });
  const canvas = h('canvas', { role: 'img', 'aria-label': 'Sensor chart' });
  const chart: SensorChart = createSensorChart(canvas, {
    onZoom: (from, to) => {
      range = 'custom';
      syncButtons();
      void load({ from, to });
    },
    onDrawn: () => {
      if (!pendingDraw || firstDrawn) return;
      firstDrawn = true;
      performance.mark('gpuz:charts:drawn');
      const measure = performance.measure('gpuz:charts:first-draw', 'gpuz:charts:open', 'gpuz:charts:drawn');
      root.dataset.firstDrawMs = measure.duration.toFixed(1);
    },
  });

  function syncButtons(): void {
    for (const button of rangeButtons)
      button.setAttribute('aria-pressed', String(button.dataset.range === range));
    customBox.hidden = range !== 'custom';
  }

  function showStats(
    values: { min: number | null; max: number | null; avg: number | null; count: number },
    unit: string,
  ) {
    stats.dataset.min = values.min === null ? '' : String(values.min);
    stats.dataset.max = values.max === null ? '' : String(values.max);
    stats.dataset.count = String(values.count);
    stats.textContent =
      values.count === 0
        ? 'No readings in this range.'
        : `min ${formatReading(values.min, unit)} · max ${formatReading(values.max, unit)} · avg ${formatReading(values.avg === null ? null : Math.round(values.avg * 10) / 10, unit)} · ${values.count} readings`;
  }

  function drawLive(): void {
    const index = live.columns.findIndex((c) => c.key === key);
    const column: Column | undefined = live.columns[index];
    const newest = live.rows.at(-1)?.t;
    shown = rangeWindow('live', Date.now(), newest);
    const rows = live.rows.filter((r) => r.t >= shown.from && r.t < shown.to);
    const values = rows.map((r) => (index >= 0 ? (r.values[index] ?? null) : null));
    note.textContent = 'Live: rows the agent is tailing now (not yet the cloud copy).';
    pendingDraw = rows.length > 0;
    chart.draw(
      { name: column?.name ?? key, unit: column?.unit ?? '', t: rows.map((r) => r.t), values },
      shown,
    );
    showStats(statsOf(values), column?.unit ?? '');
  }

  async function load(next: { from: number; to: number }): Promise<void> {
    shown = next;
    if (!key) return;
    if (range === 'live') {
      drawLive();
      return;
    }
    const mine = ++request;
    note.textContent = 'Loading…';
    try {
      const data = await api.queryChart({ from: next.from, to: next.to, keys: [key] });
      if (mine !== request) return;
      if (!firstDrawn) {
        root.dataset.firstDataMs = performance
          .measure('gpuz:charts:first-data', 'gpuz:charts:open')
          .duration.toFixed(1);
      }
      const series = toSeries(data);
      if (!series) return;
      pendingDraw = series.draw.t.length > 0;
      chart.draw(series.draw, next);
      showStats(series.stats, series.draw.unit);
      note.dataset.pending = String(data.pending?.rows ?? 0);
      note.textContent = [
        data.resolution === 'rollups'
          ? 'Stored 1-minute rollups: band = min to max, line = average. Zoom in below 6 h for every row.'
          : 'Stored rows (the cloud copy).',
        pendingText(data.pending),
      ]
        .filter(Boolean)
        .join(' ');
    } catch (error) {
      const { message, advice } = describeError(error);
      note.textContent = `${message} ${advice}`;
    }
  }

  function selectRange(next: RangeId): void {
    range = next;
    syncButtons();
    if (next === 'custom') {
      fromInput.value = toLocalInput(shown.from || Date.now() - 3_600_000);
      toInput.value = toLocalInput(shown.to || Date.now());
      return;
    }
    void load(rangeWindow(next, Date.now(), live.rows.at(-1)?.t));
  }

  for (const button of rangeButtons) {
    button.addEventListener('click', () => selectRange(button.dataset.range as RangeId));
  }
  customBox.querySelector('[data-testid="chart-apply"]')!.addEventListener('click', () => {
    void load({ from: fromLocalInput(fromInput.value), to: fromLocalInput(toInput.value) });
  });
  customBox.querySelector('[data-testid="chart-fit"]')!.addEventListener('click', async () => {
    const extent = await api.getDataExtent();
    if (extent.first === null || extent.last === null) {
      note.textContent = 'Nothing stored yet: upload a batch first.';
      return;
    }
    fromInput.value = toLocalInput(extent.first);
    toInput.value = toLocalInput(extent.last + 60_000);
    void load({ from: extent.first, to: extent.last + 1000 });
  });
  picker.addEventListener('change', () => {
    key = picker.value;
    void load(shown.to ? shown : rangeWindow('1h', Date.now()));
  });

  function fillPicker(sensors: SensorInfo[]): void {
    const units = [...new Set(sensors.map((s) => s.unit))];
    replaceChildren(
      picker,
      ...units.map((unit) =>
        h(
          'optgroup',
          { label: unit || 'no unit' },
          ...sensors
            .filter((s) => s.unit === unit)
            .map((s) => h('option', { value: s.key }, `${s.name} (${s.key})`)),
        ),
      ),
    );
    if (!sensors.some((s) => s.key === key)) {
      key = sensors.find((s) => s.key === 'gpu_temperature_c')?.key ?? sensors[0]?.key ?? '';
    }
    picker.value = key;
  }

  replaceChildren(
    root,
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'charts-title' },
      h('h2', { id: 'charts-title' }, 'Charts'),
      h(
        'div',
        { class: 'actions' },
        field('Sensor', picker),
        h('div', { role: 'group', 'aria-label': 'Range', class: 'actions' }, ...rangeButtons),
      ),
      customBox,
      h('div', { class: 'chart-box' }, canvas),
      stats,
      note,
    ),
  );

  const off = api.on('liveRows', (event) => {
    live = { columns: event.columns, rows: [...live.rows, ...event.rows] };
    const newest = live.rows.at(-1)?.t ?? 0;
    live.rows = live.rows.filter((r) => r.t > newest - LIVE_KEEP_MS);
    if (range === 'live') drawLive();
  });
  void start(api);

  async function start(client: GpuzApi): Promise<void> {
    const sensors = client.listSensors();
    const snapshot = client.getLive();
    // A preselected sensor (from the hash) need not wait for the picker: the chart loads in parallel.
    const early = key !== '' && range !== 'live' && range !== 'custom';
    if (early) void load(rangeWindow(range as Exclude<RangeId, 'live' | 'custom'>, Date.now()));
    live = await snapshot;
    fillPicker(await sensors);
    if (!early) selectRange(range);
  }

  return () => {
    off();
    chart.destroy();
  };
};

type Stats = ReturnType<typeof statsOf>;

function toSeries(data: ChartData): { draw: SeriesToDraw; stats: Stats } | null {
  const s = data.series[0];
  if (!s) return null;
  if ('min' in s) {
    return {
      draw: { name: s.name, unit: s.unit, t: data.t, values: s.avg, min: s.min, max: s.max },
      stats: s.stats,
    };
  }
  return { draw: { name: s.name, unit: s.unit, t: data.t, values: s.values }, stats: s.stats };
}

/** "Includes 1,234 rows read on this PC and not uploaded yet." (nothing when every row is stored) */
function pendingText(pending: PendingRows | undefined): string {
  if (!pending) return '';
  const parts: string[] = [];
  if (pending.rows > 0)
    parts.push(`Includes ${pending.rows.toLocaleString()} rows read on this PC and not uploaded yet.`);
  if (pending.notShown > 0)
    parts.push(`${pending.notShown.toLocaleString()} older rows waiting in the upload spool are not shown.`);
  return parts.join(' ');
}
