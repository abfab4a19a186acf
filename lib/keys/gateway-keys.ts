import { generateKeyPair, type KeyPair, type TicketKey, type TicketKeyRing } from '@/gateway/channel';
import { getCryptoProvider, toHex, type SignatureId } from '@/gateway/crypto';
import { appendAuditEvent } from '../audit/append-audit-event';
import { db } from '../db';
import { openSecret, sealSecret } from './envelope';

/** The gateway signs handshakes with one key per signature scheme its suites use. */
export const GATEWAY_SIGNATURE_ALGORITHMS: readonly SignatureId[] = ['Ed25519', 'ML-DSA-65', 'ML-DSA-87'];
const SIGNING_MAX_AGE_DAYS = 180;
const TICKET_MAX_AGE_DAYS = 30;

const signingOwner = (algorithm: SignatureId) => `gateway:${algorithm}`;
const signingContext = (algorithm: SignatureId, version: number) => `key:gateway_signing:${algorithm}:v${version}`;
const ticketContext = (version: number) => `key:ticket:gateway:v${version}`;

/**
 * Creates the gateway's signing keys and first ticket key when they do not exist yet (first
 * start). Secrets are sealed under the envelope key; only public keys and fingerprints are
 * readable in the database. Safe to run on several replicas at once: the unique
 * (purpose, owner, version) constraint lets one of them win.
 */
export async function ensureGatewayKeys(): Promise<void> {
  for (const algorithm of GATEWAY_SIGNATURE_ALGORITHMS) {
    const existing = await db.key.findFirst({ where: { purpose: 'gateway_signing', owner: signingOwner(algorithm), state: 'active' }, select: { id: true } });
    if (existing) continue;
    const pair = generateKeyPair(algorithm);
    await createKeyOnce({
      purpose: 'gateway_signing',
      owner: signingOwner(algorithm),
      version: 1,
      state: 'active',
      algorithm,
      fingerprint: toHex(pair.keyId),
      publicKey: new Uint8Array(pair.publicKey),
      secretSealed: sealSecret(pair.seed, signingContext(algorithm, 1)),
      maxAgeDays: SIGNING_MAX_AGE_DAYS,
      activatedAt: new Date(),
    });
  }
  const ticket = await db.key.findFirst({ where: { purpose: 'ticket', owner: 'gateway', state: 'active' }, select: { id: true } });
  if (!ticket) {
    const secret = getCryptoProvider().randomBytes(32);
    await createKeyOnce({
      purpose: 'ticket',
      owner: 'gateway',
      version: 1,
      state: 'active',
      algorithm: 'AES-256-GCM',
      fingerprint: `ticket:${toHex(getCryptoProvider().hash('SHA-256').digest(secret)).slice(0, 32)}`,
      secretSealed: sealSecret(secret, ticketContext(1)),
      maxAgeDays: TICKET_MAX_AGE_DAYS,
      activatedAt: new Date(),
    });
  }
}

async function createKeyOnce(data: Parameters<typeof db.key.create>[0]['data']): Promise<void> {
  try {
    const key = await db.key.create({ data, select: { id: true, purpose: true, version: true, fingerprint: true, algorithm: true } });
    await appendAuditEvent({ actorType: 'system', actorId: 'bootstrap', action: 'keys.create', targetType: 'key', targetId: key.id, decision: 'ok', details: { purpose: key.purpose, version: key.version, algorithm: key.algorithm, fingerprint: key.fingerprint } });
  } catch (error) {
    // Another replica created it first (unique purpose/owner/version): that key is the one.
    if ((error as { code?: string }).code !== 'P2002') throw error;
  }
}

/** The gateway's active signing key pairs, opened from their sealed seeds. */
export async function loadGatewaySigningKeys(): Promise<Pick<KeyPair, 'algorithm' | 'seed'>[]> {
  const rows = await db.key.findMany({
    where: { purpose: 'gateway_signing', state: { in: ['active'] } },
    select: { algorithm: true, version: true, secretSealed: true },
    orderBy: { version: 'desc' },
  });
  const seen = new Set<string>();
  const keys: Pick<KeyPair, 'algorithm' | 'seed'>[] = [];
  for (const row of rows) {
    const algorithm = row.algorithm as SignatureId;
    if (seen.has(algorithm) || !row.secretSealed) continue;
    seen.add(algorithm);
    keys.push({ algorithm, seed: openSecret(row.secretSealed, signingContext(algorithm, row.version)) });
  }
  return keys;
}

/**
 * The ticket key ring all replicas share, read from the database and cached briefly: tickets
 * sealed by one replica open on another, and a rotation reaches every replica within `ttlMs`.
 * Keys in state `active` seal; `active` and `retiring` open; the minimum version is the lowest
 * version still accepted.
 */
export class DatabaseTicketKeyRing implements TicketKeyRing {
  private cache?: { at: number; keys: TicketKey[]; current: TicketKey; minimum: number };

  constructor(private readonly ttlMs = 1000) {}

  private async load() {
    if (this.cache && Date.now() - this.cache.at < this.ttlMs) return this.cache;
    const rows = await db.key.findMany({
      where: { purpose: 'ticket', owner: 'gateway', state: { in: ['active', 'retiring'] } },
      select: { version: true, state: true, secretSealed: true },
      orderBy: { version: 'desc' },
    });
    const keys = rows.filter((r) => r.secretSealed).map((r) => ({ version: r.version, key: openSecret(r.secretSealed!, ticketContext(r.version)) }));
    const activeVersion = rows.find((r) => r.state === 'active')?.version;
    const current = keys.find((k) => k.version === activeVersion);
    if (!current) throw new Error('no active ticket key: the gateway keys were not created (run the server once, it creates them)');
    this.cache = { at: Date.now(), keys, current, minimum: Math.min(...keys.map((k) => k.version)) };
    return this.cache;
  }

  async current(): Promise<TicketKey> {
    return (await this.load()).current;
  }

  async get(version: number): Promise<TicketKey | null> {
    return (await this.load()).keys.find((k) => k.version === version) ?? null;
  }

  async minimumVersion(): Promise<number> {
    return (await this.load()).minimum;
  }
}
