/** The headless dashboard refuses requests without the token, from a foreign Host or a foreign Origin. */

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { type AgentProcess, startAgentProcess } from './support/agent-process';

let dir: string;
let agent: AgentProcess;

test.beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gpuz-e2e-sec-'));
  await writeFile(join(dir, 'GPU-Z Sensor Log.txt'), '');
  agent = await startAgentProcess({
    stateDir: join(dir, 'state'),
    args: ['--file', join(dir, 'GPU-Z Sensor Log.txt'), '--local', join(dir, 'store')],
  });
});
test.afterAll(async () => {
  await agent?.stop();
  await rm(dir, { recursive: true, force: true });
});

function raw(path: string, headers: Record<string, string>, method = 'GET'): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: agent.port, path, method, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(method === 'POST' ? 'null' : undefined);
  });
}

test('the page without the token is refused, with it the dashboard loads under the strict CSP', async ({
  page,
}) => {
  const refused = await page.goto(`http://127.0.0.1:${agent.port}/`);
  expect(refused?.status()).toBe(401);
  const wrong = await page.goto(`http://127.0.0.1:${agent.port}/?token=${'0'.repeat(64)}`);
  expect(wrong?.status()).toBe(401);
  const ok = await page.goto(agent.url);
  expect(ok?.status()).toBe(200);
  expect(ok?.headers()['content-security-policy']).toBe(
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  );
  await expect(page.locator('#global-state')).toHaveText(/watching|starting/);
});

test('API calls without the token are refused', async ({ request }) => {
  const call = await request.post(`http://127.0.0.1:${agent.port}/api/call/pause`, { data: null });
  expect(call.status()).toBe(401);
  const events = await request.get(`http://127.0.0.1:${agent.port}/api/events`);
  expect(events.status()).toBe(401);
});

test('a foreign Host (DNS rebinding) or a foreign Origin is refused even with the token', async () => {
  const json = { 'content-type': 'application/json', 'x-gpuz-token': agent.token };
  expect(await raw(`/?token=${agent.token}`, { host: `attacker.example:${agent.port}` })).toBe(403);
  expect(await raw('/api/call/getStatus', { ...json, host: `attacker.example:${agent.port}` }, 'POST')).toBe(
    403,
  );
  expect(
    await raw(
      '/api/call/pause',
      { ...json, host: `127.0.0.1:${agent.port}`, origin: 'http://attacker.example' },
      'POST',
    ),
  ).toBe(403);
  expect(await raw('/api/call/getStatus', { ...json, host: `127.0.0.1:${agent.port}` }, 'POST')).toBe(200);
});

test('every spelling of the page needs the token; only built assets are public', async ({ request }) => {
  const base = `http://127.0.0.1:${agent.port}`;
  for (const path of ['/index.html', '/index.html/', '/%69ndex.html', '/assets/..%2findex.html']) {
    const refused = await raw(path, { host: `127.0.0.1:${agent.port}` });
    expect({ path, status: refused }).toEqual({ path, status: 401 });
  }
  const page = await request.get(`${base}/%69ndex.html?token=${agent.token}`);
  expect(page.status()).toBe(200);
  const script = /src="\.?\/?(assets\/[^"]+\.js)"/.exec(await page.text())?.[1];
  expect(script).toBeTruthy();
  expect((await request.get(`${base}/${script}`)).status()).toBe(200);
});

test('bad input gets BAD_INPUT with the field named, never internal text; a body over 1 MB gets 413', async ({
  request,
}) => {
  const headers = { 'x-gpuz-token': agent.token };
  const bad = await request.post(`http://127.0.0.1:${agent.port}/api/call/queryChart`, {
    headers,
    data: { keys: 'abc' },
  });
  expect(bad.status()).toBe(200);
  const body = await bad.text();
  expect(JSON.parse(body)).toEqual({
    ok: false,
    error: {
      code: 'BAD_INPUT',
      message: 'queryChart: from: required; to: required; keys: expected Array.',
      advice: 'The request does not match what the app expects; reload the page or update the app.',
    },
  });
  expect(body).not.toContain('is not a function');
  const big = await request.post(`http://127.0.0.1:${agent.port}/api/call/queryChart`, {
    headers,
    data: { from: 0, to: 1, keys: ['x'.repeat(2 * 1024 * 1024)] },
  });
  expect(big.status()).toBe(413);
  expect(await big.json()).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } });
  // The agent is still there and answers the next call.
  const status = await request.post(`http://127.0.0.1:${agent.port}/api/call/getStatus`, {
    headers,
    data: null,
  });
  expect(status.status()).toBe(200);
});
