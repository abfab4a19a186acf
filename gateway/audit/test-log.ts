/** Test helper: a small signed audit log and its bundle, built the way the app builds one. */
import { generateKeyPair } from '../channel';
import type { AuditBundle } from './bundle';
import { signCheckpoint } from './checkpoint';
import { auditEventLeafHash } from './event';
import { createAuditBundle } from './export-bundle';
import { MerkleFrontier } from './frontier';
import { MerkleTree } from './merkle-tree';
import { createNoteSigner, type NoteSigner } from './note-key';

export const TEST_ORIGIN = 'pqgate.test/audit';
export const testKey = generateKeyPair('ML-DSA-65', { seed: new Uint8Array(32).fill(3) });
export const testSigner: NoteSigner = createNoteSigner(TEST_ORIGIN, testKey);

/** The i-th synthetic event, as the console would hash it. */
export function testEvent(i: number): Record<string, unknown> {
  return {
    actorType: 'gateway',
    actorId: 'gw-1',
    action: 'tools/call',
    targetType: 'tool',
    targetId: `ehr.read_chart#${i}`,
    decision: i % 7 === 0 ? 'deny' : 'allow',
    suite: 'X-Wing',
    details: { floor: 'ML-KEM-768', n: i },
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
  };
}

/** A log of `count` events checkpointed every `every` events (and at the end), as a bundle. */
export function buildTestBundle(count: number, every: number, extra: Partial<Parameters<typeof createAuditBundle>[0]> = {}, makeEvent: (i: number) => Record<string, unknown> = testEvent): { bundle: AuditBundle; tree: MerkleTree } {
  const frontier = MerkleFrontier.empty();
  const tree = new MerkleTree();
  const checkpoints: string[] = [];
  const events = [];
  for (let i = 0; i < count; i++) {
    const event = makeEvent(i);
    const leafHash = auditEventLeafHash(event);
    events.push({ seq: i, event, leafHash });
    frontier.append(leafHash);
    tree.appendLeafHash(leafHash);
    if ((i + 1) % every === 0 || i === count - 1) checkpoints.push(signCheckpoint({ origin: TEST_ORIGIN, size: frontier.size, rootHash: frontier.root() }, [testSigner]));
  }
  const bundle = createAuditBundle({ origin: TEST_ORIGIN, keys: [testSigner.key], checkpoints, events, tree, exportedAt: new Date(0), ...extra });
  return { bundle: JSON.parse(JSON.stringify(bundle)) as AuditBundle, tree };
}

/** A deep, mutable copy of a bundle to tamper with. */
export function mutable(bundle: AuditBundle): { -readonly [K in keyof AuditBundle]: any } {
  return JSON.parse(JSON.stringify(bundle));
}
