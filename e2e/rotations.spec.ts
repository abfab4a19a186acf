import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { expect, test, type Page } from '@playwright/test';
import { generateKeyPair } from '../gateway/channel';
import { readIdentityFile } from '../gateway/cli/identity-file';
import { createRotationProof } from '../gateway/keys';
import { E2E } from './fixtures/e2e-env';
import { createUserViaSettings, newSignedInPage, signInAsAdmin, uniqueEmail } from './fixtures/session';

// Issue 6's acceptance: admin A requests a rotation of an identity key; A cannot approve it
// (refused by the server); approver B approves; the new key connects at once and the old key
// stops working once the overlap window (a few seconds here) has passed.

const SERVER_URL = `${E2E.baseUrl}/api/mcp/inventory`;
const PQGATE = ['bin/pqgate.mjs'];
// The connectors' trust state (newest bundle seen) stays in this run's own folder, not in ~/.pqgate.
const TRUST_STATE = join(mkdtempSync(join(tmpdir(), 'pqgate-rot-state-')), 'trust-state.json');

/** Connects a real MCP client through pqgate connect and calls a tool: its text, or why it failed. */
async function callThrough(identity: string, trust: string, options: { log?: (stderr: string) => void } = {}): Promise<string> {
  const client = new Client({ name: 'e2e-rotation', version: '1.0.0' });
  const connector = new StdioClientTransport({ command: process.execPath, args: [...PQGATE, 'connect', SERVER_URL, '--identity', identity, '--trust', trust, '--trust-state', TRUST_STATE], stderr: 'pipe' });
  let log = '';
  connector.stderr?.on('data', (chunk) => (log += String(chunk)));
  try {
    await client.connect(connector);
    return textOf(await client.callTool({ name: 'get_stock', arguments: { sku: 'TL-1001' } }));
  } catch (error) {
    return `failed: ${(error as Error).message}\n${log}`;
  } finally {
    await client.close().catch(() => undefined);
    options.log?.(log);
  }
}

function textOf(result: unknown): string {
  return ((result as { content?: { type: string; text?: string }[] }).content ?? []).map((c) => c.text ?? '').join('\n');
}

/** An identity with a key made in the browser, as an admin enrolls one; returns the identity file. */
async function createIdentityWithKey(page: Page, name: string, dir: string, algorithm = 'ML-DSA-65'): Promise<string> {
  await page.goto('/identities');
  const create = page.getByRole('form', { name: 'Create an identity' });
  await create.getByLabel('Name').fill(name);
  await create.getByLabel('Owner').fill('Key rotation e2e');
  await create.getByRole('button', { name: 'Create identity' }).click();
  await create.getByRole('link', { name: 'Open the new identity' }).click();
  const enroll = page.getByRole('form', { name: 'Enroll a public key' });
  await enroll.getByLabel('Algorithm').selectOption(algorithm);
  const [download] = await Promise.all([page.waitForEvent('download'), enroll.getByRole('button', { name: 'Generate in this browser' }).click()]);
  const file = join(dir, 'id.json');
  writeFileSync(file, readFileSync((await download.path())!), { mode: 0o600 });
  await enroll.getByRole('button', { name: 'Enroll key' }).click();
  await expect(page.getByRole('table', { name: 'Identity keys' })).toBeVisible();
  return file;
}

