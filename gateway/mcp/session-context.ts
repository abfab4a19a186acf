/**
 * Who a downstream message comes from and how strongly it was protected. It rides on each
 * message as the SDK's `authInfo`, so the proxy decides per message: a channel session may
 * re-handshake to another suite in the middle of one MCP session.
 */
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { getSuite } from '../crypto/suites';
import { BEARER_STRENGTH, type SessionStrength } from '../policy/floors';
import type { Caller } from './store';

/** The caller and strength of one downstream message. */
export interface SessionContext {
  readonly caller: Caller;
  readonly strength: SessionStrength;
  readonly transport: 'pq' | 'bearer';
}

/** The strength of a channel session that negotiated `suiteName`. */
export function strengthOfSuite(suiteName: string): SessionStrength {
  const s = getSuite(suiteName);
  return { suite: s.name, kemCategory: s.kemCategory, signatureCategory: s.signatureCategory, quantumSafe: s.quantumSafe };
}

/** Context of a bearer-token message. */
export function bearerContext(caller: Caller): SessionContext {
  return { caller, strength: BEARER_STRENGTH, transport: 'bearer' };
}

/** Wraps a context as the SDK's `authInfo` (the token itself is never carried along). */
export function toAuthInfo(ctx: SessionContext): AuthInfo {
  return { token: '', clientId: ctx.caller.identityId, scopes: [], extra: { pqgate: ctx } };
}

/** Reads the context back in a request handler. */
export function contextOf(authInfo: AuthInfo | undefined): SessionContext | undefined {
  return authInfo?.extra?.pqgate as SessionContext | undefined;
}
