import {
  DISCOUNT_TIERS, SEED_PRODUCTS, SEED_RESERVATIONS, WAREHOUSES,
  type Product, type Reservation, type Warehouse,
} from './inventory-seed';
import { DemoUpstreamError } from './tool-result';

/** The inventory's mutable state; one store is shared by every session of a server. */
export interface InventoryStore { products: Product[]; reservations: Reservation[]; nextReservation: number }

/** Stock of one product in one warehouse; `available` is what can still be reserved. */
export interface StockLevel { warehouse: string; onHand: number; reserved: number; available: number }

/** A fresh copy of the seed data, so tests and servers never share mutations. */
export function createInventoryStore(): InventoryStore {
  return {
    products: structuredClone([...SEED_PRODUCTS]),
    reservations: structuredClone([...SEED_RESERVATIONS]),
    nextReservation: SEED_RESERVATIONS.length + 1,
  };
}

/** Products matching every word of `query` in SKU or name, optionally by category and in stock. */
export function searchProducts(store: InventoryStore, filter: { query?: string; category?: Product['category']; inStockOnly?: boolean }) {
  const words = (filter.query ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  return store.products
    .filter((p) => words.every((w) => `${p.sku} ${p.name}`.toLowerCase().includes(w)))
    .filter((p) => !filter.category || p.category === filter.category)
    .map((p) => ({ sku: p.sku, name: p.name, category: p.category, unitPriceCents: p.unitPriceCents, available: totalAvailable(store, p) }))
    .filter((p) => !filter.inStockOnly || p.available > 0);
}

/** Stock per warehouse for `sku`, or for one warehouse when given. */
export function getStock(store: InventoryStore, sku: string, warehouse?: string): { sku: string; name: string; levels: StockLevel[] } {
  const product = findProduct(store, sku);
  const codes = warehouse ? [findWarehouse(warehouse).code] : WAREHOUSES.map((w) => w.code);
  return { sku: product.sku, name: product.name, levels: codes.map((code) => stockLevel(store, product, code)) };
}

/** Holds `quantity` units for an order; refuses more than is available and says where the rest is. */
export function reserveStock(store: InventoryStore, request: Omit<Reservation, 'id' | 'status'>): { reservation: Reservation; stock: StockLevel } {
  const product = findProduct(store, request.sku);
  const { code, name } = findWarehouse(request.warehouse);
  const level = stockLevel(store, product, code);
  if (request.quantity > level.available) {
    const elsewhere = WAREHOUSES.filter((w) => w.code !== code)
      .map((w) => `${w.code} ${stockLevel(store, product, w.code).available}`).join(', ');
    throw new DemoUpstreamError('conflict', `only ${level.available} of ${product.sku} available at ${name} (${code}), ${request.quantity} requested. Reserve at most ${level.available} here or split the order; available elsewhere: ${elsewhere}.`);
  }
  const reservation: Reservation = {
    id: `RSV-${String(store.nextReservation++).padStart(4, '0')}`,
    sku: product.sku, warehouse: code, quantity: request.quantity, reference: request.reference, status: 'active',
  };
  store.reservations.push(reservation);
  return { reservation, stock: stockLevel(store, product, code) };
}

/** Returns a reservation's units to available stock. */
export function releaseReservation(store: InventoryStore, reservationId: string): { reservation: Reservation; stock: StockLevel } {
  const id = reservationId.trim().toUpperCase();
  const reservation = store.reservations.find((r) => r.id === id);
  if (!reservation) throw new DemoUpstreamError('not_found', `no reservation "${reservationId}"; use the id reserve_stock returned (format RSV-0001).`);
  if (reservation.status === 'released') throw new DemoUpstreamError('conflict', `${reservation.id} was already released; nothing to do.`);
  reservation.status = 'released';
  return { reservation, stock: stockLevel(store, findProduct(store, reservation.sku), reservation.warehouse) };
}

/** Product/warehouse pairs at or below reorder point, with an order rounded up to whole cases. */
export function reorderReport(store: InventoryStore, warehouse?: string) {
  const codes = warehouse ? [findWarehouse(warehouse).code] : WAREHOUSES.map((w) => w.code);
  return store.products.flatMap((p) => codes.map((code) => ({ p, level: stockLevel(store, p, code) })))
    .filter(({ p, level }) => level.available <= p.reorderPoint)
    // Order enough to reach twice the reorder point, so one busy week does not trigger it again.
    .map(({ p, level }) => ({
      sku: p.sku, name: p.name, warehouse: level.warehouse, available: level.available, reorderPoint: p.reorderPoint,
      suggestedOrder: Math.ceil((2 * p.reorderPoint - level.available) / p.caseSize) * p.caseSize, supplier: p.supplier,
    }));
}

/** Prices each line with its quantity tier and says how many more units reach the next tier. */
export function priceQuote(store: InventoryStore, items: { sku: string; quantity: number }[]) {
  const lines = items.map(({ sku, quantity }) => {
    const product = findProduct(store, sku);
    const tier = DISCOUNT_TIERS.filter((t) => quantity >= t.minQuantity).at(-1) ?? { percent: 0 };
    const next = DISCOUNT_TIERS.find((t) => t.minQuantity > quantity);
    const gross = product.unitPriceCents * quantity;
    const discountCents = Math.round((gross * tier.percent) / 100);
    return {
      sku: product.sku, name: product.name, quantity, unitPriceCents: product.unitPriceCents,
      discountPercent: tier.percent, discountCents, lineTotalCents: gross - discountCents,
      ...(next ? { nextTier: `${next.minQuantity - quantity} more for ${next.percent}% off` } : {}),
    };
  });
  const totalCents = lines.reduce((sum, l) => sum + l.lineTotalCents, 0);
  return { currency: 'USD', lines, totalCents, total: `$${(totalCents / 100).toFixed(2)}` };
}

/** The warehouses, for the `inventory://warehouses` resource. */
export function listWarehouses(): readonly Warehouse[] {
  return WAREHOUSES;
}

function findProduct(store: InventoryStore, sku: string): Product {
  const product = store.products.find((p) => p.sku === sku.trim().toUpperCase());
  if (!product) throw new DemoUpstreamError('not_found', `no product with SKU "${sku}"; call search_products with a word from the product name to find its SKU (format TL-1001).`);
  return product;
}

function findWarehouse(code: string): Warehouse {
  const warehouse = WAREHOUSES.find((w) => w.code === code.trim().toUpperCase());
  if (!warehouse) throw new DemoUpstreamError('not_found', `no warehouse "${code}"; use one of ${WAREHOUSES.map((w) => `${w.code} (${w.name})`).join(', ')}.`);
  return warehouse;
}

function stockLevel(store: InventoryStore, product: Product, code: string): StockLevel {
  const onHand = product.onHand[code] ?? 0;
  const reserved = store.reservations
    .filter((r) => r.status === 'active' && r.sku === product.sku && r.warehouse === code)
    .reduce((sum, r) => sum + r.quantity, 0);
  return { warehouse: code, onHand, reserved, available: onHand - reserved };
}

function totalAvailable(store: InventoryStore, product: Product): number {
  return WAREHOUSES.reduce((sum, w) => sum + stockLevel(store, product, w.code).available, 0);
}
