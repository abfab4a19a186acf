import type { AlertSignal, DetectionPolicy, SourcedChannelEvent } from './types';

/** How long a downgrade's source is refused when policy blocks downgrade attempts. */
export interface ChannelAlertOptions {
  readonly blockMs: number;
}

const who = (e: SourcedChannelEvent) => e.identityKeyId ?? e.source;

/**
 * The channel events that are alerts on their own: a downgrade (the client's signed report that
 * its suite offer was altered), a replayed record, a bad signature, an unknown identity key or
 * bearer token. Everything else (completed or merely failed handshakes) is not an alert here.
 */
export function channelAlert(e: SourcedChannelEvent, policy: DetectionPolicy, options: ChannelAlertOptions): AlertSignal | null {
  const base = { at: e.at, source: e.source, ...(e.identityKeyId ? { identityKeyId: e.identityKeyId } : {}) };
  const details = { source: e.source, ...(e.suite ? { suite: e.suite } : {}), ...(e.detail ? { detail: e.detail } : {}), ...(e.code ? { code: e.code } : {}) };
  switch (e.type) {
    case 'downgrade': {
      const block = policy.blockDowngradeAttempts ? { source: e.source, until: e.at + options.blockMs } : undefined;
      return {
        ...base,
        kind: 'downgrade',
        severity: 'critical',
        dedupKey: `downgrade:${e.source}:${who(e)}`,
        title: `Downgrade attempt: the suite offer of ${e.identityKeyId ? `key ${e.identityKeyId}` : 'a client'} was altered in transit from ${e.source}`,
        details: { ...details, blocked: Boolean(block), ...(block ? { blockedUntil: new Date(block.until).toISOString() } : {}) },
        ...(block ? { block } : {}),
      };
    }
    case 'replay':
      return { ...base, kind: 'replay', severity: 'high', dedupKey: `replay:${who(e)}`, title: `Replayed channel record${e.identityKeyId ? ` on key ${e.identityKeyId}` : ''} from ${e.source}`, details };
    case 'bad_signature':
      return { ...base, kind: 'bad_signature', severity: 'high', dedupKey: `bad_signature:${who(e)}`, title: `Bad handshake signature${e.identityKeyId ? ` for key ${e.identityKeyId}` : ''} from ${e.source}`, details };
    case 'unknown_identity':
      return {
        ...base,
        kind: 'unknown_identity',
        severity: 'medium',
        dedupKey: `unknown_identity:${who(e)}`,
        title: e.identityKeyId ? `Unknown or revoked identity key ${e.identityKeyId} from ${e.source}` : `Unknown, expired or revoked API token from ${e.source}`,
        details,
      };
    default:
      return null;
  }
}
