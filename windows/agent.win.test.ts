/**
 * `gpuz-cloud agent` as a Windows program: node.exe under Wine tails the log in `C:\Users\Jörg\Documents`, keeps
 * its settings in `%APPDATA%\GPU-Z Cloud` and serves the dashboard on 127.0.0.1, which Chromium on the host opens.
 * Ctrl+C then stops it the way the tray app's Quit does (the same app service): what is complete is sealed,
 * stored and processed.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/support/chromium';
import { columnValues, readSample, shiftToNow } from '../e2e/support/log-writer';
import { logDataLines, storedKeys, storedLines } from '../src/test-support/store-lines';
import { REPO_ROOT } from './support/requirements.mjs';
import { skipNote, useWine, WINE_SKIP } from './support/suite';
import { freshUserPaths, LOG, STORE } from './support/user-paths';

/** Overview readings and the sample column each must equal (the last row's value). */
const LIVE_COLUMNS: [string, string][] = [
  ['gpu_temperature_c', 'GPU Temperature'],
  ['gpu_clock_mhz', 'GPU Clock'],
  ['board_power_draw_w', 'Board Power Draw'],
  ['memory_used_mb', 'Memory Used'],
];

describe.skipIf(WINE_SKIP !== null)(
  `agent under Wine with node.exe, dashboard in Chromium${skipNote()}`,
  () => {
    const wine = useWine();

    it('the Overview shows the Windows log path and its live readings; Ctrl+C seals, stores and processes every row', async () => {
      // Prepare: the first 20 rows of a real sample, stamped up to now in the zone the Windows side reports.
      const paths = freshUserPaths(wine());
      const log = shiftToNow(
        readSample('gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt'),
        Date.now() - 1000,
        wine().info.timeZone,
      );
      const bytes = (rows: string[]) => Buffer.from(rows.map((row) => row + log.eol).join(''), 'latin1');
      writeFileSync(
        paths.log,
        Buffer.concat([Buffer.from(log.header + log.eol, 'latin1'), bytes(log.rows.slice(0, 20))]),
      );
      const agent = wine().spawnNode(
        ['bin/gpuz-cloud.mjs', 'agent', '--port', '0', '--file', LOG, '--local', STORE, '--interval', '60'],
        'agent',
      );
      const [, url] = await agent.waitFor(/Dashboard: (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/);
      const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });

      try {
        // Act: open the dashboard, then GPU-Z appends the other rows.
        const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, colorScheme: 'dark' });
        await page.goto(`${url}#overview`);
        await expect
          .poll(() => page.getByTestId('state').textContent(), { timeout: 30_000 })
          .toBe('watching');
        for (let i = 20; i < log.rows.length; i += 40)
          await appendFile(paths.log, bytes(log.rows.slice(i, i + 40)));

        // Assess: the readings are the last row's.
        expect(await page.getByTestId('log-path').textContent()).toBe(LOG);
        const last = log.rows.length - 1;
        for (const [key, column] of LIVE_COLUMNS) {
          await expect
            .poll(() => page.getByTestId(`reading-${key}`).getAttribute('data-value'), { timeout: 30_000 })
            .toBe(String(columnValues(log, column)[last]));
        }
        const shots = join(REPO_ROOT, 'test-results', 'windows');
        mkdirSync(shots, { recursive: true });
        await page.screenshot({ path: join(shots, 'overview-under-wine.png') });
      } finally {
        await browser.close();
      }
      const code = await agent.ctrlC();

      // Assess: Ctrl+C sealed and stored every row, processed it, and left the state in %APPDATA%.
      expect(code, agent.stderr()).toBe(0);
      expect(agent.stdout()).toContain('Stopping (SIGINT): sealing and uploading what is complete');
      const stored = storedLines(paths.store);
      expect(storedKeys(paths.store, 'processed')).toHaveLength(stored.objects);
      expect(stored.data.length).toBe(log.rows.length);
      expect([...stored.data].sort()).toEqual(logDataLines(readFileSync(paths.log)).sort());
      const settings = JSON.parse(readFileSync(join(paths.state, 'settings.json'), 'utf8'));
      expect(settings.logPath).toBe(LOG);
      expect(settings.target).toMatchObject({ kind: 'local', dir: STORE });
      expect(existsSync(join(paths.state, 'agent.lock'))).toBe(false);
    });
  },
);
