/**
 * The dashboard shell: a tab per view, the hash names the view (#charts), one view mounted at a time.
 * Views get the API and return a cleanup function that drops their subscriptions and timers.
 */
import { type StateView, stateView, unreachableView } from '../shared/agent-state-view';
import { mountAlertBanner } from './alert-banner';
import { pickApi } from './api';
import { mountConnectionNotice } from './connection-notice';
import { h, replaceChildren } from './dom';
import './charts/charts.css';
import { mountAlerts } from './views/alerts';
import { mountCharts } from './views/charts';
import { mountCloud } from './views/cloud';
import { mountCosts } from './views/costs';
import { mountOverview } from './views/overview';
import { mountSessions } from './views/sessions';
import { mountSettings } from './views/settings';
import { mountUploads } from './views/uploads';
import { describeError, type MountView } from './views/view';

const VIEWS: { id: string; title: string; mount: MountView }[] = [
  { id: 'overview', title: 'Overview', mount: mountOverview },
  { id: 'charts', title: 'Charts', mount: mountCharts },
  { id: 'sessions', title: 'Sessions', mount: mountSessions },
  { id: 'alerts', title: 'Alerts', mount: mountAlerts },
  { id: 'uploads', title: 'Uploads', mount: mountUploads },
  { id: 'costs', title: 'Costs', mount: mountCosts },
  { id: 'cloud', title: 'Cloud', mount: mountCloud },
  { id: 'settings', title: 'Settings', mount: mountSettings },
];

function start(): void {
  const { api, onConnection } = pickApi(window);
  const nav = document.getElementById('nav')!;
  mountAlertBanner(nav, api);
  const main = document.getElementById('view')!;
  const badge = document.getElementById('global-state')!;
  let cleanup: (() => void) | null = null;

  const buttons = VIEWS.map((view) =>
    h('a', { href: `#${view.id}`, id: `tab-${view.id}`, 'data-view': view.id }, view.title),
  );
  replaceChildren(nav, ...buttons);

  const show = () => {
    const id = location.hash.slice(1).split('/')[0] || 'overview';
    const view = VIEWS.find((v) => v.id === id) ?? VIEWS[0]!;
    for (const button of buttons) {
      if (button.dataset.view === view.id) button.setAttribute('aria-current', 'page');
      else button.removeAttribute('aria-current');
    }
    cleanup?.();
    main.replaceChildren();
    main.setAttribute('aria-labelledby', `tab-${view.id}`);
    document.title = `${view.title} — GPU-Z Cloud`;
    cleanup = view.mount(main, api);
  };
  window.addEventListener('hashchange', show);
  show();

  // The badge shows the one state view the Overview and the tray show (src/shared/agent-state-view.ts).
  const showState = (view: StateView) => {
    badge.textContent = view.label;
    badge.dataset.state = view.state;
    badge.dataset.tone = view.tone;
    badge.title = view.problem ? `${view.problem.message} ${view.problem.advice}` : view.sentence;
  };
  api.on('status', (status) => showState(stateView(status)));
  const readState = () =>
    api.getStatus().then(
      (status) => showState(stateView(status)),
      (error: unknown) => {
        const { code, message, advice } = describeError(error);
        showState(unreachableView({ code, message, ...(advice ? { advice } : {}) }));
      },
    );
  readState();

  // In a browser the agent can stop or restart under the page: say so, and read everything again when it is back.
  if (onConnection)
    mountConnectionNotice(nav, main, onConnection, {
      lost: showState,
      back: () => {
        show();
        readState();
      },
    });
}

start();
