import { z } from 'zod';
import { parseTrustedProxies, type TrustedProxies } from '@/gateway/http/client-address';
import { parsePublicOrigins, type PublicOrigins } from '@/gateway/mcp/host-guard';
import { ensureLocalSecrets } from './local-secrets';

const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\//, 'expected a postgresql:// connection URL, or leave it unset for the embedded database');

const flag = z.enum(['0', '1'], { message: 'expected 0 or 1' });
const port = z.coerce.number({ message: 'expected a TCP port number' }).int().min(1).max(65535);

/** Each stdio session is an operating-system process: at least one, at most 1024. */
const sessionCap = z.coerce
  .number({ message: 'expected a number of sessions' })
  .int('expected a whole number of sessions')
  .min(1, 'expected at least 1 session')
  .max(1024, 'expected at most 1024 sessions (each is a process)');

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    DATABASE_URL: postgresUrl.optional(),
    PQGATE_DATA_DIR: z.string().min(1).default('.data'),
    AUTH_SECRET: z.string().min(32, 'expected at least 32 characters of random data (openssl rand -base64 32)'),
    PQGATE_ENVELOPE_KEY: z
      .string()
      .regex(/^[A-Za-z0-9_-]{43}$/, 'expected 32 random bytes in base64url (openssl rand -base64 32 | tr "+/" "-_" | tr -d "=")'),
    /** The envelope key being rotated away from: secrets sealed under it are re-sealed at start (docs/keys.md). */
    PQGATE_ENVELOPE_KEY_PREVIOUS: z
      .string()
      .regex(/^[A-Za-z0-9_-]{43}$/, 'expected the previous envelope key: 32 bytes in base64url, as PQGATE_ENVELOPE_KEY')
      .optional(),
    ADMIN_EMAIL: z.email('expected an email address').optional(),
    ADMIN_PASSWORD: z.string().min(12, 'expected at least 12 characters').optional(),
    PQGATE_DEMO: flag.default('1'),
    PQGATE_DEMO_CLINIC_PORT: port.default(3101),
    PQGATE_DEMO_INVENTORY_PORT: port.default(3102),
    PQGATE_SIGNIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(5),
    PQGATE_SIGNIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).default(20),
    PQGATE_SIGNIN_WINDOW_SECONDS: z.coerce.number().int().min(10).default(900),
    /**
     * Proxies whose `X-Forwarded-For` hops are believed (IPs and CIDR networks, comma-separated);
     * by default none, and the TCP peer is the client (docs/security.md, "Client addresses").
     */
    PQGATE_TRUSTED_PROXIES: z
      .string()
      .default('')
      .transform((list, ctx): TrustedProxies => {
        try {
          return parseTrustedProxies(list);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: `${(error as Error).message}; expected a comma-separated list of proxy IPs and CIDR networks, e.g. 10.0.0.0/8, 2001:db8::1` });
          return z.NEVER;
        }
      }),
    /**
     * The origins clients use to reach the gateway (comma-separated, e.g. https://gw.example.com);
     * a request naming any other Host or Origin is refused (DNS-rebinding protection). Loopback
     * names are always accepted.
     */
    PQGATE_PUBLIC_ORIGINS: z
      .string()
      .default('')
      .transform((list, ctx): PublicOrigins => {
        try {
          return parsePublicOrigins(list);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: `${(error as Error).message}; expected comma-separated origins such as https://gw.example.com, https://gw.example.com:8443` });
          return z.NEVER;
        }
      }),
    /** How often a live console page (Alerts) checks for changes: one small request per interval, none while hidden. */
    PQGATE_LIVE_REFRESH_SECONDS: z.coerce.number({ message: 'expected a number of seconds' }).int('expected a whole number of seconds').min(1, 'expected at least 1 second').max(3600, 'expected at most 3600 seconds').default(1),
    /** How long the gateway refuses a source after a downgrade attempt (policy `block_downgrade_attempts`). */
    PQGATE_DOWNGRADE_BLOCK_SECONDS: z.coerce.number().int().min(1).default(900),
    /** How often the key schedule runs: retires keys whose overlap ended, requests rotations of keys past their maximum age. */
    PQGATE_KEY_SCHEDULE_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
    /** The audit log's origin, first line of every checkpoint; fixed once the log has signed one. */
    PQGATE_AUDIT_ORIGIN: z
      .string()
      .regex(/^[^\s+]{1,200}$/, 'expected a log name without spaces or "+", for example pqgate.example.com/audit')
      .default('pqgate.local/audit'),
    /** Sign a checkpoint after the batch that leaves this many events unsigned… */
    PQGATE_AUDIT_CHECKPOINT_EVENTS: z.coerce.number().int().min(1).default(256),
    /** …or when this many seconds passed since the last checkpoint and new events arrived. */
    PQGATE_AUDIT_CHECKPOINT_SECONDS: z.coerce.number().int().min(1).default(10),
    /**
     * Where this replica's signer keeps the last checkpoint it signed, outside the database it
     * signs (default <PQGATE_DATA_DIR>/audit-signer-state.json): it refuses to sign a history
     * that does not extend it (docs/audit.md).
     */
    PQGATE_AUDIT_STATE_FILE: z.string().min(1).optional(),
    /** A tlog witness (c2sp.org/tlog-witness submission prefix) that cosigns every checkpoint; off when unset. */
    PQGATE_AUDIT_WITNESS_URL: z.url({ protocol: /^https?$/, message: 'expected the witness submission URL, e.g. https://witness.example/ (add-checkpoint is appended)' }).optional(),
    /** The witness's verifier key (C2SP vkey, Ed25519 cosignature/v1): cosignatures by other keys are ignored. */
    PQGATE_AUDIT_WITNESS_KEY: z
      .string()
      .regex(/^[^+\s]+\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/, 'expected the witness vkey <name>+<8 hex digits>+<base64 of 0x04 and the Ed25519 key> (pqgate witness keygen prints it)')
      .optional(),
    /** This replica's name: its traffic journal is `<PQGATE_DATA_DIR>/traffic-journal/<name>`. Default: the host name. */
    PQGATE_REPLICA: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'expected a replica name of letters, digits, ".", "_" or "-" (at most 63), unique per running replica')
      .optional(),
    /**
     * Processes a stdio server runs for clients (one per client session, unless the server is
     * shared), and how many of them one identity may hold: past a cap `initialize` gets 429.
     */
    PQGATE_STDIO_SESSIONS_PER_SERVER: sessionCap.default(16),
    /** Default: 4, or the per-server cap when that is lower. */
    PQGATE_STDIO_SESSIONS_PER_IDENTITY: sessionCap.optional(),
    /** fdatasync the traffic journal before each reply leaves (survives power loss, at a disk flush per group of calls). */
    PQGATE_TRAFFIC_JOURNAL_FSYNC: flag.default('0'),
  })
  .refine((e) => Boolean(e.PQGATE_AUDIT_WITNESS_URL) === Boolean(e.PQGATE_AUDIT_WITNESS_KEY), {
    message: 'set both PQGATE_AUDIT_WITNESS_URL and PQGATE_AUDIT_WITNESS_KEY, or neither (a witness is only trusted by its key)',
    path: ['PQGATE_AUDIT_WITNESS_KEY'],
  })
  .refine((e) => e.PQGATE_STDIO_SESSIONS_PER_IDENTITY === undefined || e.PQGATE_STDIO_SESSIONS_PER_IDENTITY <= e.PQGATE_STDIO_SESSIONS_PER_SERVER, {
    message: 'expected at most PQGATE_STDIO_SESSIONS_PER_SERVER: one identity cannot hold more sessions than the server runs',
    path: ['PQGATE_STDIO_SESSIONS_PER_IDENTITY'],
  })
  .refine((e) => Boolean(e.ADMIN_EMAIL) === Boolean(e.ADMIN_PASSWORD), {
    message: 'set both ADMIN_EMAIL and ADMIN_PASSWORD, or neither (a password is then generated and printed once)',
    path: ['ADMIN_PASSWORD'],
  })
  .transform((e) => ({ ...e, PQGATE_STDIO_SESSIONS_PER_IDENTITY: e.PQGATE_STDIO_SESSIONS_PER_IDENTITY ?? Math.min(4, e.PQGATE_STDIO_SESSIONS_PER_SERVER) }));

export type Env = z.infer<typeof schema>;

/** A configuration error that names each bad variable and what it expects. */
export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`pqgate cannot start: bad configuration\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

/** Parses an environment; throws EnvError naming every bad variable. Pure apart from its input. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(emptyToUndefined(source));
  if (result.success) return result.data;
  throw new EnvError(result.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`));
}

function emptyToUndefined(source: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(source).map(([k, v]) => [k, v === '' ? undefined : v]));
}

let cached: Env | undefined;

/** The process's configuration, parsed once (generated local secrets filled in first). */
export function env(): Env {
  if (!cached) {
    ensureLocalSecrets(process.env);
    cached = parseEnv(process.env);
  }
  return cached;
}
