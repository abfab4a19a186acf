/**
 * A client-submitted rotation (`pqgate rotate`): one statement naming the old key, the new key,
 * a reason, a time and a nonce, signed by both the old key (it is the holder asking) and the new
 * key (the holder has its secret). The gateway checks both and refuses a statement seen before
 * or more than {@link ROTATION_PROOF_MAX_SKEW_MS} away from its clock. Pure: no I/O.
 */
import { keyIdOf, type KeyPair } from '../channel';
import { fromBase64Url, getCryptoProvider, toBase64Url, toHex, utf8, type CryptoProvider, type SignatureId } from '../crypto';
import { GatewayError } from '../errors';

const CONTEXT = utf8('pqgate/1 key rotation');
const ALGORITHMS: readonly SignatureId[] = ['Ed25519', 'ML-DSA-65', 'ML-DSA-87'];
export const ROTATION_PROOF_TYPE = 'pqgate-rotation/1';
/** How far the statement's time may be from the gateway's clock. */
export const ROTATION_PROOF_MAX_SKEW_MS = 5 * 60 * 1000;

/** What both keys sign. */
export interface RotationStatement {
  readonly type: typeof ROTATION_PROOF_TYPE;
  /** Key id (hex) of the enrolled key being replaced. */
  readonly oldKeyId: string;
  readonly newAlgorithm: SignatureId;
  /** base64url raw public key. */
  readonly newPublicKey: string;
  readonly reason: string;
  /** Milliseconds since the epoch. */
  readonly time: number;
  /** 16–64 base64url characters, random: a statement is accepted once. */
  readonly nonce: string;
}

/** The body of `POST /api/rotations/client`. */
export interface RotationProof {
  /** The statement's exact bytes, base64url (signatures cover these bytes, not a re-encoding). */
  readonly statement: string;
  readonly oldSignature: string;
  readonly newSignature: string;
}

/** Builds and signs a rotation proof with both keys. */
export function createRotationProof(input: { oldKey: KeyPair; newKey: KeyPair; reason: string; time: number; nonce?: string }, provider: CryptoProvider = getCryptoProvider()): RotationProof {
  const statement: RotationStatement = {
    type: ROTATION_PROOF_TYPE,
    oldKeyId: toHex(input.oldKey.keyId),
    newAlgorithm: input.newKey.algorithm,
    newPublicKey: toBase64Url(input.newKey.publicKey),
    reason: input.reason,
    time: input.time,
    nonce: input.nonce ?? toBase64Url(provider.randomBytes(18)),
  };
  const bytes = utf8(JSON.stringify(statement));
  const sign = (k: KeyPair) => toBase64Url(provider.signature(k.algorithm).importSigner(k.seed).sign(bytes, CONTEXT));
  return { statement: toBase64Url(bytes), oldSignature: sign(input.oldKey), newSignature: sign(input.newKey) };
}

/**
 * Parses a proof and its statement strictly, before any signature work.
 * @throws GatewayError `malformed_message`.
 */
export function parseRotationProof(json: unknown): { proof: RotationProof; statement: RotationStatement; statementBytes: Uint8Array } {
  const bad = (why: string) => new GatewayError('malformed_message', `rotation request: ${why}`);
  const p = json as Record<string, unknown>;
  if (!p || typeof p !== 'object' || Object.keys(p).sort().join() !== 'newSignature,oldSignature,statement') throw bad('expected exactly {statement, oldSignature, newSignature}');
  for (const k of ['statement', 'oldSignature', 'newSignature']) if (typeof p[k] !== 'string' || (p[k] as string).length > 16384 || !/^[A-Za-z0-9_-]+$/.test(p[k] as string)) throw bad(`${k} must be base64url`);
  const statementBytes = fromBase64Url(p.statement as string);
  let s: Record<string, unknown>;
  try {
    s = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(statementBytes));
  } catch {
    throw bad('statement is not JSON');
  }
  if (!s || typeof s !== 'object' || Object.keys(s).sort().join() !== 'newAlgorithm,newPublicKey,nonce,oldKeyId,reason,time,type') throw bad('statement has missing or unknown fields');
  if (s.type !== ROTATION_PROOF_TYPE) throw bad(`type must be ${ROTATION_PROOF_TYPE}`);
  if (typeof s.oldKeyId !== 'string' || !/^[0-9a-f]{64}$/.test(s.oldKeyId)) throw bad('oldKeyId must be 64 hex digits');
  if (!ALGORITHMS.includes(s.newAlgorithm as SignatureId)) throw bad(`newAlgorithm must be one of ${ALGORITHMS.join(', ')}`);
  if (typeof s.newPublicKey !== 'string' || !/^[A-Za-z0-9_-]{1,8192}$/.test(s.newPublicKey)) throw bad('newPublicKey must be base64url');
  if (typeof s.reason !== 'string' || s.reason.length > 500) throw bad('reason must be at most 500 characters');
  if (!Number.isSafeInteger(s.time)) throw bad('time must be milliseconds since the epoch');
  if (typeof s.nonce !== 'string' || !/^[A-Za-z0-9_-]{16,64}$/.test(s.nonce)) throw bad('nonce must be 16–64 base64url characters');
  return { proof: p as unknown as RotationProof, statement: s as unknown as RotationStatement, statementBytes };
}

/**
 * Checks the time, the new key's length and both signatures.
 * @throws GatewayError `bad_signature` naming which key failed, `invalid_key`, or `invalid_argument` for a stale time.
 */
export function verifyRotationProof(
  parsed: ReturnType<typeof parseRotationProof>,
  oldKey: { algorithm: SignatureId; publicKey: Uint8Array },
  now: number,
  provider: CryptoProvider = getCryptoProvider(),
): { newPublicKey: Uint8Array; newKeyId: string } {
  const { statement, statementBytes, proof } = parsed;
  if (Math.abs(now - statement.time) > ROTATION_PROOF_MAX_SKEW_MS) {
    throw new GatewayError('invalid_argument', 'rotation request time is more than 5 minutes from the gateway clock; check the client clock and run pqgate rotate again');
  }
  if (statement.oldKeyId !== toHex(keyIdOf(oldKey.publicKey, provider))) throw new GatewayError('invalid_argument', 'the statement names another old key');
  const scheme = provider.signature(statement.newAlgorithm);
  const newPublicKey = fromBase64Url(statement.newPublicKey);
  if (newPublicKey.length !== scheme.lengths.publicKey) throw new GatewayError('invalid_key', `an ${statement.newAlgorithm} public key is ${scheme.lengths.publicKey} bytes`);
  const verify = (alg: SignatureId, sig: string, pk: Uint8Array) => {
    try {
      return provider.signature(alg).verify(fromBase64Url(sig), statementBytes, pk, CONTEXT);
    } catch {
      return false;
    }
  };
  if (!verify(oldKey.algorithm, proof.oldSignature, oldKey.publicKey)) throw new GatewayError('bad_signature', 'the old key\'s signature on the rotation request does not verify');
  if (!verify(statement.newAlgorithm, proof.newSignature, newPublicKey)) throw new GatewayError('bad_signature', 'the new key\'s signature on the rotation request does not verify');
  return { newPublicKey, newKeyId: toHex(keyIdOf(newPublicKey, provider)) };
}
