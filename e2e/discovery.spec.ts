import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { createIdentityWithKey } from './fixtures/identities';
import { E2E } from './fixtures/e2e-env';
import { signInAsAdmin } from './fixtures/session';

// Issue 7: the map shows a new connector's edge, in the colour of its suite, within 2 s of its
// first call, without a reload; clicking the edge shows its details.

const SERVER_URL = `${E2E.baseUrl}/api/mcp/inventory`;

test("a new connector's first call appears on the live map in its suite's colour within 2 s", async ({ page }) => {
  test.setTimeout(120_000);
  await signInAsAdmin(page);
  const { name, identityFile, dir } = await createIdentityWithKey(page, 'new-connector');
  await page.goto('/discovery');
  const map = page.getByRole('region', { name: 'Discovery map' });
  await expect(map).toBeVisible();
  const edge = map.locator(`path[data-edge="${name} → gateway"]`);
  await expect(edge).toHaveCount(0);

  const trustFile = join(dir, 'gateway-keys.json');
  writeFileSync(trustFile, await (await fetch(`${SERVER_URL}/pq/keys`)).text());
  const pq = new Client({ name: 'e2e-map', version: '1.0.0' });
  const connector = new StdioClientTransport({ command: process.execPath, args: ['bin/pqgate.mjs', 'connect', SERVER_URL, '--identity', identityFile, '--trust', trustFile, '--trust-state', join(dir, 'trust-state.json')], stderr: 'pipe' });
  await pq.connect(connector);
  await pq.callTool({ name: 'get_stock', arguments: { sku: 'TL-1001' } });

  // An ML-DSA-65 identity negotiates the hybrid suite: post-quantum category 3, drawn blue.
  await expect(edge).toHaveAttribute('data-strength', 'pq3', { timeout: 2000 });
  await expect(edge).toHaveAttribute('stroke', '#2563eb');
  await pq.close();

  // A click at the edge's centre can land on a node drawn over it; dispatch it to the edge itself.
  await edge.locator('xpath=..').dispatchEvent('click');
  const details = page.getByRole('complementary', { name: 'Details' });
  await expect(details).toContainText(`${name} → gateway`);
  await expect(details).toContainText('hybrid-xwing-mldsa65');

  // Filters: the classical-only map does not show this post-quantum edge.
  await page.goto('/discovery?suite=classical');
  await expect(page.getByRole('region', { name: 'Discovery map' })).toBeVisible();
  await expect(page.locator(`path[data-edge="${name} → gateway"]`)).toHaveCount(0);
});
