/** Integer helpers for RFC 9162 tree shapes (sizes stay below 2^53, so plain numbers suffice). */
import { GatewayError } from '../errors';

/** Largest power of two strictly less than `n` (n ≥ 2): the split point k of RFC 9162 §2.1.1. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Whether `n` is a power of two (n ≥ 1). */
export function isPowerOfTwo(n: number): boolean {
  return n > 0 && Number.isInteger(Math.log2(n));
}

/** Asserts a tree size or index: a safe non-negative integer. */
export function assertSize(value: unknown, title: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new GatewayError('invalid_argument', `${title} must be a non-negative safe integer`);
  }
  return value;
}
