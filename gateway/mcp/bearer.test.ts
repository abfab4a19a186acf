/**
 * The plain Streamable HTTP endpoint with a bearer API token, end to end: the official SDK
 * client, the gateway on a real node:http server, the real demo upstreams behind it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { bearerClient, startFixture, type Fixture } from './testing/fixture';

let f: Fixture;
let clinic: Client;

beforeAll(async () => {
  f = await startFixture({}, (store) => {
    store.setLabelFloor('healthcare', 'ML-KEM-768');
  });
  clinic = await bearerClient(`${f.base}/clinic-records`);
  // Discovery ran on first connect: give read_chart its label floor now that it is known.
  f.store.setToolLabels('clinic-records', 'read_chart', ['healthcare']);
});
afterAll(async () => {
  await clinic?.close();
  await f?.close();
});

describe('bearer endpoint behaves like its upstream', () => {
  it('initialize mirrors the upstream identity and instructions', () => {
    expect(clinic.getServerVersion()?.name).toBe('clinic-records');
    expect(clinic.getInstructions()).toContain('Demo EHR');
    expect(clinic.getServerCapabilities()?.tools).toBeDefined();
  });

  it('discovery listed the upstream tools to the store on first connect', () => {
    const listed = f.store.toolLists.find((l) => l.upstream === 'clinic-records');
    expect(listed?.tools.map((t) => t.name)).toContain('export_chart');
  });

  it('tools/list hides the tool whose floor a bearer session cannot meet', async () => {
    const names = (await clinic.listTools()).tools.map((t) => t.name);
    expect(names).toContain('search_patients');
    expect(names).not.toContain('read_chart');
  });

  it('tools/call reaches the upstream and returns its result', async () => {
    const res = await clinic.callTool({ name: 'search_patients', arguments: { query: 'ada' } });
    expect(JSON.stringify(res.content)).toContain('MRN-');
  });

  it('a call below its floor is refused with a message naming tool, floor, suite and the fix', async () => {
    await expect(clinic.callTool({ name: 'read_chart', arguments: { mrn: 'MRN-1001' } })).rejects.toThrow(
      /tool clinic-records\/read_chart requires ML-KEM-768 \(label healthcare\); this session negotiated classical-bearer.*pqgate connect/,
    );
  });

  it('resources and prompts pass through under the server floor', async () => {
    const resources = await clinic.listResources();
    expect(resources.resources.map((r) => r.uri)).toContain('clinic://formulary');
    const formulary = await clinic.readResource({ uri: 'clinic://formulary' });
    expect(JSON.stringify(formulary.contents)).toContain('warfarin');
    const prompts = await clinic.listPrompts();
    expect(prompts.prompts.map((p) => p.name)).toContain('summarize_chart');
    const prompt = await clinic.getPrompt({ name: 'summarize_chart', arguments: { mrn: 'MRN-1001' } });
    expect(prompt.messages.length).toBeGreaterThan(0);
  });

  it('progress notifications reach the client with its own token', async () => {
    const seen: number[] = [];
    const res = await clinic.callTool({ name: 'export_chart', arguments: { mrn: 'MRN-1001' } }, undefined, { onprogress: (p) => seen.push(p.progress) });
    expect(res.isError).toBeFalsy();
    expect(seen.length).toBeGreaterThan(1);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it('every decision becomes a traffic event, written in batches', async () => {
    await new Promise((r) => setTimeout(r, 120));
    const events = f.store.traffic.filter((e) => e.upstream === 'clinic-records');
    expect(events.find((e) => e.tool === 'search_patients')).toMatchObject({ decision: 'allow', transport: 'bearer', suite: 'classical-bearer', identityId: 'id-alice' });
    expect(events.find((e) => e.tool === 'read_chart')).toMatchObject({ decision: 'deny', code: 'below_floor', rule: 'label healthcare' });
    expect(events.find((e) => e.tool === 'search_patients')!.latencyMs).toBeGreaterThanOrEqual(0);
    expect(f.store.trafficBatches.length).toBeLessThan(events.length);
  });

  it('monitor mode lets a call below its floor through and records monitor', async () => {
    f.store.setMode('monitor');
    try {
      const res = await clinic.callTool({ name: 'read_chart', arguments: { mrn: 'MRN-1001' } });
      expect(JSON.stringify(res.content)).toContain('MRN-1001');
      await new Promise((r) => setTimeout(r, 120));
      expect(f.store.traffic.filter((e) => e.tool === 'read_chart').at(-1)).toMatchObject({ decision: 'monitor', code: 'below_floor' });
    } finally {
      f.store.setMode('enforce');
    }
  });

  it('a held tool is refused, saying an admin must approve it', async () => {
    f.store.holdTool('clinic-records', 'list_medications');
    await expect(clinic.callTool({ name: 'list_medications', arguments: { mrn: 'MRN-1001' } })).rejects.toThrow(/changed its definition since an admin approved it; it is held until approved again on the Tools page/);
    expect((await clinic.listTools()).tools.map((t) => t.name)).not.toContain('list_medications');
  });

  it('mark mode keeps refused tools in tools/list, annotated', async () => {
    const g = await startFixture({ toolListMode: 'mark' }, (s) => s.setServerFloor('inventory', 'ML-KEM-1024'));
    const c = await bearerClient(`${g.base}/inventory`);
    try {
      const tools = (await c.listTools()).tools;
      expect(tools.length).toBeGreaterThan(3);
      expect(tools.every((t) => t.description?.startsWith('[not callable from this session: tool inventory/'))).toBe(true);
    } finally {
      await c.close();
      await g.close();
    }
  });
});
