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

export const savePolicySchema = z.object({
  yaml: z.string().min(1, 'The policy is empty.').max(POLICY_MAX_BYTES, 'The policy is too long (200 kB at most).'),
  comment: z.string().trim().max(200).default(''),
});

export const importPolicySchema = z.object({
  file: z
    .instanceof(File, { message: 'Choose a YAML file to import.' })
    .refine((f) => f.size > 0, 'The file is empty.')
    .refine((f) => f.size <= POLICY_MAX_BYTES, 'The file is too large: a policy file may be at most 200 kB. Remove unused rules or comments, or split it, and import it again.'),
});

export const rollbackPolicySchema = z.object({ version: z.coerce.number().int().min(1) });
export const setPolicyModeSchema = z.object({ mode: z.enum(['enforce', 'monitor']) });

export const reviewLabelSchema = z.object({ toolId: z.string().min(1), label: z.string().min(1), decision: z.enum(['confirm', 'dismiss']) });
export const addLabelSchema = z.object({
  targets: list.pipe(z.array(z.string().min(1)).min(1, 'Select at least one tool.')),
  label: z.string().trim().toLowerCase().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'Use a lowercase label such as healthcare or finance.'),
});
export const approveToolSchema = z.object({ toolId: z.string().min(1) });