test('a rotation requested by one admin is approved by another; the new key works and the old one stops after the overlap', async ({ page, browser }) => {
  test.setTimeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'pqgate-rot-'));
  await signInAsAdmin(page);

  const name = `rot-client-${Date.now().toString(36)}`;
  const oldIdentity = await createIdentityWithKey(page, name, dir);

  const trust = join(dir, 'gateway-keys.json');
  writeFileSync(trust, await (await fetch(`${SERVER_URL}/pq/keys`)).text());
  expect(await callThrough(oldIdentity, trust)).toContain('TL-1001');
  const bundle = (await (await fetch(`${E2E.baseUrl}/.well-known/pqgate/trust-bundle`)).json()) as { format: string; signed: { keys: { status: string }[] } };
  expect(bundle.format).toBe('pqgate-trust-bundle/2');
  expect(bundle.signed.keys.some((k) => k.status === 'active')).toBe(true);

  // The holder makes a new key; admin A asks to rotate to it, with a short overlap.
  const newIdentity = join(dir, 'new.json');
  expect(spawnSync(process.execPath, [...PQGATE, 'keygen', '--out', newIdentity], { encoding: 'utf8' }).status).toBe(0);
  const newPublicKey = (JSON.parse(readFileSync(newIdentity, 'utf8')) as { publicKey: string }).publicKey;
  await page.goto('/rotations');
  const request = page.getByRole('form', { name: 'Request a rotation' });
  const keyValue = await request.locator('option', { hasText: name }).getAttribute('value');
  await request.getByLabel('Key').selectOption(keyValue!);
  await request.getByLabel('Reason').fill('laptop replaced');
  await request.getByLabel('Overlap (seconds)').fill('4');
  await request.getByLabel('New public key').fill(newPublicKey);
  await request.getByRole('button', { name: 'Request rotation' }).click();
  await expect(request.getByRole('status')).toContainText('Another approver must approve it');
  await request.getByRole('link', { name: 'Open the request' }).click();
  const requestUrl = page.url();
  await expect(page.getByLabel('New fingerprint')).toContainText((JSON.parse(readFileSync(newIdentity, 'utf8')) as { keyId: string }).keyId);

  // A cannot approve their own request: the server refuses it.
  const decideA = page.getByRole('form', { name: 'Decide this rotation' });
  await decideA.getByLabel('Reason').fill('approving my own');
  await decideA.getByRole('button', { name: 'Approve' }).click();
  await expect(decideA.getByRole('alert')).toContainText('so you cannot decide it');
  expect(await callThrough(newIdentity, trust)).toMatch(/failed:.*identity key is not enrolled, was revoked/s);

  // Approver B approves.
  const approver = { email: uniqueEmail('approver'), name: 'Approver B', role: 'approver', password: 'approver password 123' };
  await createUserViaSettings(page, approver);
  const pageB = await newSignedInPage(browser, approver.email, approver.password);
  await pageB.goto(requestUrl);
  const decideB = pageB.getByRole('form', { name: 'Decide this rotation' });
  await decideB.getByLabel('Reason').fill('confirmed with the holder');
  await decideB.getByRole('button', { name: 'Approve' }).click();
  await expect(pageB.getByRole('status').filter({ hasText: 'Completed' })).toContainText('Completed: the new key is active');
  await expect(pageB.getByRole('list', { name: 'Decisions' })).toContainText(`approved ${approver.email}: confirmed with the holder`);

  // The new key works at once, through a real MCP client.
  expect(await callThrough(newIdentity, trust)).toContain('TL-1001');

  // The old key stops working once the overlap has passed and the schedule retired it.
  await expect.poll(() => callThrough(oldIdentity, trust), { timeout: 30_000, intervals: [1000] }).toMatch(/failed:.*identity key is not enrolled, was revoked/s);
  await pageB.reload();
  await expect(pageB.getByRole('list', { name: 'Key history' })).toContainText('v1 retired');
  await pageB.context().close();
});

test('pqgate rotate submits a request signed by both keys; one with a bad old-key signature is refused', async ({ page }) => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'pqgate-rot-client-'));
  await signInAsAdmin(page);
  const name = `rot-cli-${Date.now().toString(36)}`;
  const identity = await createIdentityWithKey(page, name, dir);

  // Signed by a key that is not the enrolled one: refused, nothing queued.
  const enrolled = readIdentityFile(identity);
  const forged = createRotationProof({ oldKey: enrolled, newKey: generateKeyPair('ML-DSA-65'), reason: 'forged', time: Date.now() });
  const impostor = createRotationProof({ oldKey: generateKeyPair('ML-DSA-65'), newKey: generateKeyPair('ML-DSA-65'), reason: 'x', time: Date.now() });
  const refused = await fetch(`${E2E.baseUrl}/api/rotations/client`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...forged, oldSignature: impostor.oldSignature }) });
  expect(refused.status).toBe(403);
  expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/old key's signature/);

  const run = spawnSync(process.execPath, [...PQGATE, 'rotate', '--identity', identity, '--gateway', E2E.baseUrl, '--reason', 'new laptop'], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  expect(run.stdout).toContain('rotation requested');
  const next = readIdentityFile(join(dir, 'id.next.json'));

  await page.goto('/rotations');
  const row = page.getByRole('table', { name: 'Rotation queue' }).getByRole('row').filter({ hasText: name });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('client');
  await row.getByRole('link', { name: /Review/ }).click();
  await expect(page.getByLabel('New fingerprint')).toContainText(Buffer.from(next.keyId).toString('hex'));
  await expect(page.getByText('the key holder (signed with the old and the new key)')).toBeVisible();
});

