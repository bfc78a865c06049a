/**
 * The headless dashboard: the built renderer plus the contract over HTTP, on 127.0.0.1 only.
 *
 *   const server = await startHeadlessServer({ handlers, events, rendererDir: 'out/renderer', port: 0 })
 *   server.url → 'http://127.0.0.1:41234/?token=3f9c…'   (random token per run; print it, open it)
 *   await server.close()
 *
 * Every request passes the guard: Host must be this loopback address (DNS rebinding), Origin — when
 * sent — must be ours, and everything needs the token except one rule: a request whose path resolves to a
 * file inside the built assets folder (<rendererDir>/assets/) is public — those are hashed bundles without
 * secrets, so the page loads them without the token in each URL. The rule looks at the resolved file, so
 * `/index.html/`, `/%69ndex.html` or `/assets/..%2findex.html` are the page and need the token.
 * Contract calls go through checkedHandlers (inputs checked, one error shape, no internals in replies).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ContractHandlers, EventSource } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import {
  HTTP_CALL_PREFIX,
  HTTP_EVENTS_ROUTE,
  methodFromRoute,
  TOKEN_HEADER,
} from '../../shared/transport/channels';
import { checkedHandlers } from '../core/app/checked-handlers';
import { SECURITY_HEADERS } from '../core/dashboard/security-headers';
import {
  contentTypeFor,
  isPublicAsset,
  readStaticFile,
  resolveStaticPath,
} from '../core/dashboard/static-files';
import { checkRequest } from './guard';
import { handleCall, handleEvents } from './http-transport';

export interface HeadlessServerOptions {
  handlers: ContractHandlers;
  events: EventSource;
  rendererDir: string;
  /** 0 = any free port. */
  port: number;
  /** Fixed token for tests; a random 32-byte hex token otherwise. */
  token?: string;
  /** Where internal errors' details go; default stderr. */
  log?: (line: string) => void;
  /**
   * Requests wait for this before they are answered: the port is taken before the app starts (a port in use then
   * refuses the start before anything is written), and nothing is answered until it has.
   */
  ready?: Promise<void>;
}

export interface HeadlessServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export async function startHeadlessServer(options: HeadlessServerOptions): Promise<HeadlessServer> {
  const token = options.token ?? randomBytes(32).toString('hex');
  const log = options.log ?? ((line: string) => console.error(line));
  const handlers = checkedHandlers(options.handlers, { log });
  let port = options.port;
  const ready = options.ready ?? Promise.resolve();
  const server = createServer((request, response) => {
    const answer = () => route(request, response, { ...options, handlers, token, port });
    ready.then(answer, answer).catch((error: unknown) => {
      log(`gpuz-cloud: the dashboard server failed on ${request.method} ${request.url}: ${String(error)}`);
      if (!response.headersSent) response.writeHead(500, SECURITY_HEADERS);
      response.end('The dashboard server failed; the agent log has the details.\n');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(listenError(error, options.port)));
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The port cannot be had → what to do about it (the bare EADDRINUSE named no way out). */
function listenError(error: NodeJS.ErrnoException, port: number): Error {
  if (error.code === 'EADDRINUSE')
    return new AppError(
      'PORT_IN_USE',
      `Port ${port} on 127.0.0.1 is in use by another program (or another dashboard)`,
      'Pass another --port, or --port 0 for any free one.',
      { cause: error },
    );
  if (error.code === 'EACCES')
    return new AppError(
      'PORT_DENIED',
      `Port ${port} on 127.0.0.1 needs administrator rights`,
      'Pass a --port from 1024 to 65535, or --port 0 for any free one.',
      { cause: error },
    );
  return error;
}

async function route(
  request: IncomingMessage,
  response: ServerResponse,
  options: HeadlessServerOptions & { token: string; port: number },
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const isApi = url.pathname.startsWith('/api/');
  const file = isApi
    ? null
    : resolveStaticPath(options.rendererDir, url.pathname === '/' ? '/index.html' : url.pathname);
  const isPublic = file !== null && isPublicAsset(options.rendererDir, file);
  const headerToken = request.headers[TOKEN_HEADER];
  const refusal = checkRequest(
    {
      host: request.headers.host,
      origin: request.headers.origin,
      token: isApi
        ? typeof headerToken === 'string'
          ? headerToken
          : undefined
        : (url.searchParams.get('token') ?? undefined),
    },
    { port: options.port, token: options.token, needsToken: !isPublic },
  );
  if (refusal) {
    response.writeHead(refusal.status, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' });
    response.end(`Refused: ${refusal.reason}. Open the URL that \`gpuz-cloud agent\` printed.\n`);
    return;
  }
  if (url.pathname === HTTP_EVENTS_ROUTE && request.method === 'GET') {
    handleEvents(response, options.events, SECURITY_HEADERS);
    return;
  }
  if (url.pathname.startsWith(HTTP_CALL_PREFIX)) {
    const name = methodFromRoute(url.pathname);
    if (name) {
      await handleCall(name, request, response, options.handlers, SECURITY_HEADERS);
      return;
    }
  }
  if (file && (request.method === 'GET' || request.method === 'HEAD')) {
    const body = await readStaticFile(file);
    if (body) {
      response.writeHead(200, {
        ...SECURITY_HEADERS,
        'content-type': contentTypeFor(file),
        'cache-control': isPublic ? 'public, max-age=3600' : 'no-store',
      });
      response.end(request.method === 'HEAD' ? undefined : body);
      return;
    }
  }
  response.writeHead(404, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' });
  response.end('Not found.\n');
}
