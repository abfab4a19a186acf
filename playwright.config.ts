import { defineConfig } from '@playwright/test';
import { E2E } from './e2e/fixtures/e2e-env';

// Browser tests drive Debian's Chromium (never a downloaded browser) against one server
// built and started once for the whole run, on its own ports and a fresh data folder.
export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: '.data/test-results/playwright.json' }]],
  use: {
    baseURL: E2E.baseUrl,
    trace: 'retain-on-failure',
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.PQGATE_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  // The policy life-cycle test changes the policy in force (enforce_pqc, monitor mode), so it
  // runs on its own after everything else instead of beside the gateway tests.
  projects: [
    { name: 'console', testIgnore: ['**/policies.spec.ts'] },
    { name: 'policies', testMatch: ['**/policies.spec.ts'], dependencies: ['console'] },
  ],
  webServer: {
    command: `rm -rf ${E2E.dataDir} && npx tsx scripts/start.ts`,
    url: `${E2E.baseUrl}/api/health`,
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      PORT: String(E2E.port),
      PQGATE_DATA_DIR: E2E.dataDir,
      PQGATE_SECRETS_FILE: `${E2E.dataDir}/secrets.env`,
      ADMIN_EMAIL: E2E.admin.email,
      ADMIN_PASSWORD: E2E.admin.password,
      PQGATE_DEMO_CLINIC_PORT: String(E2E.port + 1),
      PQGATE_DEMO_INVENTORY_PORT: String(E2E.port + 2),
      NEXT_TELEMETRY_DISABLED: '1',
      // The detection tests play a proxy on loopback that forwards for TEST-NET sources.
      PQGATE_TRUSTED_PROXIES: '127.0.0.1, ::1',
    },
  },
});
