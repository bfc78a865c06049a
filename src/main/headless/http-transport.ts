/**
 * The contract over HTTP, server side (derived from the contract's keys, like the IPC transport):
 *   POST /api/call/<method>  JSON body = input → 200 { ok: true, value } | 200 { ok: false, error }
 *   GET  /api/events         text/event-stream; one `event: <name>` per contract event
 * Requests reach this only after the guard (server.ts) accepted Host, Origin and token.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type ContractHandlers,
  type EventSource,
  eventNames,
  type MethodInput,
  type MethodName,
} from '../../shared/contract';
import { callHandler } from '../../shared/transport/reply';
import { formatSseEvent } from '../../shared/transport/sse';

const MAX_BODY_BYTES = 1024 * 1024;
const KEEP_ALIVE_MS = 15_000;

export async function handleCall(
  name: MethodName,
  request: IncomingMessage,
  response: ServerResponse,
  handlers: ContractHandlers,
  headers: Record<string, string>,
): Promise<void> {
  if (request.method !== 'POST') {
    sendJson(response, 405, { ok: false, error: { code: 'METHOD', message: 'Use POST.' } }, headers);
    return;
  }
  const type = request.headers['content-type'] ?? '';
  // Only JSON: a cross-site <form> can post text/plain without a preflight, never application/json.
  if (!type.startsWith('application/json')) {
    sendJson(
      response,
      415,
      { ok: false, error: { code: 'CONTENT_TYPE', message: 'Send application/json.' } },
      headers,
    );
    return;
  }
  let input: unknown;
  try {
    const text = await readBody(request);
    input = text.length === 0 ? undefined : JSON.parse(text);
  } catch (error) {
    // Never JSON.parse's message: V8 quotes the body in it, and the body may hold a typed-in secret.
    const message =
      error instanceof SyntaxError
        ? 'The request body is not valid JSON.'
        : error instanceof Error
          ? error.message
          : String(error);
    sendJson(response, 400, { ok: false, error: { code: 'BAD_REQUEST', message } }, headers);
    return;
  }
  const reply = await callHandler(handlers, name, (input ?? undefined) as MethodInput<typeof name>);
  sendJson(response, 200, reply, headers);
}

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
  const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
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

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('Request body too large.'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
