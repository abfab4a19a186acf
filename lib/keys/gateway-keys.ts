import { generateKeyPair, type KeyPair, type TicketKey, type TicketKeyRing } from '@/gateway/channel';
import { fromBase64Url, getCryptoProvider, toHex, type SignatureId } from '@/gateway/crypto';
import { GatewayError } from '@/gateway/errors';
import { signKeyLink } from '@/gateway/keys';
import { appendAuditEvent } from '../audit/append-audit-event';
import { db } from '../db';
import { env } from '../env';
import { openSecret, sealSecret } from './envelope';

/** The gateway signs handshakes with one key per signature scheme its suites use. */
export const GATEWAY_SIGNATURE_ALGORITHMS: readonly SignatureId[] = ['Ed25519', 'ML-DSA-65', 'ML-DSA-87'];
export const SIGNING_MAX_AGE_DAYS = 180;
export const TICKET_MAX_AGE_DAYS = 30;
export const ENVELOPE_MAX_AGE_DAYS = 365;

const signingOwner = (algorithm: SignatureId) => `gateway:${algorithm}`;
export const signingContext = (algorithm: SignatureId, version: number) => `key:gateway_signing:${algorithm}:v${version}`;
export const ticketContext = (version: number) => `key:ticket:gateway:v${version}`;
const ticketFingerprint = (secret: Uint8Array) => `ticket:${toHex(getCryptoProvider().hash('SHA-256').digest(secret)).slice(0, 32)}`;

/** The envelope key's fingerprint: a hash of it, never the key (it lives in the environment only). */
export function envelopeFingerprint(): string {
  return `envelope:${toHex(getCryptoProvider().hash('SHA-256').digest(fromBase64Url(env().PQGATE_ENVELOPE_KEY))).slice(0, 32)}`;
}

/**
 * The data of the next version of a gateway signing or ticket key, as a `pending` row: its
 * secret sealed, and for a signing key its link signed by the current version (the trust
 * bundle chain). The caller inserts it.
 */
export function successorGatewayKey(current: { purpose: 'gateway_signing' | 'ticket'; owner: string; version: number; algorithm: string; secretSealed: Uint8Array | null; maxAgeDays: number }) {
  const version = current.version + 1;
  if (current.purpose === 'ticket') {
    const secret = getCryptoProvider().randomBytes(32);
    const data = { purpose: 'ticket' as const, owner: current.owner, version, state: 'pending' as const, algorithm: current.algorithm, fingerprint: ticketFingerprint(secret), secretSealed: sealSecret(secret, ticketContext(version)), maxAgeDays: current.maxAgeDays };
    secret.fill(0);
    return data;
  }
  const algorithm = current.algorithm as SignatureId;
  if (!current.secretSealed) throw new Error(`gateway ${algorithm} key v${current.version} has no secret left to sign its successor`);
  const previousSeed = openSecret(current.secretSealed, signingContext(algorithm, current.version));
  const previous = getCryptoProvider().signature(algorithm).importSigner(previousSeed);
  const pair = generateKeyPair(algorithm);
  const data = {
    purpose: 'gateway_signing' as const,
    owner: current.owner,
    version,
    state: 'pending' as const,
    algorithm,
    fingerprint: toHex(pair.keyId),
    publicKey: new Uint8Array(pair.publicKey),
    secretSealed: sealSecret(pair.seed, signingContext(algorithm, version)),
    previousSignature: new Uint8Array(signKeyLink(previous, { algorithm, version, publicKey: pair.publicKey })),
    maxAgeDays: current.maxAgeDays,
  };
  previousSeed.fill(0);
  pair.seed.fill(0);
  return data;
}

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
      fingerprint: ticketFingerprint(secret),
      secretSealed: sealSecret(secret, ticketContext(1)),
      maxAgeDays: TICKET_MAX_AGE_DAYS,
      activatedAt: new Date(),
    });
  }
  // The envelope key is listed (fingerprint, age) so it is watched like the others; rotating it
  // is an operator procedure (docs/keys.md), since it comes from the environment.
  const envelope = await db.key.findFirst({ where: { purpose: 'envelope', owner: 'gateway', state: 'active' }, select: { id: true } });
  if (!envelope) {
    await createKeyOnce({ purpose: 'envelope', owner: 'gateway', version: 1, state: 'active', algorithm: 'AES-256-GCM', fingerprint: envelopeFingerprint(), maxAgeDays: ENVELOPE_MAX_AGE_DAYS, activatedAt: new Date() });
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

/** Which signing keys are active, as a short string that changes exactly when they do (cheap: no secrets opened). */
export async function activeSigningKeyVersions(): Promise<string> {
  const rows = await db.key.findMany({ where: { purpose: 'gateway_signing', state: 'active' }, select: { fingerprint: true }, orderBy: { fingerprint: 'asc' } });
  return rows.map((r) => r.fingerprint).join(',');
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
    const rows = await db.key
      .findMany({
        where: { purpose: 'ticket', owner: 'gateway', state: { in: ['active', 'retiring'] } },
        select: { version: true, state: true, secretSealed: true },
        orderBy: { version: 'desc' },
      })
      .catch(() => {
        // Fail closed, and say why: the channel answers an unexpected error opaquely. Keys a minute
        // old are not served instead: a rotation or retirement would go unseen for as long.
        throw new GatewayError('store_unavailable', 'the gateway database cannot be reached, so post-quantum sessions cannot be opened or resumed until it returns (the connector posts the same record again)');
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
