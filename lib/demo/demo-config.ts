/** The two demo upstreams `npm start` runs beside the console (PQGATE_DEMO=0 turns them off). */
export const DEMO_UPSTREAMS = [
  {
    slug: 'clinic-records',
    name: 'Clinic records',
    description: 'Patient charts, medications, vitals and appointments of a small clinic (demo data).',
    labels: ['healthcare', 'pii'],
    portVariable: 'PQGATE_DEMO_CLINIC_PORT',
  },
  {
    slug: 'inventory',
    name: 'Inventory',
    description: 'Products, stock levels, reservations and quotes of a retail business (demo data).',
    labels: ['retail'],
    portVariable: 'PQGATE_DEMO_INVENTORY_PORT',
  },
] as const;

export type DemoUpstreamSlug = (typeof DEMO_UPSTREAMS)[number]['slug'];

export function demoUpstreamUrl(port: number): string {
  return `http://127.0.0.1:${port}/mcp`;
}
