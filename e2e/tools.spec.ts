import { expect, test } from '@playwright/test';
import { createUserViaSettings, signInAsAdmin, uniqueEmail } from './fixtures/session';

// The demo's clinic-records tools are listed at start-up; discovery suggests labels for them.
test('floors on many tools at once, a confirmed label carrying its floor, and filters', async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto('/tools?server=clinic-records');
  await expect(page.getByRole('checkbox', { name: 'Select clinic-records/list_medications' })).toBeVisible({ timeout: 15_000 });

  // Bulk: two tools to ML-KEM-1024.
  await page.getByRole('checkbox', { name: 'Select clinic-records/list_medications' }).check();
  await page.getByRole('checkbox', { name: 'Select clinic-records/check_drug_interaction' }).check();
  const bulk = page.getByRole('form', { name: 'Selected tools' });
  await bulk.getByLabel('Floor for the selected tools').selectOption('ML-KEM-1024');
  await bulk.getByRole('button', { name: 'Set floor' }).click();
  await expect(bulk.getByRole('status')).toContainText('Set 2 tools to ML-KEM-1024');
  for (const tool of ['list_medications', 'check_drug_interaction']) {
    await expect(page.getByRole('row').filter({ hasText: tool }).getByText(`from tool clinic-records/${tool}`)).toBeVisible();
  }

  // A suggested label carries no floor until confirmed; confirming it applies the label's floor.
  const row = page.getByRole('row').filter({ has: page.getByRole('checkbox', { name: 'Select clinic-records/search_patients' }) });
  const suggestion = row.getByRole('button', { name: /Confirm label/ }).first();
  if (await suggestion.count()) await suggestion.click();
  await page.getByRole('form', { name: 'Floor of label healthcare' }).getByLabel('Floor of label healthcare').selectOption('ML-KEM-768');
  await page.getByRole('form', { name: 'Floor of label healthcare' }).getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('form', { name: 'Floor of label healthcare' }).getByRole('status')).toContainText('Set label healthcare to ML-KEM-768');

  // The filter narrows to one label; the policy page shows the versions these changes made.
  await page.goto('/tools?label=healthcare&q=chart');
  await expect(page.getByRole('checkbox', { name: 'Select clinic-records/read_chart' })).toBeVisible();
  await expect(page.getByRole('checkbox', { name: 'Select clinic-records/list_medications' })).toHaveCount(0);
  await page.goto('/policies');
  await expect(page.getByRole('cell', { name: 'Set 2 tools to ML-KEM-1024' })).toBeVisible();

  // Clear the floors again so other tests see the demo policy.
  await page.goto('/tools?server=clinic-records');
  await page.getByRole('checkbox', { name: 'Select clinic-records/list_medications' }).check();
  await page.getByRole('checkbox', { name: 'Select clinic-records/check_drug_interaction' }).check();
  await page.getByRole('form', { name: 'Selected tools' }).getByLabel('Floor for the selected tools').selectOption('none');
  await page.getByRole('form', { name: 'Selected tools' }).getByRole('button', { name: 'Set floor' }).click();
  await expect(page.getByRole('form', { name: 'Selected tools' }).getByRole('status')).toContainText('Cleared the floor of 2 tools');
});

test('the simulator runs the gateway decision on the policy in force', async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto('/policies');
  const sim = page.getByRole('form', { name: 'Simulate a decision' });
  await sim.getByLabel('Suite').selectOption('classical-bearer');
  await sim.getByLabel('Tool').selectOption('clinic-records/read_chart');
  await sim.getByRole('button', { name: 'Decide' }).click();
  await expect(page.getByRole('status', { name: 'Simulated decision' })).toContainText('refused');
  // The clinic server carries the healthcare label, and the rule says so.
  await expect(page.getByRole('status', { name: 'Simulated decision' })).toContainText('requires ML-KEM-768 (label healthcare on server clinic-records)');
  await page.getByRole('form', { name: 'Simulate a decision' }).getByLabel('Suite').selectOption('hybrid-xwing-mldsa65');
  await page.getByRole('form', { name: 'Simulate a decision' }).getByRole('button', { name: 'Decide' }).click();
  await expect(page.getByRole('status', { name: 'Simulated decision' })).toContainText('allowed');
});

