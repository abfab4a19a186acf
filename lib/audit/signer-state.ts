import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fromBase64, MerkleFrontier, parseCheckpoint, parseNote, toBase64, type FrontierJson } from '@/gateway/audit';
import { equalBytes } from '@/gateway/crypto';
import { writeFileDurably } from '@/gateway/witness/witness-state';
import { env } from '../env';

/**
 * The last checkpoint this replica's signer signed, kept OUTSIDE the database it signs (a file
 * under the data dir, and in memory): its size, root and the frontier (compact range) at that
 * size, which is all it needs to check that the next tree extends it. The signed note comes
 * along so an operator can hand it to an auditor as a saved checkpoint.
 */
export interface SignedHead {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Uint8Array;
  readonly frontier: MerkleFrontier;
  readonly note: string;
}

interface StateFileJson {
  version: 1;
  origin: string;
  size: number;
  rootHash: string;
  frontier: FrontierJson;
  note: string;
  signedAt: string;
}

/** The state as loaded: a head, none yet (first start: trust on first use), or a file that cannot be trusted. */
export type SignerState = { readonly status: 'ok'; readonly head?: SignedHead } | { readonly status: 'unreadable'; readonly message: string };

const holder = globalThis as typeof globalThis & { __pqgateAuditSignerState?: { file: string; state: SignerState } };

/** Where the state lives (PQGATE_AUDIT_STATE_FILE, default <data dir>/audit-signer-state.json). */
export function signerStateFile(): string {
  const e = env();
  return resolve(e.PQGATE_AUDIT_STATE_FILE ?? join(e.PQGATE_DATA_DIR, 'audit-signer-state.json'));
}

function load(file: string): SignerState {
  if (!existsSync(file)) return { status: 'ok' };
  try {
    const json = JSON.parse(readFileSync(file, 'utf8')) as StateFileJson;
    if (json.version !== 1 || typeof json.origin !== 'string' || typeof json.note !== 'string') throw new Error('shape');
    const frontier = MerkleFrontier.fromJSON(json.frontier);
    const rootHash = fromBase64(json.rootHash, 'root');
    const signed = parseCheckpoint(parseNote(json.note).text);
    // The three must tell one story, or the file was damaged (or written by someone else).
    if (frontier.size !== json.size || signed.size !== json.size || !equalBytes(frontier.root(), rootHash) || !equalBytes(signed.rootHash, rootHash) || signed.origin !== json.origin) throw new Error('inconsistent');
    return { status: 'ok', head: { origin: json.origin, size: json.size, rootHash, frontier, note: json.note } };
  } catch {
    return { status: 'unreadable', message: `the audit signer's state file ${file} is damaged: checkpoint signing stays stopped until it is restored from a backup, or moved aside to trust the database's history again (docs/audit.md)` };
  }
}

/** The signer state of this process (loaded once from the state file). */
export function signerState(): SignerState {
  const file = signerStateFile();
  if (holder.__pqgateAuditSignerState?.file !== file) holder.__pqgateAuditSignerState = { file, state: load(file) };
  return holder.__pqgateAuditSignerState.state;
}

/**
 * Records a checkpoint that was signed and committed: in memory, then durably in the state file.
 * Heads only move forward (a concurrent, older commit never replaces a newer head).
 */
export function recordSignedHead(head: SignedHead): void {
  const current = signerState();
  if (current.status !== 'ok' || (current.head && current.head.size >= head.size && current.head.origin === head.origin)) return;
  const file = signerStateFile();
  const json: StateFileJson = { version: 1, origin: head.origin, size: head.size, rootHash: toBase64(head.rootHash), frontier: head.frontier.toJSON(), note: head.note, signedAt: new Date().toISOString() };
  mkdirSync(dirname(file), { recursive: true });
  writeFileDurably(file, `${JSON.stringify(json, null, 2)}\n`);
  holder.__pqgateAuditSignerState = { file, state: { status: 'ok', head } };
}

/** Forgets the in-memory state so the next use reloads the file (tests; an operator's restart). */
export function reloadSignerState(): void {
  holder.__pqgateAuditSignerState = undefined;
}
