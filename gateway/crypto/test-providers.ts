/**
 * Test helper: the providers to run a suite of tests against. The native one is listed with the
 * reason it is skipped when this runtime lacks it (Node < 24.7), so the skip is visible.
 */
import { createNativeProvider, nativeSupport } from './native-provider';
import { createNobleProvider } from './noble-provider';
import type { CryptoProvider } from './provider';

/** One provider under test, or the reason it cannot run here. */
export interface ProviderCase {
  readonly name: 'noble' | 'native';
  readonly skip: string | false;
  readonly get: () => CryptoProvider;
}

const support = nativeSupport();

/** noble always; native when available, else skipped with the reason. */
export const PROVIDER_CASES: readonly ProviderCase[] = [
  { name: 'noble', skip: false, get: createNobleProvider },
  { name: 'native', skip: support.available ? false : support.reason, get: createNativeProvider },
];

/** Describe-block title that carries the skip reason. */
export function providerTitle(c: ProviderCase): string {
  return c.skip ? `${c.name} provider (skipped: ${c.skip})` : `${c.name} provider`;
}
