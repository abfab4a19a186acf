/**
 * Seals handshake cookies and session tickets under the shared key ring, so that any replica
 * can continue what another began. AEAD is AES-256-GCM under a per-purpose subkey of the ring
 * key; the AAD binds the purpose and the key version.
 */
import type { CryptoProvider } from '../crypto';
import { concatBytes, wipe } from '../crypto';
import { GatewayError } from '../errors';
import { AAD_LABEL, deriveRingSubkey } from './key-schedule';
import type { TicketKeyRing } from './key-ring';
import { encodeSealedBox, parseSealedBox, SealedKind } from './wire';

type Kind = keyof typeof SealedKind;

// Subkeys are cached per ring-key object (two HMACs saved on every seal and open). The cache is
// weak, so a key the ring drops is collected with its subkeys; a ring should return the same
// Uint8Array for a version to benefit.
const subkeys = new WeakMap<Uint8Array, Partial<Record<Kind, Uint8Array>>>();

function subkeyFor(provider: CryptoProvider, ringKey: Uint8Array, kind: Kind): Uint8Array {
  let entry = subkeys.get(ringKey);
  if (!entry) subkeys.set(ringKey, (entry = {}));
  return (entry[kind] ??= deriveRingSubkey(provider, ringKey, kind));
}

function aad(kind: Kind, version: number): Uint8Array {
  return concatBytes(AAD_LABEL[kind], Uint8Array.of(SealedKind[kind], version >>> 24, (version >>> 16) & 255, (version >>> 8) & 255, version & 255));
}

/** Seals `plaintext` under the ring's current key. */
export async function sealState(provider: CryptoProvider, ring: TicketKeyRing, kind: Kind, plaintext: Uint8Array, random: (n: number) => Uint8Array): Promise<Uint8Array> {
  const { version, key } = await ring.current();
  const nonce = random(12);
  try {
    const ciphertext = provider.aead('AES-256-GCM').seal(subkeyFor(provider, key, kind), nonce, plaintext, aad(kind, version));
    return encodeSealedBox({ kind: SealedKind[kind], keyVersion: version, nonce, ciphertext });
  } finally {
    wipe(plaintext);
  }
}

/**
 * Opens sealed state. A retired or unknown key version, or a failed tag, all give
 * `cookie_invalid` / `ticket_invalid` (callers cannot learn which).
 */
export async function openState(provider: CryptoProvider, ring: TicketKeyRing, kind: Kind, bytes: Uint8Array): Promise<Uint8Array> {
  const code = kind === 'cookie' ? 'cookie_invalid' : 'ticket_invalid';
  const box = parseSealedBox(bytes, SealedKind[kind]);
  const k = box.keyVersion >= (await ring.minimumVersion()) ? await ring.get(box.keyVersion) : null;
  if (!k) throw new GatewayError(code, `${kind} key version ${box.keyVersion} is not accepted`);
  const pt = provider.aead('AES-256-GCM').open(subkeyFor(provider, k.key, kind), box.nonce, box.ciphertext, aad(kind, box.keyVersion));
  if (!pt) throw new GatewayError(code, `${kind} failed authentication`);
  return pt;
}
