import { expect, test } from '@playwright/test';
import { attemptDowngrade, handshakeFrom } from './fixtures/detection';
import { createIdentityWithKey } from './fixtures/identities';
import { E2E } from './fixtures/e2e-env';
import { signInAsAdmin } from './fixtures/session';

// Issue 7: a downgrade attempt (post-quantum offers stripped in transit) shows on the Alerts
// page and on the discovery map within 2 s, blocks its source, and an admin handles the alert.

const SERVER_URL = `${E2E.baseUrl}/api/mcp/inventory`;

test('a stripped post-quantum offer raises a critical alert on the Alerts page and the map within 2 s', async ({ page }) => {
  test.setTimeout(120_000);
  await signInAsAdmin(page);
  const { name, identityFile } = await createIdentityWithKey(page, 'downgraded');
  const source = `203.0.113.${1 + Math.floor(Math.random() * 250)}`;

  // The admin watches both pages while the attack happens.
  await page.goto('/alerts');
  const mapPage = await page.context().newPage();
  await mapPage.goto('/discovery');
  await expect(mapPage.getByRole('region', { name: 'Discovery map' })).toBeVisible();

  expect(await attemptDowngrade(SERVER_URL, identityFile, source)).toBe('downgrade_detected');
  const row = page.getByRole('row').filter({ hasText: name }).filter({ hasText: 'Downgrade attempt' });
  await expect(row).toBeVisible({ timeout: 2000 });
  await expect(mapPage.locator(`[data-node-label="${name}"]`).getByLabel(/open alerts/)).toBeVisible({ timeout: 2000 });
  await expect(row.getByText('critical')).toBeVisible();
  await expect(row).toContainText(source);

  // block_downgrade_attempts (on by default): the source is refused; other sources are not.
  expect(await handshakeFrom(SERVER_URL, identityFile, source)).toBe('downgrade_detected');
  expect(await handshakeFrom(SERVER_URL, identityFile, '198.51.100.23')).toBe('ok');

  // The alert links to the audit events behind it and to the map.
  await expect(row.getByRole('link', { name: 'Audit events' })).toHaveAttribute('href', /action=detection\.downgrade/);
  await row.getByRole('link', { name: 'Audit events' }).click();
  await expect(page.getByRole('table').getByText('detection.downgrade').first()).toBeVisible();
  await page.goBack();

  // Acknowledge, then resolve: it leaves the active list and stays under "Resolved".
  await row.getByRole('button', { name: /^Acknowledge:/ }).click();
  await expect(row.getByText('acknowledged')).toBeVisible();
  await row.getByRole('button', { name: /^Resolve:/ }).click();
  await expect(row).toHaveCount(0);
  await page.goto(`/alerts?status=resolved&q=${encodeURIComponent(source)}`);
  await expect(page.getByRole('row').filter({ hasText: name }).getByText('resolved')).toBeVisible();
  await mapPage.close();
});

test('the discovery map data is refused to a signed-out caller', async ({ request }) => {
  const res = await request.get('/api/discovery/graph', { maxRedirects: 0 });
  expect(res.status()).toBe(401);
});
