/**
 * Channel names and routes, derived from the contract's keys (never written by hand elsewhere):
 *   ipcCallChannel('getStatus') → 'gpuz:call:getStatus'     ipcEventChannel('status') → 'gpuz:event:status'
 *   httpCallRoute('getStatus')  → '/api/call/getStatus'     HTTP_EVENTS_ROUTE        → '/api/events'
 */
import { type EventName, isMethodName, type MethodName, methodNames } from '../contract';

export const HTTP_CALL_PREFIX = '/api/call/';
export const HTTP_EVENTS_ROUTE = '/api/events';
/** The header that carries the per-run token on every HTTP request of the headless dashboard. */
export const TOKEN_HEADER = 'x-gpuz-token';
/** The event stream sends a comment this often, so a client that hears nothing for 3 of them knows the link is dead. */
export const HTTP_EVENTS_KEEP_ALIVE_MS = 15_000;

export function ipcCallChannel(name: MethodName): string {
  return `gpuz:call:${name}`;
}

export function ipcEventChannel(name: EventName): string {
  return `gpuz:event:${name}`;
}

export function httpCallRoute(name: MethodName): string {
  return `${HTTP_CALL_PREFIX}${name}`;
}

/** '/api/call/getStatus' → 'getStatus'; anything else (unknown method, other path) → null. */
export function methodFromRoute(pathname: string): MethodName | null {
  if (!pathname.startsWith(HTTP_CALL_PREFIX)) return null;
  const name = pathname.slice(HTTP_CALL_PREFIX.length);
  return isMethodName(name) ? name : null;
}

/** Every IPC call channel, for a main process that wants to remove its handlers on shutdown. */
export function allIpcCallChannels(): string[] {
  return methodNames.map(ipcCallChannel);
}
