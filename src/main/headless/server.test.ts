import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ContractHandlers, methodNames } from '../../shared/contract';
import { inputSchemas } from '../../shared/contract-inputs';
import { AppError } from '../../shared/errors';
import { createHttpClient } from '../../shared/transport/http-client';
import { createEventHub } from '../core/app/event-hub';
import { CONTENT_SECURITY_POLICY } from '../core/dashboard/security-headers';
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
  const logged: string[] = [];
  const handlers = {
    ...echoHandlers(),
    retry: async () => {
      throw new AppError('NOT_IN_SPOOL', 'Batch x is not in the spool', 'Reload the Uploads view.');
    },
    // What the real queryChart did with {"keys":"abc"} before inputs were checked: a bug's TypeError.
    listSensors: async () => {
      const query = { keys: 'abc' } as unknown as { keys: string[] };
      return query.keys.map((key) => ({ key, name: key, unit: '' }));
    },
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gpuz-headless-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>GPU-Z Cloud</title>');
    await writeFile(join(dir, 'assets', 'app.js'), 'console.log(1)');
    await writeFile(join(tmpdir(), 'gpuz-secret.txt'), 'secret');
    server = await startHeadlessServer({
      handlers,
      events: hub,
      rendererDir: dir,
      port: 0,
      log: (line) => logged.push(line),
    });
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('calls every contract method over real HTTP through the derived client, its input checked', async () => {
    const api = createHttpClient({ baseUrl: `http://127.0.0.1:${server.port}`, token: server.token, fetch });
    const calls = api as unknown as Record<string, (input?: unknown) => Promise<unknown>>;
    for (const name of methodNames.filter((n) => n !== 'retry' && n !== 'listSensors')) {
      if (name in inputSchemas) {
        // A made-up input reaches no handler: the method's schema refuses it.
        await expect(calls[name]!([name])).rejects.toMatchObject({ code: 'BAD_INPUT' });
      } else {
        await expect(calls[name]!()).resolves.toEqual({ method: name, input: null });
        await expect(calls[name]!({ probe: name })).rejects.toMatchObject({
          code: 'BAD_INPUT',
          message: `${name}: takes no input.`,
        });
      }
    }
    const query = { from: 0, to: 1, keys: ['gpu_temp_c'] };
    await expect(api.queryChart(query)).resolves.toEqual({ method: 'queryChart', input: query });
    // A budget typed in Settings: a whole number of at least 2 (two PUTs per batch), as the settings check says
    await expect(api.estimateCost({ monthlyPuts: 2000 })).resolves.toEqual({
      method: 'estimateCost',
      input: { monthlyPuts: 2000 },
    });
    for (const monthlyPuts of [1, 2.5])
      await expect(api.estimateCost({ monthlyPuts })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    // A host is a key segment: another PC's name passes, a path does not; no input at all means this PC.
    await expect(api.getDataExtent()).resolves.toEqual({ method: 'getDataExtent', input: null });
    await expect(api.getDataExtent({ host: 'laptop' })).resolves.toEqual({
      method: 'getDataExtent',
      input: { host: 'laptop' },
    });
    for (const host of ['../raw', 'Laptop', ''])
      await expect(api.queryChart({ ...query, host })).rejects.toMatchObject({
        code: 'BAD_INPUT',
        message: 'queryChart: host: expected a host name of a-z 0-9 . _ -.',
      });
    await expect(api.getDataExtent({ host: 'a/b' } as { host: string })).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
    // Repairing the state folder needs a person's yes: `confirm: true`, nothing else.
    await expect(api.repairState({ confirm: true })).resolves.toEqual({
      method: 'repairState',
      input: { confirm: true },
    });
    for (const input of [{ confirm: false }, { confirm: 'yes' }, {}])
      await expect(api.repairState(input as { confirm: true })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    const error = await api.retry({ batchId: 'x' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NOT_IN_SPOOL', advice: 'Reload the Uploads view.' });
  });

  it('answers bad input and bugs with the one error shape, never internal text', async () => {
    const host = `127.0.0.1:${server.port}`;
    const headers = { host, 'x-gpuz-token': server.token, 'content-type': 'application/json' };
    const bad = await rawRequest(server.port, '/api/call/queryChart', headers, 'POST', '{"keys":"abc"}');
    expect(bad.status).toBe(200);
    expect(JSON.parse(bad.body)).toEqual({
      ok: false,
      error: {
        code: 'BAD_INPUT',
        message: 'queryChart: from: required; to: required; keys: expected Array.',
        advice: 'The request does not match what the app expects; reload the page or update the app.',
      },
    });
    const bug = await rawRequest(server.port, '/api/call/listSensors', headers, 'POST', 'null');
    expect(JSON.parse(bug.body)).toEqual({
      ok: false,
      error: {
        code: 'INTERNAL',
        message: 'listSensors failed inside the app.',
        advice: 'Try again; if it keeps failing, report it with the app log (it has the details).',
      },
    });
    expect(bug.body).not.toContain('is not a function');
    expect(logged.join('\n')).toContain('query.keys.map is not a function');
  });

  it('answers a body over 1 MB with 413 and the error shape instead of resetting the connection', async () => {
    const host = `127.0.0.1:${server.port}`;
    const headers = { host, 'x-gpuz-token': server.token, 'content-type': 'application/json' };
    const big = JSON.stringify({ from: 0, to: 1, keys: ['x'.repeat(2 * 1024 * 1024)] });
    const declared = await rawRequest(server.port, '/api/call/queryChart', headers, 'POST', big);
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body)).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } });
    // Chunked (no Content-Length): counted while it arrives.
    const chunked = await rawRequest(
      server.port,
      '/api/call/queryChart',
      { ...headers, 'transfer-encoding': 'chunked' },
      'POST',
      big,
    );
    expect(chunked.status).toBe(413);
    // Through the client the page uses: an AppError with advice, not a network failure.
    const api = createHttpClient({ baseUrl: `http://127.0.0.1:${server.port}`, token: server.token, fetch });
    await expect(
      api.queryChart({ from: 0, to: 1, keys: ['x'.repeat(2 * 1024 * 1024)] }),
    ).rejects.toMatchObject({
      code: 'TOO_LARGE',
    });
  });

  it('needs the token for every path that resolves to the page, however it is spelled', async () => {
    const host = `127.0.0.1:${server.port}`;
    for (const path of [
      '/',
      '/index.html',
      '/index.html/',
      '/%69ndex.html',
      '/assets/..%2findex.html',
      '/x',
    ]) {
      const refused = await rawRequest(server.port, path, { host });
      expect({ path, status: refused.status }).toEqual({ path, status: 401 });
      expect(refused.body).not.toContain('<title>');
    }
    for (const path of ['/', '/index.html/', '/%69ndex.html', '/assets/..%2findex.html']) {
      const page = await rawRequest(server.port, `${path}?token=${server.token}`, { host });
      expect({ path, status: page.status }).toEqual({ path, status: 200 });
      expect(page.headers['cache-control']).toBe('no-store');
    }
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
      error: {
        code: 'BAD_REQUEST',
        message: 'The request body is not valid JSON.',
        advice: 'Call the API through the dashboard page.',
      },
    });
  });

  it('serves built assets without the token but never files outside the renderer folder', async () => {
    const host = `127.0.0.1:${server.port}`;
    const asset = await rawRequest(server.port, '/assets/app.js', { host });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const token = `?token=${server.token}`;
    expect((await rawRequest(server.port, `/../gpuz-secret.txt${token}`, { host })).status).toBe(404);
    expect((await rawRequest(server.port, `/%2e%2e/gpuz-secret.txt${token}`, { host })).status).toBe(404);
    expect((await rawRequest(server.port, `/assets/%2e%2e/%2e%2e/gpuz-secret.txt`, { host })).status).toBe(
      401,
    );
    expect(
      (await rawRequest(server.port, '/api/call/noSuchMethod', { host, 'x-gpuz-token': server.token }))
        .status,
    ).toBe(404);
  });

  it('with `ready`, takes its port at once and answers nothing before the app has started', async () => {
    // Arrange
    let started = () => {};
    const ready = new Promise<void>((resolve) => {
      started = resolve;
    });
    const early = await startHeadlessServer({ handlers, events: hub, rendererDir: dir, port: 0, ready });
    try {
      const host = `127.0.0.1:${early.port}`;
      // Act: a call before the start, then the start
      let answered = false;
      const call = rawRequest(early.port, `/?token=${early.token}`, { host });
      void call.then(() => {
        answered = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const before = answered;
      started();
      // Assess
      expect(before).toBe(false);
      expect((await call).status).toBe(200);
    } finally {
      await early.close();
    }
  });

  it('a port in use: an error that says so and what to do (it was a bare EADDRINUSE)', async () => {
    await expect(
      startHeadlessServer({ handlers, events: hub, rendererDir: dir, port: server.port }),
    ).rejects.toMatchObject({
      code: 'PORT_IN_USE',
      message: `Port ${server.port} on 127.0.0.1 is in use by another program (or another dashboard)`,
      advice: 'Pass another --port, or --port 0 for any free one.',
    });
  });
});
