/**
 * The HTTP transport's client side, derived from the contract:
 *   const api = createHttpClient({ baseUrl: 'http://127.0.0.1:8123', token, fetch })
 *   await api.getStatus()   → POST /api/call/getStatus  (JSON body = input, reply envelope back)
 *   api.on('status', fn)    → one shared GET /api/events stream (SSE), reconnecting after a drop
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
import { HTTP_EVENTS_ROUTE, httpCallRoute, TOKEN_HEADER } from './channels';
import { isReply, unwrapReply } from './reply';
import { createSseParser } from './sse';

export interface HttpClientOptions {
  baseUrl: string;
  token: string;
  fetch: typeof fetch;
  /** Wait before reconnecting the event stream after it dropped. */
  reconnectMs?: number;
}

type Listener = (payload: unknown) => void;

export function createHttpClient(options: HttpClientOptions): GpuzApi & { close(): void } {
  const headers = { [TOKEN_HEADER]: options.token };
  const listeners = new Map<EventName, Set<Listener>>();
  let stream: AbortController | null = null;

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

  async function readStream(controller: AbortController): Promise<void> {
    const response = await options.fetch(new URL(HTTP_EVENTS_ROUTE, options.baseUrl), {
      headers: { ...headers, accept: 'text/event-stream' },
      signal: controller.signal,
    });
    if (!response.ok || !response.body) throw new Error(`event stream: HTTP ${response.status}`);
    const parser = createSseParser();
    const decoder = new TextDecoder();
    const reader = response.body.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      for (const message of parser.push(decoder.decode(value, { stream: true }))) {
        if (!isEventName(message.event)) continue;
        const payload: unknown = JSON.parse(message.data);
        for (const listener of listeners.get(message.event) ?? []) listener(payload);
      }
    }
  }

  function ensureStream(): void {
    if (stream) return;
    const controller = new AbortController();
    stream = controller;
    const loop = async () => {
      while (!controller.signal.aborted) {
        await readStream(controller).catch(() => undefined);
        if (controller.signal.aborted) return;
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
  api.close = () => {
    stream?.abort();
    stream = null;
  };
  return api as unknown as GpuzApi & { close(): void };
}
