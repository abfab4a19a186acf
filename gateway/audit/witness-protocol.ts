/**
 * The body of a c2sp.org/tlog-witness `add-checkpoint` request:
 *
 *     old <size>\n
 *     <base64 consistency proof hash>\n      (0 to 63 lines)
 *     \n
 *     <signed checkpoint note>
 *
 * Both the gateway's witness client and pqgate's own witness server use this one module.
 */
import { GatewayError } from '../errors';
import { fromBase64, toBase64 } from './base64';
import { HASH_SIZE } from './merkle-hash';
import { NOTE_LIMITS } from './note';

/** The spec's bound: a client MUST NOT send more than 63 consistency proof lines. */
export const MAX_PROOF_LINES = 63;
/** A body is the note plus at most 63 proof lines and the old size line. */
export const MAX_ADD_CHECKPOINT_BYTES = NOTE_LIMITS.maxBytes + (MAX_PROOF_LINES + 1) * 64;

/** A parsed add-checkpoint request. */
export interface AddCheckpointRequest {
  readonly oldSize: number;
  readonly proof: readonly Uint8Array[];
  /** The signed checkpoint note, as submitted (not yet verified). */
  readonly note: string;
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;

/** Serialises an add-checkpoint request body. */
export function formatAddCheckpoint(req: AddCheckpointRequest): string {
  if (!Number.isSafeInteger(req.oldSize) || req.oldSize < 0) throw new GatewayError('invalid_argument', 'old size must be a non-negative safe integer');
  if (req.proof.length > MAX_PROOF_LINES) throw new GatewayError('invalid_argument', `a consistency proof has at most ${MAX_PROOF_LINES} hashes`);
  return `old ${req.oldSize}\n${req.proof.map((h) => `${toBase64(h)}\n`).join('')}\n${req.note}`;
}

function bad(why: string): GatewayError {
  return new GatewayError('malformed_message', `add-checkpoint: ${why}`);
}

/**
 * Parses an add-checkpoint request body (the witness answers 400 to anything this refuses).
 * @throws GatewayError `malformed_message` naming what is wrong.
 */
export function parseAddCheckpoint(body: string): AddCheckpointRequest {
  if (typeof body !== 'string' || Buffer.byteLength(body, 'utf8') > MAX_ADD_CHECKPOINT_BYTES) throw bad(`the body must be at most ${MAX_ADD_CHECKPOINT_BYTES} bytes`);
  const blank = body.indexOf('\n\n');
  if (blank < 0) throw bad('no empty line between the old size and proof lines and the checkpoint');
  const head = body.slice(0, blank).split('\n');
  const note = body.slice(blank + 2);
  const oldLine = head[0]!;
  if (!oldLine.startsWith('old ') || !DECIMAL.test(oldLine.slice(4))) throw bad('the first line must be "old <size>" in decimal without leading zeroes');
  const oldSize = Number(oldLine.slice(4));
  if (!Number.isSafeInteger(oldSize)) throw bad('old size is too large');
  const lines = head.slice(1);
  if (lines.length > MAX_PROOF_LINES) throw bad(`more than ${MAX_PROOF_LINES} consistency proof lines`);
  const proof = lines.map((l, i) => {
    const h = fromBase64(l, `proof line ${i + 1}`);
    if (h.length !== HASH_SIZE) throw bad(`proof line ${i + 1} is not a 32-byte hash`);
    return h;
  });
  if (note === '') throw bad('no checkpoint after the empty line');
  return { oldSize, proof, note };
}
