/** Gateway key continuity (trust bundle) and client rotation proofs: pure, no I/O. See docs/keys.md. */
export { followTrustBundle, linkStatement, parseTrustBundle, signKeyLink, TRUST_BUNDLE_FORMAT, type TrustBundle, type TrustBundleKey } from './trust-bundle';
export { createRotationProof, parseRotationProof, ROTATION_PROOF_MAX_SKEW_MS, ROTATION_PROOF_TYPE, verifyRotationProof, type RotationProof, type RotationStatement } from './rotation-proof';
