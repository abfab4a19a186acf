import type { SignatureId } from '@/gateway/crypto';
import { SALT_CONTEXT } from '../audit/audit-log-state';
import { appendAuditEvent } from '../audit/append-audit-event';
import { db } from '../db';
import { credentialsContext } from '../gateway-store/build-snapshot';
import { openSecretWithKey, sealSecret } from './envelope';
import { ENVELOPE_MAX_AGE_DAYS, envelopeFingerprint, signingContext, ticketContext } from './gateway-keys';

/** Re-seals `sealed` under the current envelope key if it opened only with the previous one. */
function reseal(sealed: Uint8Array, context: string): Uint8Array<ArrayBuffer> | null {
  const { plaintext, underPrevious } = openSecretWithKey(sealed, context);
  if (!underPrevious) return null;
  const fresh = sealSecret(plaintext, context);
  plaintext.fill(0);
  return fresh;
}

/**
 * Envelope-key rotation, run at start before anything reads a secret: every secret still sealed
 * under PQGATE_ENVELOPE_KEY_PREVIOUS is re-sealed under PQGATE_ENVELOPE_KEY (each row in its own
 * update, so an interrupted run simply continues next start), then the envelope key's row gets
 * a new version and the old one is retired. Returns how many secrets were re-sealed.
 */
export async function resealUnderCurrentEnvelopeKey(): Promise<number> {
  let count = 0;
  const keys = await db.key.findMany({ where: { secretSealed: { not: null }, purpose: { in: ['gateway_signing', 'ticket'] } }, select: { id: true, purpose: true, algorithm: true, version: true, secretSealed: true } });
  for (const k of keys) {
    const context = k.purpose === 'ticket' ? ticketContext(k.version) : signingContext(k.algorithm as SignatureId, k.version);
    const fresh = reseal(k.secretSealed!, context);
    if (fresh) {
      await db.key.update({ where: { id: k.id }, data: { secretSealed: fresh } });
      count += 1;
    }
  }
  const upstreams = await db.upstream.findMany({ where: { credentialsSealed: { not: null } }, select: { id: true, credentialsSealed: true } });
  for (const u of upstreams) {
    const fresh = reseal(u.credentialsSealed!, credentialsContext(u.id));
    if (fresh) {
      await db.upstream.update({ where: { id: u.id }, data: { credentialsSealed: fresh } });
      count += 1;
    }
  }
  const log = await db.auditLog.findUnique({ where: { id: 1 }, select: { saltSealed: true } });
  if (log?.saltSealed) {
    const fresh = reseal(log.saltSealed, SALT_CONTEXT);
    if (fresh) {
      await db.auditLog.update({ where: { id: 1 }, data: { saltSealed: fresh } });
      count += 1;
    }
  }
  await recordEnvelopeKeyVersion(count);
  return count;
}

/** The envelope key's row follows the key in use: a new fingerprint is a new version. */
async function recordEnvelopeKeyVersion(resealed: number): Promise<void> {
  const fingerprint = envelopeFingerprint();
  const active = await db.key.findFirst({ where: { purpose: 'envelope', owner: 'gateway', state: 'active' }, select: { id: true, version: true, fingerprint: true } });
  if (!active || active.fingerprint === fingerprint) return;
  const now = new Date();
  const created = await db.$transaction(async (tx) => {
    await tx.key.update({ where: { id: active.id }, data: { state: 'retired', retiredAt: now } });
    return tx.key.create({
      data: { purpose: 'envelope', owner: 'gateway', version: active.version + 1, state: 'active', algorithm: 'AES-256-GCM', fingerprint, maxAgeDays: ENVELOPE_MAX_AGE_DAYS, activatedAt: now },
      select: { id: true, version: true },
    });
  });
  await appendAuditEvent({ actorType: 'system', actorId: 'bootstrap', action: 'keys.envelope_rotated', targetType: 'key', targetId: created.id, decision: 'ok', details: { version: created.version, fingerprint, previousFingerprint: active.fingerprint, resealed } });
}
