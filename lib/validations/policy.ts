import { z } from 'zod';
import { floorNames, type FloorName } from '@/gateway/policy/floors';

const list = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]).filter(Boolean));

export const setFloorSchema = z.object({
  scope: z.enum(['tool', 'label', 'server']),
  /** Tool keys (`server/tool`), label names or server slugs. */
  targets: list.pipe(z.array(z.string().min(1)).min(1, 'Select at least one.')),
  floor: z.enum([...(floorNames() as [FloorName, ...FloorName[]]), 'none'], { message: `Choose a floor: ${floorNames().join(', ')}, or none.` }),
});

/** Largest policy the console saves or imports, in characters (a file: in bytes). */
export const POLICY_MAX_BYTES = 200_000;

const policyYaml = z.string({ message: 'The policy is empty.' }).min(1, 'The policy is empty.').max(POLICY_MAX_BYTES, 'The policy is too long (200 kB at most).');
const comment = z.string().trim().max(200).default('');
/** The version in force when the admin reviewed the change; the save is refused if it moved. */
const reviewedVersion = z.coerce.number({ message: 'Review the change before saving it.' }).int().min(0, 'Review the change before saving it.');
/** Merge is the default: an import never drops what it does not mention unless asked to. */
const strategy = z.enum(['merge', 'replace'], { message: 'Choose merge (keep what the file does not mention) or replace (the file becomes the whole policy).' }).default('merge');

/** The editor's text, to review before it is saved (it replaces the policy in force). */
export const previewPolicySaveSchema = z.object({ yaml: policyYaml, comment });
export const savePolicySchema = z.object({ yaml: policyYaml, comment, reviewedVersion });

export const previewPolicyImportSchema = z.object({
  file: z
    .instanceof(File, { message: 'Choose a YAML file to import.' })
    .refine((f) => f.size > 0, 'The file is empty.')
    .refine((f) => f.size <= POLICY_MAX_BYTES, 'The file is too large: a policy file may be at most 200 kB. Remove unused rules or comments, or split it, and import it again.'),
  strategy,
});
/** The reviewed import: the file's text as previewed, how it meets the policy, and against which version. */
export const importPolicySchema = z.object({ yaml: policyYaml, fileName: z.string().trim().min(1).max(200).default('policy.yaml'), strategy, reviewedVersion });

export const rollbackPolicySchema = z.object({ version: z.coerce.number().int().min(1) });
export const setPolicyModeSchema = z.object({ mode: z.enum(['enforce', 'monitor']) });

export const reviewLabelSchema = z.object({ toolId: z.string().min(1), label: z.string().min(1), decision: z.enum(['confirm', 'dismiss']) });
export const addLabelSchema = z.object({
  targets: list.pipe(z.array(z.string().min(1)).min(1, 'Select at least one tool.')),
  label: z.string().trim().toLowerCase().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'Use a lowercase label such as healthcare or finance.'),
});
export const approveToolSchema = z.object({ toolId: z.string().min(1) });
