/**
 * The one place that knows which transport the UI has:
 *   inside Electron → window.gpuz (the preload exposes the contract through contextBridge); no link to lose
 *   in a browser    → HTTP + server-sent events, with the token from this page's URL (?token=…), and the
 *                     link's state (connection-notice.ts shows it when the agent stops or restarts)
 */
import type { GpuzApi, Unsubscribe } from '../shared/contract';
import { type Connection, createHttpClient } from '../shared/transport/http-client';

declare global {
  interface Window {
    gpuz?: GpuzApi;
  }
}

export interface PickedApi {
  api: GpuzApi;
  /** The browser's link to the headless agent; null inside the app, whose main process cannot go away alone. */
  onConnection: ((listener: (connection: Connection) => void) => Unsubscribe) | null;
}

export function pickApi(win: Window): PickedApi {
  if (win.gpuz) return { api: win.gpuz, onConnection: null };
  const token = new URLSearchParams(win.location.search).get('token') ?? '';
  const client = createHttpClient({ baseUrl: win.location.origin, token, fetch: win.fetch.bind(win) });
  return { api: client, onConnection: client.onConnection };
}
