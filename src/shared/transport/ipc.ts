/**
 * Electron IPC, derived from the contract, against the small slices of ipcMain / ipcRenderer we use
 * (so this file never imports electron and tests can pass a fake pair):
 *   registerIpcHandlers(ipcMain, handlers)     one `handle` per contract method
 *   createIpcClient(ipcRenderer)               → GpuzApi (what the preload exposes as window.gpuz)
 *   forwardEvents(source, send)                each contract event → send('gpuz:event:<name>', payload)
 */
import {
  type ContractHandlers,
  type EventName,
  type EventPayload,
  type EventSource,
  eventNames,
  type GpuzApi,
  type MethodInput,
  methodNames,
  type Unsubscribe,
} from '../contract';
import { AppError } from '../errors';
import { ipcCallChannel, ipcEventChannel } from './channels';
import { callHandler, isReply, unwrapReply } from './reply';

export interface IpcMainLike {
  handle(channel: string, handler: (event: unknown, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** Registers every method; returns a function that removes them again. */
export function registerIpcHandlers(ipcMain: IpcMainLike, handlers: ContractHandlers): () => void {
  for (const name of methodNames) {
    ipcMain.handle(ipcCallChannel(name), (_event, input) =>
      callHandler(handlers, name, input as MethodInput<typeof name>),
    );
  }
  return () => {
    for (const name of methodNames) ipcMain.removeHandler(ipcCallChannel(name));
  };
}

/** Subscribes to every contract event and passes it to `send` (e.g. webContents.send). */
export function forwardEvents(
  source: EventSource,
  send: (channel: string, payload: unknown) => void,
): Unsubscribe {
  const offs = eventNames.map((name) => source.on(name, (payload) => send(ipcEventChannel(name), payload)));
  return () => {
    for (const off of offs) off();
  };
}

export function createIpcClient(ipcRenderer: IpcRendererLike): GpuzApi {
  const api: Record<string, unknown> = {};
  for (const name of methodNames) {
    api[name] = async (input?: unknown) => {
      const reply = await ipcRenderer.invoke(ipcCallChannel(name), input);
      if (!isReply(reply)) throw new AppError('BAD_REPLY', `The app sent an unreadable reply to ${name}.`);
      return unwrapReply(reply);
    };
  }
  api.on = <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): Unsubscribe => {
    const wrapped = (_event: unknown, payload: unknown) => listener(payload as EventPayload<E>);
    ipcRenderer.on(ipcEventChannel(event), wrapped);
    return () => {
      ipcRenderer.removeListener(ipcEventChannel(event), wrapped);
    };
  };
  return api as unknown as GpuzApi;
}
