import { CONTENT_SECURITY_POLICY } from '../core/dashboard/security-headers';
import { APP_ORIGIN, classifyNavigation, contentSecurityPolicy, windowOptions } from './window-options';

describe('dashboard window security', () => {
  it('isolates the page: sandbox and context isolation on, no Node anywhere, web security on, no webview', () => {
    const options = windowOptions({ preloadPath: '/app/out/preload/index.cjs' });
    expect(options.webPreferences).toEqual({
      preload: '/app/out/preload/index.cjs',
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
    });
    expect(options.show).toBe(false);
    expect(options).not.toHaveProperty('icon');
    expect(windowOptions({ preloadPath: 'p', iconPath: '/i.png' }).icon).toBe('/i.png');
  });

  it('keeps navigation inside our origin, sends links to the hosts the app links to to the browser, blocks the rest', () => {
    expect(classifyNavigation('app://gpuz/index.html#/costs', APP_ORIGIN)).toBe('allow');
    expect(classifyNavigation('app://evil/index.html', APP_ORIGIN)).toBe('block');
    expect(classifyNavigation('https://aws.amazon.com/s3/pricing/', APP_ORIGIN)).toBe('external');
    expect(classifyNavigation('https://developer.hashicorp.com/terraform/install', APP_ORIGIN)).toBe(
      'external',
    );
    // Not on the list, not https, another port, or a look-alike host: blocked, the shell never sees it.
    expect(classifyNavigation('http://example.com/', APP_ORIGIN)).toBe('block');
    expect(classifyNavigation('https://example.com/', APP_ORIGIN)).toBe('block');
    expect(classifyNavigation('http://aws.amazon.com/s3/', APP_ORIGIN)).toBe('block');
    expect(classifyNavigation('https://aws.amazon.com:8443/', APP_ORIGIN)).toBe('block');
    expect(classifyNavigation('https://aws.amazon.com.evil.example/', APP_ORIGIN)).toBe('block');
    expect(classifyNavigation('https://user@evil.example/?aws.amazon.com', APP_ORIGIN)).toBe('block');
    expect(classifyNavigation('file:///etc/passwd', APP_ORIGIN)).toBe('block');
    expect(classifyNavigation('javascript:alert(1)', APP_ORIGIN)).toBe('block');
    expect(classifyNavigation('smb://host/share', APP_ORIGIN)).toBe('block');
    expect(classifyNavigation('::', APP_ORIGIN)).toBe('block');
    expect(classifyNavigation('http://localhost:5173/#/x', 'http://localhost:5173')).toBe('allow');
  });

  it('uses the headless CSP in a built app and opens only the dev server in development', () => {
    expect(contentSecurityPolicy(null)).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    const dev = contentSecurityPolicy('http://localhost:5173/');
    expect(dev).toContain("script-src 'self' http://localhost:5173");
    expect(dev).toContain("connect-src 'self' http://localhost:5173 ws://localhost:5173");
    expect(dev).toContain("frame-ancestors 'none'");
  });
});
