import { parse } from 'yaml';
import type { PolicyDocument } from './policy-document';

/**
 * How an imported policy file meets the one in force. `merge` (the default) takes what the file
 * states and keeps everything it does not mention; `replace` makes the file the whole policy,
 * so whatever it leaves out is removed (floors) or back to its default (switches, limits).
 */
export type ImportStrategy = 'merge' | 'replace';

export const IMPORT_STRATEGIES: readonly ImportStrategy[] = ['merge', 'replace'];

type Stated = Record<string, unknown> | undefined;

const section = (value: unknown): Stated => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined);

/** The fields of `imported` the file actually wrote, laid over `current`. */
function overlay<T extends object>(current: T, imported: T, stated: Stated): T {
  if (!stated) return current;
  const out = { ...current };
  for (const key of Object.keys(stated)) if (Object.hasOwn(imported, key)) (out as Record<string, unknown>)[key] = (imported as Record<string, unknown>)[key];
  return out;
}

/**
 * Merges a validated import into the current policy. `imported` is the file parsed with its
 * defaults filled in; `text` is the same file, read again only to learn which keys it states,
 * since a default is not a statement. Merging adds and changes floors but never removes one:
 * removing takes `replace` or the editor, where the confirmation lists each removal.
 */
export function mergePolicy(current: PolicyDocument, imported: PolicyDocument, text: string): PolicyDocument {
  const stated = section(parse(text));
  const floors = section(stated?.floors);
  return {
    version: imported.version,
    mode: stated && Object.hasOwn(stated, 'mode') ? imported.mode : current.mode,
    p2p_connectivity: overlay(current.p2p_connectivity, imported.p2p_connectivity, section(stated?.p2p_connectivity)),
    threat_detection: overlay(current.threat_detection, imported.threat_detection, section(stated?.threat_detection)),
    limits: overlay(current.limits, imported.limits, section(stated?.limits)),
    floors: {
      labels: { ...current.floors.labels, ...(floors?.labels ? imported.floors.labels : {}) },
      servers: { ...current.floors.servers, ...(floors?.servers ? imported.floors.servers : {}) },
      tools: { ...current.floors.tools, ...(floors?.tools ? imported.floors.tools : {}) },
    },
  };
}

/** The policy an import leads to, by strategy. */
export function applyImport(current: PolicyDocument, imported: PolicyDocument, text: string, strategy: ImportStrategy): PolicyDocument {
  return strategy === 'replace' ? imported : mergePolicy(current, imported, text);
}
