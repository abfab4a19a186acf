/**
 * Standard, padded base64 (RFC 4648 §4), the encoding C2SP notes and checkpoints use. Decoding is
 * strict — one encoding per byte string — so a bundle cannot smuggle a second spelling of a hash.
 */
import { GatewayError } from '../errors';

const STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Standard base64 with padding. */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * Strict standard base64 decoding.
 * @throws GatewayError `malformed_message` for anything but the canonical padded encoding.
 */
export function fromBase64(text: string, title = 'base64 value'): Uint8Array {
  if (typeof text !== 'string' || !STD_BASE64.test(text)) throw new GatewayError('malformed_message', `${title} is not standard base64`);
  const bytes = new Uint8Array(Buffer.from(text, 'base64'));
  // Non-zero unused bits in the last group would decode to the same bytes; refuse them.
  if (toBase64(bytes) !== text) throw new GatewayError('malformed_message', `${title} is not canonical base64`);
  return bytes;
}
