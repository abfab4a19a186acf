import type { SignatureId } from '@/gateway/crypto';
import { toBase64Url } from '@/gateway/crypto';
import { TRUST_BUNDLE_FORMAT, type TrustBundle } from '@/gateway/keys';
import { db } from '../db';

/**
 * The public trust bundle: every version of every gateway signing key (public keys only), each
 * after the first with its link signature by the version before. Public by design: it carries
 * nothing secret, and clients verify it from a key they already trust.
 */
export async function getTrustBundle(): Promise<TrustBundle> {
  const rows = await db.key.findMany({
    where: { purpose: 'gateway_signing', publicKey: { not: null } },
    orderBy: [{ algorithm: 'asc' }, { version: 'asc' }],
    select: { algorithm: true, version: true, state: true, fingerprint: true, publicKey: true, previousSignature: true },
  });
  return {
    format: TRUST_BUNDLE_FORMAT,
    keys: rows.map((r) => ({
      algorithm: r.algorithm as SignatureId,
      version: r.version,
      status: r.state,
      keyId: r.fingerprint,
      publicKey: toBase64Url(new Uint8Array(r.publicKey!)),
      ...(r.previousSignature ? { previousSignature: toBase64Url(new Uint8Array(r.previousSignature)) } : {}),
    })),
  };
}
