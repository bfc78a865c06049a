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
});
