/**
 * Overview (DOM binder; what it shows is overview-model.ts): the agent's state with its error and what to do,
 * its facts and counters, live readings (the log's newest row, with min/max/avg since the session and since the start), pause/resume and "upload now"; and, when
 * uploading to a deployed stack, what AWS says about processing with a Reprocess button. A problem that
 * `gpuz-cloud repair` mends (a damaged checkpoint) gets "Check and repair": the same check listed here, applied only
 * when the person presses Repair.
 */
import { type StateProblem, unreachableView } from '../../shared/agent-state-view';
import type { AgentStatus, CloudHealth, LiveSnapshot, StateCheckView } from '../../shared/contract';
import { h, replaceChildren } from '../dom';
import { formatTime } from '../format';
import {
  type AgentPanel,
  actionDone,
  agentPanel,
  answerShown,
  type ButtonAnswer,
  cloudPanel,
  type Fact,
  type LiveArrivals,
  nextArrivals,
  noHeadlineNote,
  readingsCaption,
  readingTiles,
  repairDone,
  repairPanel,
  type TileSpan,
} from './overview-model';
import { describeError, type MountView } from './view';

export const mountOverview: MountView = (root, api) => {
  const state = h('span', { class: 'badge', 'data-testid': 'state' }, '…');
  const facts = h('dl', { class: 'facts' });
  const readings = h('div', { class: 'readings', 'data-testid': 'readings', 'aria-live': 'off' });
  const readingsTime = h('p', { class: 'muted', 'data-testid': 'readings-time' });
  const readingsHeading = h('h2', { id: 'overview-live' }, 'Current readings');
  const errorBox = h('div', { 'data-testid': 'last-error', role: 'alert' });
  const catchUpBox = h('div', { class: 'catch-up', 'data-testid': 'catch-up' });
  const notesBox = h('ul', { class: 'notes muted', 'data-testid': 'notes' });
  const actionMessage = h('p', { class: 'muted', 'data-testid': 'action-message', 'aria-live': 'polite' });
  const pauseButton = h('button', { type: 'button', 'data-testid': 'pause' }, 'Pause');
  const uploadButton = h(
    'button',
    { type: 'button', class: 'primary', 'data-testid': 'upload-now' },
    'Upload now',
  );
  let status: AgentStatus | null = null;
  let live: LiveSnapshot = { columns: [], rows: [] };
  /** Live rows as they came while this page was open (for readingsCaption's time zone check). */
  let arrivals: LiveArrivals | null = null;
  const cloudBox = h('section', {
    class: 'panel',
    'aria-labelledby': 'overview-cloud',
    'data-testid': 'cloud-health',
    hidden: true,
  });
  const cloudMessage = h('p', { class: 'muted', 'aria-live': 'polite', 'data-testid': 'cloud-message' });
  // Outside the error box, which is drawn again every second: a check on screen stays until it is answered.
  const repairBox = h('div', { class: 'repair', 'data-testid': 'repair', hidden: true });
  let repairable = false;

  async function checkState(): Promise<void> {
    repairBox.hidden = false;
    replaceChildren(
      repairBox,
      h('p', { class: 'muted', 'aria-live': 'polite' }, 'Checking the state folder…'),
    );
    try {
      showCheck(await api.checkState());
    } catch (error) {
      const { message, advice } = describeError(error);
      replaceChildren(
        repairBox,
        h('p', { 'data-testid': 'repair-message' }, `Check failed: ${message} ${advice}`),
      );
    }
  }

  function showCheck(check: StateCheckView): void {
    const panel = repairPanel(check);
    const repair = h('button', { type: 'button', class: 'primary', 'data-testid': 'repair-apply' }, 'Repair');
    const cancel = h('button', { type: 'button', 'data-testid': 'repair-cancel' }, 'Close');
    const message = h(
      'p',
      { class: 'muted', 'aria-live': 'polite', 'data-testid': 'repair-message' },
      panel.summary,
    );
    repair.hidden = !panel.canRepair;
    cancel.addEventListener('click', () => {
      repairBox.hidden = true;
      repairBox.replaceChildren();
    });
    repair.addEventListener('click', async () => {
      repair.disabled = true;
      message.textContent = 'Repairing…';
      try {
        const outcome = await api.repairState({ confirm: true });
        renderStatus(outcome.status);
        replaceChildren(
          repairBox,
          h('ul', { 'data-testid': 'repair-done' }, ...repairDone(outcome).map((line) => h('li', {}, line))),
          h('div', { class: 'actions' }, cancel),
        );
      } catch (error) {
        const { message: text, advice } = describeError(error);
        message.textContent = `Repair failed: ${text} ${advice}`;
        repair.disabled = false;
      }
    });
    replaceChildren(
      repairBox,
      h('h3', {}, 'State folder check'),
      h(
        'table',
        { class: 'repair-items', 'data-testid': 'repair-items' },
        h('thead', {}, h('tr', {}, h('th', {}, 'File'), h('th', {}, 'Found'), h('th', {}, 'Repair does'))),
        h(
          'tbody',
          {},
          ...panel.rows.map((row) =>
            h(
              'tr',
              { 'data-file': row.file },
              h('td', {}, row.file),
              h('td', {}, row.finding),
              h('td', {}, row.action),
            ),
          ),
        ),
      ),
      message,
      h('div', { class: 'actions' }, repair, cancel),
    );
  }

  function renderCloud(health: CloudHealth | null): void {
    cloudBox.hidden = health === null;
    if (!health) return;
    const reprocess = h('button', { type: 'button', 'data-testid': 'reprocess' }, 'Reprocess');
    reprocess.addEventListener('click', async () => {
      cloudMessage.textContent = 'Reprocessing…';
      reprocess.disabled = true;
      try {
        const result = await api.reprocessFailed();
        cloudMessage.textContent =
          `${result.reprocessed} reprocessed, ${result.stillFailing.length} still failing` +
          (result.stillFailing[0] ? ` (${result.stillFailing[0].error})` : '.');
        renderCloud(await api.getCloudHealth());
      } catch (error) {
        const { message, advice } = describeError(error);
        cloudMessage.textContent = `Reprocess failed: ${message} ${advice}`;
        reprocess.disabled = false;
      }
    });
    const panel = cloudPanel(health);
    reprocess.disabled = !panel.canReprocess;
    replaceChildren(
      cloudBox,
      h('h2', { id: 'overview-cloud' }, 'Processing in AWS'),
      h('dl', { class: 'facts' }, ...panel.facts.flatMap(fact)),
      ...panel.notes.map((note) => h('p', { class: 'muted' }, note)),
      h('div', { class: 'actions' }, reprocess, cloudMessage),
    );
  }

  /** The last button's answer, shown while the agent stays in the state it was given in (answerShown). */
  let answer: ButtonAnswer | null = null;
  const run = async (label: string, action: () => Promise<AgentStatus>) => {
    answer = null;
    actionMessage.textContent = `${label}…`;
    try {
      const next = await action();
      answer = actionDone(label, next);
      renderStatus(next);
    } catch (error) {
      const { message, advice } = describeError(error);
      actionMessage.textContent = `${label} failed: ${message} ${advice}`;
    }
  };
  pauseButton.addEventListener('click', () =>
    status?.state === 'paused' ? run('Resume', () => api.resume()) : run('Pause', () => api.pause()),
  );
  uploadButton.addEventListener('click', () => run('Upload now', () => api.uploadNow()));

  function renderStatus(next: AgentStatus): void {
    status = next;
    const panel = agentPanel(next, Date.now());
    state.textContent = panel.view.label;
    state.dataset.state = panel.view.state;
    state.dataset.tone = panel.view.tone;
    pauseButton.textContent = panel.paused ? 'Resume' : 'Pause';
    pauseButton.setAttribute('aria-pressed', String(panel.paused));
    replaceChildren(facts, ...panel.facts.flatMap(fact));
    showCatchUp(panel.catchUp);
    repairable = panel.repairable;
    showProblem(panel.view.problem);
    replaceChildren(notesBox, ...panel.notes.map((n) => h('li', {}, h('span', {}, n.text), ` (${n.at})`)));
    if (answer !== null) {
      actionMessage.textContent = answerShown(answer, next);
      if (actionMessage.textContent === '') answer = null;
    }
  }

  function showCatchUp(bar: AgentPanel['catchUp']): void {
    if (!bar) {
      catchUpBox.replaceChildren();
      return;
    }
    replaceChildren(
      catchUpBox,
      h('progress', { max: bar.max, value: bar.value, 'aria-label': 'Catching up on the log' }),
      h('span', { 'data-testid': 'catch-up-text' }, bar.text),
    );
  }

  function showProblem(problem: StateProblem | null): void {
    if (!problem) {
      errorBox.replaceChildren();
      return;
    }
    replaceChildren(
      errorBox,
      h(
        'div',
        { class: 'error-box' },
        h('strong', {}, 'Last error: '),
        h('span', { 'data-testid': 'error-message' }, problem.message),
        h('p', { 'data-testid': 'error-advice' }, problem.advice),
        h(
          'p',
          { class: 'muted', 'data-testid': 'error-code' },
          problem.at ? `${problem.code} at ${formatTime(problem.at)}` : problem.code,
        ),
        repairable ? checkButton() : null,
      ),
    );
  }

  function checkButton(): HTMLElement {
    const button = h('button', { type: 'button', 'data-testid': 'repair-check' }, 'Check and repair…');
    button.addEventListener('click', () => void checkState());
    return button;
  }

  function renderLive(live: LiveSnapshot): void {
    const { tiles, newestAt } = readingTiles(live);
    if (newestAt === null) {
      replaceChildren(readings, h('p', { class: 'muted' }, 'Waiting for GPU-Z to write a row…'));
      return;
    }
    if (tiles.length === 0) {
      replaceChildren(
        readings,
        h('p', { class: 'muted', 'data-testid': 'no-headline' }, noHeadlineNote(live.columns.length)),
      );
      showReadingsAge();
      return;
    }
    replaceChildren(
      readings,
      ...tiles.map((tile) =>
        h(
          'div',
          {
            class: 'reading',
            'data-testid': `reading-${tile.key}`,
            'data-value': tile.value === null ? '' : tile.value,
          },
          h('div', { class: 'label' }, tile.label),
          h('div', { class: 'value' }, tile.text),
          ...(tile.spans.length > 0 ? [spansTable(tile.spans, tile.unit)] : []),
        ),
      ),
    );
    showReadingsAge();
  }

  /** "Current" or "Last readings" and the newest row's age; on every tick, as GPU-Z may stop writing any time. */
  function showReadingsAge(): void {
    const newestAt = live.rows.at(-1)?.t;
    if (newestAt === undefined) return;
    const lag = status?.state === 'paused' ? 'paused' : status?.catchUp ? 'catching-up' : null;
    const caption = readingsCaption(newestAt, Date.now(), lag, arrivals);
    readingsHeading.textContent = caption.heading;
    readingsTime.textContent = caption.time;
    readings.dataset.quiet = String(caption.quiet);
  }

  replaceChildren(
    root,
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'overview-state' },
      h('h2', { id: 'overview-state' }, 'Agent ', state),
      facts,
      catchUpBox,
      errorBox,
      repairBox,
      notesBox,
      h('div', { class: 'actions' }, pauseButton, uploadButton, actionMessage),
    ),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'overview-live' },
      readingsHeading,
      readings,
      readingsTime,
    ),
    cloudBox,
  );

  const offs = [
    api.on('status', renderStatus),
    api.on('cloudHealth', renderCloud),
    api.on('liveRows', (event) => {
      live = event;
      const rowAt = event.rows.at(-1)?.t;
      if (rowAt !== undefined) arrivals = nextArrivals(arrivals, Date.now(), rowAt);
      renderLive(live);
    }),
  ];
  api.getStatus().then(renderStatus, (error: unknown) => {
    const { code, message, advice } = describeError(error);
    const view = unreachableView({ code, message, ...(advice ? { advice } : {}) });
    state.textContent = view.label;
    state.dataset.state = view.state;
    state.dataset.tone = view.tone;
    showProblem(view.problem);
  });
  api.getLive().then(
    (snapshot) => {
      live = snapshot;
      renderLive(live);
    },
    () => undefined,
  );
  api.getCloudHealth().then(renderCloud, () => undefined);
  // The countdown ticks locally; the agent pushes a new status whenever its plan changes. While the page has lost
  // the agent (connection-notice.ts marks the view stale) the figures stay as of that moment: no countdown, no
  // "nothing was logged since" about a log this page can no longer see.
  const tick = setInterval(() => {
    if (root.closest('[data-stale]')) return;
    if (status) renderStatus(status);
    showReadingsAge();
  }, 1000);
  return () => {
    clearInterval(tick);
    for (const off of offs) off();
  };
};

