/**
 * The HTTP transport's client side, derived from the contract:
 *   const api = createHttpClient({ baseUrl: 'http://127.0.0.1:8123', token, fetch })
 *   await api.getStatus()   → POST /api/call/getStatus  (JSON body = input, reply envelope back)
 *   api.on('status', fn)    → one shared GET /api/events stream (SSE), reconnecting after a drop
 *   api.onConnection(fn)    → { state: 'open' } | { state: 'lost', since } | { state: 'refused', since }
 * The stream is the page's link to the agent: it is 'lost' when the agent stops (or hangs: nothing heard for
 * three keep-alives) and 'open' again when it answers; 'refused' when an agent answers but not to this page's
 * token — a new run, with a new token — and then the client stops trying.
 */
import {
  type EventName,
  type EventPayload,
  type GpuzApi,
  isEventName,
  methodNames,
  type Unsubscribe,
} from '../contract';
import { AppError } from '../errors';
import { HTTP_EVENTS_KEEP_ALIVE_MS, HTTP_EVENTS_ROUTE, httpCallRoute, TOKEN_HEADER } from './channels';
import { isReply, unwrapReply } from './reply';
import { createSseParser } from './sse';

export interface HttpClientOptions {
  baseUrl: string;
  token: string;
  fetch: typeof fetch;
  /** Wait before reconnecting the event stream after it dropped. */
  reconnectMs?: number;
  /** A stream that sends nothing (not even a keep-alive) this long is dead: default 3 keep-alives. */
  silenceMs?: number;
}

/** The page's link to the agent (the event stream); `since` is when it was first lost (ms since epoch). */
export type Connection =
  | { state: 'open' }
  | { state: 'lost'; since: number }
  | { state: 'refused'; since: number };

export type HttpClient = GpuzApi & {
  /** Called at every change of the link, once the event stream was first tried. */
  onConnection(listener: (connection: Connection) => void): Unsubscribe;
  close(): void;
};

type Listener = (payload: unknown) => void;

/** The agent answered, but not to this token: it is another run (each run makes a new token). */
class TokenRefused extends Error {}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const headers = { [TOKEN_HEADER]: options.token };
  const listeners = new Map<EventName, Set<Listener>>();
  const connectionListeners = new Set<(connection: Connection) => void>();
  let connection: Connection | null = null;
  let stream: AbortController | null = null;

  function setConnection(next: Connection): void {
    if (connection?.state === next.state) return;
    connection = next;
    for (const listener of connectionListeners) listener(next);
  }

  function lostSince(): number {
    return connection && connection.state !== 'open' ? connection.since : Date.now();
  }

  async function call(name: string, route: string, input: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await options.fetch(new URL(route, options.baseUrl), {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(input ?? null),
      });
    } catch (error) {
      throw new AppError(
        'APP_UNREACHABLE',
        `The GPU-Z Cloud agent did not answer (${name}).`,
        'Check that `gpuz-cloud agent` is still running, then reload this page.',
        { cause: error },
      );
    }
    const body: unknown = await response.json().catch(() => null);
    if (!isReply(body)) {
      throw new AppError(
        'BAD_REPLY',
        `The agent answered ${name} with HTTP ${response.status}.`,
        'Reload the page with the URL the agent printed (it carries the token).',
      );
    }
    return unwrapReply(body);
  }

  /** Reads one connection of the event stream to its end; a silent one is cut. */
  async function readStream(stop: AbortSignal): Promise<void> {
    const attempt = new AbortController();
    const abort = () => attempt.abort();
    stop.addEventListener('abort', abort);
    let silence: ReturnType<typeof setTimeout> | undefined;
    const heard = () => {
      clearTimeout(silence);
      silence = setTimeout(abort, options.silenceMs ?? 3 * HTTP_EVENTS_KEEP_ALIVE_MS);
    };
    try {
      heard();
      const response = await options.fetch(new URL(HTTP_EVENTS_ROUTE, options.baseUrl), {
        headers: { ...headers, accept: 'text/event-stream' },
        signal: attempt.signal,
      });
      if (response.status === 401) throw new TokenRefused();
      if (!response.ok || !response.body) throw new Error(`event stream: HTTP ${response.status}`);
      setConnection({ state: 'open' });
      const parser = createSseParser();
      const decoder = new TextDecoder();
      const reader = response.body.getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        heard();
        for (const message of parser.push(decoder.decode(value, { stream: true }))) {
          if (!isEventName(message.event)) continue;
          const payload: unknown = JSON.parse(message.data);
          for (const listener of listeners.get(message.event) ?? []) listener(payload);
        }
      }
    } finally {
      clearTimeout(silence);
      stop.removeEventListener('abort', abort);
    }
  }

  function ensureStream(): void {
    if (stream) return;
    const controller = new AbortController();
    stream = controller;
    const loop = async () => {
      while (!controller.signal.aborted) {
        const refused = await readStream(controller.signal).then(
          () => false,
          (error: unknown) => error instanceof TokenRefused,
        );
        if (controller.signal.aborted) return;
        if (refused) {
          setConnection({ state: 'refused', since: lostSince() });
          return;
        }
        setConnection({ state: 'lost', since: lostSince() });
        await new Promise((resolve) => setTimeout(resolve, options.reconnectMs ?? 1000));
      }
    };
    void loop();
  }

  const api: Record<string, unknown> = {};
  for (const name of methodNames) {
    api[name] = (input?: unknown) => call(name, httpCallRoute(name), input);
  }
  api.on = <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): Unsubscribe => {
    const set = listeners.get(event) ?? new Set<Listener>();
    listeners.set(event, set);
    const wrapped: Listener = (payload) => listener(payload as EventPayload<E>);
    set.add(wrapped);
    ensureStream();
    return () => {
      set.delete(wrapped);
    };
  };
  api.onConnection = (listener: (connection: Connection) => void): Unsubscribe => {
    connectionListeners.add(listener);
    if (connection) listener(connection);
    return () => {
      connectionListeners.delete(listener);
    };
  };
  api.close = () => {
    stream?.abort();
    stream = null;
  };
  return api as unknown as HttpClient;
}
