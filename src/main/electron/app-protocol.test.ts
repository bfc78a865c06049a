import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { respondToAppRequest } from './app-protocol';

const CSP = "default-src 'self'";
let root: string;
let rendererDir: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gpuz-app-protocol-'));
  rendererDir = join(root, 'out', 'renderer');
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>GPU-Z Cloud</title>');
  await writeFile(join(rendererDir, 'assets', 'index-abc.js'), 'console.log(1)');
  await writeFile(join(root, 'secrets.json'), '{"key":"do-not-serve"}');
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('app:// responses', () => {
  it('serves the page at / and /index.html with the CSP and its content type', async () => {
    for (const url of ['app://gpuz/', 'app://gpuz/index.html']) {
      const response = await respondToAppRequest(url, rendererDir, CSP);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-security-policy')).toBe(CSP);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await response.text()).toBe('<!doctype html><title>GPU-Z Cloud</title>');
    }
    const script = await respondToAppRequest('app://gpuz/assets/index-abc.js?v=1', rendererDir, CSP);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log(1)');
  });

  it('never leaves the renderer folder and answers only for its own host', async () => {
    for (const url of [
      'app://gpuz/../secrets.json',
      'app://gpuz/%2e%2e/%2e%2e/secrets.json',
      'app://gpuz/..%2f..%2fsecrets.json',
      'app://other/index.html',
      'app://gpuz/missing.js',
    ]) {
      const response = await respondToAppRequest(url, rendererDir, CSP);
      expect(response.status, url).toBe(404);
      expect(await response.text()).toBe('Not found');
      expect(response.headers.get('content-security-policy')).toBe(CSP);
    }
  });
});
