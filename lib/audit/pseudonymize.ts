import { getCryptoProvider, toBase64Url, utf8 } from '@/gateway/crypto';
import type { AuditEntry } from './append-audit-event';

/**
 * What the audit log keeps only as a salted HMAC (a pseudonym): the same value gives the same
 * pseudonym within one installation, so events stay linkable and searchable, but the log — and
 * every bundle exported from it — never holds the value itself.
 *
 * - `ip`: client addresses (personal data; sign-in events).
 * - `email`: the address typed into a failed or blocked sign-in. It may be mistyped, a probe
 *   for accounts, or even a password typed into the wrong field. Addresses of real accounts
 *   (users created by an admin) stay readable: the console lists them anyway.
 * - `token_prefix`: the first characters of an API token. The token id identifies it already;
 *   the prefix would only shorten a guess.
 */
export type PseudonymKind = 'ip' | 'email' | 'token_prefix';

/** Actor and target ids that are pseudonymised, by action. */
const ID_FIELDS: Readonly<Record<string, { actorId?: PseudonymKind; targetId?: PseudonymKind }>> = {
  'auth.sign_in_failed': { actorId: 'ip', targetId: 'email' },
  'auth.sign_in_blocked': { actorId: 'ip', targetId: 'email' },
};

/** `details` keys that are pseudonymised wherever they appear. */
const DETAIL_FIELDS: Readonly<Record<string, PseudonymKind>> = { ip: 'ip', prefix: 'token_prefix', tokenPrefix: 'token_prefix' };

/** `details` keys that name a secret: a string value there is dropped, never logged. */
const SECRET_KEY = /password|passphrase|secret|seed|private|token$|apikey/i;

const PREFIX = 'hmac:';

/** The pseudonym of a value: `hmac:` and 16 base64url characters of HMAC-SHA-256(salt, kind ‖ value). */
export function pseudonym(salt: Uint8Array, kind: PseudonymKind, value: string): string {
  const normalized = kind === 'email' ? value.trim().toLowerCase() : value.trim();
  const mac = getCryptoProvider().hash('SHA-256').hmac(salt, utf8(`pqgate/1 audit pseudonym\n${kind}\n${normalized}`));
  return PREFIX + toBase64Url(mac.subarray(0, 12));
}

function scrub(value: unknown, salt: Uint8Array): unknown {
  if (Array.isArray(value)) return value.map((v) => scrub(v, salt));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const kind = DETAIL_FIELDS[k];
    if (kind && typeof v === 'string') out[k] = v.startsWith(PREFIX) ? v : pseudonym(salt, kind, v);
    else if (SECRET_KEY.test(k) && typeof v === 'string') out[k] = '[redacted]';
    else out[k] = scrub(v, salt);
  }
  return out;
}

/**
 * The entry as the log stores it: sensitive fields replaced by their pseudonyms, secrets
 * dropped, and `details` reduced to plain JSON (what the database keeps is what was hashed).
 */
export function pseudonymizeEntry(entry: AuditEntry, salt: Uint8Array): AuditEntry {
  const ids = ID_FIELDS[entry.action];
  const id = (kind: PseudonymKind | undefined, v: string | undefined) => (kind && v !== undefined && !v.startsWith(PREFIX) ? pseudonym(salt, kind, v) : v);
  const details = JSON.parse(JSON.stringify(scrub(entry.details ?? {}, salt) ?? {})) as Record<string, unknown>;
  return { ...entry, actorId: id(ids?.actorId, entry.actorId)!, targetId: id(ids?.targetId, entry.targetId), details };
}

/** Pseudonyms a search for `value` should also match (an IP address or an email address). */
export function pseudonymsOf(value: string, salt: Uint8Array): string[] {
  const v = value.trim();
  if (v.includes('@')) return [pseudonym(salt, 'email', v)];
  if (/^[0-9a-f.:]+$/i.test(v) && /[.:]/.test(v)) return [pseudonym(salt, 'ip', v)];
  return [];
}
