import { createPublicKey, createHash, verify as nodeVerify } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkCosignature, createCosigner, formatCosignerKey, parseCosignerKey, signCheckpoint, submitToWitness, formatAddCheckpoint, MerkleTree, type Cosigner } from '../audit';
import { fromBase64 } from '../audit/base64';
import { parseNote } from '../audit/note';
import { auditEventLeafHash } from '../audit/event';
import { TEST_ORIGIN, testEvent, testSigner } from '../audit/test-log';
import { generateKeyPair } from '../channel';
import { createNoteSigner } from '../audit/note-key';
import { main } from '../cli/main';
import { startWitness } from '../cli/witness';
import type { NodeServer } from '../http/node-adapter';

const cosigner: Cosigner = createCosigner('witness.test/w1', new Uint8Array(32).fill(9));
const dir = mkdtempSync(join(tmpdir(), 'pqgate-witness-'));
const servers: NodeServer[] = [];
afterAll(async () => Promise.all(servers.map((s) => s.close())));

async function witness(stateFile = join(dir, `state-${servers.length}.json`)) {
  const server = await startWitness({ cosigner, logKeys: [testSigner.key], stateFile, port: 0 });
  servers.push(server);
  return { server, stateFile, endpoint: { url: server.origin, key: cosigner.key } };
}

/** A log of `n` events (event i made by `make`), its tree, and a signed checkpoint of it. */
function log(n: number, make: (i: number) => Record<string, unknown> = testEvent) {
  const tree = MerkleTree.fromLeafHashes(Array.from({ length: n }, (_, i) => auditEventLeafHash(make(i))));
  const note = signCheckpoint({ origin: TEST_ORIGIN, size: n, rootHash: tree.root() }, [testSigner]);
  return { tree, note, proof: (from: number) => tree.consistencyProof(from, n) };
}

async function post(origin: string, body: string) {
  const r = await fetch(`${origin}/add-checkpoint`, { method: 'POST', body });
  return { status: r.status, type: r.headers.get('content-type'), text: await r.text() };
}

describe('cosignature/v1 (c2sp.org/tlog-cosignature)', () => {
  it('is a plain RFC 8032 Ed25519 signature over the spec message, with the spec key ID, checked by node:crypto', () => {
    const text = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
    const sig = cosigner.cosign(text, 1679315147);
    expect(new DataView(sig.signature.buffer).getBigUint64(0)).toBe(1679315147n);
    const message = Buffer.from(`cosignature/v1\ntime 1679315147\n${text}`);
    const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), cosigner.key.publicKey]);
    expect(nodeVerify(null, message, createPublicKey({ key: spki, format: 'der', type: 'spki' }), sig.signature.subarray(8))).toBe(true);
    const id = createHash('sha256').update(Buffer.concat([Buffer.from('witness.test/w1\n'), Buffer.from([0x04]), cosigner.key.publicKey])).digest().readUInt32BE(0);
    expect(sig.keyId).toBe(id);
    expect(parseCosignerKey(formatCosignerKey(cosigner.key))).toEqual(cosigner.key);
  });
});

