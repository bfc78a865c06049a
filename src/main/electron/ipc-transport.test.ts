import { type ContractHandlers, methodNames } from '../../shared/contract';
import { ipcCallChannel, ipcEventChannel } from '../../shared/transport/channels';
import type { IpcMainLike } from '../../shared/transport/ipc';
import { guardIpcMain, isTrustedSender, serveContractOverIpc } from './ipc-transport';

const APP = 'app://gpuz/index.html';

describe('isTrustedSender', () => {
  it.each([
    [{ url: 'app://gpuz/index.html' }, APP, true],
    [{ url: 'app://gpuz/index.html#/charts?range=24h' }, APP, true],
    [{ url: 'http://localhost:5173/' }, 'http://localhost:5173/', true],
    [{ url: 'http://localhost:5174/' }, 'http://localhost:5173/', false],
    [{ url: 'app://other/index.html' }, APP, false],
    [{ url: 'file:///C:/Users/me/evil.html' }, APP, false],
    [{ url: 'https://evil.example/app://gpuz' }, APP, false],
    [{ url: 'about:blank' }, APP, false],
    [{ url: 'not a url' }, APP, false],
    [{ url: 'app://gpuz/index.html', parent: { url: 'app://gpuz/index.html' } }, APP, false],
    [null, APP, false],
    [undefined, APP, false],
  ])('%o against %s → %s', (frame, expected, verdict) => {
    expect(isTrustedSender(frame, expected)).toBe(verdict);
  });
});

function createFakeIpcMain() {
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  const ipcMain: IpcMainLike = {
    handle: (channel, handler) => {
      handlers.set(channel, handler);
    },
    removeHandler: (channel) => {
      handlers.delete(channel);
    },
  };
  return { ipcMain, handlers };
}

describe('guarded IPC', () => {
  it('runs the handler for the dashboard frame and refuses any other sender without calling it', async () => {
    const fake = createFakeIpcMain();
    let calls = 0;
    guardIpcMain(fake.ipcMain, APP).handle('gpuz:call:pause', (_event, input) => {
      calls += 1;
      return { ok: true, value: input };
    });
    const handler = fake.handlers.get('gpuz:call:pause')!;
    expect(await handler({ senderFrame: { url: 'app://gpuz/index.html' } }, 7)).toEqual({
      ok: true,
      value: 7,
    });
    expect(await handler({ senderFrame: { url: 'https://evil.example/' } }, 7)).toMatchObject({
      ok: false,
      error: { code: 'UNTRUSTED_SENDER' },
    });
    expect(await handler({ senderFrame: null }, 7)).toMatchObject({ ok: false });
    expect(await handler({}, 7)).toMatchObject({ ok: false });
    expect(calls).toBe(1);
  });

  it('serves every contract method on its derived channel, forwards events, and undoes both', async () => {
    const fake = createFakeIpcMain();
    const handlers = Object.fromEntries(
      methodNames.map((name) => [name, async (input: unknown) => ({ name, input })]),
    ) as unknown as ContractHandlers;
    const listeners = new Map<string, (payload: unknown) => void>();
    const sent: [string, unknown][] = [];
    const stop = serveContractOverIpc({
      ipcMain: fake.ipcMain,
      handlers,
      events: {
        on: (event, listener) => {
          listeners.set(event, listener as (payload: unknown) => void);
          return () => listeners.delete(event);
        },
      },
      send: (channel, payload) => sent.push([channel, payload]),
      expectedUrl: APP,
    });
    expect([...fake.handlers.keys()].sort()).toEqual(methodNames.map(ipcCallChannel).sort());
    const reply = await fake.handlers.get(ipcCallChannel('retry'))!(
      { senderFrame: { url: 'app://gpuz/index.html' } },
      { batchId: 'b1' },
    );
    expect(reply).toEqual({ ok: true, value: { name: 'retry', input: { batchId: 'b1' } } });
    listeners.get('status')!({ state: 'paused' });
    expect(sent).toEqual([[ipcEventChannel('status'), { state: 'paused' }]]);
    stop();
    expect(fake.handlers.size).toBe(0);
    expect(listeners.size).toBe(0);
  });

  it('checks every input against the contract before the handler runs; bugs and oversize inputs never leak', async () => {
    const fake = createFakeIpcMain();
    const reached: string[] = [];
    const logged: string[] = [];
    const handlers = {
      ...Object.fromEntries(
        methodNames.map((name) => [
          name,
          async (input: unknown) => {
            reached.push(name);
            return input ?? null;
          },
        ]),
      ),
      listSensors: async () => {
        const query = { keys: 'abc' } as unknown as { keys: string[] };
        return query.keys.map((key) => key);
      },
    } as unknown as ContractHandlers;
    serveContractOverIpc({
      ipcMain: fake.ipcMain,
      handlers,
      events: { on: () => () => undefined },
      send: () => undefined,
      expectedUrl: APP,
      log: (line) => logged.push(line),
    });
    const call = (name: (typeof methodNames)[number], input?: unknown) =>
      fake.handlers.get(ipcCallChannel(name))!({ senderFrame: { url: APP } }, input);
    expect(await call('queryChart', { keys: 'abc' })).toEqual({
      ok: false,
      error: {
        code: 'BAD_INPUT',
        message: 'queryChart: from: required; to: required; keys: expected Array.',
        advice: 'The request does not match what the app expects; reload the page or update the app.',
      },
    });
    expect(await call('listSensors')).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(await call('listSensors'))).not.toContain('not a function');
    expect(logged[0]).toContain('query.keys.map is not a function');
    const big = { from: 0, to: 1, keys: ['x'.repeat(1024 * 1024)] };
    expect(await call('queryChart', big)).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    // Structured clone may carry `undefined` fields; they mean "absent", as over HTTP.
    expect(await call('estimateCost', { regime: 'none', intervalMinutes: undefined })).toEqual({
      ok: true,
      value: { regime: 'none' },
    });
    expect(await call('pause', { anything: 1 })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(reached).toEqual(['estimateCost']);
  });
});
