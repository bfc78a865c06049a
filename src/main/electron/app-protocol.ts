/**
 * The built dashboard served from app://gpuz/ instead of file:// (Electron's security checklist: a file://
 * page may read any local file; ours may read only out/renderer). Every response carries the CSP.
 *   await respondToAppRequest('app://gpuz/assets/index-abc.js', '/app/out/renderer', csp) → 200 text/javascript
 *   await respondToAppRequest('app://gpuz/../../secrets.json', …) → 404
 */
import type { Protocol } from 'electron';
import { contentTypeFor, readStaticFile, resolveStaticPath } from '../core/dashboard/static-files';
import { APP_HOST, APP_SCHEME } from './window-options';

export async function respondToAppRequest(url: string, rendererDir: string, csp: string): Promise<Response> {
  const headers = {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'cross-origin-opener-policy': 'same-origin',
  };
  const parsed = new URL(url);
  const pathname = parsed.pathname === '/' ? '/index.html' : parsed.pathname;
  const path = parsed.host === APP_HOST ? resolveStaticPath(rendererDir, pathname) : null;
  const body = path ? await readStaticFile(path) : null;
  if (!path || !body) return new Response('Not found', { status: 404, headers });
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: { ...headers, 'content-type': contentTypeFor(path) },
  });
}

/** Must run before app 'ready': makes app:// a standard, secure scheme (relative URLs, fetch, no mixed content). */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function serveAppScheme(protocol: Pick<Protocol, 'handle'>, rendererDir: string, csp: string): void {
  protocol.handle(APP_SCHEME, (request) => respondToAppRequest(request.url, rendererDir, csp));
}
