/**
 * The gateway's public signing keys, derived from the seeds the store hands over, for the
 * `pq/keys` endpoint that connectors pin by fingerprint. Derivation (an ML-DSA key expansion)
 * runs once per key set, not per request.
 */
import { generateKeyPair, type KeyPair } from '../channel';

type Seeds = readonly Pick<KeyPair, 'algorithm' | 'seed'>[];

const cache = new WeakMap<Seeds, readonly Omit<KeyPair, 'seed'>[]>();

/** Public halves (algorithm, public key, key id) of the gateway keys; never the seeds. */
export function gatewayPublicKeys(keys: Seeds): readonly Omit<KeyPair, 'seed'>[] {
  let out = cache.get(keys);
  if (!out) {
    out = keys.map((k) => {
      const { algorithm, publicKey, keyId } = generateKeyPair(k.algorithm, { seed: k.seed });
      return { algorithm, publicKey, keyId };
    });
    cache.set(keys, out);
  }
  return out;
}
