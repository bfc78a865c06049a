/**
 * Settings: log file (with GPU-Z's usual places detected), target (local folder or S3), interval or monthly
 * PUT budget, compression, host, time zone, and optional S3 access keys (access-keys.ts). Saved through the
 * contract; the main process validates and the errors appear next to their fields. Nothing is kept in
 * localStorage. Settings changed elsewhere (`gpuz-cloud deploy`, another window) arrive as the 'settings'
 * event: an untouched form shows them; a form with edits keeps the edits and says so.
 */
import type { FieldError, Settings } from '../../shared/contract';
import { field, h, replaceChildren } from '../dom';
import { createAccessKeysGroup } from './access-keys';
import { describeError, type MountView } from './view';

function input(id: string, fieldPath: string, attrs: Record<string, string> = {}): HTMLInputElement {
  return h('input', { id, name: id, 'data-field': fieldPath, ...attrs });
}

export const mountSettings: MountView = (root, api) => {
  const logPath = input('set-log-path', 'logPath', { list: 'log-candidates', autocomplete: 'off' });
  const candidates = h('datalist', { id: 'log-candidates' });
  const detected = h('ul', { class: 'muted', 'data-testid': 'log-candidates' });
  const targetKind = h(
    'select',
    { id: 'set-target-kind', 'data-field': 'target.kind' },
    h('option', { value: 'local' }, 'Local folder (processed on this PC)'),
    h('option', { value: 's3' }, 'Amazon S3 or S3-compatible'),
  );
  const localDir = input('set-local-dir', 'target.dir');
  const bucket = input('set-bucket', 'target.bucket');
  const region = input('set-region', 'target.region');
  const profile = input('set-profile', 'target.profile');
  const endpoint = input('set-endpoint', 'target.endpoint', { placeholder: 'empty for AWS' });
  const scheduleKind = h(
    'select',
    { id: 'set-schedule-kind', 'data-field': 'schedule.kind' },
    h('option', { value: 'interval' }, 'Fixed interval'),
    h('option', { value: 'budget' }, 'Monthly PUT budget'),
  );
  const minutes = input('set-minutes', 'schedule.minutes', { type: 'number', min: '1', step: '1' });
  const monthlyPuts = input('set-monthly-puts', 'schedule.monthlyPuts', {
    type: 'number',
    min: '2',
    step: '1',
  });
  const compression = h(
    'select',
    { id: 'set-compression', 'data-field': 'compression' },
    h('option', { value: 'gzip' }, 'gzip (about 15× smaller)'),
    h('option', { value: 'none' }, 'none'),
  );
  const host = input('set-host', 'host');
  const timeZone = input('set-time-zone', 'timeZone', { list: 'time-zones', autocomplete: 'off' });
  const zones = h('datalist', { id: 'time-zones' });
  for (const zone of Intl.supportedValuesOf('timeZone')) zones.append(h('option', { value: zone }));
  const summary = h('p', { role: 'status', 'data-testid': 'settings-result' });

  const localBox = h(
    'div',
    {},
    field('Local folder', localDir, 'Batches and processed data are written here.'),
  );
  const accessKeys = createAccessKeysGroup(api);
  const s3Box = h(
    'div',
    {},
    field('Bucket', bucket),
    field('Region', region, 'e.g. eu-central-1'),
    field('Profile', profile, 'From ~/.aws/config; empty for the default credentials.'),
    field('Endpoint', endpoint, 'Only for S3-compatible servers such as MinIO.'),
    accessKeys.group,
  );
  const minutesBox = field(
    'Upload every (minutes)',
    minutes,
    'At least 45 minutes stays inside 2,000 PUTs a month.',
  );
  const budgetBox = field(
    'PUT requests per month',
    monthlyPuts,
    'The interval is computed from this budget.',
  );

  const syncVisibility = () => {
    localBox.hidden = targetKind.value !== 'local';
    s3Box.hidden = targetKind.value !== 's3';
    minutesBox.hidden = scheduleKind.value !== 'interval';
    budgetBox.hidden = scheduleKind.value !== 'budget';
  };
  targetKind.addEventListener('change', syncVisibility);
  scheduleKind.addEventListener('change', syncVisibility);

  let edited = false;
  let saving = false;
  let shown = '';
  function fill(settings: Settings): void {
    edited = false;
    shown = JSON.stringify(settings);
    logPath.value = settings.logPath;
    targetKind.value = settings.target.kind;
    localDir.value = settings.target.kind === 'local' ? settings.target.dir : '';
    bucket.value = settings.target.kind === 's3' ? settings.target.bucket : '';
    region.value = settings.target.kind === 's3' ? settings.target.region : '';
    profile.value = settings.target.kind === 's3' ? (settings.target.profile ?? '') : '';
    endpoint.value = settings.target.kind === 's3' ? (settings.target.endpoint ?? '') : '';
    scheduleKind.value = settings.schedule.kind;
    minutes.value = settings.schedule.kind === 'interval' ? String(settings.schedule.minutes) : '60';
    monthlyPuts.value = settings.schedule.kind === 'budget' ? String(settings.schedule.monthlyPuts) : '2000';
    compression.value = settings.compression;
    host.value = settings.host;
    timeZone.value = settings.timeZone;
    syncVisibility();
  }

  function read(): Settings {
    const target: Settings['target'] =
      targetKind.value === 's3'
        ? {
            kind: 's3',
            bucket: bucket.value,
            region: region.value,
            profile: profile.value,
            endpoint: endpoint.value,
          }
        : { kind: 'local', dir: localDir.value };
    const schedule: Settings['schedule'] =
      scheduleKind.value === 'budget'
        ? { kind: 'budget', monthlyPuts: Number(monthlyPuts.value) }
        : { kind: 'interval', minutes: Number(minutes.value) };
    return {
      logPath: logPath.value,
      target,
      schedule,
      compression: compression.value as Settings['compression'],
      host: host.value,
      timeZone: timeZone.value,
    };
  }

  function showErrors(errors: FieldError[]): void {
    for (const slot of form.querySelectorAll<HTMLElement>('[data-error-for]')) slot.textContent = '';
    for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
    for (const error of errors) {
      const slot = form.querySelector<HTMLElement>(`[data-error-for="${CSS.escape(error.field)}"]`);
      if (slot) slot.textContent = error.message;
      form.querySelector(`[data-field="${CSS.escape(error.field)}"]`)?.setAttribute('aria-invalid', 'true');
    }
    const first = errors[0];
    if (first) form.querySelector<HTMLElement>(`[data-field="${CSS.escape(first.field)}"]`)?.focus();
  }

  const form = h(
    'form',
    { 'aria-labelledby': 'settings-title', novalidate: true },
    h('h2', { id: 'settings-title' }, 'Settings'),
    field('GPU-Z sensor log', logPath, 'GPU-Z → Sensors → "Log to file" writes this file.'),
    candidates,
    detected,
    h('fieldset', {}, h('legend', {}, 'Where to upload'), field('Target', targetKind), localBox, s3Box),
    h(
      'fieldset',
      {},
      h('legend', {}, 'When to upload'),
      field('Schedule', scheduleKind),
      minutesBox,
      budgetBox,
    ),
    field('Compression', compression),
    field('Host name', host, 'Names this PC in the bucket: lower-case letters, digits, dots, dashes.'),
    field('Time zone of the log', timeZone, 'GPU-Z writes local time without a zone.'),
    zones,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Save'), summary),
  );
  form.addEventListener('input', () => {
    edited = true;
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    summary.textContent = 'Saving…';
    saving = true;
    try {
      const result = await api.saveSettings(read());
      if (result.ok) {
        showErrors([]);
        fill(result.settings);
        summary.textContent = 'Saved. The agent restarted with these settings.';
      } else {
        showErrors(result.errors);
        summary.textContent = `Not saved: ${result.errors.length} field${result.errors.length === 1 ? '' : 's'} to fix.`;
      }
    } catch (error) {
      const { message, advice } = describeError(error);
      summary.textContent = `Not saved: ${message} ${advice}`;
    } finally {
      saving = false;
    }
  });

  const off = api.on('settings', (settings) => {
    // This form's own save answers for itself; an echo of what is shown is no news.
    if (saving || JSON.stringify(settings) === shown) return;
    if (edited) {
      summary.textContent =
        'The saved settings changed outside this form (e.g. gpuz-cloud deploy); saving now replaces them with what is shown.';
      return;
    }
    showErrors([]);
    fill(settings);
    summary.textContent =
      'Settings changed outside this form (e.g. gpuz-cloud deploy); the agent restarted with them.';
  });

  replaceChildren(root, h('section', { class: 'panel' }, form, accessKeys.form));
  api.getSettings().then(fill, (error: unknown) => {
    summary.textContent = describeError(error).message;
  });
  api.detectLogFiles().then(
    (found) => {
      replaceChildren(candidates, ...found.map((c) => h('option', { value: c.path }, c.reason)));
      replaceChildren(
        detected,
        ...found.map((c) => {
          const use = h('button', { type: 'button', 'aria-label': `Use ${c.path}` }, 'Use');
          use.addEventListener('click', () => {
            logPath.value = c.path;
            logPath.focus();
          });
          return h(
            'li',
            {},
            `${c.exists ? 'Found' : 'Not found'}: ${c.path} (${c.reason}) `,
            c.exists ? use : null,
          );
        }),
      );
    },
    () => undefined,
  );
  return off;
};
