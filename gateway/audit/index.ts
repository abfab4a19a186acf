/**
 * The tamper-evident audit log core (RFC 9162 Merkle tree, C2SP checkpoints signed with ML-DSA,
 * auditor bundles and their offline verifier). Free of Next.js and Prisma; see README.md.
 */
export { fromBase64, toBase64 } from './base64';
export { BUNDLE_FORMAT, BUNDLE_LIMITS, BUNDLE_VERSION, parseAuditBundle, type AuditBundle, type BundleConsistencyProof, type BundleEvent, type BundleInclusionProof } from './bundle';
export { canonicalJson } from './canonical';
export {
  addCosignatures,
  checkCosignature,
  cosignerKey,
  COSIGNATURE_V1_TYPE,
  createCosigner,
  formatCosignerKey,
  parseCosignerKey,
  type CosignatureCheck,
  type Cosigner,
  type CosignerKey,
} from './cosignature';
export { formatCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint, type Checkpoint, type OpenedCheckpoint } from './checkpoint';
export { auditEventBytes, auditEventLeafHash, exportedEventFields, type AuditEventFields } from './event';
export { createAuditBundle, type BundleSource } from './export-bundle';
export { MerkleFrontier, type FrontierJson, type FrontierState } from './frontier';
export { emptyRoot, hashChildren, hashLeaf, HASH_SIZE } from './merkle-hash';
export { MerkleTree } from './merkle-tree';
export { formatNote, NOTE_LIMITS, parseNote, type Note, type NoteSignature } from './note';
export {
  CHECKPOINT_CONTEXT,
  createNoteSigner,
  formatVerifierKey,
  NOTE_SIGNATURE_TYPES,
  noteKeyId,
  noteVerifierKey,
  openNote,
  parseVerifierKey,
  type NoteAlgorithm,
  type NoteSigner,
  type NoteVerifierKey,
  type OpenedNote,
} from './note-key';
export { verifyBundle, type AuditProblem, type AuditProblemKind, type BundleVerification, type VerifyBundleOptions } from './verify-bundle';
export type { HistoryResult, SinceCheckpoint } from './verify-history';
export { submitToWitness, type WitnessEndpoint, type WitnessOutcome } from './witness-client';
export { formatAddCheckpoint, MAX_PROOF_LINES, parseAddCheckpoint, type AddCheckpointRequest } from './witness-protocol';
export { rootFromInclusionProof, verifyConsistency, verifyInclusion } from './verify-proof';
