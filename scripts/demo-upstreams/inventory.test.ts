import { fileURLToPath } from 'node:url';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningUpstream } from './serve-http';
import { startDemoUpstream } from './start-demo-upstream';
import { connectClient, connectHttp, jsonOf, resourceJsonOf, textOf } from './test-client';

interface StockView { levels: Array<{ warehouse: string; onHand: number; reserved: number; available: number }> }

describe('inventory over Streamable HTTP', () => {
  let upstream: RunningUpstream;
  let client: Client;
  const call = (name: string, args: Record<string, unknown>) => client.callTool({ name, arguments: args });

  beforeAll(async () => {
    upstream = await startDemoUpstream('inventory', { port: 0 });
    ({ client } = await connectHttp(upstream.url));
  });
  afterAll(async () => {
    await client?.close();
    await upstream?.close();
  });

  it('lists every tool with a described input schema', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'get_stock', 'price_quote', 'release_reservation', 'reorder_report', 'reserve_stock', 'search_products',
    ]);
    const reserve = tools.find((t) => t.name === 'reserve_stock');
    expect(reserve?.inputSchema.required).toEqual(['sku', 'warehouse', 'quantity', 'reference']);
    expect(reserve?.inputSchema.properties?.quantity).toMatchObject({ type: 'integer', description: 'Units to reserve' });
  });

  it('searches products by name and category', async () => {
    const { matches } = jsonOf<{ matches: Array<{ sku: string; available: number }> }>(await call('search_products', { query: 'drill' }));
    expect(matches).toEqual([{ sku: 'TL-1002', name: 'Cordless drill 18 V', category: 'tools', unitPriceCents: 8950, available: 36 }]);
    const safety = jsonOf<{ matches: unknown[] }>(await call('search_products', { category: 'safety' }));
    expect(safety.matches).toHaveLength(3);
  });

  it('reserves stock, refuses over-reservation, and releases it again', async () => {
    const before = jsonOf<StockView>(await call('get_stock', { sku: 'TL-1002', warehouse: 'NRT' }));
    expect(before.levels).toEqual([{ warehouse: 'NRT', onHand: 12, reserved: 4, available: 8 }]);

    const over = await call('reserve_stock', { sku: 'TL-1002', warehouse: 'NRT', quantity: 9, reference: 'ORDER-1' });
    expect(over.isError).toBe(true);
    expect(textOf(over)).toBe('conflict: only 8 of TL-1002 available at North Hub (NRT), 9 requested. Reserve at most 8 here or split the order; available elsewhere: STH 3, HBR 25.');

    const { reservation } = jsonOf<{ reservation: { id: string } }>(await call('reserve_stock', { sku: 'tl-1002', warehouse: 'nrt', quantity: 8, reference: 'ORDER-1' }));
    expect(reservation.id).toBe('RSV-0003');
    expect(jsonOf<StockView>(await call('get_stock', { sku: 'TL-1002', warehouse: 'NRT' })).levels[0]?.available).toBe(0);

    expect(jsonOf<{ stock: { available: number } }>(await call('release_reservation', { reservationId: 'RSV-0003' })).stock.available).toBe(8);
    const twice = await call('release_reservation', { reservationId: 'RSV-0003' });
    expect(twice.isError).toBe(true);
    expect(textOf(twice)).toContain('already released');
  });

  it('reports products at or below reorder point in whole cases', async () => {
    const { belowReorderPoint } = jsonOf<{ belowReorderPoint: Array<{ sku: string; warehouse: string; suggestedOrder: number }> }>(
      await call('reorder_report', { warehouse: 'STH' }),
    );
    expect(belowReorderPoint).toContainEqual(expect.objectContaining({ sku: 'SF-3003', warehouse: 'STH', available: 0, suggestedOrder: 24 }));
    expect(belowReorderPoint.every((line) => line.warehouse === 'STH')).toBe(true);
    const unknown = await call('reorder_report', { warehouse: 'XYZ' });
    expect(textOf(unknown)).toContain('NRT (North Hub), STH (South Depot), HBR (Harbor DC)');
  });

  it('quotes with quantity discounts and names the next tier', async () => {
    const quote = jsonOf<{ lines: Array<{ discountPercent: number; lineTotalCents: number; nextTier?: string }>; total: string }>(
      await call('price_quote', { items: [{ sku: 'TL-1001', quantity: 12 }, { sku: 'EL-4003', quantity: 200 }] }),
    );
    expect(quote.lines[0]).toMatchObject({ discountPercent: 5, lineTotalCents: 21_649, nextTier: '38 more for 10% off' });
    expect(quote.lines[1]).toMatchObject({ discountPercent: 15, lineTotalCents: 63_750 });
    expect(quote.total).toBe('$853.99');
    const unknown = await call('price_quote', { items: [{ sku: 'NOPE-1', quantity: 1 }] });
    expect(textOf(unknown)).toContain('search_products');
  });

  it('serves the warehouses resource and the restock_plan prompt', async () => {
    const warehouses = resourceJsonOf<Array<{ code: string }>>(await client.readResource({ uri: 'inventory://warehouses' }));
    expect(warehouses.map((w) => w.code)).toEqual(['NRT', 'STH', 'HBR']);
    const prompt = await client.getPrompt({ name: 'restock_plan', arguments: { warehouse: 'STH' } });
    expect(prompt.description).toBe('Restock plan for STH');
    expect(JSON.stringify(prompt.messages[0]?.content)).toContain('SF-3003');
  });

  it('ends the session on DELETE', async () => {
    const { client: doomed, transport } = await connectHttp(upstream.url);
    const sessionId = String(transport.sessionId);
    await transport.terminateSession();
    const after = await fetch(upstream.url, { headers: { accept: 'text/event-stream', 'mcp-session-id': sessionId } });
    expect(after.status).toBe(404);
    await doomed.close();
  });
});

describe('inventory over stdio', () => {
  it('serves the same tools through main.ts --stdio', async () => {
    const tsxCli = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));
    const mainTs = fileURLToPath(new URL('./main.ts', import.meta.url));
    const client = await connectClient(new StdioClientTransport({
      command: process.execPath,
      args: [tsxCli, mainTs, 'inventory', '--stdio'],
      stderr: 'pipe',
    }));
    try {
      expect(client.getServerVersion()?.name).toBe('inventory');
      const { tools } = await client.listTools();
      expect(tools).toHaveLength(6);
      const stock = jsonOf<StockView>(await client.callTool({ name: 'get_stock', arguments: { sku: 'EL-4002' } }));
      expect(stock.levels.map((l) => l.available)).toEqual([5, 11, 7]);
    } finally {
      await client.close();
    }
  });
});
