/**
 * `pqgate witness keygen|serve` — pqgate's own tlog witness, for operators who want a
 * cosigner of their own (outside the database's reach) and for tests. See docs/audit.md.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createCosigner, formatCosignerKey, parseVerifierKey, type Cosigner, type NoteVerifierKey } from '../audit';
import { fromBase64Url, getCryptoProvider, toBase64Url } from '../crypto';
import { serveNode, type NodeServer } from '../http/node-adapter';
import { createWitnessHandler } from '../witness/witness-server';
import { WitnessStateStore } from '../witness/witness-state';
import { parse, UsageError, type CliIo } from './args';

export const WITNESS_HELP = `usage: pqgate witness keygen --name <name> --out <key file>
       pqgate witness serve --key <key file> --log <vkey>... --state <file> [--port N] [--host H] [--prefix /path]

keygen  creates an Ed25519 witness key (mode 0600) and prints its verifier key (vkey): give it
        to the gateway (PQGATE_AUDIT_WITNESS_KEY) and to auditors (pqgate audit verify --witness).
serve   answers POST <prefix>/add-checkpoint (c2sp.org/tlog-witness) for the logs whose keys
        are given: cosigns a checkpoint only when it consistently extends the last one it
        cosigned for that log, which it keeps in --state (back it up: a witness that loses its
        state can be rolled back once).

  --name    the witness's name, e.g. witness.example/w1
  --log     the gateway's checkpoint key (GET /.well-known/pqgate/audit-key), or a file of keys
  --port    TCP port (default 7380; 0 picks a free one)`;

interface WitnessKeyFile {
  name: string;
  seed: string;
}

function readCosigner(file: string): Cosigner {
  if (!existsSync(file)) throw new UsageError(`--key: no such file: ${file} (create one with pqgate witness keygen)`);
  let parsed: WitnessKeyFile;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as WitnessKeyFile;
  } catch {
    throw new UsageError(`--key ${file}: not a witness key file (pqgate witness keygen writes one)`);
  }
  if (typeof parsed?.name !== 'string' || typeof parsed.seed !== 'string') throw new UsageError(`--key ${file}: expected { "name", "seed" }`);
  return createCosigner(parsed.name, fromBase64Url(parsed.seed));
}

function readLogKeys(args: readonly string[]): NoteVerifierKey[] {
  if (args.length === 0) throw new UsageError('--log <vkey> is required: the gateway checkpoint key of each log to witness');
  return args.flatMap((a) => (existsSync(a) ? readFileSync(a, 'utf8').split('\n') : [a])).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#')).map((l) => parseVerifierKey(l));
}

/** Starts a witness server (what `serve` runs; tests call it directly). */
export async function startWitness(options: { cosigner: Cosigner; logKeys: NoteVerifierKey[]; stateFile?: string; port?: number; host?: string; prefix?: string; log?: (line: string) => void }): Promise<NodeServer> {
  const store = new WitnessStateStore(options.stateFile);
  const handler = createWitnessHandler({
    cosigner: options.cosigner,
    logKeys: options.logKeys,
    store,
    ...(options.prefix !== undefined && { prefix: options.prefix }),
    onRefused: (e) => options.log?.(`pqgate witness: refused ${e.origin} with ${e.status}: ${e.reason}`),
  });
  return serveNode(handler, { port: options.port ?? 7380, host: options.host ?? '127.0.0.1' });
}

/** Entry point of `pqgate witness ...`. */
export async function witness(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...args] = argv;
  if (!sub || sub === '--help' || sub === '-h') return io.out(WITNESS_HELP), sub ? 0 : 2;
  if (sub === 'keygen') {
    const { values } = parse(args, { name: { type: 'string' }, out: { type: 'string' } });
    if (values.help) return io.out(WITNESS_HELP), 0;
    if (!values.name || !values.out) throw new UsageError('--name <name> and --out <file> are required');
    if (existsSync(values.out)) throw new UsageError(`${values.out} exists; a witness keeps its key (auditors pinned it)`);
    const seed = getCryptoProvider().randomBytes(32);
    const cosigner = createCosigner(values.name, seed);
    writeFileSync(values.out, `${JSON.stringify({ name: values.name, seed: toBase64Url(seed) })}\n`, { mode: 0o600, flag: 'wx' });
    seed.fill(0);
    io.out(`wrote ${values.out}\nwitness key (vkey): ${formatCosignerKey(cosigner.key)}`);
    return 0;
  }
  if (sub !== 'serve') throw new UsageError(`unknown subcommand "${sub.slice(0, 32)}" (keygen or serve)`);
  const { values } = parse(args, { key: { type: 'string' }, log: { type: 'string', multiple: true }, state: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, prefix: { type: 'string' } });
  if (values.help) return io.out(WITNESS_HELP), 0;
  if (!values.key || !values.state) throw new UsageError('--key <key file> and --state <file> are required');
  const port = values.port === undefined ? 7380 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be a TCP port number');
  const cosigner = readCosigner(values.key);
  const logKeys = readLogKeys(values.log ?? []);
  const server = await startWitness({ cosigner, logKeys, stateFile: values.state, port, ...(values.host && { host: values.host }), ...(values.prefix && { prefix: values.prefix }), log: io.err });
  io.out(`pqgate witness ${cosigner.key.name} listening on ${server.origin}${values.prefix ?? ''}/add-checkpoint`);
  io.out(`witness key (vkey): ${formatCosignerKey(cosigner.key)}`);
  io.out(`witnessing: ${[...new Set(logKeys.map((k) => k.name))].join(', ')}`);
  await new Promise<void>((resolve) => {
    const stop = () => void server.close().then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
