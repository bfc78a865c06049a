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
