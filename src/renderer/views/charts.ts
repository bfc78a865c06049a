/**
 * Charts (the DOM side; what to show comes from charts/charts-model.ts): any number of sensors, picked by
 * canonical key or by preset (Thermals, Power, Memory), drawn as stacked charts on one time axis with a
 * shared crosshair and tooltip; wheel/pinch zoom and drag pan move every chart together. Live 10 min, 1 h …
 * 30 d or a custom range; long ranges come back as 1-minute rollups (min–max band + average), short ones as
 * rows. Each chart's stats line shows min / max / avg of the range. Export: the visible charts as one PNG,
 * the visible range as CSV. The choice of sensors and range is remembered (localStorage).
 * When the store holds more than one host, a Host picker reads another PC's stored data (remembered too, shared
 * with Sessions); Live is always this PC's rows, and says so when another host is picked.
 * A range without readings (the last hour after a day away) says when the stored ones are and offers a window of
 * the same length there (emptyRangeHint). A store that cannot be listed (offline) still gives the charts this PC
 * viewed before, with a note that says so (keptOnlyText).
 * Performance marks time "opened → first chart drawn". The hash can preselect:
 *   #charts/30d/gpu_temperature_c,hot_spot_c     #charts/custom/hot_spot_c/1786035293000-1786036476000
 */
import type { DataExtent, GpuzApi, HostList, PendingRows, SensorInfo } from '../../shared/contract';
import { createLiveWindow } from '../../shared/live-window';
import {
  emptyRangeHint,
  exportFileName,
  hostPicker,
  initialKeys,
  keptOnlyText,
  liveNote,
  type Panel,
  PRESETS,
  panelsFromChart,
  panelsFromLive,
  presetKeys,
  readChoice,
  readHost,
  visibleCsv,
  withLiveColumns,
  writeChoice,
  writeHost,
} from '../charts/charts-model';
import { createHostSelect, showHostPicker } from '../charts/host-select';
import { fromLocalInput, isRangeId, RANGES, type RangeId, rangeWindow, toLocalInput } from '../charts/ranges';
import { createSensorChart, type SensorChart } from '../charts/sensor-chart';
import { createSensorFilter } from '../charts/sensor-filter';
import { field, h, replaceChildren } from '../dom';
import { formatCount, formatReading } from '../format';
import { isOwnProgress } from './read-progress';
import { createReadingBar } from './reading-bar';
import { describeError, type MountView } from './view';
import '../charts/charts.css';

const LIVE_KEEP_MS = 10 * 60_000;

