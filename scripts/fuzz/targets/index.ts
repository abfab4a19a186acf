/** Every fuzz target, in the order `npm run fuzz` reports them. */
import type { FuzzTarget } from '../target';
import { auditTarget } from './audit';
import { jsonRpcTarget } from './json-rpc';
import { policyTarget } from './policy';
import { trustTarget } from './trust';
import { wireTarget } from './wire';

export const TARGETS: readonly FuzzTarget[] = [wireTarget, jsonRpcTarget, policyTarget, auditTarget, trustTarget];