describe('pqgate witness (c2sp.org/tlog-witness add-checkpoint), over real HTTP', () => {
  it('cosigns a first checkpoint and each consistent extension, and keeps its state across a restart', async () => {
    const { server, stateFile, endpoint } = await witness();
    const a = log(20);
    const first = await submitToWitness(endpoint, a.note, 0, a.proof);
    expect(first.status).toBe('cosigned');
    if (first.status !== 'cosigned') return;
    expect(checkCosignature(first.note, cosigner.key).ok).toBe(true);
    const b = log(33);
    const second = await submitToWitness(endpoint, b.note, 20, b.proof);
    expect(second).toMatchObject({ status: 'cosigned', witnessedFrom: 20 });
    expect(JSON.parse(readFileSync(stateFile, 'utf8')).logs[TEST_ORIGIN].size).toBe(33);
    await server.close();
    // A restarted witness remembers 33: an old size of 20 is a conflict that names 33.
    const again = await witness(stateFile);
    const r = await post(again.server.origin, formatAddCheckpoint({ oldSize: 20, proof: b.tree.consistencyProof(20, 33), note: b.note }));
    expect(r).toEqual({ status: 409, type: 'text/x.tlog.size', text: '33\n' });
  });

  it('refuses a rolled-back log with 409 naming the larger size it cosigned', async () => {
    const { server, endpoint } = await witness();
    const full = log(40);
    expect((await submitToWitness(endpoint, full.note, 0, full.proof)).status).toBe('cosigned');
    const rolledBack = log(25);
    const r = await post(server.origin, formatAddCheckpoint({ oldSize: 25, proof: [], note: rolledBack.note }));
    expect(r).toEqual({ status: 409, type: 'text/x.tlog.size', text: '40\n' });
    expect(await submitToWitness(endpoint, rolledBack.note, 40, rolledBack.proof)).toEqual({ status: 'ahead', witnessSize: 40 });
    // Same size, other root: a fork.
    const forked = log(40, (i) => (i === 3 ? { ...testEvent(i), actorId: 'mallory' } : testEvent(i)));
    expect((await post(server.origin, formatAddCheckpoint({ oldSize: 40, proof: [], note: forked.note }))).status).toBe(409);
  });

  it('refuses a rewritten history (edited event, hashes recomputed, re-signed) with 422', async () => {
    const { endpoint } = await witness();
    const honest = log(16);
    expect((await submitToWitness(endpoint, honest.note, 0, honest.proof)).status).toBe('cosigned');
    const rewritten = log(30, (i) => (i === 5 ? { ...testEvent(i), decision: 'allow', actorId: 'mallory' } : testEvent(i)));
    const outcome = await submitToWitness(endpoint, rewritten.note, 16, rewritten.proof);
    expect(outcome).toMatchObject({ status: 'inconsistent', witnessSize: 16 });
  });

  it('answers 404 for an unknown log, 403 for a checkpoint no trusted key signed, 400 for a malformed body', async () => {
    const { server } = await witness();
    const other = createNoteSigner('other.test/audit', generateKeyPair('ML-DSA-65', { seed: new Uint8Array(32).fill(4) }));
    const otherNote = signCheckpoint({ origin: 'other.test/audit', size: 1, rootHash: new Uint8Array(32) }, [other]);
    expect((await post(server.origin, formatAddCheckpoint({ oldSize: 0, proof: [], note: otherNote }))).status).toBe(404);
    const impostor = createNoteSigner(TEST_ORIGIN, generateKeyPair('ML-DSA-65', { seed: new Uint8Array(32).fill(5) }));
    const forged = signCheckpoint({ origin: TEST_ORIGIN, size: 1, rootHash: new Uint8Array(32) }, [impostor]);
    expect((await post(server.origin, formatAddCheckpoint({ oldSize: 0, proof: [], note: forged }))).status).toBe(403);
    const a = log(4);
    for (const body of ['', 'old 01\n\n' + a.note, 'old 0\nnot-base64!\n\n' + a.note, `old 9\n\n${a.note}`, `old 0\n${'AAAA\n'.repeat(64)}\n${a.note}`]) {
      expect((await post(server.origin, body)).status).toBe(400);
    }
    expect((await fetch(`${server.origin}/add-checkpoint`)).status).toBe(405);
    // A cosignature line names the witness and carries 8 + 64 bytes.
    const ok = await post(server.origin, formatAddCheckpoint({ oldSize: 0, proof: [], note: a.note }));
    expect(ok.status).toBe(200);
    const line = parseNote(`x\n\n${ok.text}`).signatures[0]!;
    expect(line).toMatchObject({ name: 'witness.test/w1', keyId: cosigner.key.keyId });
    expect(fromBase64(ok.text.trim().split(' ')[2]!).length).toBe(4 + 8 + 64);
  });
});

describe('pqgate witness keygen / usage', () => {
  async function run(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, { out: (t) => void out.push(t), err: (t) => void err.push(t) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('writes a 0600 key file, prints its vkey, and never overwrites it', async () => {
    const file = join(dir, 'w.key');
    const r = await run('witness', 'keygen', '--name', 'witness.example/w9', '--out', file);
    expect(r.code).toBe(0);
    const vkey = /witness key \(vkey\): (\S+)/.exec(r.out)![1]!;
    expect(parseCosignerKey(vkey).name).toBe('witness.example/w9');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect((await run('witness', 'keygen', '--name', 'witness.example/w9', '--out', file)).code).toBe(2);
  });

  it('exits 2 on bad usage with a message that says what is missing', async () => {
    expect((await run('witness', 'serve', '--state', join(dir, 's.json'))).err).toMatch(/--key <key file> and --state <file> are required/);
    const r = await run('witness', 'serve', '--key', join(dir, 'w.key'), '--state', join(dir, 's.json'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--log <vkey> is required/);
    expect((await run('witness', 'frobnicate')).code).toBe(2);
  });
});
