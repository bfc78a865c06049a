/**
 * Sessions (the DOM side of sessions-model.ts): logging sessions (a GPU-Z header or a pause of more than
 * 5 min) with the play sessions inside them (GPU load ≥ 50 % for ≥ 2 min), newest first, over 24 h / 7 d /
 * 30 d / all stored data. "Charts" opens a session's charts; ticking two or more runs shows a table of their
 * figures with the deltas to the first ticked run. With more than one host in the store, a Host picker (the one
 * Charts remembers) lists another PC's sessions; the compare overlay reads the charts of the listed host.
 */
import type { HostList, SessionFigures } from '../../shared/contract';
import { hostPicker, panelsFromChart, readHost, writeHost } from '../charts/charts-model';
import { createCompareChart } from '../charts/compare-chart';
import { createHostSelect, showHostPicker } from '../charts/host-select';
import { h, replaceChildren } from '../dom';
import { formatCount, formatReading, formatSpan, formatTime } from '../format';
import { isOwnProgress } from './read-progress';
import { createReadingBar } from './reading-bar';
import {
  chartsHash,
  compareRows,
  listed,
  listNote,
  overlayKey,
  overlayQuery,
  powerNote,
} from './sessions-model';
import { describeError, type MountView } from './view';

const DAY = 86_400_000;
const RANGES: { id: string; label: string; span: number }[] = [
  { id: '24h', label: '24 h', span: DAY },
  { id: '7d', label: '7 d', span: 7 * DAY },
  { id: '30d', label: '30 d', span: 30 * DAY },
  { id: 'all', label: 'All stored data', span: 0 },
];

/** Rows laid out at a time: a month of hourly logging is ≈ 1,200. */
export const PAGE_ROWS = 2000;

