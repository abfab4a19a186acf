/**
 * The pinned form of a tool's definition and its hash: the one definition discovery, both stores
 * and the relay compare, so a definition pinned by one is recognised by the others.
 */
import { canonicalJson } from '../audit/canonical';
import { getCryptoProvider, toHex } from '../crypto';
import type { ListedTool } from './store';

/** What an admin approves of a tool, and what the client relies on. */
export function toolDefinition(tool: ListedTool) {
  return { name: tool.name, title: tool.title ?? null, description: tool.description ?? '', inputSchema: tool.inputSchema ?? {}, outputSchema: tool.outputSchema ?? null, annotations: tool.annotations ?? null };
}

/** SHA-256 of the canonical JSON of the definition: key order and absent optional fields do not change it. */
export function toolDefinitionHash(tool: ListedTool): Uint8Array<ArrayBuffer> {
  return new Uint8Array(getCryptoProvider().hash('SHA-256').digest(new TextEncoder().encode(canonicalJson(toolDefinition(tool)))));
}

/** {@link toolDefinitionHash} as hex, the form a policy snapshot carries. */
export const toolDefinitionHashHex = (tool: ListedTool): string => toHex(toolDefinitionHash(tool));
