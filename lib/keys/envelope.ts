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

/** Opens a sealed secret, or throws saying the envelope key is probably not the one it was sealed under. */
export function openSecret(sealed: Uint8Array, context: string): Uint8Array {
  const aead = getCryptoProvider().aead('AES-256-GCM');
  if (sealed.length < 1 + aead.nonceLength + aead.tagLength || sealed[0] !== FORMAT) {
    throw new Error(`stored secret ${context} is malformed`);
  }
  const opened = aead.open(envelopeKey(), sealed.subarray(1, 1 + aead.nonceLength), sealed.subarray(1 + aead.nonceLength), utf8(context));
  if (!opened) {
    throw new Error(`cannot open stored secret ${context}: PQGATE_ENVELOPE_KEY is not the key it was sealed under (was the secrets file lost or the variable changed?)`);
  }
  return opened;
}
