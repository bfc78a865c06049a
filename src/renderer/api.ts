/**
 * The one place that knows which transport the UI has:
 *   inside Electron → window.gpuz (the preload exposes the contract through contextBridge)
 *   in a browser    → HTTP + server-sent events, with the token from this page's URL (?token=…)
 */
import type { GpuzApi } from '../shared/contract';
import { createHttpClient } from '../shared/transport/http-client';

declare global {
  interface Window {
    gpuz?: GpuzApi;
  }
}

export function pickApi(win: Window): GpuzApi {
  if (win.gpuz) return win.gpuz;
  const token = new URLSearchParams(win.location.search).get('token') ?? '';
  return createHttpClient({ baseUrl: win.location.origin, token, fetch: win.fetch.bind(win) });
}
