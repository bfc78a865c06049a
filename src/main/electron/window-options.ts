/**
 * The dashboard window's security settings and navigation rules, as pure data (unit-tested):
 *   windowOptions({ preloadPath }) → BrowserWindow options: contextIsolation, sandbox, no Node, webSecurity…
 *   classifyNavigation('https://aws.amazon.com/s3/', APP_ORIGIN) → 'external' (default browser, never in-app)
 *   classifyNavigation('https://evil.example/', APP_ORIGIN)      → 'block' (not a host the app links to)
 *   contentSecurityPolicy(null) → the same CSP as the headless dashboard
 */
import type { BrowserWindowConstructorOptions } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../core/dashboard/security-headers';

/** The privileged scheme the built dashboard is served from (not file://, which grants the page file access). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'gpuz';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

export function windowOptions(options: {
  preloadPath: string;
  iconPath?: string;
}): BrowserWindowConstructorOptions {
  return {
    width: 1200,
    height: 820,
    minWidth: 720,
    minHeight: 520,
    // Shown on 'ready-to-show' so the user never sees a white flash.
    show: false,
    title: 'GPU-Z Cloud',
    autoHideMenuBar: true,
    backgroundColor: '#11151c',
    ...(options.iconPath ? { icon: options.iconPath } : {}),
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}

/**
 * The page's CSP. With a Vite dev server (electron-vite dev) its origin and HMR socket are added; in a
 * built app it is exactly the headless dashboard's policy.
 */
export function contentSecurityPolicy(devServerUrl: string | null): string {
  if (!devServerUrl) return CONTENT_SECURITY_POLICY;
  const dev = new URL(devServerUrl);
  const socket = `${dev.protocol === 'https:' ? 'wss' : 'ws'}://${dev.host}`;
  return CONTENT_SECURITY_POLICY.replace("script-src 'self'", `script-src 'self' ${dev.origin}`)
    .replace("style-src 'self'", `style-src 'self' 'unsafe-inline' ${dev.origin}`)
    .replace("connect-src 'self'", `connect-src 'self' ${dev.origin} ${socket}`);
}

export type NavigationVerdict = 'allow' | 'external' | 'block';

/**
 * The hosts the app links to (price pages and docs in advice and footnotes, Terraform/OpenTofu install pages);
 * only these open in the browser, over https. A page that got script into the window cannot use the shell to
 * open anything else (a phishing page, a download, a custom protocol handler).
 */
export const EXTERNAL_HOSTS: readonly string[] = [
  'aws.amazon.com',
  'docs.aws.amazon.com',
  'developer.hashicorp.com',
  'releases.hashicorp.com',
  'opentofu.org',
  'www.techpowerup.com',
];

/**
 * Where a navigation or window.open may go: our own pages stay in the window; https links to EXTERNAL_HOSTS open
 * in the default browser (never inside the app, where they would get the preload); everything else is blocked.
 */
export function classifyNavigation(url: string, appOrigin: string): NavigationVerdict {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'block';
  }
  if (originOf(parsed) === originOf(new URL(appOrigin))) return 'allow';
  if (parsed.protocol === 'https:' && parsed.port === '' && EXTERNAL_HOSTS.includes(parsed.hostname)) {
    return 'external';
  }
  return 'block';
}

/**
 * scheme://host[:port] for any URL. `URL.origin` is the string 'null' for non-special schemes such as
 * app://, which would make every app:// URL "the same origin" as every other.
 */
export function originOf(url: URL): string {
  return `${url.protocol}//${url.host}`;
}
