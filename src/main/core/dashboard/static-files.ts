/**
 * Serves the built renderer (out/renderer) without ever leaving its folder:
 *   resolveStaticPath('/work/out/renderer', '/assets/index-abc.js') → '/work/out/renderer/assets/index-abc.js'
 *   resolveStaticPath(root, '/../package.json') → null
 */
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export function resolveStaticPath(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const base = resolve(root);
  const full = resolve(base, `.${decoded}`);
  return full.startsWith(base + sep) ? full : null;
}

/**
 * The one rule for what the dashboard serves without the token: a resolved file inside <root>/assets/.
 *   isPublicAsset(root, root + '/assets/index-abc.js') → true;  isPublicAsset(root, root + '/index.html') → false
 */
export function isPublicAsset(root: string, file: string): boolean {
  return file.startsWith(resolve(root, 'assets') + sep);
}

export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** The file's bytes, or null when it does not exist (or is a folder). */
export async function readStaticFile(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch {
    return null;
  }
}
