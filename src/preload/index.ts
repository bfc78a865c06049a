/**
 * The whole preload: the contract's IPC client exposed as `window.gpuz` (see src/renderer/api.ts).
 * Only the derived API crosses the bridge — never ipcRenderer itself — so the page can call the contract's
 * methods and listen to its events, and nothing else.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createIpcClient } from '../shared/transport/ipc';
import { bridgeSafe } from './bridge-safe';

contextBridge.exposeInMainWorld('gpuz', bridgeSafe(createIpcClient(ipcRenderer)));
