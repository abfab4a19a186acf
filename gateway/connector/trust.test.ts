import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateKeyPair, type KeyPair } from '../channel';
import { getCryptoProvider, toBase64Url, toHex } from '../crypto';
import { signKeyLink, signTrustBundle, TRUST_BUNDLE_VALIDITY_MS, trustBundleVersion, type TrustBundle, type TrustBundleKey, type TrustBundleStatus } from '../keys';
import { followGatewayTrustLive, resolveGatewayTrust } from './trust';
import { TrustStateFile } from './trust-state';

const provider = getCryptoProvider();
const signer = (k: KeyPair) => provider.signature(k.algorithm).importSigner(k.seed);
const K1 = generateKeyPair('Ed25519');
const K2 = generateKeyPair('Ed25519');
const URL_ = 'https://gw.test/api/mcp/x';
const dir = mkdtempSync(join(tmpdir(), 'pqgate-trust-'));

function entry(k: KeyPair, version: number, status: TrustBundleStatus, previous?: KeyPair): TrustBundleKey {
  return { algorithm: k.algorithm, version, status, keyId: toHex(k.keyId), publicKey: toBase64Url(k.publicKey), ...(previous ? { previousSignature: toBase64Url(signKeyLink(signer(previous), { algorithm: k.algorithm, version, publicKey: k.publicKey })) } : {}) };
}
function publish(keys: TrustBundleKey[], by: KeyPair, issuedAt: number): TrustBundle {
  return signTrustBundle({ version: trustBundleVersion(keys), issuedAt: new Date(issuedAt).toISOString(), expires: new Date(issuedAt + TRUST_BUNDLE_VALIDITY_MS).toISOString(), keys }, [signer(by)]);
}
const serving = (get: () => TrustBundle | Response) => (async () => {
  const b = get();
  return b instanceof Response ? b : Response.json(b);
}) as unknown as typeof fetch;
const idsOf = (keys: { keyId?: Uint8Array }[]) => keys.map((k) => toHex(k.keyId!));

describe('trust state file', () => {
  it('starts empty, is written with mode 0600, and never goes back to an older version', () => {
    const state = new TrustStateFile(join(dir, 'nested', 'state.json'));
    expect(state.get('https://gw.test', 'a'.repeat(64))).toBeUndefined();
    state.record('https://gw.test', 'a'.repeat(64), { version: 5, head: { version: 2, keyId: 'b'.repeat(64) } });
    expect(statSync(state.path).mode & 0o777).toBe(0o600);
    state.record('https://gw.test', 'a'.repeat(64), { version: 3, head: { version: 1, keyId: 'c'.repeat(64) } });
    expect(state.get('https://gw.test', 'a'.repeat(64))).toEqual({ version: 5, head: { version: 2, keyId: 'b'.repeat(64) } });
    expect(state.knows('https://gw.test', 'aaaaaaaaaaaaaaaa')).toBe(true);
    expect(state.knows('https://other.test', 'aaaaaaaaaaaaaaaa')).toBe(false);
  });

  it('refuses a damaged file with what to do', () => {
    const path = join(dir, 'damaged.json');
    writeFileSync(path, '{"format":"pqgate-trust-state/1","gateways":{"x":{"y":{"version":"high"}}}}');
    expect(() => new TrustStateFile(path).get('x', 'y')).toThrow(/damaged; delete it to trust again from your --trust pin/);
  });
});

