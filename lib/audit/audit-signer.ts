import { createNoteSigner, noteVerifierKey, type NoteSigner, type NoteVerifierKey } from '@/gateway/audit';
import type { SignatureId } from '@/gateway/crypto';
import { db } from '../db';
import { loadGatewaySigningKeys } from '../keys/gateway-keys';

/** Checkpoints are signed with the gateway's ML-DSA-65 key (DESIGN §6). */
export const CHECKPOINT_ALGORITHM = 'ML-DSA-65' satisfies SignatureId;
const NOTE_ALGORITHMS: readonly string[] = ['ML-DSA-65', 'ML-DSA-87'];
const SIGNER_TTL_MS = 60_000;

const holder = globalThis as typeof globalThis & { __pqgateAuditSigner?: { origin: string; at: number; signer: NoteSigner } };

/**
 * The note signer for checkpoints, imported once and reused for a minute (a rotated key is
 * picked up within that), or undefined while the gateway has no ML-DSA-65 key yet (first start:
 * the first events are then signed by the next checkpoint). Call it outside any transaction.
 */
export async function auditSigner(origin: string): Promise<NoteSigner | undefined> {
  const cached = holder.__pqgateAuditSigner;
  if (cached && cached.origin === origin && Date.now() - cached.at < SIGNER_TTL_MS) return cached.signer;
  const pair = (await loadGatewaySigningKeys()).find((k) => k.algorithm === CHECKPOINT_ALGORITHM);
  if (!pair) return undefined;
  const signer = createNoteSigner(origin, pair);
  pair.seed.fill(0);
  holder.__pqgateAuditSigner = { origin, at: Date.now(), signer };
  return signer;
}

/**
 * The verifier keys of every gateway ML-DSA key, in any state (retired keys signed older
 * checkpoints), active ones first: what an auditor pins and what a bundle carries.
 */
export async function auditVerifierKeys(origin: string): Promise<NoteVerifierKey[]> {
  const rows = await db.key.findMany({
    where: { purpose: 'gateway_signing', algorithm: { in: [...NOTE_ALGORITHMS] }, publicKey: { not: null } },
    select: { algorithm: true, state: true, publicKey: true },
    orderBy: [{ version: 'desc' }],
  });
  rows.sort((a, b) => Number(b.state === 'active') - Number(a.state === 'active') || Number(b.algorithm === CHECKPOINT_ALGORITHM) - Number(a.algorithm === CHECKPOINT_ALGORITHM));
  return rows.map((r) => noteVerifierKey(origin, r.algorithm as SignatureId, new Uint8Array(r.publicKey!)));
}
