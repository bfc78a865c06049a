/**
 * Overview: what the agent is doing now — state, log, live readings (the log's newest row), last and next
 * upload with a countdown, spool backlog, dropped batches, the last error with advice; pause/resume and
 * "upload now"; and, when uploading to a deployed stack, what AWS says about processing (the error alarm,
 * batches that failed every attempt with a Reprocess button, quarantined batches).
 */
import type { AgentStatus, CloudHealth, Column, LiveSnapshot } from '../../shared/contract';
import { HEADLINE_KEYS } from '../../shared/parse/column-keys';
import { h, replaceChildren } from '../dom';
import { formatBytes, formatCountdown, formatReading, formatTime } from '../format';
import { describeError, type MountView } from './view';

/** Readings shown on the Overview, by canonical key, with a label that stays the same across GPU-Z versions. */
const READING_LABELS: Record<string, string> = {
  gpu_temperature_c: 'GPU temperature',
  hot_spot_c: 'Hot spot',
  gpu_clock_mhz: 'GPU clock',
  memory_clock_mhz: 'Memory clock',
  gpu_load_pct: 'GPU load',
  board_power_draw_w: 'Board power',
  fan_speed_pct: 'Fan',
  fan_speed_rpm: 'Fan speed',
  memory_used_mb: 'VRAM used',
};

/** Said when the error itself brought no advice: what the state means and what to do. */
const STATE_ADVICE: Partial<Record<AgentStatus['state'], string>> = {
  waiting:
    'The log file is not there yet. In GPU-Z, Sensors tab, tick "Log to file"; reading starts as soon as the file appears.',
  offline:
    'The storage cannot be reached. Check the network (or that the S3 endpoint in Settings is running); batches wait in the spool and are sent when it is back.',
  error:
    'Uploads stopped on this error. Fix what it names (Settings, credentials or the bucket), then press "Upload now".',
};

