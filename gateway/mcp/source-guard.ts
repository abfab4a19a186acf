/**
 * Where a request comes from, and refusing sources that detection blocked (a downgrade attempt
 * under `block_downgrade_attempts`). Channel security events are tagged with the source of the
 * request that raised them, so detection can count and block per source.
 */
import type { ChannelEvent, EventSink } from '../channel';
import { GatewayError } from '../errors';

/** A channel security event with the network source of the request that raised it. */
export interface SourcedChannelEvent extends ChannelEvent {
  /** The client address as `sourceOf` named it; `unknown` when it cannot tell. */
  readonly source: string;
}

/** Receives sourced channel events; a plain channel {@link EventSink} fits too. Must not throw. */
export type SourcedEventSink = (event: SourcedChannelEvent) => void;

/** The gateway options this module reads. */
export interface SourceGuardOptions {
  /** Names the client of a request (e.g. its address). Default: every request is `unknown`. */
  readonly sourceOf?: (request: Request) => string;
  /**
   * Consulted before every handshake, channel record and MCP request: true refuses the request
   * with `downgrade_detected` (403) before any work is done.
   */
  readonly isBlocked?: (source: string) => boolean;
  readonly channelEvents?: SourcedEventSink;
}

/** The source guard of one gateway. */
export function createSourceGuard(options: SourceGuardOptions, clock: () => number) {
  const sourceOf = options.sourceOf ?? (() => 'unknown');
  const sink = options.channelEvents;
  return {
    sourceOf,
    /** The error refusing `source` when it is blocked, or null. */
    refusal(source: string): GatewayError | null {
      return options.isBlocked?.(source) ? new GatewayError('downgrade_detected', `requests from ${source.slice(0, 64)} are refused for a while after a downgrade attempt`) : null;
    },
    /**
     * The sink handed to the channel server, which tags each event with the `source` its
     * `handle` was given (explicitly: an AsyncLocalStorage per request cost more than the rest
     * of the record's bookkeeping).
     */
    channelSink: (sink ? (e) => sink({ ...e, source: e.source ?? 'unknown' }) : undefined) as EventSink | undefined,
    /** Reports a bearer token the gateway does not know (unknown, expired or revoked). */
    unknownToken(source: string): void {
      try {
        sink?.({ type: 'unknown_identity', code: 'unauthenticated', at: clock(), detail: 'bearer token', source });
      } catch {
        // A failing sink must not turn into a failing request.
      }
    },
  };
}
