/**
 * The log's side of c2sp.org/tlog-witness: submit a new checkpoint with a consistency proof
 * from the size the witness last cosigned, and add the witness's cosignature to the note.
 */
import { GatewayError } from '../errors';
import { addCosignatures, type CosignerKey } from './cosignature';
import { parseCheckpoint } from './checkpoint';
import { parseNote } from './note';
import { formatAddCheckpoint } from './witness-protocol';
import { readBody } from '../http/read-body';

/** One witness: its submission prefix and its key. */
export interface WitnessEndpoint {
  /** Submission prefix: the request goes to `<url>/add-checkpoint`. */
  readonly url: string;
  readonly key: CosignerKey;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

/** What a witness made of a checkpoint. */
export type WitnessOutcome =
  /** Cosigned: the note with the witness's cosignature added. */
  | { readonly status: 'cosigned'; readonly note: string; readonly witnessedFrom: number }
  /** The witness has cosigned a LARGER tree of this log than the one submitted: a rollback. */
  | { readonly status: 'ahead'; readonly witnessSize: number }
  /** The witness refused the consistency proof or the same-size root (409/422): a rewrite. */
  | { readonly status: 'inconsistent'; readonly witnessSize: number; readonly message: string };

const MAX_ANSWER = 64 * 1024;

async function post(endpoint: WitnessEndpoint, body: string): Promise<{ status: number; type: string; text: string }> {
  const doFetch = endpoint.fetch ?? fetch;
  const url = `${endpoint.url.replace(/\/+$/, '')}/add-checkpoint`;
  let response: Response;
  try {
    response = await doFetch(url, { method: 'POST', body, headers: { 'content-type': 'text/plain; charset=utf-8' }, signal: AbortSignal.timeout(endpoint.timeoutMs ?? 10_000) });
  } catch {
    throw new GatewayError('upstream_unavailable', `the witness at ${url} did not answer`);
  }
  // Read no more than an answer can usefully be: a hostile witness cannot fill our memory.
  const text = new TextDecoder().decode(await readBody(response, MAX_ANSWER, (n) => new GatewayError('upstream_unavailable', `the witness at ${url} sent ${n} bytes, more than the ${MAX_ANSWER} an answer can be`)));
  return { status: response.status, type: response.headers.get('content-type') ?? '', text };
}

function sizeOf(answer: { type: string; text: string }): number | undefined {
  if (!answer.type.startsWith('text/x.tlog.size') || !/^(0|[1-9][0-9]*)\n$/.test(answer.text)) return undefined;
  const n = Number(answer.text.trim());
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * Submits `note` (a checkpoint signed by the log) to a witness. `knownSize` is the size the
 * witness is believed to have cosigned last (0 when unknown); `proof(from)` gives the RFC 9162
 * consistency proof from `from` to the checkpoint's size. On a 409 naming a smaller size the
 * request is retried once from that size, as the spec lets a client learn it.
 * @throws GatewayError `upstream_unavailable` when the witness cannot be reached or answers
 * with anything else (the message carries its status and first line).
 */
export async function submitToWitness(endpoint: WitnessEndpoint, note: string, knownSize: number, proof: (from: number) => Promise<readonly Uint8Array[]> | readonly Uint8Array[]): Promise<WitnessOutcome> {
  const size = parseCheckpoint(parseNote(note).text).size;
  let from = Math.min(knownSize, size);
  for (let attempt = 0; ; attempt++) {
    const hashes = from === 0 ? [] : [...(await proof(from))];
    const answer = await post(endpoint, formatAddCheckpoint({ oldSize: from, proof: hashes, note }));
    if (answer.status === 200) return { status: 'cosigned', note: addCosignatures(note, answer.text, endpoint.key), witnessedFrom: from };
    const witnessSize = sizeOf(answer);
    if (answer.status === 409 && witnessSize !== undefined) {
      if (witnessSize > size) return { status: 'ahead', witnessSize };
      if (attempt === 0 && witnessSize !== from) {
        from = witnessSize;
        continue;
      }
    }
    if (answer.status === 409 || answer.status === 422) return { status: 'inconsistent', witnessSize: witnessSize ?? from, message: answer.text.split('\n')[0]!.slice(0, 300) };
    throw new GatewayError('upstream_unavailable', `the witness answered ${answer.status}: ${answer.text.split('\n')[0]!.slice(0, 200)}`);
  }
}
