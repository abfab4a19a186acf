import { expect, test } from '@playwright/test';
import { signInAsAdmin } from './fixtures/session';

test('an admin registers a stdio server; the gateway starts it and lists its tools', async ({ page }) => {
  await signInAsAdmin(page);
  const slug = `stock-${Date.now().toString(36)}`;
  await page.goto('/servers');
  const form = page.getByRole('form', { name: 'Register a server' });
  await form.getByLabel('Name in the URL').fill(slug);
  await form.getByLabel('Display name').fill('Stock over stdio');
  await form.getByLabel('Labels').fill('retail');
  await form.getByLabel('Transport').selectOption('stdio');
  await form.getByLabel('Command').fill(process.execPath);
  await form.getByLabel('Arguments').fill('node_modules/tsx/dist/cli.mjs\nscripts/demo-upstreams/main.ts\ninventory\n--stdio');
  await form.getByLabel('Secret environment').fill('DEMO_API_KEY=not-shown-anywhere');
  await form.getByRole('button', { name: 'Register server' }).click();
  await expect(form.getByRole('status')).toContainText(`${slug} registered and its tools listed`, { timeout: 30_000 });

  const row = page.getByRole('row').filter({ hasText: `/api/mcp/${slug}` });
  await expect(row.getByText('credentials: sealed')).toBeVisible();
  await expect(row.getByText('connected')).toBeVisible();
  await expect(page.getByText('not-shown-anywhere')).toHaveCount(0);

  await page.goto(`/tools?server=${slug}`);
  await expect(page.getByRole('heading', { name: /Stock over stdio/ })).toBeVisible();
  await expect(page.getByRole('checkbox', { name: `Select ${slug}/reserve_stock` })).toBeVisible();

  // The secret went nowhere readable: not in the audit log either.
  await page.goto('/audit');
  await expect(page.getByText('not-shown-anywhere')).toHaveCount(0);
});

test('a server the gateway cannot reach is registered, shown down with the reason, and can be removed', async ({ page }) => {
  await signInAsAdmin(page);
  const slug = `nowhere-${Date.now().toString(36)}`;
  await page.goto('/servers');
  const form = page.getByRole('form', { name: 'Register a server' });
  await form.getByLabel('Name in the URL').fill(slug);
  await form.getByLabel('Display name').fill('Unreachable');
  await form.getByLabel('URL', { exact: true }).fill('http://127.0.0.1:9/mcp');
  await form.getByRole('button', { name: 'Register server' }).click();
  await expect(form.getByRole('status')).toContainText(`${slug} registered, but the gateway cannot reach it yet`, { timeout: 30_000 });
  const row = page.getByRole('row').filter({ hasText: `/api/mcp/${slug}` });
  await expect(row.getByText('down', { exact: true })).toBeVisible();

  page.once('dialog', (d) => void d.accept());
  await row.getByRole('button', { name: `Remove ${slug}` }).click();
  await expect(page.getByRole('row').filter({ hasText: `/api/mcp/${slug}` })).toHaveCount(0);
  const gone = await page.request.post(`/api/mcp/${slug}`, { data: { jsonrpc: '2.0', id: 1, method: 'ping' } });
  expect(gone.status()).toBe(404);
});