function fact({ label, value, testId }: Fact): HTMLElement[] {
  return [h('dt', {}, label), h('dd', { 'data-testid': testId }, value)];
}

/** HWiNFO's columns under a tile: one row per span (session, since start). */
function spansTable(spans: TileSpan[], unit: string): HTMLElement {
  return h(
    'table',
    { class: 'reading-spans' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { class: 'muted' }, unit),
        h('th', {}, 'Min'),
        h('th', {}, 'Max'),
        h('th', {}, 'Avg'),
      ),
    ),
    h(
      'tbody',
      {},
      ...spans.map((span) =>
        h(
          'tr',
          {
            'data-testid': `span-${span.scope}`,
            'data-min': String(span.figures.min),
            'data-max': String(span.figures.max),
            'data-avg': String(span.figures.avg),
            'data-max-at': String(span.figures.maxAt),
          },
          h('th', { scope: 'row' }, span.label),
          h('td', { 'data-testid': 'min' }, span.min),
          h('td', { 'data-testid': 'max', title: `Maximum at ${span.maxAt}` }, span.max),
          h('td', { 'data-testid': 'avg' }, span.avg),
        ),
      ),
      ...spans.map((span) =>
        h(
          'tr',
          {},
          h(
            'td',
            { colspan: '4', 'data-testid': `max-at-${span.scope}` },
            `${span.label}: max at ${span.maxAt}`,
          ),
        ),
      ),
    ),
  );
}