export const mountOverview: MountView = (root, api) => {
  const state = h('span', { class: 'badge', 'data-testid': 'state' }, '…');
  const facts = h('dl', { class: 'facts' });
  const readings = h('div', { class: 'readings', 'data-testid': 'readings', 'aria-live': 'off' });
  const readingsTime = h('p', { class: 'muted', 'data-testid': 'readings-time' });
  const errorBox = h('div', { 'data-testid': 'last-error', role: 'alert' });
  const actionMessage = h('p', { class: 'muted', 'data-testid': 'action-message', 'aria-live': 'polite' });
  const pauseButton = h('button', { type: 'button', 'data-testid': 'pause' }, 'Pause');
  const uploadButton = h(
    'button',
    { type: 'button', class: 'primary', 'data-testid': 'upload-now' },
    'Upload now',
  );
  let status: AgentStatus | null = null;
  let columns: Column[] = [];
  const cloudBox = h('section', {
    class: 'panel',
    'aria-labelledby': 'overview-cloud',
    'data-testid': 'cloud-health',
    hidden: true,
  });
  const cloudMessage = h('p', { class: 'muted', 'aria-live': 'polite', 'data-testid': 'cloud-message' });

  function renderCloud(health: CloudHealth | null): void {
    cloudBox.hidden = health === null;
    if (!health) return;
    const reprocess = h(
      'button',
      { type: 'button', 'data-testid': 'reprocess', disabled: health.failed.count === 0 },
      'Reprocess',
    );
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
    const alarm = health.alarm.state === 'ALARM' ? 'errors (alarm)' : health.alarm.state.toLowerCase();
    replaceChildren(
      cloudBox,
      h('h2', { id: 'overview-cloud' }, 'Processing in AWS'),
      h(
        'dl',
        { class: 'facts' },
        ...fact(
          'Error alarm',
          health.alarm.since
            ? `${alarm} since ${formatTime(new Date(health.alarm.since).toISOString())}`
            : alarm,
          'cloud-alarm',
        ),
        ...fact('Failed batches', String(health.failed.count), 'cloud-failed'),
        ...fact('Quarantined batches', String(health.quarantined.count), 'cloud-quarantined'),
      ),
      health.failed.count > 0
        ? h(
            'p',
            {},
            'These batches failed every attempt of the processor. Fix the cause (gpuz-cloud doctor shows the last log lines), then run them again.',
          )
        : null,
      health.quarantined.count > 0
        ? h(
            'p',
            { class: 'muted' },
            'Quarantined batches could not be read; docs/processed-format.md explains the codes.',
          )
        : null,
      ...health.problems.map((p) => h('p', { class: 'muted' }, `Could not read ${p}.`)),
      h('div', { class: 'actions' }, reprocess, cloudMessage),
    );
  }

  const run = async (label: string, action: () => Promise<AgentStatus>) => {
    actionMessage.textContent = `${label}…`;
    try {
      const next = await action();
      renderStatus(next);
      actionMessage.textContent =
        next.state === 'offline'
          ? `${label}: the store cannot be reached; the batches wait in the spool and are sent when it is back.`
          : `${label}: done.`;
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
    state.textContent = next.state;
    state.dataset.state = next.state;
    pauseButton.textContent = next.state === 'paused' ? 'Resume' : 'Pause';
    pauseButton.setAttribute('aria-pressed', String(next.state === 'paused'));
    const countdown = next.nextUploadAt ? Date.parse(next.nextUploadAt) - Date.now() : null;
    replaceChildren(
      facts,
      ...fact('Log file', next.logPath, 'log-path'),
      ...fact('Target', next.target, 'target'),
      ...fact('Host', next.host, 'host'),
      ...fact('Last upload', formatTime(next.lastUploadAt), 'last-upload'),
      ...fact(
        'Next upload',
        next.nextUploadAt && next.state !== 'paused'
          ? `${formatTime(next.nextUploadAt)} (in ${formatCountdown(countdown ?? 0)})`
          : '—',
        'next-upload',
      ),
      ...fact('Spool backlog', `${next.spool.batches} batches, ${formatBytes(next.spool.bytes)}`, 'spool'),
      ...fact('Dropped batches', String(next.counters.batchesDropped), 'dropped'),
      ...fact(
        'Uploaded',
        `${next.counters.batchesUploaded} batches, ${next.counters.rowsRead} rows read`,
        'uploaded',
      ),
    );
    if (next.lastError) {
      replaceChildren(
        errorBox,
        h(
          'div',
          { class: 'error-box' },
          h('strong', {}, 'Last error: '),
          h('span', { 'data-testid': 'error-message' }, next.lastError.message),
          h('p', { 'data-testid': 'error-advice' }, next.lastError.advice ?? STATE_ADVICE[next.state] ?? ''),
          h('p', { class: 'muted' }, `${next.lastError.code} at ${formatTime(next.lastError.at)}`),
        ),
      );
    } else {
      errorBox.replaceChildren();
    }
  }

  function renderLive(rows: LiveSnapshot['rows']): void {
    const last = rows.at(-1);
    if (!last) {
      replaceChildren(readings, h('p', { class: 'muted' }, 'Waiting for GPU-Z to write a row…'));
      return;
    }
    const keys = HEADLINE_KEYS.filter((key) => columns.some((c) => c.key === key));
    replaceChildren(
      readings,
      ...keys.map((key) => {
        const index = columns.findIndex((c) => c.key === key);
        const column = columns[index]!;
        const value = last.values[index] ?? null;
        return h(
          'div',
          { class: 'reading', 'data-testid': `reading-${key}`, 'data-value': value === null ? '' : value },
          h('div', { class: 'label' }, READING_LABELS[key] ?? column.name),
          h('div', { class: 'value' }, formatReading(value, column.unit)),
        );
      }),
    );
    readingsTime.textContent = `Newest row: ${formatTime(last.t)}`;
  }

  replaceChildren(
    root,
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'overview-state' },
      h('h2', { id: 'overview-state' }, 'Agent ', state),
      facts,
      errorBox,
      h('div', { class: 'actions' }, pauseButton, uploadButton, actionMessage),
    ),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'overview-live' },
      h('h2', { id: 'overview-live' }, 'Current readings'),
      readings,
      readingsTime,
    ),
    cloudBox,
  );

  const offs = [
    api.on('status', renderStatus),
    api.on('cloudHealth', renderCloud),
    api.on('liveRows', (event) => {
      columns = event.columns;
      renderLive(event.rows);
    }),
  ];
  api.getStatus().then(renderStatus, (error: unknown) => {
    state.textContent = 'offline';
    state.dataset.state = 'offline';
    errorBox.textContent = describeError(error).message;
  });
  api.getLive().then(
    (live) => {
      columns = live.columns;
      renderLive(live.rows);
    },
    () => undefined,
  );
  api.getCloudHealth().then(renderCloud, () => undefined);
  // The countdown ticks locally; the agent pushes a new status whenever its plan changes.
  const tick = setInterval(() => status && renderStatus(status), 1000);
  return () => {
    clearInterval(tick);
    for (const off of offs) off();
  };
};

function fact(label: string, value: string, testId: string): HTMLElement[] {
  return [h('dt', {}, label), h('dd', { 'data-testid': testId }, value)];
}
