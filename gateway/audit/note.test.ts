import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../channel';
import { isGatewayError } from '../errors';
import { fromBase64, toBase64 } from './base64';
import { formatCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint } from './checkpoint';
import { formatNote, parseNote } from './note';
import { createNoteSigner, formatVerifierKey, noteVerifierKey, parseVerifierKey } from './note-key';

const ORIGIN = 'pqgate.test/audit';
const gatewayKey = generateKeyPair('ML-DSA-65', { seed: new Uint8Array(32).fill(7) });
const otherKey = generateKeyPair('ML-DSA-65', { seed: new Uint8Array(32).fill(8) });
const signer = createNoteSigner(ORIGIN, gatewayKey);
const root = new Uint8Array(32).fill(0xab);
const signed = signCheckpoint({ origin: ORIGIN, size: 42, rootHash: root }, [signer]);

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isGatewayError(e) ? e.code : 'not a GatewayError';
  }
  return undefined;
}

describe('signed notes (c2sp.org/signed-note)', () => {
  it('round-trips the spec example byte for byte', () => {
    const example = 'This is an example message.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';
    const note = parseNote(example);
    expect(note.text).toBe('This is an example message.\n');
    expect(note.signatures[0]).toMatchObject({ name: 'example.com/foo', keyId: 0x530d903a });
    expect(note.signatures[0]!.signature).toHaveLength(64);
    expect(formatNote(note)).toBe(example);
  });

  it('separates text and signatures at the last blank line', () => {
    const note = parseNote(formatNote({ text: 'a\n\nb\n', signatures: [{ name: 'k', keyId: 1, signature: Uint8Array.of(9) }] }));
    expect(note.text).toBe('a\n\nb\n');
  });

  it.each([
    ['no final newline', signed.slice(0, -1)],
    ['no blank line', signed.replace('\n\n', '\n')],
    ['a control character', signed.replace(ORIGIN, `${ORIGIN}\t`)],
    ['a carriage return', signed.replace('\n\n', '\r\n\n')],
    ['a hyphen instead of the em dash', signed.replace('\u2014', '-')],
    ['a key name with a plus', signed.replace(`\u2014 ${ORIGIN}`, '\u2014 a+b')],
    ['an extra field', signed.replace(/\n$/, ' x\n')],
    ['non-canonical base64', signed.replace(/=\n$/, '\n')],
    ['a signature shorter than a key ID', `${signed.split('\n\n')[0]}\n\n\u2014 k AAAA\n`],
    ['a lone surrogate', signed.replace(ORIGIN, `${ORIGIN}\ud800`)],
    ['no signatures', `${signed.split('\n\n')[0]}\n\n\n`],
    ['too many signatures', signed + signed.split('\n\n')[1]!.repeat(40)],
  ])('rejects a note with %s', (_, bad) => {
    expect(code(() => parseNote(bad))).toBe('malformed_message');
  });
});

describe('ML-DSA note keys and checkpoints (c2sp.org/tlog-checkpoint)', () => {
  const vkey = noteVerifierKey(ORIGIN, 'ML-DSA-65', gatewayKey.publicKey);

  it('writes a checkpoint note the spec way', () => {
    const [text, sigLine] = signed.split('\n\n');
    expect(`${text}\n`).toBe(`${ORIGIN}\n42\n${toBase64(root)}\n`);
    expect(sigLine!.startsWith(`\u2014 ${ORIGIN} `)).toBe(true);
    // 4-byte key ID || 3309-byte ML-DSA-65 signature.
    expect(fromBase64(sigLine!.split(' ')[2]!.trim())).toHaveLength(4 + 3309);
  });

  it('round-trips verifier keys and derives the key ID from name, type and key', () => {
    const text = formatVerifierKey(vkey);
    expect(text).toMatch(new RegExp(`^${ORIGIN}\\+[0-9a-f]{8}\\+`));
    expect(parseVerifierKey(text)).toEqual(vkey);
    expect(noteVerifierKey('other.name/audit', 'ML-DSA-65', gatewayKey.publicKey).keyId).not.toBe(vkey.keyId);
    expect(code(() => parseVerifierKey(text.replace(/\+[0-9a-f]{8}\+/, '+00000000+')))).toBe('invalid_key');
    expect(code(() => noteVerifierKey(ORIGIN, 'Ed25519', new Uint8Array(32)))).toBe('invalid_argument');
  });

  it('opens a checkpoint signed by a trusted key', () => {
    const { checkpoint, verifiedBy } = openCheckpoint(signed, [vkey], { origin: ORIGIN });
    expect(checkpoint).toMatchObject({ origin: ORIGIN, size: 42 });
    expect(checkpoint.rootHash).toEqual(root);
    expect(verifiedBy).toEqual([vkey]);
  });

  it('rejects an altered checkpoint, an untrusted signer and another log', () => {
    const altered = signed.replace('\n42\n', '\n43\n');
    expect(code(() => openCheckpoint(altered, [vkey]))).toBe('bad_signature');
    const forged = signCheckpoint({ origin: ORIGIN, size: 42, rootHash: root }, [createNoteSigner(ORIGIN, otherKey)]);
    expect(code(() => openCheckpoint(forged, [vkey]))).toBe('untrusted_gateway_key');
    expect(code(() => openCheckpoint(signed, [vkey], { origin: 'other/log' }))).toBe('malformed_message');
  });

  it('accepts a note that a trusted key signed beside unknown keys (rotation, witnesses)', () => {
    const both = signCheckpoint({ origin: ORIGIN, size: 1, rootHash: root }, [createNoteSigner(ORIGIN, otherKey), signer]);
    expect(openCheckpoint(both, [vkey]).verifiedBy).toEqual([vkey]);
  });

  it.each([
    ['two lines', `${ORIGIN}\n1\n`],
    ['a leading zero', `${ORIGIN}\n01\n${toBase64(root)}\n`],
    ['a short root', `${ORIGIN}\n1\n${toBase64(root.subarray(1))}\n`],
    ['an empty extension line', `${ORIGIN}\n1\n${toBase64(root)}\n\n`],
    ['a size beyond 2^53', `${ORIGIN}\n18446744073709551615\n${toBase64(root)}\n`],
  ])('rejects a checkpoint text with %s', (_, text) => {
    expect(code(() => parseCheckpoint(text))).toBe('malformed_message');
  });

  it('parses what it formats', () => {
    const cp = { origin: ORIGIN, size: 7, rootHash: root, extensions: ['ext'] };
    expect(parseCheckpoint(formatCheckpoint(cp))).toEqual(cp);
  });
});
