import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Progress } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClinicStore, scheduleAppointment } from './clinic-records';
import type { RunningUpstream } from './serve-http';
import { startDemoUpstream } from './start-demo-upstream';
import { connectHttp, jsonOf, resourceJsonOf, textOf } from './test-client';

describe('clinic-records over Streamable HTTP', () => {
  let upstream: RunningUpstream;
  let client: Client;
  const call = (name: string, args: Record<string, unknown>) => client.callTool({ name, arguments: args });

  beforeAll(async () => {
    upstream = await startDemoUpstream('clinic-records', { port: 0 });
    ({ client } = await connectHttp(upstream.url));
  });
  afterAll(async () => {
    await client?.close();
    await upstream?.close();
  });

  it('initializes and lists every tool with a described input schema', async () => {
    expect(upstream.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect(client.getServerVersion()?.name).toBe('clinic-records');
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'check_drug_interaction', 'export_chart', 'list_medications', 'read_chart',
      'record_vitals', 'schedule_appointment', 'search_patients',
    ]);
    const readChart = tools.find((t) => t.name === 'read_chart');
    expect(readChart?.inputSchema).toMatchObject({ type: 'object', required: ['mrn'], properties: { mrn: { type: 'string' } } });
    expect(JSON.stringify(readChart?.inputSchema)).toContain('search_patients');
    expect(tools.find((t) => t.name === 'record_vitals')?.annotations?.readOnlyHint).toBe(false);
  });

  it('finds a patient by name and reads their chart', async () => {
    const { matches } = jsonOf<{ matches: Array<{ mrn: string }> }>(await call('search_patients', { query: 'sampleton' }));
    expect(matches).toEqual([{ mrn: 'MRN-1001', name: 'Ada Sampleton', dateOfBirth: '1948-02-11', sex: 'F' }]);
    const chart = jsonOf<{ allergies: Array<{ substance: string }> }>(await call('read_chart', { mrn: 'mrn-1001' }));
    expect(chart.allergies[0]?.substance).toBe('penicillin');
  });

  it('refuses an unknown MRN and says how to find the right one', async () => {
    const result = await call('read_chart', { mrn: 'MRN-9999' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/no patient has MRN "MRN-9999".*search_patients/);
  });

  it('checks a proposed drug against the patient\'s medications', async () => {
    const result = jsonOf<{ checked: string[]; interactions: Array<{ drugs: string[]; severity: string }> }>(
      await call('check_drug_interaction', { drugs: ['Ibuprofen'], mrn: 'MRN-1001' }),
    );
    expect(result.checked).toEqual(['ibuprofen', 'warfarin', 'simvastatin']);
    expect(result.interactions).toMatchObject([{ drugs: ['warfarin', 'ibuprofen'], severity: 'major' }]);
    const unknown = await call('check_drug_interaction', { drugs: ['unobtainium', 'warfarin'] });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toContain('clinic://formulary');
  });

  it('validates vitals, then shows the recorded set in the chart and to another session', async () => {
    const base = { mrn: 'MRN-1003', takenAt: '2030-03-01T09:00', recordedBy: 'NP Kit Template' };
    const fahrenheit = await call('record_vitals', { ...base, temperatureC: 98.6 });
    expect(fahrenheit.isError).toBe(true);
    expect(textOf(fahrenheit)).toMatch(/temperatureC 98.6 .* outside .*Fahrenheit/);

    const recorded = jsonOf<{ alerts: string[] }>(await call('record_vitals', { ...base, temperatureC: 38.4, spo2: 90 }));
    expect(recorded.alerts).toEqual(['fever: consider infection screen', 'SpO2 below 92%: start oxygen and escalate']);

    const other = await connectHttp(upstream.url);
    const chart = jsonOf<{ vitals: Array<{ takenAt: string; spo2?: number }> }>(await other.client.callTool({ name: 'read_chart', arguments: { mrn: 'MRN-1003' } }));
    expect(chart.vitals.at(-1)).toMatchObject({ takenAt: '2030-03-01T09:00', spo2: 90 });
    await other.client.close();
  });

  it('books appointments and refuses clashes with the next free slot', async () => {
    const request = { mrn: 'MRN-1002', clinician: 'Dr. Ora Example', start: '2030-03-04T09:15', durationMinutes: 30, reason: 'Follow-up' };
    const clash = await call('schedule_appointment', request);
    expect(clash.isError).toBe(true);
    expect(textOf(clash)).toContain('Dr. Ora Example already has APT-0001 at 09:00 for 30 minutes; the next free 30-minute slot that day is 2030-03-04T10:00');

    const booked = jsonOf<{ id: string }>(await call('schedule_appointment', { ...request, start: '2030-03-04T10:00' }));
    expect(booked.id).toBe('APT-0004');
    const again = await call('schedule_appointment', { ...request, mrn: 'MRN-1003', start: '2030-03-04T10:15' });
    expect(textOf(again)).toContain('already has APT-0004');
    const weekend = await call('schedule_appointment', { ...request, start: '2030-03-02T10:00' });
    expect(textOf(weekend)).toContain('weekend');
  });

  it('reports progress for each exported section', async () => {
    const updates: Progress[] = [];
    const result = await client.callTool(
      { name: 'export_chart', arguments: { mrn: 'MRN-1004' } },
      undefined,
      { onprogress: (progress) => void updates.push(progress) },
    );
    expect(updates.map((u) => u.progress)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(updates.every((u) => u.total === 6)).toBe(true);
    expect(updates.at(-1)?.message).toBe('exported labs');
    expect(textOf(result)).toMatch(/^# Chart export: Dev Placeholder \(MRN-1004\)[\s\S]*## Labs\n- 2030-01-05 HbA1c 61 mmol\/mol \(ref 20-41\) H/);
  });

  it('serves the formulary resource and the summarize_chart prompt', async () => {
    const formulary = resourceJsonOf<Array<{ drug: string }>>(await client.readResource({ uri: 'clinic://formulary' }));
    expect(formulary.map((f) => f.drug)).toContain('warfarin');

    const prompt = await client.getPrompt({ name: 'summarize_chart', arguments: { mrn: 'MRN-1005', audience: 'patient' } });
    const message = prompt.messages[0];
    expect(message?.role).toBe('user');
    expect(message?.content).toMatchObject({ type: 'text', text: expect.stringContaining('plain language') });
    expect(JSON.stringify(message?.content)).toContain('anaphylaxis');
  });

  it('ends the session on DELETE', async () => {
    const { client: doomed, transport } = await connectHttp(upstream.url);
    const sessionId = transport.sessionId;
    expect(sessionId).toBeTruthy();
    await transport.terminateSession();
    const after = await fetch(upstream.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': String(sessionId) },
      body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }),
    });
    expect(after.status).toBe(404);
    await doomed.close();
  });
});

describe('clinic data functions', () => {
  const request = { mrn: 'MRN-1001', clinician: 'NP Kit Template', durationMinutes: 30, reason: 'Review' };

  it('rejects dates that do not exist and slots past closing', () => {
    const store = createClinicStore();
    expect(() => scheduleAppointment(store, { ...request, start: '2030-02-30T10:00' })).toThrow(/not a clinic-local time/);
    expect(() => scheduleAppointment(store, { ...request, start: '2030-03-04T17:45' })).toThrow(/08:00-18:00; a 30-minute slot at 17:45 does not fit/);
    expect(store.appointments).toHaveLength(3);
  });

  it('finds a clash through the patient even with a free clinician', () => {
    const store = createClinicStore();
    expect(() => scheduleAppointment(store, { ...request, start: '2030-03-04T08:45' }))
      .toThrow(expect.objectContaining({ code: 'conflict', message: expect.stringContaining('Ada Sampleton already has APT-0001') }));
  });
});
