/**
 * What the detectors read and what they raise. Plain data: the detectors are pure functions of
 * these events and their own bounded state, with the clock carried by each event.
 */
import type { SourcedChannelEvent } from '../mcp/source-guard';

export type { SourcedChannelEvent };

export type AlertSeverity = 'low' | 'medium' | 'high' | 'critical';

/** Alert kinds, one per detector rule (and `traffic_unstored`, raised by the store, lib/gateway-store). */
export type AlertKind =
  | 'downgrade'
  | 'replay'
  | 'bad_signature'
  | 'unknown_identity'
  | 'revoked_identity'
  | 'handshake_burst'
  | 'pq_fallback'
  | 'latency_spike'
  /** Raised by the console's audit signer, not a traffic detector: it refused to sign a rewritten log. */
  | 'audit_history_rewritten'
  /** Raised by the traffic store: a gateway decision it could not store (never dropped silently). */
  | 'traffic_unstored';

/**
 * One occurrence of an alert. Occurrences with the same `dedupKey` are one alert whose count
 * grows and whose last-seen time moves.
 */
export interface AlertSignal {
  readonly kind: AlertKind;
  readonly severity: AlertSeverity;
  readonly dedupKey: string;
  readonly title: string;
  readonly at: number;
  readonly source?: string;
  /** Display key id of the identity key involved (channel events). */
  readonly identityKeyId?: string;
  /** Identity id (traffic events). */
  readonly identityId?: string;
  /** Upstream slug. */
  readonly upstream?: string;
  readonly details: Readonly<Record<string, string | number | boolean>>;
  /** Set when policy says the source is to be refused until `until` (ms since the epoch). */
  readonly block?: { readonly source: string; readonly until: number };
}

/** The policy switches detection honours (from `PolicySnapshot.global`). */
export interface DetectionPolicy {
  readonly blockDowngradeAttempts: boolean;
  readonly alertOnLatencySpike: boolean;
}
