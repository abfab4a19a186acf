/**
 * `pqgate audit verify <bundle.json> [--key <key>]... [--since <file>] [--witness <vkey>]...` —
 * verifies an auditor's bundle offline, and its history against a saved checkpoint and
 * required witnesses. Exit codes: 0 valid, 1 tampered or invalid (the first bad entry is
 * named), 2 bad usage.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fromBase64Url } from '../crypto';
import {
  auditEventLeafHash,
  noteVerifierKey,
  parseCheckpoint,
  parseCosignerKey,
  parseNote,
  parseVerifierKey,
  verifyBundle,
  type BundleVerification,
  type CosignerKey,
  type NoteVerifierKey,
  type SinceCheckpoint,
} from '../audit';
import { parse, UsageError, type CliIo } from './args';

export const AUDIT_HELP = `usage: pqgate audit verify <bundle.json> [--key <key>]... [--since <file>]
                           [--witness <vkey>]... [--save-checkpoint <file>] [--json]

  --key      the gateway's checkpoint key, pinned: a verifier key (name+keyid+base64), a
             base64url ML-DSA public key, or a file holding either (one per line) or the JSON
             of the gateway's pq/keys endpoint. Repeat for rotated keys. Without --key the keys
             inside the bundle are trusted, which proves integrity only against whoever made
             the bundle.
  --since    a checkpoint saved from an earlier audit (a checkpoint note file, as written by
             --save-checkpoint, or the earlier bundle itself): the bundle must extend it (RFC
             9162 consistency proof). A rolled-back or rewritten log fails, with the sizes
             before and after (and, given the earlier bundle, the first event that differs).
  --witness  a witness's key (C2SP vkey, Ed25519 cosignature/v1), or a file of them: the
             bundle's newest checkpoint must carry a valid cosignature of each. Repeatable.
  --save-checkpoint  when the bundle is valid, write its newest checkpoint (with cosignatures)
             to this file: keep it, and pass it to --since at the next audit.
  --json     print the verification result as JSON`;

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

function witnessesFromArg(arg: string): CosignerKey[] {
  const lines = existsSync(arg) ? readFileSync(arg, 'utf8').split('\n') : [arg];
  const keys = lines.map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  if (keys.length === 0) throw new UsageError(`--witness ${arg}: no witness key in it`);
  return keys.map((k) => parseCosignerKey(k));
}

/** `--since`: a saved checkpoint note, or an earlier bundle (verified first, its events kept to locate a rewrite). */
function sinceFromArg(file: string, trustedKeys: NoteVerifierKey[] | undefined): SinceCheckpoint {
  if (!existsSync(file)) throw new UsageError(`--since: no such file: ${file}`);
  const content = readFileSync(file, 'utf8');
  if (!content.trimStart().startsWith('{')) {
    parseCheckpoint(parseNote(content).text);
    return { note: content };
  }
  let earlier: { checkpoints?: unknown; events?: { event: Record<string, unknown> }[] };
  try {
    earlier = JSON.parse(content);
  } catch {
    throw new UsageError(`--since ${file}: neither a checkpoint note nor a bundle (not JSON)`);
  }
  const r = verifyBundle(earlier, { ...(trustedKeys && { trustedKeys }) });
  if (!r.valid || r.verifiedSize === 0) throw new UsageError(`--since ${file}: the earlier bundle does not verify itself (${r.firstBad?.message ?? 'no signed checkpoint'}); pass its checkpoint instead`);
  const notes = earlier.checkpoints as string[];
  const note = notes.find((n) => parseCheckpoint(parseNote(n).text).size === r.verifiedSize)!;
  return { note, leafHashes: earlier.events!.slice(0, r.verifiedSize).map((e) => auditEventLeafHash(e.event)) };
}

interface VerifyArgs {
  file: string;
  keys: string[];
  since?: string;
  witnesses: string[];
  save?: string;
  json: boolean;
}

function parseCommand(argv: string[]): VerifyArgs | 'help' {
  const args = argv[0] === 'audit' ? argv.slice(1) : argv;
  if (args[0] === '--help' || args[0] === '-h') return 'help';
  if (args[0] !== 'verify') throw new UsageError(args[0] === undefined ? 'missing subcommand (verify)' : `unknown subcommand "${args[0].slice(0, 32)}"`);
  const { values, positionals } = parse(
    args.slice(1),
    { key: { type: 'string', multiple: true }, since: { type: 'string' }, witness: { type: 'string', multiple: true }, 'save-checkpoint': { type: 'string' }, json: { type: 'boolean' } },
    true,
  );
  if (values.help) return 'help';
  if (positionals.length !== 1) throw new UsageError('give exactly one bundle file');
  return {
    file: positionals[0]!,
    keys: values.key ?? [],
    ...(values.since !== undefined && { since: values.since }),
    witnesses: values.witness ?? [],
    ...(values['save-checkpoint'] !== undefined && { save: values['save-checkpoint'] }),
    json: values.json === true,
  };
}

function summary(file: string, origin: string, r: BundleVerification, io: CliIo): void {
  io.out(`pqgate audit verify ${file}`);
  io.out(`  origin       ${origin}`);
  io.out(`  events       ${r.eventCount}`);
  io.out(`  checkpoints  ${r.checkpointCount} verified`);
  io.out(`  signed by    ${r.signers.map((s) => s.split('+').slice(0, 2).join('+')).join(', ') || '(no trusted signature)'}${r.keysFromBundle ? '  [keys taken from the bundle]' : '  [pinned with --key]'}`);
  io.out(`  verified     events 0..${r.verifiedSize - 1} match checkpoint of size ${r.verifiedSize}${r.verifiedRoot ? ` (root ${r.verifiedRoot})` : ''}`);
  if (r.since) io.out(`  since        saved checkpoint of size ${r.since.size}: ${r.since.consistent ? `extended consistently to ${r.since.newestSize}` : 'NOT extended by this bundle'}`);
  if (r.cosignedBy) io.out(`  witnessed    ${r.cosignedBy.length > 0 ? `cosigned by ${r.cosignedBy.join(', ')}` : '(no required witness cosigned)'}`);
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
  let witnesses: CosignerKey[] | undefined;
  let since: SinceCheckpoint | undefined;
  let step = '--key';
  try {
    trustedKeys = args.keys.length > 0 ? args.keys.flatMap((k) => keysFromArg(k, origin)) : undefined;
    step = '--witness';
    witnesses = args.witnesses.length > 0 ? args.witnesses.flatMap(witnessesFromArg) : undefined;
    step = '--since';
    since = args.since !== undefined ? sinceFromArg(args.since, trustedKeys) : undefined;
  } catch (e) {
    const why = e instanceof UsageError ? e.message : e instanceof Error ? `${step}: ${e.message.split('. ')[0]}` : `${step}: unreadable`;
    io.err(`pqgate audit: ${why}`);
    io.err('Run pqgate audit --help for usage.');
    return 2;
  }
  const result = verifyBundle(bundle, { ...(trustedKeys && { trustedKeys }), ...(since && { since }), ...(witnesses && { witnesses }) });
  if (args.json) io.out(JSON.stringify(result, null, 2));
  else summary(args.file, origin, result, io);
  if (args.save && result.valid && result.verifiedSize > 0) {
    const notes = (bundle as { checkpoints: string[] }).checkpoints;
    writeFileSync(args.save, notes.find((n) => parseCheckpoint(parseNote(n).text).size === result.verifiedSize)!);
    if (!args.json) io.out(`  saved        checkpoint of size ${result.verifiedSize} to ${args.save} (pass it to --since next time)`);
  }
  return result.valid ? 0 : 1;
}
