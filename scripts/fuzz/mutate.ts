/**
 * Deterministic input generation for the fuzzer: a seeded PRNG (input i of a target is a pure
 * function of the target's seed and i, so any input can be rebuilt and saved from its number
 * alone), byte mutations of valid seeds (bit flips, byte sets, truncation, insertion, deletion,
 * duplication, splicing two seeds, length-field edits) and structural mutations of JSON values.
 */

/** A small, fast PRNG (mulberry32) with the draws the mutators need. */
export class Rng {
  #s: number;

  constructor(seed: number) {
    this.#s = seed >>> 0;
  }

  /** The generator for input `index` of the run seeded `seed`. */
  static forInput(seed: number, index: number): Rng {
    // splitmix-style scramble so neighbouring indexes start far apart.
    let z = (seed ^ Math.imul(index + 1, 0x9e3779b9)) >>> 0;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return new Rng(z ^ (z >>> 16));
  }

  /** A 32-bit unsigned integer. */
  u32(): number {
    let t = (this.#s = (this.#s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return n <= 1 ? 0 : this.u32() % n;
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.u32() / 0x1_0000_0000 < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      const v = this.u32();
      out[i] = v;
      if (i + 1 < n) out[i + 1] = v >>> 8;
      if (i + 2 < n) out[i + 2] = v >>> 16;
      if (i + 3 < n) out[i + 3] = v >>> 24;
    }
    return out;
  }
}

/** Values that break length fields and counters: edges of 1, 2 and 4 byte integers. */
const INTERESTING = [0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff];

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, at), (at += p.length);
  return out;
}

/** Writes `value` big-endian in `width` bytes at `at` (clipped to the buffer). */
function writeInt(out: Uint8Array, at: number, width: number, value: number): void {
  for (let i = 0; i < width && at + i < out.length; i++) out[at + i] = (value / 2 ** (8 * (width - 1 - i))) & 0xff;
}

/** One byte-level mutation of `input`; `others` are seeds to splice from. */
export function mutateBytes(input: Uint8Array, rng: Rng, others: readonly Uint8Array[] = []): Uint8Array {
  const n = input.length;
  const at = rng.below(n + 1);
  switch (rng.below(10)) {
    case 0: {
      const out = input.slice();
      if (n) out[rng.below(n)]! ^= 1 << rng.below(8);
      return out;
    }
    case 1: {
      const out = input.slice();
      if (n) out[rng.below(n)] = rng.pick(INTERESTING) & 0xff;
      return out;
    }
    case 2:
      return input.slice(0, at);
    case 3:
      return concat(input.subarray(0, at), rng.bytes(1 + rng.below(16)), input.subarray(at));
    case 4:
      return concat(input.subarray(0, at), input.subarray(Math.min(n, at + 1 + rng.below(32))));
    case 5: {
      // Duplicate a run of bytes (repeated fields, doubled records).
      const len = 1 + rng.below(Math.max(1, Math.min(64, n - at)));
      return concat(input.subarray(0, at + len), input.subarray(at, at + len), input.subarray(at + len));
    }
    case 6: {
      // Splice: the head of this input, the tail of another seed (or of itself).
      const other = others.length ? rng.pick(others) : input;
      return concat(input.subarray(0, at), other.subarray(rng.below(other.length + 1)));
    }
    case 7: {
      // Length-field edit: an edge value over 1, 2 or 4 bytes, anywhere.
      const out = input.slice();
      if (n) writeInt(out, rng.below(n), rng.pick([1, 2, 4]), rng.pick(INTERESTING));
      return out;
    }
    case 8: {
      // Nudge a byte up or down by one (off-by-one lengths and counts).
      const out = input.slice();
      if (n) {
        const i = rng.below(n);
        out[i] = (out[i]! + (rng.chance(0.5) ? 1 : 255)) & 0xff;
      }
      return out;
    }
    default: {
      // Several mutations at once.
      let out = input;
      for (let k = 1 + rng.below(4); k > 0; k--) out = mutateBytes(out, rng, others);
      return out;
    }
  }
}

/** Strings that break text handling: escapes, surrogates, NUL, huge and odd numbers, tokens. */
export const HOSTILE_TEXT = [
  '\\ud800', '\\udfff', '\\u0000', '\\"', '\\\\', '"', "'", '\u0000', '\ufeff', '\u2028', '[', ']', '{', '}', ',', ':', 'null', 'true',
  '-0', '1e309', '-1e309', '9007199254740993', '0.0000001', '1E400', '0x10', 'NaN', '__proto__', 'constructor', '\n', '\r\n', '\t',
  '&a ', '*a', '<<: *a', '!!binary ', '!!js/function ', '? ', '--- ', '...', '%YAML 1.1\n', '- ', '|', '>', '#', '%', '@', '`', '!',
];