test('an admin changes a user role on Settings', async ({ page }) => {
  await signInAsAdmin(page);
  const user = { email: uniqueEmail('promoted'), name: 'Promoted', role: 'auditor', password: 'promoted-password-1' };
  await createUserViaSettings(page, user);
  const row = page.getByRole('row').filter({ hasText: user.email });
  await row.getByLabel(`Role of ${user.email}`).selectOption('approver');
  await row.getByRole('button', { name: 'Change role' }).click();
  await expect(row.getByRole('status')).toContainText(`${user.email} is now approver (active)`);
});

// Issue 13 #3: a suggested label never acts as a confirmed one, and the Tools page and the
// simulator both say so, from the one decide(). The demo's inventory/price_quote is suggested
// `finance` by discovery; no server carries `finance`, and no other test uses that tool.
test('a suggested label sets no floor on the Tools page or in the simulator until it is confirmed', async ({ page }) => {
  const consoleErrors: string[] = [];
  page.on('console', (m) => void (m.type() === 'error' && consoleErrors.push(m.text())));
  await signInAsAdmin(page);
  await page.goto('/tools?server=inventory');
  const row = page.getByRole('row').filter({ has: page.getByRole('checkbox', { name: 'Select inventory/price_quote' }) });
  await expect(row.getByRole('form', { name: 'Suggested label finance' })).toBeVisible({ timeout: 15_000 });
  const labelFloor = page.getByRole('form', { name: 'Floor of label finance' });
  await labelFloor.getByLabel('Floor of label finance').selectOption('ML-KEM-1024');
  await labelFloor.getByRole('button', { name: 'Save' }).click();
  await expect(labelFloor.getByRole('status')).toContainText('Set label finance to ML-KEM-1024');

  // Suggested only: no floor from it, and the page says what confirming it would do.
  await expect(row).not.toContainText('from label finance');
  await expect(row).toContainText('finance? is only suggested: no floor until confirmed (then ML-KEM-1024)');
  const simulate = async (suite: string) => {
    await page.goto('/policies');
    const sim = page.getByRole('form', { name: 'Simulate a decision' });
    await sim.getByLabel('Suite').selectOption(suite);
    await sim.getByLabel('Tool').selectOption('inventory/price_quote');
    await sim.getByRole('button', { name: 'Decide' }).click();
    return page.getByRole('status', { name: 'Simulated decision' });
  };
  let decision = await simulate('hybrid-xwing-mldsa65');
  await expect(decision).toContainText('allowed');
  await expect(decision).toContainText('finance? is only suggested: no floor until confirmed (then ML-KEM-1024)');
  await page.screenshot({ path: test.info().outputPath('simulator-suggested.png'), fullPage: true });

  // Confirmed: the floor applies, in both places.
  await page.goto('/tools?server=inventory');
  await row.getByRole('button', { name: 'Confirm label finance' }).click();
  await expect(row.getByText('from label finance')).toBeVisible();
  await expect(row).not.toContainText('only suggested');
  await page.screenshot({ path: test.info().outputPath('tools-confirmed.png'), fullPage: true });
  decision = await simulate('hybrid-xwing-mldsa65');
  await expect(decision).toContainText('refused');
  await expect(decision).toContainText('requires ML-KEM-1024 (label finance)');

  // Leave the demo policy as it was for the other tests.
  await page.goto('/tools?server=inventory');
  await page.getByRole('form', { name: 'Floor of label finance' }).getByLabel('Floor of label finance').selectOption('none');
  await page.getByRole('form', { name: 'Floor of label finance' }).getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('form', { name: 'Floor of label finance' }).getByRole('status')).toContainText('Cleared the floor of label finance');
  expect(consoleErrors).toEqual([]);
});
