import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import {
  createInventoryStore, getStock, listWarehouses, priceQuote, releaseReservation,
  reorderReport, reserveStock, searchProducts, type InventoryStore,
} from './inventory-data';
import { DISCOUNT_TIERS } from './inventory-seed';
import { MUTATING, READ_ONLY, toolResult } from './tool-result';

export {
  createInventoryStore, getStock, listWarehouses, priceQuote, releaseReservation,
  reorderReport, reserveStock, searchProducts, type InventoryStore,
} from './inventory-data';

const sku = z.string().min(1).max(32).describe('Product SKU, e.g. TL-1001 (find it with search_products)');
const warehouseCodes = listWarehouses().map((w) => `${w.code} (${w.name})`).join(', ');
const warehouse = z.string().min(1).max(8).describe(`Warehouse code: ${warehouseCodes}`);
const tiers = DISCOUNT_TIERS.filter((t) => t.percent > 0).map((t) => `${t.minQuantity}+ ${t.percent}%`).join(', ');

/**
 * A fresh `inventory` MCP server over `store`. Pass the same store to every
 * session's server so a reservation made in one session holds in the next.
 */
export function createInventoryServer(store: InventoryStore = createInventoryStore()): McpServer {
  const server = new McpServer(
    { name: 'inventory', version: '0.1.0' },
    { instructions: 'Demo retail inventory across three warehouses. Products, prices and stock are synthetic.' },
  );

  server.registerTool('search_products', {
    title: 'Search products',
    description: 'Find products by words in the SKU or name, optionally by category or only those with stock available anywhere.',
    inputSchema: {
      query: z.string().max(100).optional().describe('Words that must all appear in SKU or name, e.g. "drill"'),
      category: z.enum(['tools', 'fasteners', 'safety', 'electrical']).optional().describe('Only this category'),
      inStockOnly: z.boolean().optional().describe('Only products with available stock'),
    },
    annotations: READ_ONLY,
  }, (filter) => toolResult(() => ({ matches: searchProducts(store, filter) })));

  server.registerTool('get_stock', {
    title: 'Get stock',
    description: 'On-hand, reserved and available units of one product per warehouse.',
    inputSchema: { sku, warehouse: warehouse.optional().describe(`Only this warehouse: ${warehouseCodes}`) },
    annotations: READ_ONLY,
  }, (args) => toolResult(() => getStock(store, args.sku, args.warehouse)));

  server.registerTool('reserve_stock', {
    title: 'Reserve stock',
    description: 'Holds units of a product at one warehouse for an order, reducing available stock. Refuses more than is available and says where the rest is.',
    inputSchema: {
      sku,
      warehouse,
      quantity: z.number().int().min(1).max(10_000).describe('Units to reserve'),
      reference: z.string().min(1).max(64).describe('Order or ticket this reservation is for, e.g. ORDER-1234'),
    },
    annotations: MUTATING,
  }, (args) => toolResult(() => reserveStock(store, args)));

  server.registerTool('release_reservation', {
    title: 'Release reservation',
    description: 'Returns a reservation\'s units to available stock.',
    inputSchema: { reservationId: z.string().min(1).max(32).describe('Id returned by reserve_stock, e.g. RSV-0003') },
    annotations: MUTATING,
  }, (args) => toolResult(() => releaseReservation(store, args.reservationId)));

  server.registerTool('reorder_report', {
    title: 'Reorder report',
    description: 'Products whose available stock is at or below their reorder point, per warehouse, with a suggested order in whole cases.',
    inputSchema: { warehouse: warehouse.optional().describe(`Only this warehouse: ${warehouseCodes}`) },
    annotations: READ_ONLY,
  }, (args) => toolResult(() => ({ belowReorderPoint: reorderReport(store, args.warehouse) })));

  server.registerTool('price_quote', {
    title: 'Price quote',
    description: `Prices a list of products with per-line quantity discounts (${tiers}). Amounts are integer US cents.`,
    inputSchema: {
      items: z.array(z.object({
        sku,
        quantity: z.number().int().min(1).max(100_000).describe('Units of this product'),
      })).min(1).max(50).describe('Lines to price'),
    },
    annotations: READ_ONLY,
  }, (args) => toolResult(() => priceQuote(store, args.items)));

  server.registerResource('warehouses', 'inventory://warehouses', {
    title: 'Warehouses',
    description: 'Warehouse codes, names, cities and capacity. Tools take the code.',
    mimeType: 'application/json',
  }, (uri) => ({ contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(listWarehouses(), null, 2) }] }));

  server.registerPrompt('restock_plan', {
    title: 'Restock plan',
    description: 'Asks the model to turn the current reorder report into purchase orders grouped by supplier.',
    argsSchema: { warehouse: warehouse.optional().describe('Only plan for this warehouse code') },
  }, ({ warehouse: code }) => ({
    description: `Restock plan for ${code ?? 'all warehouses'}`,
    messages: [{
      role: 'user',
      content: {
        type: 'text',
        text: 'Draft purchase orders from this reorder report. Group lines by supplier, keep the suggested whole-case quantities, '
          + `and call out any warehouse with nothing available.\n\n${JSON.stringify(reorderReport(store, code), null, 2)}`,
      },
    }],
  }));

  return server;
}
