/**
 * `pqgate audit verify <bundle.json> [--key <key>]...` — verifies an auditor's bundle offline.
 * Exit codes: 0 valid, 1 tampered or invalid (the first bad entry is named), 2 bad usage.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fromBase64Url } from '../crypto';
import { noteVerifierKey, parseVerifierKey, verifyBundle, type BundleVerification, type NoteVerifierKey } from '../audit';
import { parse, UsageError, type CliIo } from './args';

export const AUDIT_HELP = `usage: pqgate audit verify <bundle.json> [--key <key>]... [--json]

  --key   the gateway's checkpoint key, pinned: a verifier key (name+keyid+base64), a base64url
          ML-DSA public key, or a file holding either (one per line) or the JSON of the
          gateway's pq/keys endpoint. Repeat for rotated keys. Without --key the keys inside
          the bundle are trusted, which proves integrity only against whoever made the bundle.
  --json  print the verification result as JSON`;

const defaultIo: CliIo = { out: (t) => void process.stdout.write(`${t}\n`), err: (t) => void process.stderr.write(`${t}\n`) };

const ML_DSA_BY_LENGTH: Record<number, 'ML-DSA-65' | 'ML-DSA-87'> = { 1952: 'ML-DSA-65', 2592: 'ML-DSA-87' };

/** One key spec (vkey or base64url public key); raw keys take the log's origin as their name. */
function keyFromText(text: string, origin: string): NoteVerifierKey {
  if (/^[^+\s]+\+[0-9a-f]{8}\+/.test(text)) return parseVerifierKey(text);
  const raw = fromBase64Url(text);
  const alg = ML_DSA_BY_LENGTH[raw.length];
  if (!alg) throw new UsageError(`--key: not a verifier key nor an ML-DSA-65/87 public key (${raw.length} bytes)`);
  return noteVerifierKey(origin, alg, raw);
}

function keysFromArg(arg: string, origin: string): NoteVerifierKey[] {
  if (!existsSync(arg)) return [keyFromText(arg.trim(), origin)];
  const content = readFileSync(arg, 'utf8').trim();
  if (content.startsWith('{')) {
    const json = JSON.parse(content) as { keys?: { publicKey?: unknown }[]; publicKey?: unknown };
    const list = json.keys ?? [json];
    return list.map((k) => {
      if (typeof k.publicKey !== 'string') throw new UsageError(`--key ${arg}: expected { publicKey } or { keys: [{ publicKey }] }`);
      return keyFromText(k.publicKey, origin);
    });
  }
  return content.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#')).map((l) => keyFromText(l, origin));
}

function parseCommand(argv: string[]): { file: string; keys: string[]; json: boolean } | 'help' {
  const args = argv[0] === 'audit' ? argv.slice(1) : argv;
  if (args[0] === '--help' || args[0] === '-h') return 'help';
  if (args[0] !== 'verify') throw new UsageError(args[0] === undefined ? 'missing subcommand (verify)' : `unknown subcommand "${args[0].slice(0, 32)}"`);
  const { values, positionals } = parse(args.slice(1), { key: { type: 'string', multiple: true }, json: { type: 'boolean' } }, true);
  if (values.help) return 'help';
  if (positionals.length !== 1) throw new UsageError('give exactly one bundle file');
  return { file: positionals[0]!, keys: values.key ?? [], json: values.json === true };
}

function summary(file: string, origin: string, r: BundleVerification, io: CliIo): void {
  io.out(`pqgate audit verify ${file}`);
  io.out(`  origin       ${origin}`);
  io.out(`  events       ${r.eventCount}`);
  io.out(`  checkpoints  ${r.checkpointCount} verified`);
  io.out(`  signed by    ${r.signers.map((s) => s.split('+').slice(0, 2).join('+')).join(', ') || '(no trusted signature)'}${r.keysFromBundle ? '  [keys taken from the bundle]' : '  [pinned with --key]'}`);
  io.out(`  verified     events 0..${r.verifiedSize - 1} match checkpoint of size ${r.verifiedSize}${r.verifiedRoot ? ` (root ${r.verifiedRoot})` : ''}`);
  if (r.uncovered > 0 && r.valid) io.out(`  note         ${r.uncovered} later event(s) are intact but not yet covered by a checkpoint`);
  if (r.keysFromBundle) io.err('warning: no --key given, so the keys inside the bundle were trusted; pin the gateway key with --key to detect a re-signed log.');
  if (r.valid) {
    io.out('VALID: every event matches the signed checkpoints.');
    return;
  }
  const f = r.firstBad!;
  const where = f.range ? `entry ${f.range[0]} (somewhere in ${f.range[0]}..${f.range[1] - 1})` : f.seq !== undefined ? `entry ${f.seq}` : f.checkpoint !== undefined ? `checkpoint ${f.checkpoint}` : 'the bundle';
  io.out(`TAMPERED: first bad ${where} [${f.kind}]: ${f.message}`);
  const others = r.problems.filter((p) => p !== f);
  for (const p of others.slice(0, 10)) io.out(`  also [${p.kind}]: ${p.message}`);
  if (others.length > 10) io.out(`  ... and ${others.length - 10} more`);
}

/** Entry point for `pqgate audit ...` (argv after `pqgate`, with or without the leading `audit`). */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  let args: Exclude<ReturnType<typeof parseCommand>, 'help'>;
  let bundle: unknown;
  try {
    const parsed = parseCommand(argv);
    if (parsed === 'help') return io.out(AUDIT_HELP), 0;
    args = parsed;
    if (!existsSync(args.file)) throw new UsageError(`no such file: ${args.file}`);
    bundle = JSON.parse(readFileSync(args.file, 'utf8'));
  } catch (e) {
    io.err(`pqgate audit: ${e instanceof UsageError ? e.message : e instanceof SyntaxError ? 'the bundle is not JSON' : 'cannot read the bundle'}`);
    io.err('Run pqgate audit --help for usage.');
    return 2;
  }
  const origin = typeof (bundle as { origin?: unknown })?.origin === 'string' ? (bundle as { origin: string }).origin : '';
  let trustedKeys: NoteVerifierKey[] | undefined;
  try {
    trustedKeys = args.keys.length > 0 ? args.keys.flatMap((k) => keysFromArg(k, origin)) : undefined;
  } catch (e) {
    io.err(`pqgate audit: --key: ${e instanceof Error ? e.message.split('. ')[0] : 'unreadable key'}`);
    io.err('Run pqgate audit --help for usage.');
    return 2;
  }
  const result = verifyBundle(bundle, { ...(trustedKeys && { trustedKeys }) });
  if (args.json) io.out(JSON.stringify(result, null, 2));
  else summary(args.file, origin, result, io);
  return result.valid ? 0 : 1;
}
