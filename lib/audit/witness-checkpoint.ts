import { checkCosignature, parseCheckpoint, parseCosignerKey, parseNote, submitToWitness, type WitnessEndpoint, type WitnessOutcome } from '@/gateway/audit';
import { equalBytes } from '@/gateway/crypto';
import type { PrismaClient } from '../db';
import { env } from '../env';
import { auditTree } from './audit-tree';
import { reportSigningRefusal } from './history-alarm';

/** What this process knows of its witness: the size it cosigned last, and the last failure. */
export interface WitnessStatus {
  readonly url: string;
  readonly name: string;
  readonly cosignedSize?: number;
  readonly lastError?: string;
  readonly at?: Date;
}

interface Holder {
  endpoint?: WitnessEndpoint;
  status?: { cosignedSize?: number; lastError?: string; at?: Date };
  queue: Promise<unknown>;
}

const holder = globalThis as typeof globalThis & { __pqgateAuditWitness?: Holder };
const state = (): Holder => (holder.__pqgateAuditWitness ??= { queue: Promise.resolve() });

/** The configured witness (PQGATE_AUDIT_WITNESS_URL and _KEY), or undefined when none is. */
export function auditWitness(): WitnessEndpoint | undefined {
  const e = env();
  if (!e.PQGATE_AUDIT_WITNESS_URL || !e.PQGATE_AUDIT_WITNESS_KEY) return undefined;
  const s = state();
  s.endpoint ??= { url: e.PQGATE_AUDIT_WITNESS_URL, key: parseCosignerKey(e.PQGATE_AUDIT_WITNESS_KEY) };
  return s.endpoint;
}

/** This process's view of its witness, for the Audit page. */
export function witnessStatus(): WitnessStatus | undefined {
  const w = auditWitness();
  return w && { url: w.url, name: w.key.name, ...state().status };
}

async function submit(client: PrismaClient, endpoint: WitnessEndpoint, checkpoint: { size: number; note: string }): Promise<string | undefined> {
  const s = state();
  const stored = await client.checkpoint.findUnique({ where: { treeSize: BigInt(checkpoint.size) }, select: { note: true } });
  const note = stored?.note ?? checkpoint.note;
  if (checkCosignature(note, endpoint.key).ok) return note;
  const { rootHash } = parseCheckpoint(parseNote(note).text);
  const known = s.status?.cosignedSize ?? 0;
  let diverged = false;
  // Known to this process already: the witness cosigned a larger tree than the one just signed.
  const outcome: WitnessOutcome =
    known > checkpoint.size
      ? { status: 'ahead', witnessSize: known }
      : await submitToWitness(endpoint, note, known, async (from) => {
          // RFC 9162 proof from the rows this process read (auditTree); if they no longer give
          // the signed root, rows it read earlier were changed since: nothing is sent.
          const tree = await auditTree(client, checkpoint.size);
          diverged = !equalBytes(tree.root(checkpoint.size), rootHash);
          if (diverged) throw new Error('diverged');
          return tree.consistencyProof(from, checkpoint.size);
        }).catch((e: unknown) => {
          if (!diverged) throw e;
          return { status: 'inconsistent' as const, witnessSize: known, message: `events this process read earlier no longer produce the signed root of size ${checkpoint.size}` };
        });
  if (outcome.status === 'cosigned') {
    await client.checkpoint.updateMany({ where: { treeSize: BigInt(checkpoint.size) }, data: { note: outcome.note } });
    s.status = { cosignedSize: checkpoint.size, at: new Date() };
    return outcome.note;
  }
  const message =
    outcome.status === 'ahead'
      ? `audit history rolled back: the witness ${endpoint.key.name} has cosigned ${outcome.witnessSize} events of this log, the gateway just signed ${checkpoint.size}`
      : `audit history rewritten: the witness ${endpoint.key.name} refused the checkpoint of size ${checkpoint.size} as inconsistent with the ${outcome.witnessSize} events it cosigned (${outcome.message})`;
  s.status = { ...s.status, lastError: message, at: new Date() };
  await reportSigningRefusal({ kind: outcome.status === 'ahead' ? 'rollback' : 'rewrite', signedSize: outcome.witnessSize, size: checkpoint.size, message });
  return undefined;
}

/**
 * Sends a signed checkpoint to the configured witness (one submission at a time per process)
 * and stores the returned cosignature in the checkpoint's note. Resolves to the cosigned note,
 * or undefined when there is no witness, it refused (the alert is raised), or it could not be
 * reached (logged; the next checkpoint tries again). Never rejects.
 */
export function witnessCheckpoint(client: PrismaClient, checkpoint: { size: number; note: string }): Promise<string | undefined> {
  const endpoint = auditWitness();
  if (!endpoint) return Promise.resolve(undefined);
  const s = state();
  const run = s.queue.then(() =>
    submit(client, endpoint, checkpoint).catch((e: unknown) => {
      const message = `the witness ${endpoint.key.name} could not cosign checkpoint ${checkpoint.size}: ${(e as Error).message.split('. ')[0]}`;
      s.status = { ...s.status, lastError: message, at: new Date() };
      console.error(`pqgate: ${message}`);
      return undefined;
    }),
  );
  s.queue = run;
  return run;
}

/** `witnessCheckpoint` without waiting: the append path never waits for the network. */
export function witnessInBackground(client: PrismaClient, checkpoint: { size: number; note: string }): void {
  void witnessCheckpoint(client, checkpoint);
}
