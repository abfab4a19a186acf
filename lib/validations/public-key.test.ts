import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '@/gateway/channel';
import { describeKey } from '@/gateway/cli/pubkey';
import { toBase64Url, toHex } from '@/gateway/crypto';
import { enrollKeySchema } from './identity';
import { requestRotationSchema } from './rotation';

const key = generateKeyPair('ML-DSA-65', { seed: new Uint8Array(32).fill(3) });
const bare = toBase64Url(key.publicKey);
const enroll = (publicKey: string, algorithm = 'ML-DSA-65') => enrollKeySchema.safeParse({ identityId: 'id-1', algorithm, publicKey });

describe('a pasted public key', () => {
  it('is taken as pqgate pubkey prints it: all of its text output, its --json output, or the key alone', () => {
    for (const pasted of [describeKey(key), `${describeKey(key)}\n`, JSON.stringify({ algorithm: key.algorithm, publicKey: bare, keyId: toHex(key.keyId) }), bare, `  ${bare}\n`]) {
      const r = enroll(pasted);
      expect(r.success).toBe(true);
      expect(r.data?.publicKey).toBe(bare);
    }
  });

  it('whose own algorithm line disagrees with the form is refused, saying which to choose', () => {
    const r = enroll(describeKey(key), 'ML-DSA-87');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/The pasted key is ML-DSA-65, but ML-DSA-87 is chosen/);
  });

  it('anything else is refused with what to paste', () => {
    for (const pasted of ['not a key!', 'algorithm: ML-DSA-65\nsomething else', '{"publicKey": 5}', '{bad json']) {
      const r = enroll(pasted);
      expect(r.success).toBe(false);
      expect(r.error?.issues[0]?.message).toMatch(/Paste what `pqgate pubkey --identity <file>` prints/);
    }
  });

  it('a rotation request takes the same paste, and none at all for gateway keys', () => {
    expect(requestRotationSchema.safeParse({ keyId: 'k', reason: 'new laptop', algorithm: 'ML-DSA-65', publicKey: describeKey(key) }).data?.publicKey).toBe(bare);
    expect(requestRotationSchema.safeParse({ keyId: 'k', reason: 'scheduled', publicKey: '' }).data?.publicKey).toBeUndefined();
  });
});
