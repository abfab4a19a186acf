import { z } from 'zod';

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const ALGORITHM_LINE = /^algorithm:\s*(\S+)\s*$/m;

/**
 * What the admin pastes for a public key: the bare base64url key, or the whole output of
 * `pqgate pubkey` (its text form, whose last line is the key, or its `--json` form). Returns the
 * key and, when the paste names one, its algorithm.
 */
export function readPastedPublicKey(pasted: string): { publicKey: string; algorithm?: string } | null {
  const text = pasted.trim();
  if (BASE64URL.test(text)) return { publicKey: text };
  if (text.startsWith('{')) {
    try {
      const j = JSON.parse(text) as { publicKey?: unknown; algorithm?: unknown };
      if (typeof j.publicKey === 'string' && BASE64URL.test(j.publicKey)) return { publicKey: j.publicKey, ...(typeof j.algorithm === 'string' ? { algorithm: j.algorithm } : {}) };
    } catch {
      return null;
    }
    return null;
  }
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const last = lines.at(-1) ?? '';
  if (!BASE64URL.test(last) || !lines.some((l) => /^public key/i.test(l))) return null;
  const algorithm = ALGORITHM_LINE.exec(text)?.[1];
  return { publicKey: last, ...(algorithm ? { algorithm } : {}) };
}

const HOW = 'Paste what `pqgate pubkey --identity <file>` prints (all of it, or only its last line: the base64url key).';

/** The pasted key as the bare base64url string, or a field error that says what to paste. */
export const pastedPublicKey = z
  .string()
  .transform((pasted, ctx) => {
    const read = readPastedPublicKey(pasted);
    if (!read) {
      ctx.addIssue({ code: 'custom', message: HOW });
      return z.NEVER;
    }
    return read;
  });

/** Refuses a paste whose own `algorithm:` line disagrees with the algorithm chosen in the form. */
export function matchesChosenAlgorithm(key: { algorithm?: string } | undefined, chosen: string | undefined, ctx: z.RefinementCtx, path: string): void {
  if (key?.algorithm && chosen && key.algorithm !== chosen) {
    ctx.addIssue({ code: 'custom', path: [path], message: `The pasted key is ${key.algorithm}, but ${chosen} is chosen: choose ${key.algorithm}, or paste a ${chosen} key.` });
  }
}
