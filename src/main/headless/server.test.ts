import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ContractHandlers, methodNames } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { createHttpClient } from '../../shared/transport/http-client';
import { createEventHub } from '../core/app/event-hub';
import { CONTENT_SECURITY_POLICY } from './security-headers';
import { type HeadlessServer, startHeadlessServer } from './server';

function echoHandlers(): ContractHandlers {
  const entries = methodNames.map((name) => [
    name,
    async (input: unknown) => ({ method: name, input: input ?? null }),
  ]);
  return Object.fromEntries(entries) as unknown as ContractHandlers;
}

/** Raw request so the test controls Host and Origin (fetch would not let it forge Host). */
function rawRequest(
  port: number,
  path: string,
  headers: Record<string, string>,
  method = 'GET',
  body?: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('headless server', () => {
  let dir: string;
  let server: HeadlessServer;
  const hub = createEventHub();
  const handlers = {
    ...echoHandlers(),
    retry: async () => {
      throw new AppError('NO_SUCH_BATCH', 'Batch x is not in the spool', 'Reload the Uploads view.');
    },
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gpuz-headless-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>GPU-Z Cloud</title>');
    await writeFile(join(dir, 'assets', 'app.js'), 'console.log(1)');
    await writeFile(join(tmpdir(), 'gpuz-secret.txt'), 'secret');
    server = await startHeadlessServer({ handlers, events: hub, rendererDir: dir, port: 0 });
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('calls every contract method over real HTTP through the derived client', async () => {
    const api = createHttpClient({ baseUrl: `http://127.0.0.1:${server.port}`, token: server.token, fetch });
    const calls = api as unknown as Record<string, (input?: unknown) => Promise<unknown>>;
    for (const name of methodNames.filter((n) => n !== 'retry')) {
      await expect(calls[name]!({ probe: name })).resolves.toEqual({ method: name, input: { probe: name } });
    }
    const error = await api.retry({ batchId: 'x' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NO_SUCH_BATCH', advice: 'Reload the Uploads view.' });
  });

  it('pushes contract events as server-sent events', async () => {
    const api = createHttpClient({ baseUrl: `http://127.0.0.1:${server.port}`, token: server.token, fetch });
    const got = new Promise((resolve) => api.on('progress', resolve));
    await vi.waitFor(() => expect(hub.listenerCount()).toBeGreaterThan(0));
    hub.emit('progress', { batchId: 'b1', sentBytes: 10, totalBytes: 40 });
    await expect(got).resolves.toEqual({ batchId: 'b1', sentBytes: 10, totalBytes: 40 });
    api.close();
    await vi.waitFor(() => expect(hub.listenerCount()).toBe(0));
  });

  it('prints a loopback URL with a 64-hex-digit token and serves the page with the strict CSP', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/);
    const page = await fetch(server.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
    expect(CONTENT_SECURITY_POLICY).toBe(page.headers.get('content-security-policy'));
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await page.text()).toContain('GPU-Z Cloud');
  });

  it('refuses the page and the API without the right token', async () => {
    const host = `127.0.0.1:${server.port}`;
    expect((await rawRequest(server.port, '/', { host })).status).toBe(401);
    expect((await rawRequest(server.port, '/?token=wrong', { host })).status).toBe(401);
    const call = await rawRequest(
      server.port,
      '/api/call/getStatus',
      { host, 'content-type': 'application/json' },
      'POST',
      'null',
    );
    expect(call.status).toBe(401);
    expect((await rawRequest(server.port, '/api/events', { host })).status).toBe(401);
  });

  it('refuses a foreign Host (DNS rebinding) even with the token', async () => {
    const res = await rawRequest(server.port, `/?token=${server.token}`, {
      host: `evil.example:${server.port}`,
    });
    expect(res.status).toBe(403);
    expect(res.body).toContain('foreign Host');
    const api = await rawRequest(
      server.port,
      '/api/call/getStatus',
      {
        host: `evil.example:${server.port}`,
        'x-gpuz-token': server.token,
        'content-type': 'application/json',
      },
      'POST',
    );
    expect(api.status).toBe(403);
  });

  it('refuses a foreign Origin even with the token and the right Host', async () => {
    const res = await rawRequest(
      server.port,
      '/api/call/pause',
      {
        host: `127.0.0.1:${server.port}`,
        origin: 'http://evil.example',
        'x-gpuz-token': server.token,
        'content-type': 'application/json',
      },
      'POST',
    );
    expect(res.status).toBe(403);
    expect(res.body).toContain('foreign Origin');
  });

  it('accepts localhost as Host and our own Origin; rejects non-JSON posts', async () => {
    const ok = await rawRequest(
      server.port,
      '/api/call/getStatus',
      {
        host: `localhost:${server.port}`,
        origin: `http://localhost:${server.port}`,
        'x-gpuz-token': server.token,
        'content-type': 'application/json',
      },
      'POST',
      'null',
    );
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ ok: true, value: { method: 'getStatus', input: null } });
    const form = await rawRequest(
      server.port,
      '/api/call/pause',
      { host: `127.0.0.1:${server.port}`, 'x-gpuz-token': server.token, 'content-type': 'text/plain' },
      'POST',
      '{}',
    );
    expect(form.status).toBe(415);
  });

  it('a malformed body is refused without quoting it (it may hold a typed-in secret)', async () => {
    const res = await rawRequest(
      server.port,
      '/api/call/saveAccessKeys',
      { host: `127.0.0.1:${server.port}`, 'x-gpuz-token': server.token, 'content-type': 'application/json' },
      'POST',
      '{"accessKeyId":"AKIAIOSFODNN7EXAMPLE","secretAccessKey": wJalrXUtnFEMI/K7MDENG}',
    );
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({
      ok: false,
      error: { code: 'BAD_REQUEST', message: 'The request body is not valid JSON.' },
    });
  });

  it('serves built assets without the token but never files outside the renderer folder', async () => {
    const host = `127.0.0.1:${server.port}`;
    const asset = await rawRequest(server.port, '/assets/app.js', { host });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await rawRequest(server.port, '/../gpuz-secret.txt', { host })).status).toBe(404);
    expect((await rawRequest(server.port, '/%2e%2e/gpuz-secret.txt', { host })).status).toBe(404);
    expect(
      (await rawRequest(server.port, '/api/call/noSuchMethod', { host, 'x-gpuz-token': server.token }))
        .status,
    ).toBe(404);
  });
});
