/**
 * The post-quantum channel: public surface for the gateway routes (server) and the connector
 * (client). Protocol specification: docs/protocol.md.
 */
export { connect, type ChannelSession, type ChannelSessionInfo, type ConnectOptions } from './client';
export type { ChannelEvent, ChannelEventType, EventSink } from './events';
export { displayKeyId, generateKeyPair, keyIdOf, type IdentityLookup, type KeyPair, type PublicKeyRecord } from './identity';
export { InMemoryTicketKeyRing, type TicketKey, type TicketKeyRing } from './key-ring';
export { LedgerReplayGuard, MemorySeqLedger, type LedgerReplayGuardOptions, type ReplayGuard, type ReplayVerdict, type SeqLedger } from './replay-guard';
export { createChannelServer, type ChannelServer, type ChannelServerDeps, type MessageHandler, type SessionInfo } from './server';
export { LIMITS, PROTOCOL_VERSION } from './wire';
