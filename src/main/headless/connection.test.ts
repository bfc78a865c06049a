/**
 * The page's link to the headless agent, over real HTTP: the dashboard must know when the agent it shows has
 * stopped, hung or been started again (a new token), instead of showing its last figures as live.
 */

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ContractHandlers, methodNames } from '../../shared/contract';
import { type Connection, createHttpClient, type HttpClient } from '../../shared/transport/http-client';
import { createEventHub } from '../core/app/event-hub';
import { type HeadlessServer, startHeadlessServer } from './server';

const handlers = Object.fromEntries(
  methodNames.map((name) => [name, async () => ({ method: name })]),
) as unknown as ContractHandlers;

describe('the page’s link to the agent', () => {
  let dir: string;
  const servers: HeadlessServer[] = [];
  const clients: HttpClient[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gpuz-connection-'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>GPU-Z Cloud</title>');
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    for (const server of servers.splice(0)) await server.close();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function serve(port: number, token: string): Promise<HeadlessServer> {
    const server = await startHeadlessServer({
      handlers,
      events: createEventHub(),
      rendererDir: dir,
      port,
      token,
    });
    servers.push(server);
    return server;
  }

  function watch(port: number, token: string, options: { silenceMs?: number } = {}) {
    let streams = 0;
    const counted: typeof fetch = (input, init) => {
      if (String(input).endsWith('/api/events')) streams++;
      return fetch(input, init);
    };
    const client = createHttpClient({
      baseUrl: `http://127.0.0.1:${port}`,
      token,
      fetch: counted,
      reconnectMs: 50,
      ...options,
    });
    clients.push(client);
    const seen: Connection[] = [];
    client.onConnection((connection) => seen.push(connection));
    client.on('status', () => undefined);
    return { client, seen, states: () => seen.map((c) => c.state), streams: () => streams };
  }

  it('is open while the agent runs, lost when it stops, open again when it comes back with the same token', async () => {
    const first = await serve(0, 'a'.repeat(64));
    const { seen, states } = watch(first.port, first.token);
    await vi.waitFor(() => expect(states()).toEqual(['open']));

    const before = Date.now();
    await first.close();
    servers.splice(servers.indexOf(first), 1);
    await vi.waitFor(() => expect(states()).toEqual(['open', 'lost']));
    const lost = seen[1] as { since: number };
    expect(lost.since).toBeGreaterThanOrEqual(before);

    await serve(first.port, first.token);
    await vi.waitFor(() => expect(states()).toEqual(['open', 'lost', 'open']));
  });

  it('is refused when another run answers on the same port (a new token), and stops asking', async () => {
    const first = await serve(0, 'a'.repeat(64));
    const { client, seen, states, streams } = watch(first.port, first.token);
    await vi.waitFor(() => expect(states()).toEqual(['open']));
    await first.close();
    servers.splice(servers.indexOf(first), 1);
    await vi.waitFor(() => expect(states()).toContain('lost'));
    const lostAt = (seen[1] as { since: number }).since;

    await serve(first.port, 'b'.repeat(64));
    await vi.waitFor(() => expect(states()).toEqual(['open', 'lost', 'refused']));
    // The time it was lost stays the moment the figures froze, not the moment the refusal came.
    expect((seen[2] as { since: number }).since).toBe(lostAt);
    // Calls are refused too, with words that say what to open.
    await expect(client.getStatus()).rejects.toMatchObject({ code: 'BAD_REPLY' });
    // The token will not become right again: no more stream requests (they were every 50 ms while lost).
    const asked = streams();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(streams()).toBe(asked);
  });

  it('is lost when the agent hangs: a stream that sends nothing, not even its keep-alive', async () => {
    // A process stopped mid-run (SIGSTOP, a debugger) keeps its socket open and says nothing.
    const hung = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(': connected\n\n');
    });
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    try {
      const port = (hung.address() as AddressInfo).port;
      const { states } = watch(port, 'x', { silenceMs: 200 });
      await vi.waitFor(() => expect(states()).toEqual(['open', 'lost']));
    } finally {
      hung.closeAllConnections();
      await new Promise((resolve) => hung.close(resolve));
    }
  });

  it('says nothing before the first try, and tells a late listener where it stands', async () => {
    const server = await serve(0, 'c'.repeat(64));
    const { client } = watch(server.port, server.token);
    await vi.waitFor(async () => {
      const late: Connection[] = [];
      client.onConnection((connection) => late.push(connection));
      expect(late).toEqual([{ state: 'open' }]);
    });
  });
});
