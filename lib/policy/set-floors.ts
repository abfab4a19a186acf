import type { FloorName } from '@/gateway/policy/floors';
import { savePolicyVersion } from './save-policy-version';

/**
 * Sets (or clears, with `none`) the floor of tools, labels or servers by saving the active
 * policy as a new version with those floors changed: every floor change is versioned, can be
 * diffed and rolled back like any policy edit.
 */
export async function setFloors(input: { scope: 'tool' | 'label' | 'server'; targets: string[]; floor: FloorName | 'none'; actorId: string }) {
  const section = input.scope === 'tool' ? 'tools' : input.scope === 'label' ? 'labels' : 'servers';
  const what = input.targets.length === 1 ? `${input.scope} ${input.targets[0]}` : `${input.targets.length} ${input.scope}s`;
  const comment = input.floor === 'none' ? `Cleared the floor of ${what}` : `Set ${what} to ${input.floor}`;
  const version = await savePolicyVersion({
    document: (current) => {
      const floors = { ...current.floors[section] };
      for (const target of input.targets) {
        if (input.floor === 'none') delete floors[target];
        else floors[target] = input.floor;
      }
      return { ...current, floors: { ...current.floors, [section]: floors } };
    },
    comment,
    actorId: input.actorId,
  });
  return { version: version.version, comment };
}
