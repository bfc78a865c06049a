/**
 * The contract over HTTP, server side (derived from the contract's keys, like the IPC transport):
 *   POST /api/call/<method>  JSON body = input → 200 { ok: true, value } | 200 { ok: false, error }
 *   GET  /api/events         text/event-stream; one `event: <name>` per contract event
 * Requests reach this only after the guard (server.ts) accepted Host, Origin and token, and with handlers that
 * check their input (checkedHandlers). Every refusal is the contract's error shape `{ code, message, advice }`:
 *   405 METHOD, 415 CONTENT_TYPE, 400 BAD_REQUEST (not JSON), 413 TOO_LARGE (over MAX_INPUT_BYTES)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type ContractHandlers,
  type EventSource,
  eventNames,
  type MethodInput,
  type MethodName,
} from '../../shared/contract';
import type { ErrorData } from '../../shared/errors';
import { HTTP_EVENTS_KEEP_ALIVE_MS } from '../../shared/transport/channels';
import { callHandler } from '../../shared/transport/reply';
import { formatSseEvent } from '../../shared/transport/sse';
import { MAX_INPUT_BYTES } from '../core/app/checked-handlers';

/** After a 413, read and drop at most this much more of the body so the client sees the answer, then cut. */
const MAX_DRAIN_BYTES = 16 * 1024 * 1024;

export async function handleCall(
  name: MethodName,
  request: IncomingMessage,
  response: ServerResponse,
  handlers: ContractHandlers,
  headers: Record<string, string>,
): Promise<void> {
  if (request.method !== 'POST') {
    refuse(response, 405, headers, {
      code: 'METHOD',
      message: 'Use POST.',
      advice: 'Call the API through the dashboard page.',
    });
    return;
  }
  const type = request.headers['content-type'] ?? '';
  // Only JSON: a cross-site <form> can post text/plain without a preflight, never application/json.
  if (!type.startsWith('application/json')) {
    refuse(response, 415, headers, {
      code: 'CONTENT_TYPE',
      message: 'Send application/json.',
      advice: 'Call the API through the dashboard page.',
    });
    return;
  }
  const body = await readBody(request);
  if (body === 'too large') {
    // Answered once the client has sent the rest: answered while it still sent, the closed connection met its
    // writes (EPIPE in the client instead of the 413, seen once in CI).
    drain(request, () => refuse(response, 413, { ...headers, connection: 'close' }, TOO_LARGE));
    return;
  }
  let input: unknown;
  try {
    input = body.length === 0 ? undefined : JSON.parse(body);
  } catch {
    // Never JSON.parse's message: V8 quotes the body in it, and the body may hold a typed-in secret.
    refuse(response, 400, headers, {
      code: 'BAD_REQUEST',
      message: 'The request body is not valid JSON.',
      advice: 'Call the API through the dashboard page.',
    });
    return;
  }
  const reply = await callHandler(handlers, name, (input ?? undefined) as MethodInput<typeof name>);
  sendJson(response, 200, reply, headers);
}

const TOO_LARGE: ErrorData = {
  code: 'TOO_LARGE',
  message: `The request body is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MB.`,
  advice: 'No contract input is that large; call the API through the dashboard page.',
};

export function handleEvents(
  response: ServerResponse,
  source: EventSource,
  headers: Record<string, string>,
): void {
  response.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
  response.write(': connected\n\n');
  const offs = eventNames.map((name) =>
    source.on(name, (payload) => {
      response.write(formatSseEvent(name, payload));
    }),
  );
  const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), HTTP_EVENTS_KEEP_ALIVE_MS);
  response.on('close', () => {
    clearInterval(keepAlive);
    for (const off of offs) off();
  });
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string>,
): void {
  response.writeHead(status, { ...headers, 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}

function refuse(
  response: ServerResponse,
  status: number,
  headers: Record<string, string>,
  error: ErrorData,
): void {
  sendJson(response, status, { ok: false, error }, headers);
}

/** The body as text, or 'too large' as soon as it passes MAX_INPUT_BYTES (declared or counted). */
function readBody(request: IncomingMessage): Promise<string | 'too large'> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > MAX_INPUT_BYTES) return Promise.resolve('too large');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_INPUT_BYTES) {
        request.off('data', onData);
        resolve('too large');
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** Reads and drops the rest of a refused body, then `answer`s (so the client reads the 413); cut past a bound. */
function drain(request: IncomingMessage, answer: () => void): void {
  if (request.readableEnded) {
    answer();
    return;
  }
  let dropped = 0;
  request.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > MAX_DRAIN_BYTES) request.destroy();
  });
  request.once('end', answer);
  request.resume();
}
