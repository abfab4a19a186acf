import { expect, test, type Page, type Request } from '@playwright/test';
import { createUserViaSettings, newSignedInPage, signInAsAdmin, uniqueEmail } from './fixtures/session';

// The server, not the hidden button, refuses: we capture the real server-action request the
// admin's browser sends, then send the same action as an auditor and as a signed-out caller.

async function captureCreateUserAction(page: Page): Promise<{ actionId: string; contentType: string; body: string; emailSent: string }> {
  const template = { email: uniqueEmail('template'), name: 'Template', role: 'auditor', password: 'template-password-1' };
  const captured = page.waitForRequest((r: Request) => r.method() === 'POST' && Boolean(r.headers()['next-action']));
  await createUserViaSettings(page, template);
  const request = await captured;
  const headers = request.headers();
  return { actionId: headers['next-action']!, contentType: headers['content-type']!, body: request.postData() ?? '', emailSent: template.email };
}

async function replay(page: Page, captured: Awaited<ReturnType<typeof captureCreateUserAction>>, newEmail: string) {
  const response = await page.request.post('/settings', {
    headers: { 'next-action': captured.actionId, 'content-type': captured.contentType, accept: 'text/x-component' },
    data: captured.body.replace(captured.emailSent, newEmail),
  });
  return { status: response.status(), text: await response.text() };
}

test('an auditor calling the create-user action directly is refused by the server', async ({ page, browser }) => {
  await signInAsAdmin(page);
  const auditor = { email: uniqueEmail('auditor'), name: 'Audrey Auditor', role: 'auditor', password: 'auditor-password-1' };
  await createUserViaSettings(page, auditor);
  const captured = await captureCreateUserAction(page);

  // The same request from the admin works (proves the replay is a faithful action call).
  const byAdmin = uniqueEmail('by-admin');
  const ok = await replay(page, captured, byAdmin);
  expect(ok.text).toContain(`${byAdmin} can now sign in`);

  const auditorPage = await newSignedInPage(browser, auditor.email, auditor.password);
  await auditorPage.goto('/settings');
  await expect(auditorPage.getByRole('form', { name: 'Add a user' })).toHaveCount(0);
  const sneaky = uniqueEmail('sneaky');
  const refused = await replay(auditorPage, captured, sneaky);
  expect(refused.text).toContain('forbidden');
  expect(refused.text).toContain('does not allow');

  const signedOut = await (await browser.newContext()).newPage();
  const anonymous = uniqueEmail('anonymous');
  const refusedAnonymous = await replay(signedOut, captured, anonymous);
  expect(refusedAnonymous.text).not.toContain('can now sign in');

  // Nothing was created by the refused calls, and the refusal is in the audit log.
  await page.goto('/settings');
  await expect(page.getByText(byAdmin, { exact: true })).toBeVisible();
  await expect(page.getByText(sneaky, { exact: true })).toHaveCount(0);
  await expect(page.getByText(anonymous, { exact: true })).toHaveCount(0);
  await page.goto('/audit');
  await expect(page.getByRole('row').filter({ hasText: 'users.create' }).filter({ hasText: 'refused' }).first()).toBeVisible();
});
