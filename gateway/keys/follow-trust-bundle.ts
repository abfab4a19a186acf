/**
 * What a client may conclude from a trust bundle, starting from one key it pinned out of band.
 * The checks run in this order (docs/keys.md): the pinned key is listed; each later version is
 * vouched for by the one before; the newest approved key is active and signed the bundle (so the
 * statuses, version and expiry are the gateway's); the bundle is not older than one seen before
 * from this pin, nor on another branch of the chain; it has not expired. Only then are statuses
 * read: retired and revoked keys are dropped, the pinned one included. Pure: no I/O.
 */
import { displayKeyId, keyIdOf, type PublicKeyRecord } from '../channel';
import { fromBase64Url, fromHex, getCryptoProvider, toHex, type CryptoProvider, type SignatureId } from '../crypto';
import { GatewayError } from '../errors';
import { BUNDLE_CONTEXT, bundleStatement, LINK_CONTEXT, linkStatement, type TrustBundle, type TrustBundleKey, type TrustBundleStatus } from './trust-bundle';

/** What a client remembers per pin (the trust state file): the newest bundle version and chain head it accepted. */
export interface TrustSeen {
  readonly version: number;
  readonly head: { readonly version: number; readonly keyId: string };
}

export interface ChainKey {
  readonly algorithm: SignatureId;
  readonly version: number;
  readonly keyId: string;
  readonly status: TrustBundleStatus;
}

export interface TrustOutcome {
  /** The keys whose handshake signatures the client accepts: the pin and its successors, minus retired and revoked ones. */
  readonly trusted: PublicKeyRecord[];
  readonly pinned: ChainKey;
  /** The active key that signed the bundle: the pin itself, or the successor it was followed to. */
  readonly head: ChainKey;
  /** What to remember for the next run. */
  readonly seen: TrustSeen;
  readonly expires: string;
}

const TRUSTED_STATUSES: readonly TrustBundleStatus[] = ['pending', 'active', 'retiring'];
const short = (hex: string) => displayKeyId(fromHex(hex));
const refuse = (why: string) => new GatewayError('untrusted_gateway_key', `trust bundle refused: ${why}`);

function verifies(provider: CryptoProvider, algorithm: SignatureId, signature: string, message: Uint8Array, publicKey: Uint8Array, context: Uint8Array): boolean {
  try {
    return provider.signature(algorithm).verify(fromBase64Url(signature), message, publicKey, context);
  } catch {
    return false;
  }
}

/**
 * Follows the bundle from one pinned key (see the module comment for the checks and their order).
 * @param options.now the client's clock (ms); `seen` what it accepted from this pin before, if anything.
 * @throws GatewayError `untrusted_gateway_key` on any failed check, saying which and what to do.
 */
export function followTrustBundle(bundle: TrustBundle, pin: PublicKeyRecord, options: { now: number; seen?: TrustSeen }, provider: CryptoProvider = getCryptoProvider()): TrustOutcome {
  const { signed } = bundle;
  const algorithm = pin.algorithm;
  const pinId = toHex(keyIdOf(pin.publicKey, provider));
  const byVersion = new Map<number, TrustBundleKey>();
  for (const k of signed.keys.filter((k) => k.algorithm === algorithm)) {
    if (byVersion.has(k.version)) throw refuse(`${algorithm} version ${k.version} is listed twice`);
    byVersion.set(k.version, k);
  }
  const start = [...byVersion.values()].find((k) => k.keyId === pinId);
  if (!start) throw refuse(`it does not list the pinned ${algorithm} key ${short(pinId)}; ask your admin which gateway key to trust`);

  // Walk forward: version v must be listed and vouched for by version v - 1, up to the newest.
  const reached: { key: TrustBundleKey; publicKey: Uint8Array }[] = [{ key: start, publicKey: pin.publicKey }];
  const newest = Math.max(...byVersion.keys());
  for (let v = start.version + 1; v <= newest; v++) {
    const next = byVersion.get(v);
    const previous = reached[reached.length - 1]!;
    if (!next) throw refuse(`${algorithm} version ${v} is missing (the bundle skips from ${v - 1} to a later version)`);
    const publicKey = fromBase64Url(next.publicKey);
    if (toHex(keyIdOf(publicKey, provider)) !== next.keyId) throw refuse(`${algorithm} version ${v} has a key id that is not its key's`);
    const statement = linkStatement(algorithm, v, publicKey, keyIdOf(previous.publicKey, provider));
    if (!next.previousSignature || !verifies(provider, algorithm, next.previousSignature, statement, previous.publicKey, LINK_CONTEXT)) {
      throw refuse(`${algorithm} version ${v} is not validly signed by version ${v - 1}`);
    }
    reached.push({ key: next, publicKey });
  }

  // The newest approved key speaks for the statuses: it must be active and have signed the bundle.
  const head = [...reached].reverse().find((r) => r.key.status !== 'pending');
  if (!head) throw refuse(`the pinned ${algorithm} key ${short(pinId)} is still pending approval; pin the active key instead`);
  if (head.key.status !== 'active') throw refuse(`the newest approved ${algorithm} key (version ${head.key.version}) is ${head.key.status}, so no active key speaks for this bundle`);
  const signature = bundle.signatures.find((s) => s.keyId === head.key.keyId);
  if (!signature || !verifies(provider, algorithm, signature.signature, bundleStatement(signed), head.publicKey, BUNDLE_CONTEXT)) {
    throw refuse(`it is not signed by the active ${algorithm} key ${short(head.key.keyId)} (version ${head.key.version}), so its key statuses may have been altered`);
  }

  const seen = options.seen;
  if (seen && signed.version < seen.version) {
    throw refuse(`its version ${signed.version} is older than version ${seen.version} this connector accepted before (an old bundle replayed, perhaps to hide a revocation)`);
  }
  if (seen) {
    const atSeenHead = reached.find((r) => r.key.version === seen.head.version);
    if (!atSeenHead || atSeenHead.key.keyId !== seen.head.keyId) {
      throw refuse(`its ${algorithm} chain is not the one this connector followed before (version ${seen.head.version} was ${short(seen.head.keyId)}${atSeenHead ? `, now ${short(atSeenHead.key.keyId)}` : ', now missing'}); someone may be serving a forged bundle. If your admin reinstalled the gateway, pin its new key`);
    }
  }
  if (options.now > Date.parse(signed.expires)) {
    throw refuse(`the gateway's trust bundle expired on ${signed.expires}; ask your admin to check that the gateway is running and its clock is right (it re-signs the bundle every day), or someone is replaying an old copy`);
  }

  const chainKey = (k: TrustBundleKey): ChainKey => ({ algorithm, version: k.version, keyId: k.keyId, status: k.status });
  return {
    trusted: reached.filter((r) => TRUSTED_STATUSES.includes(r.key.status)).map((r) => ({ algorithm, publicKey: r.publicKey, keyId: fromHex(r.key.keyId) })),
    pinned: chainKey(start),
    head: chainKey(head.key),
    seen: { version: signed.version, head: { version: head.key.version, keyId: head.key.keyId } },
    expires: signed.expires,
  };
}
