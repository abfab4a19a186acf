/**
 * The one entry point to cryptography in pqgate: nothing outside `gateway/crypto/` imports a
 * primitive. See README.md beside this file for the design notes.
 */
export { assertBytes, concatBytes, equalBytes, fromBase64Url, fromHex, toBase64Url, toHex, utf8, wipe } from './bytes';
export { hkdfExpand, hkdfExtract } from './hkdf';
export { plainEd25519PublicKey, plainEd25519Sign, plainEd25519Verify } from './plain-ed25519';
export { createNativeProvider, nativeSupport, type NativeSupport } from './native-provider';
export { createNobleProvider } from './noble-provider';
export type { Aead, CryptoProvider, Hash, Kem, KemLengths, ProviderName, SignatureLengths, SignatureScheme, Signer, SignOptions } from './provider';
export { getCryptoProvider, PROVIDER_CHOICES, type ProviderChoice } from './select-provider';
export {
  DEFAULT_SUITE_NAME,
  getSuite,
  getSuiteById,
  identityFitsSuite,
  SIGNATURE_CATEGORY,
  meetsMinimum,
  SUITES,
  suiteNames,
  type AeadId,
  type HashId,
  type KemId,
  type SignatureId,
  type Suite,
} from './suites';