export const mountCharts: MountView = (root, api) => {
  performance.clearMarks('gpuz:charts:open');
  performance.clearMarks('gpuz:charts:drawn');
  performance.mark('gpuz:charts:open');
  const [, hashRange, hashKeys, hashWindow] = location.hash.slice(1).split('/');
  const remembered = readChoice(localStorage);
  let range: RangeId = hashRange && isRangeId(hashRange) ? hashRange : (remembered?.range ?? '1h');
  let keys: string[] = hashKeys ? hashKeys.split(',').filter(Boolean) : (remembered?.keys ?? []);
  const [hashFrom, hashTo] = (hashWindow ?? '').split('-').map(Number);
  let shown: { from: number; to: number } =
    range === 'custom' && hashFrom && hashTo ? { from: hashFrom, to: hashTo } : { from: 0, to: 0 };
  const live = createLiveWindow({ windowMs: LIVE_KEEP_MS });
  let sensors: SensorInfo[] = [];
  let panels: Panel[] = [];
  let firstDrawn = false;
  let pendingDraw = false;
  let request = 0;
  // This PC until listHosts answers (its name is then `hosts.self`); another host only once it is listed.
  let hosts: HostList = { self: '', hosts: [] };
  let host = '';
  /** The `host` field of a read: none for this PC (its rows not yet stored are then included). */
  const onHost = (): { host?: string } => (host && host !== hosts.self ? { host } : {});

  const { select: hostSelect, box: hostField } = createHostSelect(
    'chart-host',
    'The PC whose stored data is charted.',
  );

  const picker = h('select', { id: 'chart-sensor', multiple: true, size: 8 });
  const filter = createSensorFilter(picker, () => sensors);
  // Off until the sensor list comes (fillPicker): a click before it found no sensor and did nothing.
  const presetButtons = PRESETS.map((p) => {
    const button = h(
      'button',
      { type: 'button', 'data-preset': p.id, disabled: true, title: 'Reading the sensor list…' },
      p.label,
    );
    button.addEventListener('click', () => {
      // The preset's sensors are picked in the list: a filter that hid them would hide what the charts show.
      filter.clear();
      choose(presetKeys(p.id, sensors));
    });
    return button;
  });
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
  const note = h('p', { class: 'muted', 'data-testid': 'chart-note' });
  // A cold range on S3 over a slow line reads for seconds (a download per stored object): how far it has come.
  const reading = createReadingBar('chart-progress');
  const hintText = h('span', {});
  const hintJump = h('button', { type: 'button', 'data-testid': 'chart-jump' });
  const hint = h('p', { 'data-testid': 'chart-empty', hidden: true }, hintText, ' ', hintJump);
  let jumpTo: { from: number; to: number } | null = null;
  const stack = h('div', { class: 'chart-stack', 'data-testid': 'chart-stack' });
  const exportPng = h('button', { type: 'button', 'data-testid': 'export-png' }, 'Export PNG');
  const exportCsv = h('button', { type: 'button', 'data-testid': 'export-csv' }, 'Export CSV');
  let charts: { key: string; chart: SensorChart; stats: HTMLElement; canvas: HTMLCanvasElement }[] = [];

  function onDrawn(): void {
    if (!pendingDraw || firstDrawn) return;
    firstDrawn = true;
    performance.mark('gpuz:charts:drawn');
    const measure = performance.measure('gpuz:charts:first-draw', 'gpuz:charts:open', 'gpuz:charts:drawn');
    root.dataset.firstDrawMs = measure.duration.toFixed(1);
  }

  /** One chart per key, stacked; rebuilt only when the keys change. */
  function buildStack(): void {
    if (charts.map((c) => c.key).join() === keys.join()) return;
    for (const c of charts) c.chart.destroy();
    charts = keys.map((key) => {
      const canvas = h('canvas', { role: 'img', 'aria-label': `Chart of ${key}`, 'data-key': key });
      const stats = h('p', { 'data-testid': 'chart-stats', 'data-key': key, 'aria-live': 'polite' });
      const chart = createSensorChart(canvas, {
        onZoom: (from, to) => {
          range = 'custom';
          syncButtons();
          void load({ from, to });
        },
        onDrawn,
        onHover: (t) => {
          for (const other of charts) {
            other.chart.crosshair(t);
            other.canvas.dataset.crosshair = t === null ? '' : String(t);
          }
        },
      });
      return { key, chart, stats, canvas };
    });
    replaceChildren(
      stack,
      ...charts.map((c) =>
        h(
          'div',
          { class: 'chart-panel', 'data-key': c.key },
          h('div', { class: 'chart-box' }, c.canvas),
          c.stats,
        ),
      ),
    );
    stack.dataset.count = String(charts.length);
  }

  function drawPanels(next: Panel[], window: { from: number; to: number }): void {
    panels = next;
    buildStack();
    pendingDraw = next.some((p) => p.t.length > 0);
    charts.forEach((c, i) => {
      const panel = next.find((p) => p.key === c.key);
      if (!panel) return;
      c.chart.draw(panel, window, { timeAxis: i === charts.length - 1 });
      c.canvas.dataset.from = String(window.from);
      c.canvas.dataset.to = String(window.to);
      showStats(c.stats, panel);
    });
    stack.dataset.from = String(window.from);
    stack.dataset.to = String(window.to);
  }

  function showStats(target: HTMLElement, panel: Panel): void {
    const { min, max, avg, count } = panel.stats;
    target.dataset.min = min === null ? '' : String(min);
    target.dataset.max = max === null ? '' : String(max);
    target.dataset.count = String(count);
    target.textContent =
      count === 0
        ? `${panel.name}: no readings in this range.`
        : `${panel.name}: min ${formatReading(min, panel.unit)} · max ${formatReading(max, panel.unit)} · avg ${formatReading(avg === null ? null : Math.round(avg * 10) / 10, panel.unit)} · ${formatCount(count)} readings`;
  }

  function syncButtons(): void {
    for (const button of rangeButtons)
      button.setAttribute('aria-pressed', String(button.dataset.range === range));
    customBox.hidden = range !== 'custom';
    writeChoice(localStorage, { keys, range });
  }

  function drawLive(): void {
    const newest = live.snapshot().rows.at(-1)?.t;
    shown = rangeWindow('live', Date.now(), newest);
    note.textContent = liveNote(hosts.self, host || hosts.self);
    drawPanels(panelsFromLive(live.snapshot(), keys, shown, sensors), shown);
  }

  async function load(next: { from: number; to: number }): Promise<void> {
    shown = next;
    if (keys.length === 0) return;
    if (range === 'live') {
      drawLive();
      return;
    }
    const mine = ++request;
    note.textContent = 'Loading…';
    hint.hidden = true;
    const query = { from: next.from, to: next.to, keys, ...onHost() };
    const offProgress = api.on('chartsProgress', (progress) => {
      if (mine !== request || !isOwnProgress(progress, query)) return;
      reading.show(progress, note);
    });
    try {
      const data = await api.queryChart(query).finally(() => {
        offProgress();
        if (mine === request) reading.element.hidden = true;
      });
      if (mine !== request) return;
      if (!firstDrawn) {
        root.dataset.firstDataMs = performance
          .measure('gpuz:charts:first-data', 'gpuz:charts:open')
          .duration.toFixed(1);
      }
      drawPanels(panelsFromChart(data, sensors), next);
      if (panels.every((p) => p.stats.count === 0)) void hintEmpty(next, mine);
      note.dataset.pending = String(data.pending?.rows ?? 0);
      note.dataset.resolution = data.resolution;
      note.dataset.keptOnly = String(data.keptOnly !== undefined);
      note.textContent = [
        data.keptOnly ? keptOnlyText(data.keptOnly) : '',
        // This PC's newest rows are under Live even while the store is out of reach (a start without network
        // reads none of the log into batches until the store answers, so they are not pending either).
        data.keptOnly && onHost().host === undefined ? 'Live 10 min shows the rows this PC reads now.' : '',
        data.resolution === 'rollups'
          ? 'Stored 1-minute rollups: band = min to max, line = average. Zoom in below 6 h for every row.'
          : data.keptOnly
            ? ''
            : 'Stored rows (what the store holds).',
        pendingText(data.pending),
      ]
        .filter(Boolean)
        .join(' ');
    } catch (error) {
      const { message, advice } = describeError(error);
      note.textContent = `${message} ${advice}`;
    }
  }

  /** Where the stored readings are, when the range shown has none (one extent read: cached summaries). */
  async function hintEmpty(window: { from: number; to: number }, mine: number): Promise<void> {
    let extent: DataExtent;
    try {
      extent = await api.getDataExtent(onHost());
    } catch {
      return; // the store's error shows on the next chart read; a hint is only a help
    }
    if (mine !== request) return;
    // This PC's newest row may be tailed and not stored yet (uploads every interval).
    const newestLive = onHost().host === undefined ? live.snapshot().rows.at(-1)?.t : undefined;
    if (newestLive !== undefined && (extent.last === null || newestLive > extent.last))
      extent = { first: extent.first ?? newestLive, last: newestLive };
    const view = emptyRangeHint(window, extent);
    hintText.textContent = view.text;
    jumpTo = view.jump;
    hintJump.hidden = view.jump === null;
    hintJump.textContent = view.jump?.label ?? '';
    hint.hidden = false;
  }

  /** A custom range in the From and To fields (local minutes). */
  function showInFields(span: { from: number; to: number }): void {
    fromInput.value = toLocalInput(span.from);
    toInput.value = toLocalInput(span.to);
  }

  function selectRange(next: RangeId): void {
    range = next;
    syncButtons();
    if (next === 'custom') {
      showInFields({ from: shown.from || Date.now() - 3_600_000, to: shown.to || Date.now() });
      if (shown.to) void load(shown);
      return;
    }
    void load(rangeWindow(next, Date.now(), live.snapshot().rows.at(-1)?.t));
  }

  function choose(next: string[]): void {
    if (next.length === 0) return;
    keys = next;
    for (const option of picker.options) option.selected = keys.includes(option.value);
    syncButtons();
    void load(shown.to ? shown : rangeWindow('1h', Date.now()));
  }

  for (const button of rangeButtons) {
    button.addEventListener('click', () => selectRange(button.dataset.range as RangeId));
  }
  customBox.querySelector('[data-testid="chart-apply"]')!.addEventListener('click', () => {
    void load({ from: fromLocalInput(fromInput.value), to: fromLocalInput(toInput.value) });
  });
  customBox.querySelector('[data-testid="chart-fit"]')!.addEventListener('click', async () => {
    const extent = await api.getDataExtent(onHost());
    if (extent.first === null || extent.last === null) {
      note.textContent = 'Nothing stored yet: upload a batch first.';
      return;
    }
    showInFields({ from: extent.first, to: extent.last + 60_000 });
    void load({ from: extent.first, to: extent.last + 1000 });
  });
  hintJump.addEventListener('click', () => {
    if (!jumpTo) return;
    range = 'custom';
    syncButtons();
    showInFields(jumpTo);
    void load(jumpTo);
  });
  hostSelect.addEventListener('change', () => void switchHost(hostSelect.value));
  picker.addEventListener('change', () => choose([...picker.selectedOptions].map((o) => o.value)));
  exportCsv.addEventListener('click', () => {
    download(
      new Blob([visibleCsv(panels, shown)], { type: 'text/csv' }),
      exportFileName(host || hosts.self, shown.from, 'csv'),
    );
  });
  exportPng.addEventListener('click', () => {
    stackedPng(charts.map((c) => c.canvas)).toBlob((blob) => {
      if (blob) download(blob, exportFileName(host || hosts.self, shown.from, 'png'));
    }, 'image/png');
  });

  function fillPicker(): void {
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
    // No sensor yet (the agent has not read the log): the keys asked for wait for the first live columns.
    if (sensors.length > 0) keys = initialKeys(keys, sensors);
    for (const option of picker.options) option.selected = keys.includes(option.value);
    filter.apply();
    // A preset none of whose sensors the log has (HWiNFO in another language) is off, and says why.
    PRESETS.forEach((preset, i) => {
      const none = presetKeys(preset.id, sensors).length === 0;
      presetButtons[i]!.disabled = none;
      presetButtons[i]!.title = none ? 'None of its sensors is in this log.' : '';
    });
  }

  const sensorField = field('Sensors', picker, 'Ctrl-click to pick several: they stack on one time axis.');
  sensorField.insertBefore(filter.element, picker);

  replaceChildren(
    root,
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'charts-title' },
      h('h2', { id: 'charts-title' }, 'Charts'),
      h(
        'div',
        { class: 'actions chart-controls' },
        hostField,
        sensorField,
        h(
          'div',
          { class: 'chart-choices' },
          h('div', { role: 'group', 'aria-label': 'Presets', class: 'actions' }, ...presetButtons),
          h('div', { role: 'group', 'aria-label': 'Range', class: 'actions' }, ...rangeButtons),
          h('div', { role: 'group', 'aria-label': 'Export', class: 'actions' }, exportPng, exportCsv),
        ),
      ),
      customBox,
      hint,
      reading.element,
      stack,
      note,
    ),
  );

  /** Set once start() has this host's sensors: from then on, live columns the list lacks are added to it. */
  let sensorsListed = false;
  const off = api.on('liveRows', (event) => {
    live.add(event.rows, event.columns);
    if (sensorsListed && !onHost().host) addLiveSensors(event.columns);
    if (range === 'live') drawLive();
  });

  /**
   * Sensors this PC's log has that the list lacks: Charts opened before the agent read the log (the app's first
   * start, GPU-Z started later) listed none and stayed empty until it was opened again.
   */
  function addLiveSensors(columns: readonly SensorInfo[]): void {
    const more = withLiveColumns(sensors, columns);
    if (more === sensors) return;
    const before = keys.join();
    sensors = more;
    fillPicker();
    if (keys.join() !== before && range !== 'live') selectRange(range);
  }
  void start(api);

  async function start(client: GpuzApi): Promise<void> {
    const remembered = readHost(localStorage);
    const listedHosts = client.listHosts().catch(() => null);
    // Another host remembered: which one counts only once the store lists it (else this PC).
    if (remembered !== null) await showHosts(await listedHosts, remembered);
    const listed = client.listSensors(onHost());
    const snapshot = client.getLive();
    // Preselected sensors (from the hash) need not wait for the picker: the charts load in parallel.
    const early = hashKeys !== undefined && range !== 'live' && (range !== 'custom' || shown.to > 0);
    // A session's link: its range in the From and To fields too (they stayed empty beside the charts drawn).
    if (early && range === 'custom') showInFields(shown);
    if (early)
      void load(
        range === 'custom' ? shown : rangeWindow(range as Exclude<RangeId, 'live' | 'custom'>, Date.now()),
      );
    const current = await snapshot;
    live.add(current.rows, current.columns);
    try {
      sensors = await listed;
    } catch (error) {
      // No sensor to pick (the store unread, nothing kept, no live rows): said, instead of an empty view.
      const { message, advice } = describeError(error);
      note.textContent = `${message} ${advice}`;
      return;
    }
    // Live columns that came while the list was asked for (their events passed unheard): the snapshot has them.
    if (!onHost().host) sensors = withLiveColumns(sensors, live.snapshot().columns);
    sensorsListed = true;
    const asked = keys.join();
    fillPicker();
    if (!early) selectRange(range);
    // The hash named a sensor the log lacks: the early charts drew it (empty) if their answer came first; again
    // with the sensors there are (CI once drew the AMD session's 4 keys instead of its 3).
    else if (keys.join() !== asked) void load(shown);
    if (remembered === null) await showHosts(await listedHosts, null);
  }

  /** The Host picker, shown only when the store holds more than one host (an unreachable store: none). */
  async function showHosts(list: HostList | null, remembered: string | null): Promise<void> {
    if (!list) return;
    hosts = list;
    const view = hostPicker(list, remembered);
    host = view.selected;
    showHostPicker(hostSelect, hostField, view);
  }

  async function switchHost(next: string): Promise<void> {
    host = next;
    writeHost(localStorage, next);
    note.textContent = 'Loading…';
    try {
      sensors = await api.listSensors(onHost());
    } catch (error) {
      const { message, advice } = describeError(error);
      note.textContent = `${message} ${advice}`;
      return;
    }
    fillPicker();
    if (range === 'live') drawLive();
    else void load(shown.to ? shown : rangeWindow('1h', Date.now()));
  }

  return () => {
    off();
    for (const c of charts) c.chart.destroy();
  };
};

/** The stacked canvases as one picture (the page background behind them, as on screen). */
function stackedPng(canvases: HTMLCanvasElement[]): HTMLCanvasElement {
  const out = document.createElement('canvas');
  out.width = Math.max(1, ...canvases.map((c) => c.width));
  out.height = Math.max(
    1,
    canvases.reduce((sum, c) => sum + c.height, 0),
  );
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = getComputedStyle(document.body).backgroundColor || '#ffffff';
  ctx.fillRect(0, 0, out.width, out.height);
  let y = 0;
  for (const canvas of canvases) {
    ctx.drawImage(canvas, 0, y);
    y += canvas.height;
  }
  return out;
}

function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
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
