/**
 * The headless dashboard: the built renderer plus the contract over HTTP, on 127.0.0.1 only.
 *
 *   const server = await startHeadlessServer({ handlers, events, rendererDir: 'out/renderer', port: 0 })
 *   server.url → 'http://127.0.0.1:41234/?token=3f9c…'   (random token per run; print it, open it)
 *   await server.close()
 *
 * Every request passes the guard: Host must be this loopback address (DNS rebinding), Origin — when
 * sent — must be ours, and the page and the API need the token. Built assets (/assets/…) are public
 * files without secrets, so the page can load them without the token in each URL.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ContractHandlers, EventSource } from '../../shared/contract';
import {
  HTTP_CALL_PREFIX,
  HTTP_EVENTS_ROUTE,
  methodFromRoute,
  TOKEN_HEADER,
} from '../../shared/transport/channels';
import { checkRequest } from './guard';
import { handleCall, handleEvents } from './http-transport';
import { SECURITY_HEADERS } from './security-headers';
import { contentTypeFor, readStaticFile, resolveStaticPath } from './static-files';

export interface HeadlessServerOptions {
  handlers: ContractHandlers;
  events: EventSource;
  rendererDir: string;
  /** 0 = any free port. */
  port: number;
  /** Fixed token for tests; a random 32-byte hex token otherwise. */
  token?: string;
}

export interface HeadlessServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export async function startHeadlessServer(options: HeadlessServerOptions): Promise<HeadlessServer> {
  const token = options.token ?? randomBytes(32).toString('hex');
  let port = options.port;
  const server = createServer((request, response) => {
    route(request, response, { ...options, token, port }).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, SECURITY_HEADERS);
      response.end(error instanceof Error ? error.message : 'internal error');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
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

async function route(
  request: IncomingMessage,
  response: ServerResponse,
  options: HeadlessServerOptions & { token: string; port: number },
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const isApi = url.pathname.startsWith('/api/');
  const isPage = url.pathname === '/' || url.pathname === '/index.html';
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
    { port: options.port, token: options.token, needsToken: isApi || isPage },
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
  if (!isApi && (request.method === 'GET' || request.method === 'HEAD')) {
    const path = resolveStaticPath(options.rendererDir, isPage ? '/index.html' : url.pathname);
    const body = path ? await readStaticFile(path) : null;
    if (path && body) {
      response.writeHead(200, {
        ...SECURITY_HEADERS,
        'content-type': contentTypeFor(path),
        'cache-control': isPage ? 'no-store' : 'public, max-age=3600',
      });
      response.end(request.method === 'HEAD' ? undefined : body);
      return;
    }
  }
  response.writeHead(404, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' });
  response.end('Not found.\n');
}
