import type { Prisma } from '../generated/prisma/client';
import { db } from '../db';
import { AppError } from '../errors';
import { successorGatewayKey } from '../keys/gateway-keys';
import { readRotationSettings } from './rotation-settings';

/** Key purposes a rotation can replace from the console. The envelope key is rotated by the operator through the environment, upstream credentials on the Servers page (docs/keys.md). */
export const ROTATABLE_PURPOSES = ['gateway_signing', 'ticket', 'identity'] as const;

export type RotatableKey = Prisma.KeyGetPayload<{ select: typeof rotatableKeySelect }>;

export const rotatableKeySelect = { id: true, purpose: true, owner: true, version: true, state: true, algorithm: true, fingerprint: true, publicKey: true, secretSealed: true, maxAgeDays: true, identityId: true } as const;

/** The old key of a new rotation: must exist, be active, be of a rotatable purpose and have no open request. */
export async function loadKeyToRotate(where: Prisma.KeyWhereUniqueInput): Promise<RotatableKey> {
  const key = await db.key.findUnique({ where, select: rotatableKeySelect });
  if (!key) throw new AppError('not_found', 'That key no longer exists. Reload the page.');
  if (!(ROTATABLE_PURPOSES as readonly string[]).includes(key.purpose)) {
    throw new AppError('invalid_input', `The ${key.purpose.replace('_', ' ')} key is rotated by the operator, not from the console (see docs/keys.md).`);
  }
  if (key.state !== 'active') throw new AppError('conflict', `Only the active key can be rotated; this one is ${key.state}.`);
  const open = await db.rotationRequest.findFirst({ where: { oldKeyId: key.id, status: 'pending' }, select: { id: true } });
  if (open) throw new AppError('conflict', 'A rotation of this key is already waiting for approval; approve or reject that one first.');
  return key;
}

/** The new identity key as a `pending` row (the holder keeps its secret). */
export function pendingIdentityKey(old: RotatableKey, next: { algorithm: string; publicKey: Uint8Array; fingerprint: string }, version: number) {
  return { purpose: 'identity' as const, owner: old.owner, identityId: old.identityId, version, state: 'pending' as const, algorithm: next.algorithm, fingerprint: next.fingerprint, publicKey: new Uint8Array(next.publicKey), maxAgeDays: old.maxAgeDays };
}

/** The version after the highest one of the key's (purpose, owner): gaps left by rejected requests are reused. */
export async function nextKeyVersion(old: Pick<RotatableKey, 'purpose' | 'owner'>): Promise<number> {
  const max = await db.key.aggregate({ where: { purpose: old.purpose, owner: old.owner }, _max: { version: true } });
  return (max._max.version ?? 0) + 1;
}

/**
 * Creates a pending request for `old` and, when known, its pending new key. Gateway-held keys
 * (signing, ticket) get their successor generated here, so the approver sees its fingerprint
 * and a signing key's successor is published as the next key in the trust bundle.
 */
export async function openRotation(input: {
  old: RotatableKey;
  source: 'schedule' | 'admin' | 'client';
  /** `revoke`: approval revokes the old key at once instead of retiring it after an overlap. */
  kind?: 'rotate' | 'revoke';
  /** Generate a successor for a gateway-held key (default yes; no when revoking a retiring key, whose successor is already active). */
  withSuccessor?: boolean;
  reason: string;
  requestedById?: string;
  overlapSeconds?: number;
  newKey?: Prisma.KeyUncheckedCreateInput;
  clientProof?: Prisma.InputJsonValue;
  dedupeKey?: string;
}) {
  const { old } = input;
  const settings = await readRotationSettings();
  let newKey = input.newKey;
  if (!newKey && input.withSuccessor !== false && (old.purpose === 'gateway_signing' || old.purpose === 'ticket')) {
    newKey = successorGatewayKey({ ...old, purpose: old.purpose });
  }
  try {
    return await db.$transaction(async (tx) => {
      const created = newKey ? await tx.key.create({ data: newKey, select: { id: true, fingerprint: true } }) : null;
      return tx.rotationRequest.create({
        data: {
          oldKeyId: old.id,
          newKeyId: created?.id ?? null,
          newFingerprint: created?.fingerprint ?? null,
          source: input.source,
          kind: input.kind ?? 'rotate',
          reason: input.reason,
          requestedById: input.requestedById ?? null,
          clientProof: input.clientProof,
          requiredApprovals: settings.requiredApprovals,
          overlapSeconds: input.overlapSeconds ?? settings.overlapSeconds,
          dedupeKey: input.dedupeKey ?? null,
        },
        select: { id: true, newFingerprint: true, requiredApprovals: true, overlapSeconds: true },
      });
    });
  } catch (error) {
    // Two requests for one key at once (same next version), or a replayed dedupe key.
    if ((error as { code?: string }).code === 'P2002') throw new AppError('conflict', 'A rotation of this key was just requested by someone else, or this request was already submitted.');
    throw error;
  }
}
