import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { signInAsAdmin } from './fixtures/session';

// One test walks the whole policy life cycle in order, since each step changes the policy in force.
test('import the DESIGN.md snippet, catch a bad edit at its line, diff, switch to monitor, roll back, export', async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto('/policies');
  const startVersion = Number((await page.getByRole('heading', { name: /Active policy: v\d+/ }).textContent())?.match(/v(\d+)/)?.[1]);

  // Import the snippet security teams already write, as it stands.
  const importForm = page.getByRole('form', { name: 'Import a policy file' });
  await importForm.getByLabel('Import a YAML file').setInputFiles(join(import.meta.dirname, 'fixtures/design-policy.yaml'));
  await importForm.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(importForm.getByRole('status')).toContainText(`design-policy.yaml imported as v${startVersion + 1} (enforce)`);
  await expect(page.getByRole('heading', { name: `Active policy: v${startVersion + 1}` })).toBeVisible();
  await expect(page.getByLabel('Policy (YAML)')).toHaveValue(/enforce_pqc: true/);

  // A typo is refused with its line, and nothing is saved.
  const editor = page.getByRole('form', { name: 'Edit the policy' });
  await editor.getByLabel('Policy (YAML)').fill('p2p_connectivity:\n  enforce_pqc: true\n  allowed_algos: ["ML-KEM-768", "RSA-2048"]\n');
  await editor.getByRole('button', { name: 'Save as new version' }).click();
  await expect(editor.getByRole('list', { name: 'Policy problems' })).toContainText('line 3');
  await expect(editor.getByRole('list', { name: 'Policy problems' })).toContainText('expected an algorithm');
  await expect(page.getByRole('heading', { name: `Active policy: v${startVersion + 1}` })).toBeVisible();

  // Monitor mode is a new version too.
  await page.getByRole('button', { name: 'Switch to monitor mode' }).click();
  await expect(page.getByText(`The gateway now decides and logs but does not block (v${startVersion + 2})`)).toBeVisible();

  // Diff the import against the monitor switch.
  const compare = page.getByRole('form', { name: 'Compare versions' });
  await compare.getByLabel('Compare', { exact: true }).selectOption(String(startVersion + 1));
  await compare.getByLabel('with', { exact: true }).selectOption(String(startVersion + 2));
  await compare.getByRole('button', { name: 'Show diff' }).click();
  const diff = page.getByLabel(`Changes from v${startVersion + 1} to v${startVersion + 2}`);
  await expect(diff).toContainText('removed: mode: enforce');
  await expect(diff).toContainText('added: mode: monitor');

  // Roll back to what was in force before the import.
  await page.getByRole('button', { name: `Roll back to v${startVersion}` }).click();
  await expect(page.getByRole('heading', { name: `Active policy: v${startVersion + 3}` })).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(`v${startVersion + 3} active`) })).toContainText(`Rolled back to v${startVersion}`);

  // Export downloads the YAML in force.
  const response = await page.request.get('/api/policies/active');
  expect(response.headers()['content-disposition']).toContain(`pqgate-policy-v${startVersion + 3}.yaml`);
  expect(await response.text()).not.toContain('enforce_pqc: true');
});

test('policy export and floors actions are refused to signed-out callers', async ({ browser }) => {
  const anonymous = await (await browser.newContext()).newPage();
  const response = await anonymous.request.get('/api/policies/active');
  expect(response.status()).toBe(401);
  expect((await response.json()).error.code).toBe('unauthenticated');
});
