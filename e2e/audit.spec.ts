import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { E2E } from './fixtures/e2e-env';
import { signInAsAdmin } from './fixtures/session';

// Other specs append audit events while these run: assertions hold for any interleaving (a
// bundle stops at the checkpoint signed for it; "verify now" accepts later, unsigned events).

/** `pqgate audit ...` through bin/pqgate.mjs, or the command module itself until the dispatcher knows `audit`. */
function pqgateAudit(args: string[]) {
  const viaBin = spawnSync(process.execPath, ['bin/pqgate.mjs', 'audit', '--help'], { encoding: 'utf8' });
  const command = viaBin.status === 0 && viaBin.stdout.includes('pqgate audit verify')
    ? ['bin/pqgate.mjs', 'audit', ...args]
    : ['--import', 'tsx', '--input-type=module', '-e', "process.exitCode = await (await import('./gateway/cli/audit.ts')).main(process.argv.slice(1));", 'audit', ...args];
  return spawnSync(process.execPath, command, { encoding: 'utf8', timeout: 60_000 });
}

test('an admin exports a bundle that pqgate audit verify accepts with the pinned key, and "verify now" finds the log intact', async ({ page, request }) => {
  await signInAsAdmin(page);
  await page.goto('/audit');
  await page.getByRole('button', { name: 'Verify now' }).click();
  await expect(page.getByRole('status', { name: 'Verification result' })).toContainText('Log intact', { timeout: 30_000 });

  // The auditor pins the key from the public endpoint, apart from the bundle.
  const keyResponse = await request.get('/.well-known/pqgate/audit-key');
  expect(keyResponse.ok()).toBe(true);
  const key = (await keyResponse.text()).split('\n')[0]!;
  expect(key).toMatch(/^[^+\s]+\+[0-9a-f]{8}\+/);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export bundle' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^pqgate-audit-.*\.json$/);
  const file = join(mkdtempSync(join(tmpdir(), 'pqgate-audit-e2e-')), download.suggestedFilename());
  await download.saveAs(file);
  const bundle = JSON.parse(readFileSync(file, 'utf8')) as { events: { event: { action: string } }[]; checkpoints: string[] };
  expect(bundle.checkpoints.length).toBeGreaterThan(0);
  expect(bundle.events.some((e) => e.event.action === 'audit.export')).toBe(true);

  const cli = pqgateAudit(['verify', file, '--key', key]);
  expect(cli.stdout, cli.stderr).toContain('VALID: every event matches the signed checkpoints.');
  expect(cli.status).toBe(0);
  expect(cli.stdout).toContain('[pinned with --key]');
});

test('the audit log is searched by actor, action and decision, and an event shows its verified inclusion proof', async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto('/audit');
  const search = page.getByRole('form', { name: 'Search the audit log' });
  await search.getByLabel('Actor').fill(E2E.admin.email);
  await search.getByLabel('Action').fill('auth.sign_in');
  await search.getByLabel('Decision').selectOption('ok');
  await search.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/action=auth.sign_in/);
  const rows = page.getByRole('table', { name: 'Audit events' }).locator('tbody tr');
  await expect(rows.first()).toContainText('auth.sign_in');
  for (const text of await rows.allInnerTexts()) {
    expect(text).toContain(E2E.admin.email);
    expect(text).toContain('auth.sign_in');
  }
  // A failed sign-in logs the address typed only as a pseudonym (a salted HMAC).
  const nobody = `nobody-${Date.now().toString(36)}@e2e.test`;
  await page.context().clearCookies();
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(nobody);
  await page.getByLabel('Password').fill('not the password at all');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await signInAsAdmin(page);
  await page.goto(`/audit?action=auth.sign_in_failed`);
  await expect(rows.first()).toContainText('hmac:');
  await expect(page.getByText(nobody)).toHaveCount(0);

  await page.goto(`/audit?action=auth.sign_in&actor=${encodeURIComponent(E2E.admin.email)}`);
  await rows.first().getByRole('link').click();
  await expect(page.getByRole('heading', { name: /Audit event #\d+/, level: 1 })).toBeVisible();
  await expect(page.getByRole('status', { name: 'Proof result' })).toContainText('Verified');
});

test('the bundle and the checks refuse signed-out callers', async ({ request }) => {
  expect((await request.get('/api/audit/bundle')).status()).toBe(401);
  expect((await request.post('/api/audit/verify')).status()).toBe(401);
  expect((await request.get('/api/audit/proofs?seq=0')).status()).toBe(401);
});
