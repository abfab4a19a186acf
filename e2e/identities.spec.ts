import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { generateKeyPair } from '../gateway/channel/identity';
import { fromBase64Url, toBase64Url, toHex } from '../gateway/crypto/bytes';
import { signInAsAdmin } from './fixtures/session';

test('an admin creates an identity, enrolls its ML-DSA key, issues and revokes a token, and suspends it', async ({ page }) => {
  await signInAsAdmin(page);
  const name = `ehr-agent-${Date.now().toString(36)}`;
  await page.goto('/identities');
  const create = page.getByRole('form', { name: 'Create an identity' });
  await create.getByLabel('Name').fill(name);
  await create.getByLabel('Owner').fill('Clinic IT');
  await create.getByLabel('Labels').fill('healthcare, pii');
  await create.getByRole('button', { name: 'Create identity' }).click();
  await expect(create.getByRole('status')).toContainText(`${name} created`);
  await create.getByRole('link', { name: 'Open the new identity' }).click();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();

  // A wrong-length key is refused with a message that says what is expected.
  const enroll = page.getByRole('form', { name: 'Enroll a public key' });
  await enroll.getByLabel('Public key').fill(toBase64Url(new Uint8Array(32)));
  await enroll.getByRole('button', { name: 'Enroll key' }).click();
  await expect(enroll.getByText('Expected 1952 bytes for ML-DSA-65')).toBeVisible();

  const pair = generateKeyPair('ML-DSA-65');
  await enroll.getByLabel('Public key').fill(toBase64Url(pair.publicKey));
  await enroll.getByRole('button', { name: 'Enroll key' }).click();
  // The key shows in the table, and the paste box goes away: further keys come by rotation.
  await expect(page.getByRole('cell', { name: `${toHex(pair.keyId).slice(0, 32)}…` })).toBeVisible();
  await expect(page.getByRole('form', { name: 'Enroll a public key' })).toHaveCount(0);

  const issue = page.getByRole('form', { name: 'Issue an API token' });
  await issue.getByLabel('Token name').fill('claude-desktop');
  await issue.getByRole('button', { name: 'Issue token' }).click();
  const token = await issue.getByLabel('New token (shown once)').inputValue();
  expect(token).toMatch(/^pqg_[A-Za-z0-9_-]{43}$/);
  // Shown once: after a reload only the prefix remains.
  await page.reload();
  await expect(page.getByText(token)).toHaveCount(0);
  await expect(page.getByRole('cell', { name: `${token.slice(0, 10)}…` })).toBeVisible();
  await page.getByRole('button', { name: `Revoke token ${token.slice(0, 10)}` }).click();
  await expect(page.getByRole('row').filter({ hasText: `${token.slice(0, 10)}…` }).getByText('revoked')).toBeVisible();

  await page.getByRole('button', { name: 'Suspend' }).click();
  await expect(page.getByText(`${name} is now suspended`)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Reinstate' })).toBeVisible();
  await page.goto('/audit');
  await expect(page.getByRole('cell', { name: 'identities.issue_token' }).first()).toBeVisible();
  await expect(page.getByText(token)).toHaveCount(0);
});

test('a key generated in the browser is downloaded as an identity file and only its public key is enrolled', async ({ page }) => {
  await signInAsAdmin(page);
  const name = `browser-key-${Date.now().toString(36)}`;
  await page.goto('/identities');
  const create = page.getByRole('form', { name: 'Create an identity' });
  await create.getByLabel('Name').fill(name);
  await create.getByLabel('Owner').fill('Security team');
  await create.getByRole('button', { name: 'Create identity' }).click();
  await create.getByRole('link', { name: 'Open the new identity' }).click();

  const enroll = page.getByRole('form', { name: 'Enroll a public key' });
  const [download] = await Promise.all([page.waitForEvent('download'), enroll.getByRole('button', { name: 'Generate in this browser' }).click()]);
  expect(download.suggestedFilename()).toBe(`${name}.pqgate-identity.json`);
  const file = JSON.parse(readFileSync((await download.path())!, 'utf8'));
  expect(file).toMatchObject({ version: 1, algorithm: 'ML-DSA-65' });
  // The file is a working identity: its seed gives back its public key.
  const pair = generateKeyPair('ML-DSA-65', { seed: fromBase64Url(file.seed) });
  expect(toBase64Url(pair.publicKey)).toBe(file.publicKey);

  const sent: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST') sent.push(r.postData() ?? '');
  });
  await expect(enroll.getByLabel('Public key')).toHaveValue(file.publicKey);
  await enroll.getByRole('button', { name: 'Enroll key' }).click();
  await expect(page.getByRole('cell', { name: `${file.keyId.slice(0, 32)}…` })).toBeVisible();
  expect(sent.some((body) => body.includes(file.publicKey))).toBe(true);
  expect(sent.some((body) => body.includes(file.seed))).toBe(false);
});
