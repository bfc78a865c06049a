/**
 * The browser's link to the headless agent, said where a person looks: a banner above the view, the header's
 * badge, and the view dimmed and out of reach while its figures are frozen. Without it a stopped or restarted
 * agent left the page saying "watching" over readings that no longer changed.
 *
 *   connectionProblem({ state: 'lost', since })    → "Lost the agent at 6:41:05 PM." + what to do
 *   connectionProblem({ state: 'refused', since }) → "The agent was started again: …" + open the new link
 *   connectionProblem({ state: 'open' })           → null
 */
import { type StateView, unreachableView } from '../shared/agent-state-view';
import type { ErrorData } from '../shared/errors';
import type { Connection } from '../shared/transport/http-client';
import { h, replaceChildren } from './dom';
import { formatTime } from './format';

export function connectionProblem(
  connection: Connection,
): Required<Pick<ErrorData, 'code' | 'message' | 'advice'>> | null {
  if (connection.state === 'open') return null;
  const asOf = `The figures below are as of ${formatTime(connection.since)}.`;
  if (connection.state === 'refused')
    return {
      code: 'DASHBOARD_OLD_LINK',
      message:
        'The agent was started again, and this page is the link of its earlier run (each start prints a new link with a new key).',
      advice: `Open the link it printed at this start ("Dashboard: http://127.0.0.1:…/?token=…"). ${asOf}`,
    };
  return {
    code: 'DASHBOARD_LOST',
    message: `Lost the agent at ${formatTime(connection.since)}: it stopped, or stopped answering.`,
    advice: `${asOf} This page reconnects by itself if it comes back on this address; started again, it prints a new link: open that one.`,
  };
}

/** The header badge while the link is down: not the agent's state (unknown now), the page's. */
export function disconnectedView(problem: ErrorData): StateView {
  return { ...unreachableView(problem), label: 'not connected', sentence: 'not connected' };
}

export interface ConnectionNoticeHooks {
  /** The link is down: show `view` in the badge. */
  lost(view: StateView): void;
  /** The link is back after being down: the views should read everything again. */
  back(): void;
}

export function mountConnectionNotice(
  after: HTMLElement,
  content: HTMLElement,
  onConnection: (listener: (connection: Connection) => void) => unknown,
  hooks: ConnectionNoticeHooks,
): void {
  const banner = h('div', {
    class: 'connection-banner',
    role: 'alert',
    'data-testid': 'connection-banner',
    hidden: true,
  });
  after.after(banner);
  let down = false;
  onConnection((connection) => {
    const problem = connectionProblem(connection);
    content.toggleAttribute('inert', problem !== null);
    if (problem) content.dataset.stale = connection.state;
    else delete content.dataset.stale;
    banner.hidden = problem === null;
    if (problem) {
      banner.dataset.state = connection.state;
      replaceChildren(banner, h('strong', {}, problem.message), ' ', problem.advice);
      down = true;
      hooks.lost(disconnectedView(problem));
    } else if (down) {
      down = false;
      hooks.back();
    }
  });
}
