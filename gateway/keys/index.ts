/** Gateway key continuity (trust bundle) and client rotation proofs: pure, no I/O. See docs/keys.md. */
export {
  bundleStatement,
  linkStatement,
  parseTrustBundle,
  signKeyLink,
  signTrustBundle,
  TRUST_BUNDLE_FORMAT,
  TRUST_BUNDLE_STATUSES,
  TRUST_BUNDLE_VALIDITY_MS,
  trustBundleVersion,
  type TrustBundle,
  type TrustBundleKey,
  type TrustBundleSigned,
  type TrustBundleStatus,
} from './trust-bundle';
export { followTrustBundle, type ChainKey, type TrustOutcome, type TrustSeen } from './follow-trust-bundle';
export { createRotationProof, parseRotationProof, ROTATION_PROOF_MAX_SKEW_MS, ROTATION_PROOF_TYPE, verifyRotationProof, type RotationProof, type RotationStatement } from './rotation-proof';
