/** Handshake and traffic anomaly detection: pure detectors, no Next.js or Prisma (DESIGN.md §6). */
export { createBlocklist, type Blocklist } from './blocklist';
export { createDetector, type Detector, type DetectorOptions } from './detector';
export { SUITE_STRENGTHS, suiteStrength, weakerStrength, type SuiteStrength } from './suite-strength';
export type { AlertKind, AlertSeverity, AlertSignal, DetectionPolicy, SourcedChannelEvent } from './types';
