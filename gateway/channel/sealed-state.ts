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

function aad(kind: Kind, version: number): Uint8Array {
  return concatBytes(AAD_LABEL[kind], Uint8Array.of(SealedKind[kind], version >>> 24, (version >>> 16) & 255, (version >>> 8) & 255, version & 255));
}

/** Seals `plaintext` under the ring's current key. */
export async function sealState(provider: CryptoProvider, ring: TicketKeyRing, kind: Kind, plaintext: Uint8Array, random: (n: number) => Uint8Array): Promise<Uint8Array> {
  const { version, key } = await ring.current();
  const subkey = deriveRingSubkey(provider, key, kind);
  const nonce = random(12);
  try {
    const ciphertext = provider.aead('AES-256-GCM').seal(subkey, nonce, plaintext, aad(kind, version));
    return encodeSealedBox({ kind: SealedKind[kind], keyVersion: version, nonce, ciphertext });
  } finally {
    wipe(subkey, plaintext);
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
  const subkey = deriveRingSubkey(provider, k.key, kind);
  try {
    const pt = provider.aead('AES-256-GCM').open(subkey, box.nonce, box.ciphertext, aad(kind, box.keyVersion));
    if (!pt) throw new GatewayError(code, `${kind} failed authentication`);
    return pt;
  } finally {
    wipe(subkey);
  }
}
