import { MerkleFrontier, openCheckpoint, toBase64, type NoteSigner } from '@/gateway/audit';
import { equalBytes } from '@/gateway/crypto';
import type { Prisma } from '../generated/prisma/client';
import { readLeafHashes } from './audit-log-state';
import { signerState, type SignedHead } from './signer-state';

/** Why the signer refused to sign: the database's history does not extend what it signed last. */
export interface SigningRefusal {
  readonly kind: 'rollback' | 'rewrite' | 'state_unreadable';
  /** The last signed size (before) and the size the database now asks to sign (after). */
  readonly signedSize: number;
  readonly size: number;
  readonly message: string;
}

/** What the signer may build on: the head to extend, or a refusal. */
export type GuardResult = { readonly ok: true } | { readonly ok: false; readonly refusal: SigningRefusal };

function refuse(kind: SigningRefusal['kind'], signedSize: number, size: number, message: string): GuardResult {
  return { ok: false, refusal: { kind, signedSize, size, message } };
}

/**
 * Trust on first use, made as strong as the database allows: with no state file, the newest
 * stored checkpoint that THIS signing key signed becomes the head, and the stored rows must
 * reproduce its root (so rows edited under an intact checkpoint are still refused).
 */
async function firstUseHead(tx: Prisma.TransactionClient, origin: string, signer: NoteSigner): Promise<SignedHead | GuardResult | undefined> {
  const rows = await tx.checkpoint.findMany({ orderBy: { treeSize: 'desc' }, take: 20, select: { note: true } });
  for (const { note } of rows) {
    let checkpoint;
    try {
      checkpoint = openCheckpoint(note, [signer.key], { origin }).checkpoint;
    } catch {
      continue;
    }
    const frontier = MerkleFrontier.empty();
    try {
      for await (const page of readLeafHashes(tx, 0, checkpoint.size)) frontier.appendAll(page);
    } catch {
      return refuse('rollback', checkpoint.size, frontier.size, `events are missing below the stored checkpoint of size ${checkpoint.size} that this gateway key signed`);
    }
    if (!equalBytes(frontier.root(), checkpoint.rootHash)) return refuse('rewrite', checkpoint.size, checkpoint.size, `the stored events no longer produce the root of the stored checkpoint of size ${checkpoint.size} that this gateway key signed`);
    return { origin, size: checkpoint.size, rootHash: checkpoint.rootHash, frontier, note };
  }
  return undefined;
}

/**
 * Checks, inside the transaction that holds the log lock, that the tree the database now holds
 * (`frontier`, size N') extends the last checkpoint this signer signed (size N, root R):
 *
 * - N' < N is a rollback;
 * - otherwise the stored leaf hashes of events N..N'-1 are appended to the frontier kept at N
 *   and the root must be the database's root at N'. That is RFC 9162 §2.1.4's consistency
 *   check done directly: the signer holds the old side itself (its frontier at N, whose root is
 *   R), and the rows give the new side; a proof would only compress what it reads here.
 *
 * Reads only the events since the last checkpoint this replica signed.
 */
export async function guardCheckpoint(tx: Prisma.TransactionClient, origin: string, frontier: MerkleFrontier, signer: NoteSigner): Promise<GuardResult> {
  const state = signerState();
  if (state.status === 'unreadable') return refuse('state_unreadable', 0, frontier.size, state.message);
  let head = state.head;
  if (!head) {
    const first = await firstUseHead(tx, origin, signer);
    if (first && 'ok' in first) return first;
    head = first;
  }
  if (!head) return { ok: true };
  const n = head.size;
  const n2 = frontier.size;
  if (head.origin !== origin) return refuse('rewrite', n, n2, `the last checkpoint this signer signed is of the log "${head.origin}", but the database's log is "${origin}"`);
  if (n2 < n) return refuse('rollback', n, n2, `audit history rolled back: this signer last signed ${n} events, the database now holds ${n2} (events ${n2}..${n - 1} are gone)`);
  const extended = head.frontier.clone();
  if (n2 > n) {
    try {
      for await (const page of readLeafHashes(tx, n, n2)) extended.appendAll(page);
    } catch (e) {
      return refuse('rewrite', n, n2, `audit history rewritten: ${(e as Error).message} between the last signed size ${n} and ${n2}`);
    }
  }
  if (!equalBytes(extended.root(), frontier.root())) {
    const why = n2 === n ? `the database holds another tree of the ${n} events signed` : `the database's tree of ${n2} events does not extend the ${n} events signed (root ${toBase64(head.rootHash)})`;
    return refuse('rewrite', n, n2, `audit history rewritten: ${why}; events 0..${n - 1} or the stored frontier were altered`);
  }
  return { ok: true };
}
