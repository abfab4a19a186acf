import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { expect, test } from '@playwright/test';
import { E2E } from './fixtures/e2e-env';
import { createIdentityWithKey } from './fixtures/identities';
import { signInAsAdmin } from './fixtures/session';

// Issue 4's acceptance: an admin sets a floor on a tool in the console; a classical (bearer
// token) client's next call is refused while a post-quantum client (pqgate connect) succeeds.

const SERVER_URL = `${E2E.baseUrl}/api/mcp/inventory`;

function textOf(result: unknown): string {
  return ((result as { content?: { type: string; text?: string }[] }).content ?? []).map((c) => c.text ?? '').join('\n');
}

test('a floor set in the console refuses the classical client and lets the post-quantum one through', async ({ page }) => {
  test.setTimeout(120_000);
  await signInAsAdmin(page);
  // An ML-DSA identity made in the browser (its file is what pqgate connect reads) ...
  const { name, identityFile, dir } = await createIdentityWithKey(page, 'gw-client');
  // ... and an API token for the same identity's classical client.
  const issue = page.getByRole('form', { name: 'Issue an API token' });
  await issue.getByLabel('Token name').fill('classical-client');
  await issue.getByRole('button', { name: 'Issue token' }).click();
  const token = await issue.getByLabel('New token (shown once)').inputValue();

  const classical = new Client({ name: 'e2e-classical', version: '1.0.0' });
  await classical.connect(new StreamableHTTPClientTransport(new URL(SERVER_URL), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  const tools = await classical.listTools();
  expect(tools.tools.map((t) => t.name)).toContain('get_stock');
  expect(textOf(await classical.callTool({ name: 'get_stock', arguments: { sku: 'TL-1001' } }))).toContain('TL-1001');

  // The admin raises get_stock to ML-KEM-768 on the Tools page.
  await page.goto('/tools?server=inventory');
  await page.getByRole('checkbox', { name: 'Select inventory/get_stock' }).check();
  const bulk = page.getByRole('form', { name: 'Selected tools' });
  await bulk.getByLabel('Floor for the selected tools').selectOption('ML-KEM-768');
  await bulk.getByRole('button', { name: 'Set floor' }).click();
  await expect(bulk.getByRole('status')).toContainText('Set tool inventory/get_stock to ML-KEM-768');
  await expect(page.getByRole('row').filter({ hasText: 'get_stock' }).getByText('from tool inventory/get_stock')).toBeVisible();

  // The classical client's next call is refused, and told why and what to do.
  await expect
    .poll(async () => {
      try {
        return textOf(await classical.callTool({ name: 'get_stock', arguments: { sku: 'TL-1001' } }));
      } catch (error) {
        return (error as Error).message;
      }
    }, { timeout: 5000 })
    .toMatch(/requires ML-KEM-768.*classical-bearer.*pqgate connect/s);
  await classical.close();

  // The post-quantum client through pqgate connect succeeds.
  const keys = await (await fetch(`${SERVER_URL}/pq/keys`)).text();
  const trustFile = join(dir, 'gateway-keys.json');
  writeFileSync(trustFile, keys);
  const pq = new Client({ name: 'e2e-pq', version: '1.0.0' });
  const connector = new StdioClientTransport({ command: process.execPath, args: ['bin/pqgate.mjs', 'connect', SERVER_URL, '--identity', identityFile, '--trust', trustFile, '--trust-state', join(dir, 'trust-state.json')], stderr: 'pipe' });
  let connectorLog = '';
  connector.stderr?.on('data', (chunk) => (connectorLog += String(chunk)));
  try {
    await pq.connect(connector);
    expect(textOf(await pq.callTool({ name: 'get_stock', arguments: { sku: 'TL-1001' } }))).toContain('TL-1001');
  } catch (error) {
    throw new Error(`${(error as Error).message}\npqgate connect said:\n${connectorLog}`);
  }
  await pq.close();

  // The console saw both: the refused classical call and the allowed post-quantum one.
  // Traffic is written in batches (every 500 ms): the server-rendered table shows it on a reload.
  const rows = page.getByRole('row').filter({ hasText: name }).filter({ hasText: 'get_stock' });
  await expect(async () => {
    await page.goto('/discovery');
    await expect(rows.filter({ hasText: 'classical-bearer' })).toBeVisible({ timeout: 1000 });
    await expect(rows.filter({ hasText: 'hybrid-xwing-mldsa65' })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 10_000 });
});
