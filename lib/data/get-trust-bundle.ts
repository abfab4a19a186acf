import type { SignatureId } from '@/gateway/crypto';
import { getCryptoProvider, toBase64Url } from '@/gateway/crypto';
import { signTrustBundle, TRUST_BUNDLE_VALIDITY_MS, trustBundleVersion, type TrustBundle, type TrustBundleKey } from '@/gateway/keys';
import { db } from '../db';
import { openSecret } from '../keys/envelope';
import { signingContext } from '../keys/gateway-keys';

/** A signed bundle is reused while its keys are unchanged and it is younger than this; then signed afresh with a new expiry. */
const RESIGN_AFTER_MS = 24 * 3600 * 1000;

let cache: { content: string; issuedAt: number; bundle: TrustBundle } | undefined;

/**
 * The public trust bundle: every version of every gateway signing key (public keys only) with
 * its status, each after the first with its link signature by the version before, numbered
 * (`trustBundleVersion`), given an expiry, and signed by the active key of each chain. Public by
 * design: it carries nothing secret, and clients verify it from a key they pinned. Signing opens
 * the active seeds, so a signed bundle is kept in memory and re-signed only when a key changes
 * or a day has passed: an anonymous GET costs one indexed query, not a signature.
 */
export async function getTrustBundle(now = Date.now()): Promise<TrustBundle> {
  const rows = await db.key.findMany({
    where: { purpose: 'gateway_signing', publicKey: { not: null } },
    orderBy: [{ algorithm: 'asc' }, { version: 'asc' }],
    select: { algorithm: true, version: true, state: true, fingerprint: true, publicKey: true, previousSignature: true, secretSealed: true },
  });
  const keys: TrustBundleKey[] = rows.map((r) => ({
    algorithm: r.algorithm as SignatureId,
    version: r.version,
    status: r.state,
    keyId: r.fingerprint,
    publicKey: toBase64Url(new Uint8Array(r.publicKey!)),
    ...(r.previousSignature ? { previousSignature: toBase64Url(new Uint8Array(r.previousSignature)) } : {}),
  }));
  const content = JSON.stringify(keys);
  if (cache && cache.content === content && now - cache.issuedAt < RESIGN_AFTER_MS) return cache.bundle;
  const provider = getCryptoProvider();
  // Signed by the keys this very read lists as active, so statuses and signers always agree.
  const signers = rows
    .filter((r) => r.state === 'active' && r.secretSealed)
    .map((r) => {
      const seed = openSecret(r.secretSealed!, signingContext(r.algorithm as SignatureId, r.version));
      const signer = provider.signature(r.algorithm as SignatureId).importSigner(seed);
      seed.fill(0); // the signer holds its own copy
      return signer;
    });
  const signed = { version: trustBundleVersion(keys), issuedAt: new Date(now).toISOString(), expires: new Date(now + TRUST_BUNDLE_VALIDITY_MS).toISOString(), keys };
  const bundle = signTrustBundle(signed, signers, provider);
  cache = { content, issuedAt: now, bundle };
  return bundle;
}
