/** Synthetic retail data: invented products, warehouses and suppliers. */

/** A warehouse; `code` is what tools take. */
export interface Warehouse { code: string; name: string; city: string; capacityPallets: number }
/** A product; prices are integer cents so totals never drift. */
export interface Product {
  sku: string;
  name: string;
  category: 'tools' | 'fasteners' | 'safety' | 'electrical';
  unitPriceCents: number;
  caseSize: number;
  reorderPoint: number;
  supplier: string;
  onHand: Record<string, number>;
}
/** Stock held for an order; released reservations stay for the audit trail. */
export interface Reservation { id: string; sku: string; warehouse: string; quantity: number; reference: string; status: 'active' | 'released' }

/** The three warehouses. */
export const WAREHOUSES: readonly Warehouse[] = [
  { code: 'NRT', name: 'North Hub', city: 'Fictionville', capacityPallets: 1200 },
  { code: 'STH', name: 'South Depot', city: 'Mockport', capacityPallets: 800 },
  { code: 'HBR', name: 'Harbor DC', city: 'Sampleton Bay', capacityPallets: 2000 },
];

/** Quantity discount tiers, applied per line; the highest `minQuantity` reached wins. */
export const DISCOUNT_TIERS: readonly { minQuantity: number; percent: number }[] = [
  { minQuantity: 1, percent: 0 },
  { minQuantity: 10, percent: 5 },
  { minQuantity: 50, percent: 10 },
  { minQuantity: 200, percent: 15 },
];

/** The twelve products with on-hand stock per warehouse. */
export const SEED_PRODUCTS: readonly Product[] = [
  { sku: 'TL-1001', name: 'Claw hammer 16 oz', category: 'tools', unitPriceCents: 1899, caseSize: 6, reorderPoint: 20, supplier: 'Acme Demo Tools', onHand: { NRT: 42, STH: 8, HBR: 120 } },
  { sku: 'TL-1002', name: 'Cordless drill 18 V', category: 'tools', unitPriceCents: 8950, caseSize: 2, reorderPoint: 10, supplier: 'Acme Demo Tools', onHand: { NRT: 12, STH: 3, HBR: 25 } },
  { sku: 'TL-1003', name: 'Tape measure 8 m', category: 'tools', unitPriceCents: 1250, caseSize: 12, reorderPoint: 30, supplier: 'Acme Demo Tools', onHand: { NRT: 64, STH: 40, HBR: 18 } },
  { sku: 'FS-2001', name: 'Wood screws 4x40 mm (box of 200)', category: 'fasteners', unitPriceCents: 799, caseSize: 24, reorderPoint: 50, supplier: 'Boltly Fictional', onHand: { NRT: 300, STH: 45, HBR: 510 } },
  { sku: 'FS-2002', name: 'Wall plugs 6 mm (box of 100)', category: 'fasteners', unitPriceCents: 450, caseSize: 24, reorderPoint: 50, supplier: 'Boltly Fictional', onHand: { NRT: 96, STH: 120, HBR: 30 } },
  { sku: 'FS-2003', name: 'Hex bolts M8x60 (box of 50)', category: 'fasteners', unitPriceCents: 1325, caseSize: 10, reorderPoint: 15, supplier: 'Boltly Fictional', onHand: { NRT: 14, STH: 22, HBR: 60 } },
  { sku: 'SF-3001', name: 'Safety glasses, clear', category: 'safety', unitPriceCents: 695, caseSize: 20, reorderPoint: 40, supplier: 'Guardwell Sample Co', onHand: { NRT: 150, STH: 35, HBR: 200 } },
  { sku: 'SF-3002', name: 'Work gloves, size L', category: 'safety', unitPriceCents: 1150, caseSize: 12, reorderPoint: 30, supplier: 'Guardwell Sample Co', onHand: { NRT: 28, STH: 60, HBR: 90 } },
  { sku: 'SF-3003', name: 'Ear defenders 30 dB', category: 'safety', unitPriceCents: 2400, caseSize: 6, reorderPoint: 10, supplier: 'Guardwell Sample Co', onHand: { NRT: 9, STH: 0, HBR: 33 } },
  { sku: 'EL-4001', name: 'Extension lead 4-way 5 m', category: 'electrical', unitPriceCents: 1999, caseSize: 8, reorderPoint: 16, supplier: 'Voltish Example Ltd', onHand: { NRT: 40, STH: 16, HBR: 75 } },
  { sku: 'EL-4002', name: 'LED work light 20 W', category: 'electrical', unitPriceCents: 3450, caseSize: 4, reorderPoint: 8, supplier: 'Voltish Example Ltd', onHand: { NRT: 5, STH: 11, HBR: 7 } },
  { sku: 'EL-4003', name: 'Cable ties 200 mm (pack of 100)', category: 'electrical', unitPriceCents: 375, caseSize: 50, reorderPoint: 100, supplier: 'Voltish Example Ltd', onHand: { NRT: 400, STH: 250, HBR: 90 } },
];

/** Reservations already open, so available stock differs from on-hand from the start. */
export const SEED_RESERVATIONS: readonly Reservation[] = [
  { id: 'RSV-0001', sku: 'TL-1002', warehouse: 'NRT', quantity: 4, reference: 'ORDER-77001', status: 'active' },
  { id: 'RSV-0002', sku: 'SF-3002', warehouse: 'NRT', quantity: 10, reference: 'ORDER-77002', status: 'active' },
];
