/** Console roles, from most to least powerful. */
export const ROLES = ['admin', 'approver', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** What each role may do. Checked on the server in every action and route handler. */
export const PERMISSIONS = {
  /** Read every console page. */
  'console:read': ['admin', 'approver', 'auditor'],
  'users:manage': ['admin'],
  'policy:write': ['admin'],
  'tools:write': ['admin'],
  'identities:manage': ['admin'],
  'upstreams:manage': ['admin'],
  'rotations:request': ['admin'],
  'rotations:approve': ['admin', 'approver'],
  'alerts:manage': ['admin', 'approver'],
  'audit:export': ['admin', 'auditor'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  admin: 'Manages everything: floors, policies, identities, servers, users; requests rotations.',
  approver: 'Approves or rejects key rotations requested by someone else; handles alerts.',
  auditor: 'Reads everything and exports the audit log; changes nothing.',
};
