import { fromBase64Url, getCryptoProvider, utf8 } from '@/gateway/crypto';
import { env } from '../env';

// Secrets at rest (gateway signing seeds, ticket keys, upstream credentials) are sealed with
// AES-256-GCM under the envelope key from the environment. The associated data names what the
// secret is, so a sealed value moved to another row does not open there.
// Layout: 0x01 (format version) || nonce (12) || ciphertext || tag (16).

const FORMAT = 1;

function envelopeKey(): Uint8Array {
  return fromBase64Url(env().PQGATE_ENVELOPE_KEY);
}

/** The key being rotated away from (PQGATE_ENVELOPE_KEY_PREVIOUS), if any. */
function previousEnvelopeKey(): Uint8Array | undefined {
  const previous = env().PQGATE_ENVELOPE_KEY_PREVIOUS;
  return previous ? fromBase64Url(previous) : undefined;
}

/** Seals `plaintext` for storage; `context` says what it is, e.g. `key:ticket:gateway:v3`. */
export function sealSecret(plaintext: Uint8Array, context: string): Uint8Array<ArrayBuffer> {
  const provider = getCryptoProvider();
  const aead = provider.aead('AES-256-GCM');
  const nonce = provider.randomBytes(aead.nonceLength);
  const sealed = aead.seal(envelopeKey(), nonce, plaintext, utf8(context));
  const out = new Uint8Array(1 + nonce.length + sealed.length);
  out[0] = FORMAT;
  out.set(nonce, 1);
  out.set(sealed, 1 + nonce.length);
  return out;
}

/**
 * Opens a sealed secret with the current envelope key, or with the previous one during a
 * rotation; `underPrevious` says which, so the caller can re-seal. Throws saying what to check.
 */
export function openSecretWithKey(sealed: Uint8Array, context: string): { plaintext: Uint8Array; underPrevious: boolean } {
  const aead = getCryptoProvider().aead('AES-256-GCM');
  if (sealed.length < 1 + aead.nonceLength + aead.tagLength || sealed[0] !== FORMAT) {
    throw new Error(`stored secret ${context} is malformed`);
  }
  const open = (key: Uint8Array) => aead.open(key, sealed.subarray(1, 1 + aead.nonceLength), sealed.subarray(1 + aead.nonceLength), utf8(context));
  const current = open(envelopeKey());
  if (current) return { plaintext: current, underPrevious: false };
  const previousKey = previousEnvelopeKey();
  const previous = previousKey ? open(previousKey) : null;
  if (previous) return { plaintext: previous, underPrevious: true };
  throw new Error(
    `cannot open stored secret ${context}: it was sealed under neither PQGATE_ENVELOPE_KEY${previousKey ? ' nor PQGATE_ENVELOPE_KEY_PREVIOUS' : ''} (was the secrets file lost or the variable changed? To rotate the key, set the old one as PQGATE_ENVELOPE_KEY_PREVIOUS)`,
  );
}

/** Opens a sealed secret (current or, during a rotation, previous envelope key). */
export function openSecret(sealed: Uint8Array, context: string): Uint8Array {
  return openSecretWithKey(sealed, context).plaintext;
}
