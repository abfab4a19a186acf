/** Byte helpers shared by the crypto module and the wire codec. No secrets are branched on. */
import { GatewayError } from '../errors';

/** Concatenates byte arrays into a new array. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Constant-time equality: the running time depends only on the lengths. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Overwrites secrets we no longer need. */
export function wipe(...arrays: (Uint8Array | undefined)[]): void {
  for (const a of arrays) a?.fill(0);
}

/** Lower-case hex encoding. */
export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

/** Strict hex decoding (even length, hex digits only). */
export function fromHex(s: string): Uint8Array {
  if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) throw new GatewayError('invalid_argument', 'bad hex string');
  return new Uint8Array(Buffer.from(s, 'hex'));
}

/** base64url without padding. */
export function toBase64Url(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64url');
}

/** Strict base64url decoding. */
export function fromBase64Url(s: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) throw new GatewayError('malformed_message', 'bad base64url');
  return new Uint8Array(Buffer.from(s, 'base64url'));
}

/** UTF-8 encoding of a protocol label. */
export function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/**
 * Asserts that `value` is a Uint8Array of the expected length; used at every public crypto entry
 * so that a wrong-sized buffer fails loudly instead of being silently truncated or padded.
 */
export function assertBytes(value: unknown, length: number | readonly number[] | undefined, title: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new GatewayError('invalid_argument', `${title} must be a Uint8Array`);
  if (length !== undefined) {
    const ok = typeof length === 'number' ? value.length === length : length.includes(value.length);
    if (!ok) throw new GatewayError('invalid_argument', `${title} must be ${String(length)} bytes, got ${value.length}`);
  }
  return value;
}

/** Rejects option keys the callee does not know (noble's `checkOpts` discipline). */
export function assertKnownOptions(opts: object | undefined, allowed: readonly string[], title: string): void {
  if (opts === undefined) return;
  if (typeof opts !== 'object' || opts === null) throw new GatewayError('invalid_argument', `${title} must be an object`);
  for (const k of Object.keys(opts)) {
    if (!allowed.includes(k)) throw new GatewayError('invalid_argument', `${title}: unknown option "${k}"`);
  }
}