/** One text-level mutation: a hostile token inserted, or a byte mutation of the UTF-8. */
export function mutateText(text: string, rng: Rng): string {
  if (rng.chance(0.5)) {
    const at = rng.below(text.length + 1);
    return text.slice(0, at) + rng.pick(HOSTILE_TEXT) + text.slice(at + (rng.chance(0.3) ? 1 : 0));
  }
  return new TextDecoder().decode(mutateBytes(new TextEncoder().encode(text), rng));
}

/** JSON values that break validators: wrong types, edges of numbers, hostile strings. */
function hostileValue(rng: Rng, depth = 0): unknown {
  switch (rng.below(14)) {
    case 0: return null;
    case 1: return rng.chance(0.5);
    case 2: return rng.pick([0, -1, 1, 1.5, -0, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 1e308, -1e308, 5e-324]);
    case 3: return '';
    case 4: return rng.pick(['\ud800', '\udfff', 'a\u0000b', '\u0000', '\ufeff', 'ok\ud83d']);
    case 5: return 'A'.repeat(rng.pick([1, 63, 64, 65, 255, 256, 4096, 70_000]));
    case 6: return rng.pick(['__proto__', 'constructor', 'toString', 'hasOwnProperty', '../../etc', 'ML-DSA-65', 'Ed25519', 'active', 'retired']);
    case 7: return [];
    case 8: return {};
    case 9: return depth < 3 ? [hostileValue(rng, depth + 1), hostileValue(rng, depth + 1)] : [];
    case 10: return depth < 3 ? { [rng.pick(['a', '__proto__', 'constructor', ''])]: hostileValue(rng, depth + 1) } : {};
    case 11: return Array.from(rng.bytes(1 + rng.below(8)), (b) => String.fromCharCode(48 + (b % 75))).join('');
    case 12: return rng.below(1000);
    default: return Buffer.from(rng.bytes(rng.pick([0, 1, 16, 32, 64]))).toString('base64url');
  }
}

/** Every container (object or array) inside `v`, with `v` itself. */
function containers(v: unknown, out: (Record<string, unknown> | unknown[])[] = [], depth = 0): (Record<string, unknown> | unknown[])[] {
  if (typeof v !== 'object' || v === null || depth > 32) return out;
  out.push(v as Record<string, unknown>);
  for (const c of Object.values(v)) containers(c, out, depth + 1);
  return out;
}

/** One structural mutation of a JSON value (the value is copied, never changed in place). */
export function mutateJson(value: unknown, rng: Rng): unknown {
  const copy = structuredClone(value);
  const all = containers(copy);
  if (!all.length || rng.chance(0.03)) return hostileValue(rng);
  const target = rng.pick(all);
  const keys = Object.keys(target);
  const key = keys.length ? rng.pick(keys) : '0';
  const t = target as Record<string, unknown>;
  switch (rng.below(8)) {
    case 0:
      t[key] = hostileValue(rng);
      break;
    case 1:
      if (Array.isArray(target)) target.splice(Number(key), 1);
      else delete t[key];
      break;
    case 2:
      if (Array.isArray(target)) target.push(structuredClone(target[rng.below(target.length)]) ?? hostileValue(rng));
      else t[rng.pick(['extra', '__proto__', 'constructor', key + '_'])] = hostileValue(rng);
      break;
    case 3: {
      const v = t[key];
      if (typeof v === 'string') t[key] = mutateText(v, rng);
      else if (typeof v === 'number') t[key] = rng.pick([v + 1, v - 1, -v, v * 2 ** 20, v / 2, Math.floor(v / 3)]);
      else t[key] = hostileValue(rng);
      break;
    }
    case 4:
      // Move a value from one place to another (a field of the right type, in the wrong place).
      t[key] = structuredClone(rng.pick(all));
      break;
    case 5:
      if (Array.isArray(target) && target.length > 1) {
        const i = rng.below(target.length);
        const j = rng.below(target.length);
        [target[i], target[j]] = [target[j], target[i]];
      } else t[key] = [t[key]];
      break;
    case 6:
      if (Array.isArray(target)) target.length = rng.below(target.length + 1);
      else t[key] = String(t[key]);
      break;
    default:
      return mutateJson(mutateJson(copy, rng), rng);
  }
  return copy;
}
