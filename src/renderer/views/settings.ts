/**
 * Settings: log file (with GPU-Z's usual places detected), target (local folder or S3), interval or monthly
 * PUT budget (with what the interval costs: the one cost answer, as in Costs), compression, host, time zone, and
 * optional S3 access keys (access-keys.ts). The form's data and words live in settings-model.ts. Saved through the
 * contract; the main process validates and the errors appear next to their fields. Nothing is kept in
 * localStorage. Settings changed elsewhere (`gpuz-cloud deploy`, another window) arrive as the 'settings'
 * event: an untouched form shows them; a form with edits keeps the edits and says so.
 */
import type { CostQuery, CostView, FieldError, LogCandidate, Settings } from '../../shared/contract';
import { field, h, replaceChildren } from '../dom';
import { createAccessKeysGroup } from './access-keys';
import { mountAlertRules } from './alert-rules';
import {
  budgetHint,
  formOf,
  intervalHint,
  logSuggestions,
  type SettingsForm,
  saveSummary,
  settingsOf,
  zoneSuggestion,
} from './settings-model';
import { describeError, errorBox, type MountView } from './view';

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
  const pcZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const zoneHint = h('p', { class: 'hint', 'data-testid': 'zone-suggestion' });
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
  /**
   * A hint line under `box` showing text(view) of the cost answer for a query, from the same estimateCost the Costs view
   * asks; of several asks under way, only the newest answer is shown.
   */
  const costHint = (box: HTMLElement, testid: string, text: (view: CostView) => string) => {
    const line = box.querySelector<HTMLElement>('.hint')!;
    line.dataset.testid = testid;
    let asked = 0;
    return (query: CostQuery) => {
      const mine = ++asked;
      api.estimateCost(query).then(
        (view) => {
          if (mine === asked) line.textContent = text(view);
        },
        () => undefined,
      );
    };
  };
  const minutesBox = field('Upload every (minutes)', minutes, ' ');
  const askInterval = costHint(minutesBox, 'interval-hint', intervalHint);
  /** What the typed interval costs. */
  const showIntervalHint = () => {
    const typed = Number(minutes.value);
    if (Number.isFinite(typed) && typed > 0) askInterval({ intervalMinutes: typed });
  };
  minutes.addEventListener('input', showIntervalHint);
  const budgetBox = field(
    'PUT requests per month',
    monthlyPuts,
    'The interval is computed from this budget.',
  );
  const askBudget = costHint(budgetBox, 'budget-hint', budgetHint);
  /** What the typed budget gives now (the interval its agent would use, and the month), as the Costs view says it. */
  const showBudgetHint = () => {
    const typed = Number(monthlyPuts.value);
    if (scheduleKind.value === 'budget' && Number.isInteger(typed) && typed >= 2)
      askBudget({ monthlyPuts: typed });
  };
  monthlyPuts.addEventListener('input', showBudgetHint);
  scheduleKind.addEventListener('change', showBudgetHint);

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
  let deployed: SettingsForm['deployed'] = null;
  function fill(settings: Settings): void {
    edited = false;
    shown = JSON.stringify(settings);
    const form = formOf(settings);
    deployed = form.deployed;
    logPath.value = form.logPath;
    targetKind.value = form.targetKind;
    localDir.value = form.localDir;
    bucket.value = form.bucket;
    region.value = form.region;
    profile.value = form.profile;
    endpoint.value = form.endpoint;
    scheduleKind.value = form.scheduleKind;
    minutes.value = form.minutes;
    monthlyPuts.value = form.monthlyPuts;
    compression.value = form.compression;
    host.value = form.host;
    timeZone.value = form.timeZone;
    showZoneSuggestion();
    syncVisibility();
    showIntervalHint();
    showBudgetHint();
    showSuggestions();
  }

  function read(): Settings {
    return settingsOf({
      logPath: logPath.value,
      targetKind: targetKind.value as SettingsForm['targetKind'],
      localDir: localDir.value,
      bucket: bucket.value,
      region: region.value,
      profile: profile.value,
      endpoint: endpoint.value,
      scheduleKind: scheduleKind.value as SettingsForm['scheduleKind'],
      minutes: minutes.value,
      monthlyPuts: monthlyPuts.value,
      compression: compression.value as Settings['compression'],
      host: host.value,
      timeZone: timeZone.value,
      deployed,
    });
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
    // Two columns on a wide window (what is read and where it goes | when and how), one under the other below ≈ 1100 px.
    h(
      'div',
      { class: 'columns' },
      h(
        'div',
        {},
        field('GPU-Z sensor log', logPath, 'GPU-Z → Sensors → "Log to file" writes this file.'),
        candidates,
        detected,
        h('fieldset', {}, h('legend', {}, 'Where to upload'), field('Target', targetKind), localBox, s3Box),
      ),
      h(
        'div',
        {},
        h(
          'fieldset',
          {},
          h('legend', {}, 'When to upload'),
          field('Schedule', scheduleKind),
          minutesBox,
          budgetBox,
        ),
        h(
          'fieldset',
          {},
          h('legend', {}, 'This PC'),
          field('Compression', compression),
          field(
            'Host name',
            host,
            'Names this PC in the bucket: lower-case letters (of any script), digits, dots, dashes.',
          ),
          field('Time zone of the log', timeZone, 'GPU-Z writes local time without a zone.'),
          zoneHint,
          zones,
        ),
      ),
    ),
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
      } else {
        showErrors(result.errors);
      }
      summary.textContent = saveSummary(result);
    } catch (error) {
      const { message, advice } = describeError(error);
      summary.textContent = '';
      summary.append(errorBox({ message: `Not saved: ${message}`, advice }));
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

  // Alert rules: their own module (views/alert-rules.ts), a panel of its own under the settings.
  const alertRules = h('section', { class: 'panel', 'data-testid': 'settings-alerts' });
  replaceChildren(root, h('section', { class: 'panel' }, form, accessKeys.form), alertRules);
  mountAlertRules(alertRules, api);
  let found: LogCandidate[] = [];
  /** The log the agent reads (not waiting for it): when it is the one in the field, no need to list empty places. */
  let readingLog: string | null = null;
  api.getStatus().then(
    (status) => {
      readingLog = status.state === 'waiting' ? null : status.logPath;
      showSuggestions();
    },
    () => undefined,
  );
  /** Other logs worth a click, under the log field (see logSuggestions). */
  function showSuggestions(): void {
    replaceChildren(
      detected,
      ...logSuggestions(found, logPath.value, readingLog === logPath.value).map((s) => {
        const use = h('button', { type: 'button', 'aria-label': `Use ${s.path}` }, 'Use');
        use.addEventListener('click', () => {
          logPath.value = s.path;
          edited = true;
          logPath.focus();
          showSuggestions();
        });
        return h('li', {}, `${s.text} `, s.usable ? use : null);
      }),
    );
  }
  logPath.addEventListener('change', showSuggestions);
  /** This PC's zone and a button to take it, while the log is read in another (zoneSuggestion). */
  function showZoneSuggestion(): void {
    const text = zoneSuggestion(timeZone.value, pcZone);
    if (text === null) {
      zoneHint.replaceChildren();
      return;
    }
    const use = h('button', { type: 'button', 'aria-label': `Use ${pcZone}` }, 'Use');
    use.addEventListener('click', () => {
      timeZone.value = pcZone;
      edited = true;
      timeZone.focus();
      showZoneSuggestion();
    });
    replaceChildren(zoneHint, `${text} `, use);
  }
  timeZone.addEventListener('input', showZoneSuggestion);
  api.getSettings().then(fill, (error: unknown) => {
    summary.textContent = '';
    summary.append(errorBox(describeError(error)));
  });
  api.detectLogFiles().then(
    (candidatesFound) => {
      found = candidatesFound;
      replaceChildren(candidates, ...found.map((c) => h('option', { value: c.path }, c.reason)));
      showSuggestions();
    },
    () => undefined,
  );
  return off;
};
