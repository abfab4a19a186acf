/**
 * Chooses the crypto provider at start-up: native where present, noble otherwise, with the
 * PQGATE_CRYPTO_PROVIDER override (noble | native | auto).
 */
import { GatewayError } from '../errors';
import { createNativeProvider, createNativeSymmetric, nativeSupport } from './native-provider';
import { createNobleProvider } from './noble-provider';
import type { CryptoProvider } from './provider';

/** Accepted values of PQGATE_CRYPTO_PROVIDER. */
export const PROVIDER_CHOICES = ['auto', 'noble', 'native'] as const;
/** A provider choice. */
export type ProviderChoice = (typeof PROVIDER_CHOICES)[number];

const cache = new Map<string, CryptoProvider>();

/**
 * Returns the provider for `choice` (default: the PQGATE_CRYPTO_PROVIDER variable, else `auto`).
 * @throws GatewayError `invalid_argument` on an unknown choice, `provider_unavailable` when
 * `native` is demanded in a runtime without native ML-KEM/ML-DSA.
 */
export function getCryptoProvider(choice: string | undefined = process.env.PQGATE_CRYPTO_PROVIDER): CryptoProvider {
  const c = (choice === undefined || choice === '' ? 'auto' : choice.toLowerCase()) as ProviderChoice;
  if (!PROVIDER_CHOICES.includes(c)) {
    throw new GatewayError('invalid_argument', `PQGATE_CRYPTO_PROVIDER="${String(choice).slice(0, 32)}" is not one of ${PROVIDER_CHOICES.join(', ')}`);
  }
  const resolved = c === 'auto' ? (nativeSupport().available ? 'native' : 'noble+native-symmetric') : c;
  let p = cache.get(resolved);
  if (!p) {
    p = resolved === 'native' ? createNativeProvider() : resolved === 'noble' ? createNobleProvider() : withNativeSymmetric(createNobleProvider());
    cache.set(resolved, p);
  }
  return p;
}

/**
 * noble's KEMs and signatures with OpenSSL's AEADs and hashes where present (same bytes, checked
 * by the interop tests): AES-GCM in JavaScript costs ~100 us per channel record, OpenSSL ~5 us.
 * An explicit `noble` stays pure JavaScript.
 */
function withNativeSymmetric(noble: CryptoProvider): CryptoProvider {
  const symmetric = createNativeSymmetric();
  return symmetric ? Object.freeze({ ...noble, ...symmetric }) : noble;
}
