import { type ContractHandlers, eventNames, methodNames } from '../contract';
import { AppError } from '../errors';
import { ipcCallChannel, ipcEventChannel } from './channels';
import {
  createIpcClient,
  forwardEvents,
  type IpcMainLike,
  type IpcRendererLike,
  registerIpcHandlers,
} from './ipc';

type Handler = (event: unknown, ...args: unknown[]) => unknown;

/** A fake main/renderer pair with Electron's semantics: invoke → handle, send → on (structured clone). */
function createFakeIpc() {
  const handlers = new Map<string, Handler>();
  const rendererListeners = new Map<string, Set<Handler>>();
  const ipcMain: IpcMainLike = {
    handle: (channel, handler) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, handler);
    },
    removeHandler: (channel) => handlers.delete(channel),
  };
  const ipcRenderer: IpcRendererLike = {
    invoke: async (channel, ...args) => {
      const handler = handlers.get(channel);
      if (!handler) throw new Error(`No handler registered for '${channel}'`);
      return structuredClone(await handler({}, ...structuredClone(args)));
    },
    on: (channel, listener) => {
      const set = rendererListeners.get(channel) ?? new Set();
      rendererListeners.set(channel, set);
      set.add(listener);
    },
    removeListener: (channel, listener) => rendererListeners.get(channel)?.delete(listener),
  };
  const send = (channel: string, payload: unknown) => {
    for (const listener of rendererListeners.get(channel) ?? []) listener({}, structuredClone(payload));
  };
  return { ipcMain, ipcRenderer, send, handlers };
}

/** Every contract method answers with its own name and the input it got; new methods are covered too. */
function echoHandlers(): ContractHandlers {
  const entries = methodNames.map((name) => [name, async (input: unknown) => ({ method: name, input })]);
  return Object.fromEntries(entries) as unknown as ContractHandlers;
}

describe('IPC transport derived from the contract', () => {
  it('registers one channel per contract method and calls each one through the client', async () => {
    const ipc = createFakeIpc();
    registerIpcHandlers(ipc.ipcMain, echoHandlers());
    expect([...ipc.handlers.keys()].sort()).toEqual(methodNames.map(ipcCallChannel).sort());
    const api = createIpcClient(ipc.ipcRenderer) as unknown as Record<
      string,
      (input?: unknown) => Promise<unknown>
    >;
    for (const name of methodNames) {
      await expect(api[name]!({ probe: name })).resolves.toEqual({ method: name, input: { probe: name } });
    }
  });

  it('turns a thrown AppError into an AppError on the renderer side with code and advice', async () => {
    const ipc = createFakeIpc();
    const handlers = {
      ...echoHandlers(),
      getStatus: async () => {
        throw new AppError('STORE_UNREACHABLE', 'S3 did not answer', 'Check the network.');
      },
    };
    registerIpcHandlers(ipc.ipcMain, handlers);
    const error = await createIpcClient(ipc.ipcRenderer)
      .getStatus()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: 'STORE_UNREACHABLE',
      message: 'S3 did not answer',
      advice: 'Check the network.',
    });
  });

  it('forwards every contract event to the renderer and stops after unsubscribe', () => {
    const ipc = createFakeIpc();
    const api = createIpcClient(ipc.ipcRenderer);
    const listeners = new Map<string, (payload: unknown) => void>();
    const source = {
      on: (event: string, listener: (payload: unknown) => void) => {
        listeners.set(event, listener);
        return () => listeners.delete(event);
      },
    };
    const stop = forwardEvents(source as Parameters<typeof forwardEvents>[0], ipc.send);
    const received: [string, unknown][] = [];
    const offs = eventNames.map((name) => api.on(name, (payload) => received.push([name, payload])));
    for (const name of eventNames) listeners.get(name)!({ from: name });
    expect(received).toEqual(eventNames.map((name) => [name, { from: name }]));
    for (const off of offs) off();
    listeners.get(eventNames[0]!)!({ late: true });
    expect(received).toHaveLength(eventNames.length);
    stop();
    expect(listeners.size).toBe(0);
    expect(ipcEventChannel('status')).toBe('gpuz:event:status');
  });
});
