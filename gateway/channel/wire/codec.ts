/**
 * Bounded binary reader and writer for the channel's wire format. All integers are big-endian;
 * every read is length-checked, and a reader must be consumed exactly (no trailing bytes).
 */
import { GatewayError } from '../../errors';

/** Largest safe u64 we accept (sequence numbers and times never get near it). */
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** Reads fields from a byte array, throwing `malformed_message` on any overrun. */
export class Reader {
  private offset = 0;
  constructor(
    private readonly buf: Uint8Array,
    private readonly what: string,
  ) {}

  private fail(detail: string): never {
    throw new GatewayError('malformed_message', `${this.what}: ${detail}`);
  }

  /** Takes exactly `n` bytes (a copy, so later wiping of the input cannot alias results). */
  bytes(n: number, field: string): Uint8Array {
    if (this.offset + n > this.buf.length) this.fail(`truncated at ${field}`);
    const out = this.buf.slice(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  u8(field: string): number {
    return this.bytes(1, field)[0]!;
  }

  u16(field: string): number {
    const b = this.bytes(2, field);
    return (b[0]! << 8) | b[1]!;
  }

  u32(field: string): number {
    const b = this.bytes(4, field);
    return ((b[0]! << 24) >>> 0) + ((b[1]! << 16) | (b[2]! << 8) | b[3]!);
  }

  u64(field: string): number {
    const hi = this.u32(field);
    const lo = this.u32(field);
    const v = hi * 2 ** 32 + lo;
    if (v > MAX_SAFE) this.fail(`${field} out of range`);
    return v;
  }

  /** A length-prefixed field with its prefix width and an inclusive [min, max] bound. */
  vec(prefix: 1 | 2 | 4, min: number, max: number, field: string): Uint8Array {
    const n = prefix === 1 ? this.u8(field) : prefix === 2 ? this.u16(field) : this.u32(field);
    if (n < min || n > max) this.fail(`${field} length ${n} outside ${min}..${max}`);
    return this.bytes(n, field);
  }

  /** Asserts the whole input was consumed. */
  end(): void {
    if (this.offset !== this.buf.length) this.fail(`${this.buf.length - this.offset} trailing bytes`);
  }
}

/** Accumulates fields; `finish()` returns the exact bytes. */
export class Writer {
  private parts: Uint8Array[] = [];
  private size = 0;

  bytes(b: Uint8Array, expected?: number): this {
    if (expected !== undefined && b.length !== expected) {
      throw new GatewayError('invalid_argument', `field must be ${expected} bytes, got ${b.length}`);
    }
    this.parts.push(b);
    this.size += b.length;
    return this;
  }

  u8(v: number): this {
    return this.int(v, 1);
  }

  u16(v: number): this {
    return this.int(v, 2);
  }

  u32(v: number): this {
    return this.int(v, 4);
  }

  u64(v: number): this {
    if (!Number.isSafeInteger(v) || v < 0) throw new GatewayError('invalid_argument', `u64 out of range: ${v}`);
    return this.u32(Math.floor(v / 2 ** 32)).u32(v % 2 ** 32);
  }

  vec(prefix: 1 | 2 | 4, b: Uint8Array): this {
    const max = prefix === 1 ? 0xff : prefix === 2 ? 0xffff : 0xffffffff;
    if (b.length > max) throw new GatewayError('invalid_argument', `field too long for a ${prefix}-byte length prefix`);
    return this.int(b.length, prefix).bytes(b);
  }

  private int(v: number, n: 1 | 2 | 4): this {
    if (!Number.isInteger(v) || v < 0 || v >= 2 ** (8 * n)) throw new GatewayError('invalid_argument', `integer out of range: ${v}`);
    const b = new Uint8Array(n);
    for (let i = n - 1, x = v; i >= 0; i--, x = Math.floor(x / 256)) b[i] = x & 0xff;
    return this.bytes(b);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}
