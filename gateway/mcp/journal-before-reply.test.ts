/**
 * A reply leaves only once its decision is in the traffic journal (docs/audit.md, "Acknowledged
 * calls are durable"): allowed, refused and failed calls alike, on the bearer endpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { TrafficEvent } from './store';
import { bearerClient, startFixture, type Fixture } from './testing/fixture';
import type { TrafficJournal } from './traffic-recorder';

const held: { event: TrafficEvent; release: () => void }[] = [];
const journal: TrafficJournal = { append: (event) => new Promise<void>((release) => held.push({ event, release })), stored: () => undefined, recovered: () => [] };

let f: Fixture;
let client: Client;
beforeAll(async () => {
  f = await startFixture({}, (store) => store.setLabelFloor('healthcare', 'ML-KEM-768'), { journal });
  client = await bearerClient(`${f.base}/clinic-records`);
  f.store.setToolLabels('clinic-records', 'read_chart', ['healthcare']);
});
afterAll(async () => {
  for (const h of held) h.release();
  await client?.close();
  await f?.close();
});

/** Starts `call`, checks it is not answered while its event waits in the journal, then releases it. */
async function answeredOnlyAfterJournal(call: () => Promise<unknown>, tool: string): Promise<unknown> {
  const before = held.length;
  let answered = false;
  const result = call().finally(() => (answered = true));
  for (let i = 0; i < 200 && held.length === before; i++) await new Promise((r) => setTimeout(r, 10));
  const mine = held.slice(before).find((h) => h.event.tool === tool);
  expect(mine).toBeDefined();
  await new Promise((r) => setTimeout(r, 50));
  expect(answered).toBe(false);
  for (const h of held.slice(before)) h.release();
  return result.catch((e: unknown) => e);
}

describe('the reply waits for the journal', () => {
  it('an allowed tools/call', async () => {
    const result = (await answeredOnlyAfterJournal(() => client.callTool({ name: 'search_patients', arguments: { query: 'a' } }), 'search_patients')) as { isError?: boolean };
    expect(result.isError).not.toBe(true);
  });

  it('a tools/call refused by its floor', async () => {
    const error = await answeredOnlyAfterJournal(() => client.callTool({ name: 'read_chart', arguments: { patientId: 'p1' } }), 'read_chart');
    expect(String(error)).toMatch(/ML-KEM-768/);
  });
});
