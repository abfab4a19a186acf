/**
 * Who a downstream message comes from and how strongly it was protected. It travels with each
 * message into the relay, so policy decides per message: a channel session may re-handshake to
 * another suite in the middle of one MCP session.
 */
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