describe('resolving pins', () => {
  it('names the keys the bundle lists when a fingerprint matches none', async () => {
    const bundle = publish([entry(K1, 1, 'active')], K1, Date.now());
    await expect(resolveGatewayTrust(URL_, ['00112233445566778899'], { fetch: serving(() => bundle) })).rejects.toThrow(/no gateway key has fingerprint 00112233445566778899; the gateway's trust bundle lists Ed25519 v1 [0-9a-f:]{19} \(active\)/);
  });

  it('trusts a pin as given when the gateway publishes no bundle and the state never saw one', async () => {
    const keysFile = join(dir, 'keys.json');
    writeFileSync(keysFile, JSON.stringify({ keys: [{ algorithm: 'Ed25519', publicKey: toBase64Url(K1.publicKey) }] }));
    const out = await resolveGatewayTrust(URL_, [keysFile], { fetch: serving(() => new Response('', { status: 404 })), state: new TrustStateFile(join(dir, 'none.json')) });
    expect(out.report.join('\n')).toMatch(/publishes no trust bundle: trusting the pinned keys as given/);
    expect(out.keys).toHaveLength(1);
  });
});

describe('a running connector', () => {
  it('drops a pinned key at the refresh after the signed bundle revokes it', async () => {
    const t0 = Date.now();
    let current = publish([entry(K1, 1, 'active'), entry(K2, 2, 'pending', K1)], K1, t0);
    const doFetch = serving(() => current);
    const state = new TrustStateFile(join(dir, 'live.json'));
    const pin = [toHex(K1.keyId).slice(0, 16)];
    const initial = await resolveGatewayTrust(URL_, pin, { fetch: doFetch, state });
    expect(idsOf(initial.keys)).toEqual([toHex(K1.keyId), toHex(K2.keyId)]);
    const messages: string[] = [];
    const live = followGatewayTrustLive(URL_, pin, initial, { intervalMs: 3_600_000, state, fetch: doFetch, onInfo: (m) => messages.push(m) });
    try {
      current = publish([entry(K1, 1, 'revoked'), entry(K2, 2, 'active', K1)], K2, t0 + 1000);
      await live.refresh();
      expect(idsOf(live.keys)).toEqual([toHex(K2.keyId)]);
      expect(messages.join('\n')).toMatch(/WARNING: your pinned gateway key .* was revoked/);
      expect(JSON.parse(readFileSync(state.path, 'utf8')).gateways['https://gw.test'][toHex(K1.keyId)].version).toBe(5);
    } finally {
      live.stop();
    }
  });

  it('trusts nothing once the last accepted bundle has expired and no valid one replaced it', async () => {
    const t0 = Date.now();
    const genuine = publish([entry(K1, 1, 'active')], K1, t0);
    let now = t0;
    let answer: () => TrustBundle | Response = () => genuine;
    const doFetch = serving(() => answer());
    const pin = [toHex(K1.keyId)];
    const initial = await resolveGatewayTrust(URL_, pin, { fetch: doFetch, now });
    const messages: string[] = [];
    const live = followGatewayTrustLive(URL_, pin, initial, { intervalMs: 3_600_000, fetch: doFetch, now: () => now, onInfo: (m) => messages.push(m) });
    try {
      // Someone on the path blocks fresh bundles: the keys already trusted stay until the expiry...
      answer = () => new Response('blocked', { status: 503 });
      now = t0 + TRUST_BUNDLE_VALIDITY_MS - 1000;
      await live.refresh();
      expect(live.keys).toHaveLength(1);
      // ...and not a moment after it.
      now = t0 + TRUST_BUNDLE_VALIDITY_MS + 1000;
      await live.refresh();
      expect(live.keys).toHaveLength(0);
      expect(messages.at(-1)).toMatch(/no gateway key is trusted until the gateway serves a fresh bundle/);
    } finally {
      live.stop();
    }
  });
});

describe('fetching the bundle', () => {
  it('stops reading an endless answer at 1 MiB', async () => {
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 65536;
        controller.enqueue(new Uint8Array(65536).fill(0x20));
      },
    });
    const doFetch = (async () => new Response(endless, { headers: { 'content-type': 'application/json' } })) as unknown as typeof fetch;
    await expect(resolveGatewayTrust(URL_, [toHex(K1.keyId)], { fetch: doFetch })).rejects.toThrow(/larger than 1 MiB/);
    expect(sent).toBeLessThan(2 << 20);
  });
});
