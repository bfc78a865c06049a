/**
 * The contract over Electron IPC, with every call checked against the frame that sent it:
 *   serveContractOverIpc({ ipcMain, handlers, events, send, expectedUrl: 'app://gpuz/index.html' })
 *   → one `ipcMain.handle` per contract method (channels derived in src/shared/transport), events forwarded
 *   a call from any other frame (an iframe, a page navigated elsewhere) → { ok: false, error: UNTRUSTED_SENDER }
 *   inputs checked against the contract's schemas first (checkedHandlers): bad input → BAD_INPUT, a bug → INTERNAL
 */
import type { ContractHandlers, EventSource, Reply } from '../../shared/contract';
import { forwardEvents, type IpcMainLike, registerIpcHandlers } from '../../shared/transport/ipc';
import { checkedHandlers } from '../core/app/checked-handlers';
import { originOf } from './window-options';

/** The part of Electron's WebFrameMain we look at. */
export interface SenderFrame {
  url: string;
  /** The top frame has no parent; an embedded frame must never reach the API. */
  parent?: unknown;
}

/**
 * True only for the dashboard's own top-level frame: same scheme, host and port as `expectedUrl`.
 *   isTrustedSender({ url: 'app://gpuz/index.html#/charts' }, 'app://gpuz/index.html') → true
 *   isTrustedSender({ url: 'https://evil.example/' }, 'app://gpuz/index.html')          → false
 *   isTrustedSender(null, …) → false (Electron gives null when the frame navigated or was destroyed)
 */
export function isTrustedSender(frame: SenderFrame | null | undefined, expectedUrl: string): boolean {
  if (!frame || typeof frame.url !== 'string' || frame.parent) return false;
  try {
    return originOf(new URL(frame.url)) === originOf(new URL(expectedUrl));
  } catch {
    return false;
  }
}

const UNTRUSTED: Reply<never> = {
  ok: false,
  error: {
    code: 'UNTRUSTED_SENDER',
    message: 'A page that is not the GPU-Z Cloud dashboard tried to use the app.',
    advice: 'Nothing to do: the request was refused. Reopen the dashboard from the tray.',
  },
};

/** Wraps ipcMain so each handler first checks `event.senderFrame`; refused calls get an error reply. */
export function guardIpcMain(ipcMain: IpcMainLike, expectedUrl: string): IpcMainLike {
  return {
    handle(channel, handler) {
      ipcMain.handle(channel, (event, ...args) => {
        const frame = (event as { senderFrame?: SenderFrame | null } | null)?.senderFrame;
        return isTrustedSender(frame, expectedUrl) ? handler(event, ...args) : UNTRUSTED;
      });
    },
    removeHandler: (channel) => ipcMain.removeHandler(channel),
  };
}

export interface IpcServeOptions {
  ipcMain: IpcMainLike;
  handlers: ContractHandlers;
  events: EventSource;
  /** Sends an event to the dashboard (webContents.send of the window, when it exists). */
  send(channel: string, payload: unknown): void;
  expectedUrl: string;
  /** Where internal errors' details go; default stderr. */
  log?: (line: string) => void;
}

/** Registers the guarded handlers and the event forwarding; returns one function that undoes both. */
export function serveContractOverIpc(options: IpcServeOptions): () => void {
  const unregister = registerIpcHandlers(
    guardIpcMain(options.ipcMain, options.expectedUrl),
    checkedHandlers(options.handlers, { log: options.log ?? ((line) => console.error(line)) }),
  );
  const stopEvents = forwardEvents(options.events, options.send);
  return () => {
    stopEvents();
    unregister();
  };
}