export const mountSessions: MountView = (root, api) => {
  let picked: SessionFigures[] = [];
  let range = 'all';
  // The host to list (this PC until listHosts answers) and the host of the sessions on screen.
  let hosts: HostList = { self: '', hosts: [] };
  let host = '';
  let listedHost = '';
  const { select: hostSelect, box: hostField } = createHostSelect(
    'sessions-host',
    'The PC whose stored sessions are listed.',
  );
  hostSelect.addEventListener('change', () => {
    host = hostSelect.value;
    writeHost(localStorage, host);
    void load(range);
  });
  const status = h('p', { class: 'muted', 'data-testid': 'sessions-note', 'aria-live': 'polite' });
  // A cold "All stored data" over months reads for seconds (one download per stored object): how far it has come.
  const reading = createReadingBar('sessions-progress');
  const body = h('tbody', { 'data-testid': 'sessions-body' });
  // A year of hourly logging lists ≈ 15,000 rows, which took ≈ 3 s to lay out: the newest PAGE_ROWS, then more on ask.
  const more = h('button', { type: 'button', 'data-testid': 'sessions-more', hidden: true });
  let rows: SessionFigures[] = [];
  let shown = 0;
  function showMore(): void {
    const next = rows.slice(shown, shown + PAGE_ROWS);
    body.append(...next.map(row));
    shown += next.length;
    const left = rows.length - shown;
    more.hidden = left === 0;
    more.textContent = `Show ${formatCount(Math.min(left, PAGE_ROWS))} more (${formatCount(left)} older not shown)`;
  }
  more.addEventListener('click', showMore);
  const compare = h('div', { 'data-testid': 'compare' });
  const buttons = RANGES.map((r) => {
    const button = h('button', { type: 'button', 'data-range': r.id, 'aria-pressed': 'false' }, r.label);
    button.addEventListener('click', () => void load(r.id));
    return button;
  });

  /** A range without sessions (the last 24 h after a few days away): when the newest stored reading is. */
  async function emptyNote(span: number, onHost: { host?: string }): Promise<string> {
    if (span === 0) return 'No sessions stored yet.';
    const extent = await api.getDataExtent(onHost).catch(() => null);
    if (extent?.last === null) return 'No sessions in this range: nothing is stored yet.';
    return extent
      ? `No sessions in this range: the newest stored reading is from ${formatTime(extent.last)}. “All stored data” lists every session.`
      : 'No sessions in this range.';
  }

  /** The newest load() call: an older one still reading (a long "All stored data", then a click on 24 h) shows nothing. */
  let loads = 0;

  async function load(id: string): Promise<void> {
    range = id;
    const mine = ++loads;
    const latest = () => mine === loads;
    const which = host;
    const onHost = which && which !== hosts.self ? { host: which } : {};
    for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.range === id));
    status.textContent = 'Loading…';
    reading.element.hidden = true; // an older call's bar, until this one's own progress comes
    try {
      const span = RANGES.find((r) => r.id === id)!.span;
      let from = Date.now() - span;
      let to = Date.now() + 60_000;
      if (span === 0) {
        const extent = await api.getDataExtent(onHost);
        from = extent.first ?? 0;
        to = Math.max(to, (extent.last ?? 0) + 1000);
      }
      const query = { from, to, ...onHost };
      const off = api.on('sessionsProgress', (progress) => {
        if (!latest() || !isOwnProgress(progress, query)) return;
        reading.show(progress, status);
      });
      const list = await api.listSessions(query).finally(() => {
        off();
        if (latest()) reading.element.hidden = true;
      });
      if (!latest() || which !== host) return;
      const { sessions, keptOnly } = list;
      listedHost = which || hosts.self;
      status.dataset.count = String(sessions.length);
      status.dataset.keptOnly = String(keptOnly !== undefined);
      const empty = sessions.length === 0 && !keptOnly ? await emptyNote(span, onHost) : '';
      status.textContent = listNote(list, empty);
      picked = [];
      showCompare();
      replaceChildren(body);
      rows = listed(sessions);
      shown = 0;
      showMore();
    } catch (error) {
      if (!latest()) return;
      const { message, advice } = describeError(error);
      status.textContent = `${message} ${advice}`;
    }
  }

  function row(session: SessionFigures & { kind?: string }): HTMLElement {
    const box = h('input', { type: 'checkbox', 'aria-label': 'Compare' });
    box.addEventListener('change', () => {
      picked = box.checked ? [...picked, session] : picked.filter((s) => s !== session);
      showCompare();
    });
    const kind = (session as { kind: string }).kind;
    const note = powerNote(session);
    const energyNote = session.energyWh === null ? null : note; // a one-row session has power but no energy
    return h(
      'tr',
      { 'data-kind': kind, 'data-start': session.start },
      h('td', {}, box),
      h('td', {}, kind === 'play' ? '↳ play' : 'logging'),
      h('td', {}, formatTime(session.start)),
      h('td', {}, formatSpan(session.durationMs)),
      h('td', {}, formatReading(session.maxGpuTemperatureC, '°C')),
      h('td', {}, formatReading(session.maxHotSpotC, '°C')),
      h('td', {}, formatReading(session.avgGpuClockMhz, 'MHz')),
      h(
        'td',
        { title: note?.title },
        `${formatReading(session.avgPowerW, 'W')} / ${formatReading(session.maxPowerW, 'W')}${note?.suffix ?? ''}`,
      ),
      h(
        'td',
        { title: energyNote?.title },
        `${formatReading(session.energyWh, 'Wh')}${energyNote?.suffix ?? ''}`,
      ),
      h('td', {}, h('a', { href: chartsHash(session) }, 'Charts')),
    );
  }

  let overlay: ReturnType<typeof createCompareChart> | null = null;

  /** The picked runs' GPU temperature (hot spot when there is none) overlaid from each run's start. */
  async function drawOverlay(
    canvas: HTMLCanvasElement,
    runs: SessionFigures[],
    runsHost: string,
  ): Promise<void> {
    const key = overlayKey(runs);
    const panels = await Promise.all(
      runs.map(async (run) => panelsFromChart(await api.queryChart(overlayQuery(run, key, runsHost)))[0]),
    );
    overlay?.destroy();
    overlay = createCompareChart(canvas);
    overlay.draw(
      panels.map((panel, i) => ({
        label: `Run ${i + 1} (${panel?.name ?? key})`,
        minutes: (panel?.t ?? []).map((t) => (t - runs[i]!.start) / 60_000),
        values: panel?.values ?? [],
      })),
      panels[0]?.unit ?? '',
    );
  }

  function showCompare(): void {
    if (picked.length < 2) {
      replaceChildren(compare, h('p', { class: 'muted' }, 'Tick two or more runs to compare them.'));
      return;
    }
    const rows = compareRows(picked);
    const canvas = h('canvas', {
      role: 'img',
      'aria-label': 'Runs overlaid from their start',
      'data-testid': 'compare-overlay',
    });
    void drawOverlay(canvas, [...picked], listedHost);
    replaceChildren(
      compare,
      h('div', { class: 'chart-box' }, canvas),
      h(
        'table',
        { 'data-testid': 'compare-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, 'Figure'),
            ...picked.map((p, i) =>
              h('th', {}, i === 0 ? `Run 1 (${formatTime(p.start)})` : `Run ${i + 1} (Δ to run 1)`),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          ...rows.map((r) =>
            h(
              'tr',
              { 'data-figure': r.label },
              h('th', {}, r.label),
              ...r.values.map((v, i) =>
                h(
                  'td',
                  { 'data-value': v ?? '', 'data-delta': r.deltas[i] ?? '' },
                  i === 0 || r.deltas[i] === null
                    ? formatReading(v, r.unit)
                    : `${formatReading(v, r.unit)} (${r.deltas[i]! >= 0 ? '+' : ''}${r.deltas[i]})`,
                ),
              ),
            ),
          ),
        ),
      ),
    );
  }

  replaceChildren(
    root,
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'sessions-title' },
      h('h2', { id: 'sessions-title' }, 'Sessions'),
      hostField,
      h('div', { role: 'group', 'aria-label': 'Range', class: 'actions' }, ...buttons),
      status,
      reading.element,
      h(
        'table',
        {},
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...[
              '',
              'Kind',
              'Start',
              'Duration',
              'Max GPU temp',
              'Max hot spot',
              'Avg clock',
              'Avg / max power',
              'Energy',
              '',
            ].map((t) => h('th', {}, t)),
          ),
        ),
        body,
      ),
      more,
      h('h3', {}, 'Compare runs'),
      compare,
    ),
  );
  void start();

  /** This PC's sessions first; the Host picker appears once the store lists more than one host. */
  async function start(): Promise<void> {
    const remembered = readHost(localStorage);
    const list = await api.listHosts().catch(() => null);
    if (list) {
      hosts = list;
      const view = hostPicker(list, remembered);
      host = view.selected;
      showHostPicker(hostSelect, hostField, view);
    }
    await load('all');
  }
  return () => overlay?.destroy();
};
