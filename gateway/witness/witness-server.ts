/**
 * pqgate's own tlog witness (c2sp.org/tlog-witness): `POST <prefix>/add-checkpoint` verifies a
 * log's checkpoint and a consistency proof from the latest checkpoint it cosigned for that
 * log, records the new one, and answers with an Ed25519 cosignature/v1 line. A core from web
 * Request to Response, mounted on node:http by `pqgate witness serve` and by tests.
 *
 * Status codes are the spec's: 404 unknown origin, 403 no trusted log signature, 400 malformed
 * or old size above the checkpoint's, 409 old size not the latest cosigned (body: that size,
 * `text/x.tlog.size`) or same size with another root, 422 consistency proof fails.
 */
import { openCheckpoint, parseCheckpoint, type NoteVerifierKey } from '../audit';
import { equalBytes } from '../crypto';
import { isGatewayError } from '../errors';
import { toBase64 } from '../audit/base64';
import type { Cosigner } from '../audit/cosignature';
import { formatNote, parseNote } from '../audit/note';
import { MAX_ADD_CHECKPOINT_BYTES, parseAddCheckpoint } from '../audit/witness-protocol';
import { verifyConsistency } from '../audit/verify-proof';
import { readBody } from '../http/read-body';
import type { WitnessStateStore } from './witness-state';

/** What the witness is configured with. */
export interface WitnessOptions {
  readonly cosigner: Cosigner;
  /** The log keys it trusts; each key's name is the log origin it signs for. */
  readonly logKeys: readonly NoteVerifierKey[];
  readonly store: WitnessStateStore;
  /** URL path prefix of the submission API (default ""): the endpoint is `<prefix>/add-checkpoint`. */
  readonly prefix?: string;
  /** POSIX seconds, for the cosignature timestamp. */
  readonly now?: () => number;
  /** Called for every refused submission from a known log (evidence of misbehaviour, tlog-witness). */
  readonly onRefused?: (event: { origin: string; status: number; reason: string; note: string }) => void;
}

function text(status: number, body: string, contentType = 'text/plain; charset=utf-8'): Response {
  return new Response(body, { status, headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
}

/** The refusal of a body over the limit, told apart from a body that is not UTF-8. */
class BodyTooLarge extends Error {}
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The body as text, through the shared bounded reader (refused as soon as it passes `limit`), or null when too large. */
async function readBounded(request: Request, limit: number): Promise<string | null> {
  try {
    return strictUtf8.decode(await readBody(request, limit, () => new BodyTooLarge()));
  } catch (e) {
    if (e instanceof BodyTooLarge) return null;
    throw e;
  }
}

function firstSentence(e: unknown): string {
  return isGatewayError(e) ? e.message.split('. ')[0]! : 'unreadable';
}

/** The witness's request handler. */
export function createWitnessHandler(options: WitnessOptions): (request: Request) => Promise<Response> {
  const path = `${options.prefix ?? ''}/add-checkpoint`;
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const keysByOrigin = new Map<string, NoteVerifierKey[]>();
  for (const k of options.logKeys) keysByOrigin.set(k.name, [...(keysByOrigin.get(k.name) ?? []), k]);

  return async (request: Request): Promise<Response> => {
    if (new URL(request.url).pathname !== path) return text(404, `not found: the witness answers POST ${path}\n`);
    if (request.method !== 'POST') return new Response(`use POST ${path}\n`, { status: 405, headers: { allow: 'POST' } });
    let body: string | null;
    try {
      body = await readBounded(request, MAX_ADD_CHECKPOINT_BYTES);
    } catch {
      return text(400, 'the body is not UTF-8\n');
    }
    if (body === null) return text(413, `the body exceeds ${MAX_ADD_CHECKPOINT_BYTES} bytes\n`);
    let req;
    let origin: string;
    try {
      req = parseAddCheckpoint(body);
      origin = parseCheckpoint(parseNote(req.note).text).origin;
    } catch (e) {
      return text(400, `${firstSentence(e)}\n`);
    }
    const keys = keysByOrigin.get(origin);
    if (!keys) return text(404, `unknown log origin "${origin.slice(0, 100)}"\n`);
    let checkpoint;
    try {
      checkpoint = openCheckpoint(req.note, keys, { origin }).checkpoint;
    } catch (e) {
      return text(403, `no signature on the checkpoint verifies with a trusted key of ${origin}: ${firstSentence(e)}\n`);
    }
    const refuse = (status: number, reason: string, body2 = `${reason}\n`, contentType?: string) => {
      options.onRefused?.({ origin, status, reason, note: req.note });
      return text(status, body2, contentType);
    };
    if (req.oldSize > checkpoint.size) return refuse(400, `old size ${req.oldSize} is above the checkpoint size ${checkpoint.size}`);
    if (req.oldSize === 0 && req.proof.length > 0) return refuse(400, 'the consistency proof must be empty when the old size is 0');
    return options.store.update(origin, (latest) => {
      const latestSize = latest?.size ?? 0;
      if (req.oldSize !== latestSize) return { result: refuse(409, `old size ${req.oldSize} is not the latest cosigned size ${latestSize}`, `${latestSize}\n`, 'text/x.tlog.size') };
      if (latest && latest.size === checkpoint.size && !equalBytes(latest.rootHash, checkpoint.rootHash)) {
        return { result: refuse(409, `size ${checkpoint.size} was cosigned with root ${toBase64(latest.rootHash)}, not ${toBase64(checkpoint.rootHash)}: the log forked`) };
      }
      if (latest && latest.size < checkpoint.size && !verifyConsistency(latest.size, checkpoint.size, latest.rootHash, checkpoint.rootHash, req.proof)) {
        return { result: refuse(422, `the consistency proof from ${latest.size} to ${checkpoint.size} does not verify: the log rewrote its history`) };
      }
      const text0 = parseNote(req.note).text;
      const line = formatNote({ text: text0, signatures: [options.cosigner.cosign(text0, now())] }).slice(text0.length + 1);
      return { next: { size: checkpoint.size, rootHash: checkpoint.rootHash, note: req.note }, result: text(200, line) };
    });
  };
}
