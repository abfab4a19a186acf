import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { signInAsAdmin } from './fixtures/session';

// One test walks the whole policy life cycle in order, since each step changes the policy in force.
test('import the DESIGN.md snippet (merged, then replacing), catch a bad edit at its line, review an edit, diff, switch to monitor, roll back, export', async ({ page }) => {
  await signInAsAdmin(page);
  const consoleErrors: string[] = [];
  page.on('console', (m) => void (m.type() === 'error' && consoleErrors.push(m.text())));
  await page.goto('/policies');
  const startVersion = Number((await page.getByRole('heading', { name: /Active policy: v\d+/ }).textContent())?.match(/v(\d+)/)?.[1]);
  const floorsInForce = page.getByRole('region', { name: 'Floors in force' });
  await expect(floorsInForce).toContainText('healthcare');

  // Import the snippet security teams already write, as it stands: by default it merges, and
  // the confirmation lists what it changes before anything is saved. It mentions no floor, so none goes.
  const importForm = page.getByRole('form', { name: 'Import a policy file' });
  await importForm.getByLabel('Import a YAML file').setInputFiles(join(import.meta.dirname, 'fixtures/design-policy.yaml'));
  await expect(importForm.getByRole('radio', { name: /Merge/ })).toBeChecked();
  await importForm.getByRole('button', { name: 'Review import' }).click();
  const mergeReview = page.getByRole('form', { name: `Importing design-policy.yaml (merged into v${startVersion})` });
  const mergeChanges = mergeReview.getByRole('list', { name: 'Changes to be saved' });
  await expect(mergeChanges).toContainText('p2p_connectivity.enforce_pqc: false → true');
  await expect(mergeChanges).toContainText('p2p_connectivity.allowed_algos: any suite → ML-KEM-768, ML-DSA-65');
  await expect(mergeChanges).not.toContainText('removed');
  await page.screenshot({ path: test.info().outputPath('import-merge-review.png'), fullPage: true });
  await expect(page.getByRole('heading', { name: `Active policy: v${startVersion}` })).toBeVisible(); // nothing saved yet
  await mergeReview.getByRole('button', { name: `Confirm and save as v${startVersion + 1}` }).click();
  await expect(page.getByText(`design-policy.yaml merged into v${startVersion}: saved as v${startVersion + 1} (enforce), 2 change(s).`)).toBeVisible();
  await expect(page.getByRole('heading', { name: `Active policy: v${startVersion + 1}` })).toBeVisible();
  await expect(page.getByLabel('Policy (YAML)')).toHaveValue(/enforce_pqc: true/);
  await expect(page.getByLabel('Policy (YAML)')).toHaveValue(/healthcare: ML-KEM-768/);
  await expect(floorsInForce).toContainText('healthcare');

  // Replacing is an explicit choice, and its confirmation names each floor it drops as weakening.
  await importForm.getByLabel('Import a YAML file').setInputFiles(join(import.meta.dirname, 'fixtures/design-policy.yaml'));
  await importForm.getByRole('radio', { name: /Replace/ }).check();
  await importForm.getByRole('button', { name: 'Review import' }).click();
  const replaceReview = page.getByRole('form', { name: `Importing design-policy.yaml (replacing v${startVersion + 1})` });
  const removal = replaceReview.getByRole('listitem').filter({ hasText: 'floor of label healthcare removed (was ML-KEM-768)' });
  await expect(removal).toBeVisible();
  await expect(removal).toContainText('weakens');
  await expect(importForm.getByRole('radio', { name: /Replace/ })).toBeChecked(); // the choice still shows beside its review
  await page.screenshot({ path: test.info().outputPath('import-replace-review.png'), fullPage: true });
  await replaceReview.getByRole('button', { name: `Confirm and save as v${startVersion + 2}` }).click();
  await expect(page.getByText(`design-policy.yaml replaced v${startVersion + 1}: saved as v${startVersion + 2} (enforce)`)).toBeVisible();
  await expect(floorsInForce).toContainText('None: every tool is open');

  // A typo is refused with its line, and nothing is saved.
  const editor = page.getByRole('form', { name: 'Edit the policy' });
  await editor.getByLabel('Policy (YAML)').fill('p2p_connectivity:\n  enforce_pqc: true\n  allowed_algos: ["ML-KEM-768", "RSA-2048"]\n');
  await editor.getByRole('button', { name: 'Save as new version' }).click();
  await expect(editor.getByRole('list', { name: 'Policy problems' })).toContainText('line 3');
  await expect(editor.getByRole('list', { name: 'Policy problems' })).toContainText('expected an algorithm');
  await expect(page.getByRole('heading', { name: `Active policy: v${startVersion + 2}` })).toBeVisible();

  // "Save as new version" confirms as import does; cancelling keeps the edit and saves nothing.
  await editor.getByLabel('Policy (YAML)').fill('p2p_connectivity:\n  enforce_pqc: true\n  allowed_algos: ["ML-KEM-768", "ML-DSA-65"]\nfloors:\n  labels: { pii: ML-KEM-1024 }\n');
  await editor.getByRole('button', { name: 'Save as new version' }).click();
  const editReview = page.getByRole('form', { name: "Saving the editor's policy (it replaces the one in force)" });
  await expect(editReview.getByRole('list', { name: 'Changes to be saved' })).toContainText('floor of label pii added: ML-KEM-1024');
  await editReview.getByRole('button', { name: 'Cancel' }).click();
  await expect(editReview).toHaveCount(0);
  await expect(editor.getByLabel('Policy (YAML)')).toHaveValue(/pii: ML-KEM-1024/);
  await expect(page.getByRole('heading', { name: `Active policy: v${startVersion + 2}` })).toBeVisible();

  // Monitor mode is a new version too.
  await page.getByRole('button', { name: 'Switch to monitor mode' }).click();
  await expect(page.getByText(`The gateway now decides and logs but does not block (v${startVersion + 3})`)).toBeVisible();

  // Diff the replacing import against the monitor switch.
  const compare = page.getByRole('form', { name: 'Compare versions' });
  await compare.getByLabel('Compare', { exact: true }).selectOption(String(startVersion + 2));
  await compare.getByLabel('with', { exact: true }).selectOption(String(startVersion + 3));
  await compare.getByRole('button', { name: 'Show diff' }).click();
  const diff = page.getByLabel(`Changes from v${startVersion + 2} to v${startVersion + 3}`);
  await expect(diff).toContainText('removed: mode: enforce');
  await expect(diff).toContainText('added: mode: monitor');

  // Roll back to what was in force before the imports.
  await page.getByRole('button', { name: `Roll back to v${startVersion}` }).click();
  await expect(page.getByRole('heading', { name: `Active policy: v${startVersion + 4}` })).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(`v${startVersion + 4} active`) })).toContainText(`Rolled back to v${startVersion}`);

  // Export downloads the YAML in force.
  const response = await page.request.get('/api/policies/active');
  expect(response.headers()['content-disposition']).toContain(`pqgate-policy-v${startVersion + 4}.yaml`);
  expect(await response.text()).not.toContain('enforce_pqc: true');
  expect(consoleErrors).toEqual([]);
});

test('policy export and floors actions are refused to signed-out callers', async ({ browser }) => {
  const anonymous = await (await browser.newContext()).newPage();
  const response = await anonymous.request.get('/api/policies/active');
  expect(response.status()).toBe(401);
  expect((await response.json()).error.code).toBe('unauthenticated');
});
