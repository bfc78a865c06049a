/**
 * Alerts: what fired and cleared (newest first; kept across restarts in the state folder's alerts.json), and the
 * rules editor.
 */
import type { AlertEvent } from '../../shared/contract';
import { formatNotice } from '../../shared/errors';
import { h, replaceChildren } from '../dom';
import { formatTime } from '../format';
import { mountAlertRules } from './alert-rules';
import type { MountView } from './view';

export const mountAlerts: MountView = (root, api) => {
  const body = h('tbody', { 'data-testid': 'alert-history' });
  let history: AlertEvent[] = [];
  const show = () =>
    replaceChildren(
      body,
      ...(history.length === 0
        ? [h('tr', {}, h('td', { colspan: 3, class: 'muted' }, 'No alerts yet.'))]
        : [...history]
            .reverse()
            .map((e) =>
              h(
                'tr',
                { 'data-kind': e.kind, 'data-rule': e.ruleId, 'data-late': String(e.late === true) },
                h('td', {}, formatTime(e.at)),
                h('td', {}, e.late ? `${e.kind}, from the log's past` : e.kind),
                h('td', {}, e.message),
              ),
            )),
    );
  const rules = h('div', {});
  const notice = h('p', { class: 'muted', 'data-testid': 'alert-notice', hidden: true });
  replaceChildren(
    root,
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'alerts-title' },
      h('h2', { id: 'alerts-title' }, 'Alerts'),
      notice,
      h(
        'table',
        {},
        h('thead', {}, h('tr', {}, h('th', {}, 'Time'), h('th', {}, 'Kind'), h('th', {}, 'Alert'))),
        body,
      ),
      rules,
    ),
  );
  mountAlertRules(rules, api);
  void api.getAlerts().then((view) => {
    history = view.history;
    notice.textContent = view.notice ? formatNotice(view.notice) : '';
    notice.hidden = !view.notice;
    show();
  });
  const off = api.on('alert', (event) => {
    history = [...history, event];
    show();
  });
  return off;
};
