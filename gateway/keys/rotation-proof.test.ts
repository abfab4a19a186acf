import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../channel';
import { fromBase64Url, toBase64Url } from '../crypto';
import { isGatewayError } from '../errors';
import { createRotationProof, parseRotationProof, verifyRotationProof } from './rotation-proof';

const oldKey = generateKeyPair('ML-DSA-65');
const newKey = generateKeyPair('ML-DSA-65');
const now = 1_767_225_600_000;

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return isGatewayError(e) ? e.code : 'other';
  }
  return undefined;
}

describe('rotation proof', () => {
  it('verifies when signed by both the old and the new key', () => {
    const proof = createRotationProof({ oldKey, newKey, reason: 'laptop replaced', time: now });
    expect(verifyRotationProof(parseRotationProof(proof), oldKey, now + 1000).newPublicKey).toEqual(newKey.publicKey);
  });

  it('refuses a bad old-key signature', () => {
    const proof = createRotationProof({ oldKey: generateKeyPair('ML-DSA-65'), newKey, reason: '', time: now });
    const parsed = parseRotationProof({ ...proof, statement: proof.statement });
    // The statement names the enrolled old key but was signed by another one.
    const forged = createRotationProof({ oldKey, newKey, reason: '', time: now });
    expect(codeOf(() => verifyRotationProof(parseRotationProof({ ...forged, oldSignature: proof.oldSignature }), oldKey, now))).toBe('bad_signature');
    expect(codeOf(() => verifyRotationProof(parsed, oldKey, now))).toBe('invalid_argument');
  });

  it('refuses a bad new-key signature and a stale time', () => {
    const proof = createRotationProof({ oldKey, newKey, reason: '', time: now });
    const sig = fromBase64Url(proof.newSignature);
    sig[10]! ^= 1;
    expect(codeOf(() => verifyRotationProof(parseRotationProof({ ...proof, newSignature: toBase64Url(sig) }), oldKey, now))).toBe('bad_signature');
    expect(codeOf(() => verifyRotationProof(parseRotationProof(proof), oldKey, now + 10 * 60_000))).toBe('invalid_argument');
  });

  it('rejects unknown fields before any signature work', () => {
    const proof = createRotationProof({ oldKey, newKey, reason: '', time: now });
    expect(codeOf(() => parseRotationProof({ ...proof, extra: 'x' }))).toBe('malformed_message');
    const statement = JSON.parse(Buffer.from(fromBase64Url(proof.statement)).toString());
    expect(codeOf(() => parseRotationProof({ ...proof, statement: toBase64Url(Buffer.from(JSON.stringify({ ...statement, admin: true }))) }))).toBe('malformed_message');
  });
});
