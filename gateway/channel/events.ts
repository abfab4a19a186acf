/** Security events the channel reports to an injected sink (detection turns them into alerts). */
import type { GatewayErrorCode } from '../errors';

/** Event kinds. `downgrade`, `bad_signature` and `replay` are the ones detection watches. */
export type ChannelEventType =
  | 'handshake_completed'
  | 'handshake_failed'
  | 'downgrade'
  | 'bad_signature'
  | 'unknown_identity'
  | 'replay'
  | 'ticket_refused'
  | 'bad_record';

/** One event. Never carries key material: ids are display fingerprints or hex session ids. */
export interface ChannelEvent {
  readonly type: ChannelEventType;
  readonly at: number;
  readonly code?: GatewayErrorCode;
  readonly suite?: string;
  readonly identityKeyId?: string;
  readonly sessionId?: string;
  readonly detail?: string;
  /** The client's network source, as the caller of `ChannelServer.handle` named it. */
  readonly source?: string;
}

/** Receives events; must not throw (errors in the sink are swallowed by the channel). */
export type EventSink = (event: ChannelEvent) => void;