test('a live pqgate connect session keeps working across a gateway key rotation; connectors pinned to the old key, by file or by fingerprint, follow the trust bundle', async ({ page, browser }) => {
  test.setTimeout(150_000);
  const dir = mkdtempSync(join(tmpdir(), 'pqgate-rot-gw-'));
  await signInAsAdmin(page);
  // ML-DSA-87 end to end (the CNSA 2.0 suite), so this rotation touches no key other tests pin.
  const identity = await createIdentityWithKey(page, `rot-gw-${Date.now().toString(36)}`, dir, 'ML-DSA-87');
  const trust = join(dir, 'gateway-keys.json');
  writeFileSync(trust, await (await fetch(`${SERVER_URL}/pq/keys`)).text());
  const servedKey = async () => ((await (await fetch(`${SERVER_URL}/pq/keys`)).json()) as { keys: { algorithm: string; keyId: string }[] }).keys.find((k) => k.algorithm === 'ML-DSA-87')!.keyId;
  const before = await servedKey();
  // The fingerprint as the admin reads it on the console (the out-of-band source the README names),
  // in both forms the README allows: the grouped 16 digits and the full 64.
  await page.goto('/rotations');
  const pins = page.getByRole('table', { name: 'Gateway key fingerprints' }).getByRole('row').filter({ hasText: 'ML-DSA-87' });
  const shortPin = (await pins.getByRole('cell').nth(1).textContent())!.trim();
  const fullPin = (await pins.getByRole('cell').nth(2).textContent())!.trim();
  expect(fullPin).toBe(before);
  expect(shortPin.replace(/:/g, '')).toBe(before.slice(0, 16));
  expect(await callThrough(identity, shortPin)).toContain('TL-1001');

  const live = new Client({ name: 'e2e-live', version: '1.0.0' });
  const connector = new StdioClientTransport({ command: process.execPath, args: [...PQGATE, 'connect', SERVER_URL, '--identity', identity, '--trust', trust, '--trust-state', TRUST_STATE], stderr: 'pipe' });
  let log = '';
  connector.stderr?.on('data', (chunk) => (log += String(chunk)));
  await live.connect(connector);
  try {
    expect(textOf(await live.callTool({ name: 'get_stock', arguments: { sku: 'TL-1001' } }))).toContain('TL-1001');
    expect(log).toContain('over cnsa2-mlkem1024-mldsa87');

    // Admin A requests the rotation of the gateway's ML-DSA-87 key; approver C approves it.
    await page.goto('/rotations');
    const request = page.getByRole('form', { name: 'Request a rotation' });
    await request.getByLabel('Key').selectOption((await request.locator('option', { hasText: 'gateway ML-DSA-87' }).getAttribute('value'))!);
    await request.getByLabel('Reason').fill('yearly gateway key rotation');
    await request.getByRole('button', { name: 'Request rotation' }).click();
    await request.getByRole('link', { name: 'Open the request' }).click();
    const requestUrl = page.url();
    const next = (await page.getByLabel('New fingerprint').textContent())!.split(' ')[2]!;
    const bundle = (await (await fetch(`${E2E.baseUrl}/.well-known/pqgate/trust-bundle`)).json()) as { signed: { keys: { algorithm: string; keyId: string; status: string }[] } };
    expect(bundle.signed.keys.find((k) => k.keyId === next)).toMatchObject({ algorithm: 'ML-DSA-87', status: 'pending' });
    const approver = { email: uniqueEmail('approver-gw'), name: 'Approver C', role: 'approver', password: 'approver password 456' };
    await createUserViaSettings(page, approver);
    const pageC = await newSignedInPage(browser, approver.email, approver.password);
    await pageC.goto(requestUrl);
    const decide = pageC.getByRole('form', { name: 'Decide this rotation' });
    await decide.getByLabel('Reason').fill('scheduled');
    await decide.getByRole('button', { name: 'Approve' }).click();
    await expect(pageC.getByRole('status').filter({ hasText: 'Completed' })).toBeVisible();
    await pageC.context().close();
    await expect.poll(servedKey).toBe(next);
    expect(next).not.toBe(before);

    // The live session goes on; a new connector that pinned only the old key follows the chain,
    // whether the pin is the saved pq/keys file or the fingerprint (issue 13: it used to fail with
    // "no gateway key has fingerprint", since pq/keys no longer serves the retiring key).
    expect(textOf(await live.callTool({ name: 'get_stock', arguments: { sku: 'TL-1001' } }))).toContain('TL-1001');
    expect(await callThrough(identity, trust)).toContain('TL-1001');
    const retiring = (await (await fetch(`${E2E.baseUrl}/.well-known/pqgate/trust-bundle`)).json()) as { signed: { keys: { keyId: string; status: string }[] } };
    expect(retiring.signed.keys.find((k) => k.keyId === before)?.status).toBe('retiring');
    for (const pin of [shortPin, fullPin]) {
      let stderr = '';
      expect(await callThrough(identity, pin, { log: (s) => (stderr = s) })).toContain('TL-1001');
      expect(stderr).toMatch(/trusting gateway ML-DSA-87 key .* \(version \d+, active\), followed by signed rotation from the pinned ML-DSA-87 key .* \(version \d+, retiring\)/);
    }
  } catch (error) {
    throw new Error(`${(error as Error).message}\npqgate connect said:\n${log}`);
  } finally {
    await live.close();
  }
});
