/**
 * The page's alert banner (headless mode has no tray): a fired alert shows at the top until dismissed, and as
 * a browser notification too when the user allowed them ("Notify me" asks once).
 */
import type { GpuzApi } from '../shared/contract';
import { h, replaceChildren } from './dom';

export function mountAlertBanner(host: HTMLElement, api: GpuzApi): void {
  const banner = h('div', {
    class: 'alert-banner',
    role: 'alert',
    'data-testid': 'alert-banner',
    hidden: true,
  });
  host.after(banner);
  api.on('alert', (event) => {
    // A late alert is the log's past (a first start on an old log): in the history only.
    if (event.kind !== 'fired' || event.late) return;
    const dismiss = h('button', { type: 'button' }, 'Dismiss');
    dismiss.addEventListener('click', () => {
      banner.hidden = true;
    });
    const notify = h('button', { type: 'button' }, 'Notify me');
    notify.addEventListener('click', () => void Notification.requestPermission());
    const canNotify = typeof Notification !== 'undefined';
    replaceChildren(
      banner,
      h('strong', {}, 'Alert: '),
      event.message,
      ' ',
      h('a', { href: '#alerts' }, 'History'),
      dismiss,
      canNotify && Notification.permission === 'default' ? notify : null,
    );
    banner.dataset.rule = event.ruleId;
    banner.hidden = false;
    if (canNotify && Notification.permission === 'granted')
      new Notification('GPU-Z Cloud alert', { body: event.message });
  });
}
