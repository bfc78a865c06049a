/**
 * The access-key methods end to end over both derived transports (HTTP and IPC), with the real app service:
 * a refusal arrives as { code, message, advice }, and no reply ever carries the secret.
 */

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GpuzApi } from '../../../shared/contract';
import { toError } from '../../../shared/errors';
import { createHttpClient } from '../../../shared/transport/http-client';
import {
  createIpcClient,
  type IpcMainLike,
  type IpcRendererLike,
  registerIpcHandlers,
} from '../../../shared/transport/ipc';
import { startHeadlessServer } from '../../headless/server';
import { createHeadlessVault, type SecretVault } from '../secret-vault';
import { createMemoryVault } from '../secret-vault.test-support';
import { createSettingsStore, defaultSettings } from '../settings';
import { type AppService, createAppService } from './app-service';
import { buildCostView } from './cost-view';
import { createFakeRuntime } from './fake-agent.test-support';

const ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

type Handler = (event: unknown, ...args: unknown[]) => unknown;

/** Electron's invoke/handle semantics (structured clone both ways), without Electron. */
function ipcClientFor(app: AppService): GpuzApi {
  const handlers = new Map<string, Handler>();
  const main: IpcMainLike = {
    handle: (channel, handler) => handlers.set(channel, handler),
    removeHandler: (channel) => handlers.delete(channel),
  };
  const renderer: IpcRendererLike = {
    invoke: async (channel, ...args) =>
      structuredClone(await handlers.get(channel)!({}, ...structuredClone(args))),
    on: () => undefined,
    removeListener: () => undefined,
  };
  registerIpcHandlers(main, app.handlers);
  return createIpcClient(renderer);
}

describe('access keys over HTTP and IPC', () => {
  let dir: string;
  const closers: (() => Promise<unknown>)[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gpuz-keys-transport-'));
    await writeFile(join(dir, 'index.html'), '<!doctype html>');
  });
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
    await rm(dir, { recursive: true, force: true });
  });

  async function appWith(secrets: SecretVault): Promise<AppService> {
    const app = createAppService({
      settings: createSettingsStore({ stateDir: dir, defaults: defaultSettings(dir, join(dir, 'log.txt')) }),
      secrets,
      openRuntime: async () => createFakeRuntime(),
      estimateCost: buildCostView,
      detectLogFiles: async () => [],
    });
    await app.start();
    closers.push(() => app.stop());
    return app;
  }

  async function httpClientFor(app: AppService): Promise<GpuzApi> {
    const server = await startHeadlessServer({
      handlers: app.handlers,
      events: app.events,
      rendererDir: dir,
      port: 0,
    });
    closers.push(() => server.close());
    return createHttpClient({ baseUrl: `http://127.0.0.1:${server.port}`, token: server.token, fetch });
  }

  for (const [transport, clientFor] of [
    ['HTTP', httpClientFor],
    ['IPC', async (app: AppService) => ipcClientFor(app)],
  ] as const) {
    it(`${transport}: save, status and forget; replies carry at most the id's last 4 characters`, async () => {
      const api = await clientFor(await appWith(createMemoryVault().vault));
      const replies: unknown[] = [];
      replies.push(await api.getAccessKeys());
      const invalid = await api.saveAccessKeys({ accessKeyId: 'AKIA123', secretAccessKey: SECRET });
      expect(invalid).toMatchObject({ ok: false, errors: [{ field: 'accessKeys.accessKeyId' }] });
      replies.push(invalid);
      const saved = await api.saveAccessKeys({ accessKeyId: ID, secretAccessKey: SECRET });
      expect(saved).toEqual({ ok: true, status: { stored: true, accessKeyIdLast4: 'MPLE' } });
      replies.push(saved, await api.getAccessKeys(), await api.getSettings());
      await expect(api.forgetAccessKeys()).resolves.toEqual({ stored: false });
      for (const reply of replies) {
        expect(JSON.stringify(reply)).not.toContain(SECRET);
        expect(JSON.stringify(reply)).not.toContain(ID);
      }
    });

    it(`${transport}: headless refusal arrives as { code, message, advice }`, async () => {
      const api = await clientFor(await appWith(createHeadlessVault()));
      const error = await api
        .saveAccessKeys({ accessKeyId: ID, secretAccessKey: SECRET })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'SECRETS_HEADLESS',
        message: expect.stringMatching(/cannot be saved in headless mode/),
        advice: expect.stringMatching(/named profile/),
      });
      expect(JSON.stringify({ ...(error as object), message: toError(error).message })).not.toContain(SECRET);
      await expect(api.getAccessKeys()).resolves.toMatchObject({ unavailable: { code: 'SECRETS_HEADLESS' } });
    });
  }
});
