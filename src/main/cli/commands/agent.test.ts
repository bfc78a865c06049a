import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../../shared/errors';
import { DASHBOARD_TOKEN_ENV, dashboardTokenOf, runAgent } from './agent';

describe('the headless dashboard token from the environment', () => {
  const strong = 'Kq3vN8xTzR4mW1pL6yH9cB2fJ5sD0gE7-_aZ';

  it('unset or empty: none (a random token per start); a long URL-safe value: that token', () => {
    expect(dashboardTokenOf({})).toBeUndefined();
    expect(dashboardTokenOf({ [DASHBOARD_TOKEN_ENV]: '  ' })).toBeUndefined();
    expect(dashboardTokenOf({ [DASHBOARD_TOKEN_ENV]: ` ${strong}\n` })).toBe(strong);
  });

  it('refuses a short one or one a URL would change, without repeating it', () => {
    for (const [value, says] of [
      ['0123456789abcdef0123456789abcde', '31 characters long; it must be at least 32'],
      [`${strong}&x=1`, 'not made of letters, digits'],
      [`${strong} space`, 'not made of letters, digits'],
    ] as const) {
      let error: unknown;
      try {
        dashboardTokenOf({ [DASHBOARD_TOKEN_ENV]: value });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('BAD_DASHBOARD_TOKEN');
      expect((error as AppError).message).toContain(says);
      expect((error as AppError).message).not.toContain(value.trim()); // a secret: never printed
    }
  });

  it('a refused token stops the start before anything is written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpuz-agent-token-'));
    try {
      const start = runAgent(
        {
          port: 0,
          open: false,
          stateDir: join(dir, 'state'),
          file: join(dir, 'log.txt'),
          local: join(dir, 'store'),
        },
        { env: { [DASHBOARD_TOKEN_ENV]: 'short' }, platform: 'linux', home: dir },
      );
      await expect(start).rejects.toMatchObject({ code: 'BAD_DASHBOARD_TOKEN' });
      expect(existsSync(join(dir, 'state'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('gpuz-cloud agent: a refused start', () => {
  it('a port in use refuses the start before anything is written, and leaves no agent running', async () => {
    // Arrange: the port is another program's; the options would change the settings
    const dir = mkdtempSync(join(tmpdir(), 'gpuz-agent-port-'));
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as AddressInfo;
    mkdirSync(join(dir, 'renderer'));
    writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html>');
    try {
      // Act
      const start = runAgent(
        {
          port,
          open: false,
          stateDir: join(dir, 'state'),
          file: join(dir, 'log.txt'),
          local: join(dir, 'store'),
          rendererDir: join(dir, 'renderer'),
        },
        { env: {}, platform: 'linux', home: dir },
      );
      // Assess: before, the agent started (options saved, lock taken) and was left running without a dashboard
      await expect(start).rejects.toMatchObject({ code: 'PORT_IN_USE' });
      expect(existsSync(join(dir, 'state', 'settings.json'))).toBe(false);
      expect(existsSync(join(dir, 'state', 'agent.lock'))).toBe(false);
    } finally {
      busy.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
