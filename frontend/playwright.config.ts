import { defineConfig } from '@playwright/test';

// The server's port is fixed here, in the main process, so every worker (forked later) sees the same one.
process.env.CONSOLE_PORT ??= String(20000 + Math.floor(Math.random() * 20000));

/**
 * End-to-end tests: the packaged server (CONSOLE_SERVER_JAR) in its embedded dev mode, started by global-setup.ts
 * with a fresh data directory, driven through Debian's Chromium (CHROMIUM_PATH; Playwright downloads no browser).
 */
export default defineConfig({
  testDir: 'e2e',
  outputDir: 'e2e/.work/results',
  timeout: 90_000,
  expect: { timeout: 20_000 },
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  globalSetup: './e2e/global-setup.ts',
  use: {
    baseURL: `http://127.0.0.1:${process.env.CONSOLE_PORT}/console/`,
    viewport: { width: 1280, height: 860 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run',
        '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1'],
    },
  },
});
