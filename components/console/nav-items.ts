/** The console's sections, in sidebar order. */
export const NAV_ITEMS = [
  { href: '/', label: 'Overview' },
  { href: '/discovery', label: 'Discovery' },
  { href: '/tools', label: 'Tools' },
  { href: '/policies', label: 'Policies' },
  { href: '/identities', label: 'Identities' },
  { href: '/rotations', label: 'Rotations' },
  { href: '/alerts', label: 'Alerts' },
  { href: '/audit', label: 'Audit' },
  { href: '/servers', label: 'Servers' },
  { href: '/settings', label: 'Settings' },
] as const;
