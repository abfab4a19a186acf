import { expect, test } from '@playwright/test';
import { NAV_ITEMS } from '../components/console/nav-items';
import { E2E } from './fixtures/e2e-env';
import { createUserViaSettings, signInAsAdmin, uniqueEmail } from './fixtures/session';

test('an admin signs in, sees the console, and signs out', async ({ page }) => {
  await signInAsAdmin(page);
  await expect(page.getByRole('navigation', { name: 'Console' })).toBeVisible();
  await expect(page.getByRole('complementary').getByText(`${E2E.admin.email} · admin`)).toBeVisible();
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Servers' }).click();
  await expect(page.getByRole('heading', { name: 'Servers', level: 1 })).toBeVisible();
  await page.getByRole('complementary').getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  // Signed out for real: the console sends us back to sign-in.
  await page.goto('/tools');
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Ftools/);
});

test('a wrong password shows an error and does not sign in', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(E2E.admin.email);
  await page.getByLabel('Password').fill('not the password at all');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert').filter({ hasText: /\S/ })).toContainText('Wrong email or password');
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in/);
});

test('every console page redirects to sign-in when signed out, and comes back after', async ({ page }) => {
  for (const item of NAV_ITEMS) {
    await page.goto(item.href);
    await expect(page).toHaveURL(new RegExp(`/sign-in\\?callbackUrl=${encodeURIComponent(item.href).replace(/\//g, '%2F')}$`));
    await expect(page.getByRole('heading', { name: 'Sign in to pqgate' })).toBeVisible();
  }
  await page.goto('/audit');
  await page.getByLabel('Email').fill(E2E.admin.email);
  await page.getByLabel('Password').fill(E2E.admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Audit', level: 1 })).toBeVisible();
});

test('repeated failed sign-ins from one address delay sign-ins from there, even with the right password', async ({ page, browser }) => {
  await signInAsAdmin(page);
  const victim = { email: uniqueEmail('locked'), name: 'Locked Out', role: 'auditor', password: 'the-right-password-123' };
  await createUserViaSettings(page, victim);

  const attacker = await (await browser.newContext()).newPage();
  await attacker.goto('/sign-in');
  const attempt = async (password: string) => {
    await attacker.getByLabel('Email').fill(victim.email);
    await attacker.getByLabel('Password').fill(password);
    await attacker.getByRole('button', { name: 'Sign in' }).click();
    // React resets the form when the action has answered: the password field empties then
    // (the email is given back). Waiting for that makes every guess a separate, finished attempt.
    await expect(attacker.getByLabel('Password')).toHaveValue('');
    await expect(attacker.getByLabel('Email')).toHaveValue(victim.email);
  };
  for (let i = 0; i < 5; i++) {
    await attempt(`guess-${i}`);
    await expect(attacker.getByRole('alert').filter({ hasText: /\S/ })).toContainText('Wrong email or password');
  }
  await attempt(victim.password);
  await expect(attacker.getByRole('alert').filter({ hasText: /\S/ })).toContainText('Too many failed sign-ins');
  await expect(attacker).toHaveURL(/\/sign-in/);
});

test('each console page shows real content or says how to fill it', async ({ page }) => {
  await signInAsAdmin(page);
  for (const item of NAV_ITEMS) {
    await page.goto(item.href);
    await expect(page.getByRole('heading', { name: item.label, level: 1 })).toBeVisible();
  }
  // The demo registered its two upstreams in the seed.
  await page.goto('/servers');
  await expect(page.getByText('/api/mcp/clinic-records')).toBeVisible();
  await expect(page.getByText('/api/mcp/inventory')).toBeVisible();
  // The sign-ins of this run are in the audit log.
  await page.goto('/audit');
  await expect(page.getByRole('cell', { name: 'auth.sign_in', exact: true }).first()).toBeVisible();
});

test('a disabled user cannot sign in', async ({ page, browser }) => {
  await signInAsAdmin(page);
  const user = { email: uniqueEmail('disabled'), name: 'Soon Disabled', role: 'approver', password: 'approver-password-1' };
  await createUserViaSettings(page, user);
  const row = page.getByRole('row').filter({ hasText: user.email });
  await row.getByRole('button', { name: 'Disable' }).click();
  await expect(row.getByRole('status')).toContainText('(disabled)');
  const other = await (await browser.newContext()).newPage();
  await other.goto('/sign-in');
  await other.getByLabel('Email').fill(user.email);
  await other.getByLabel('Password').fill(user.password);
  await other.getByRole('button', { name: 'Sign in' }).click();
  await expect(other.getByRole('alert').filter({ hasText: /\S/ })).toContainText('account is disabled');
});
