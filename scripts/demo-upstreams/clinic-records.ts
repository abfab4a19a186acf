import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import {
  checkDrugInteractions, createClinicStore, exportChart, getChart, listMedications,
  recordVitals, scheduleAppointment, searchPatients, type ClinicStore,
} from './clinic-data';
import { CLINICIANS, FORMULARY } from './clinic-seed';
import { MUTATING, READ_ONLY, toolResult } from './tool-result';

export {
  checkDrugInteractions, createClinicStore, exportChart, getChart, listMedications,
  recordVitals, scheduleAppointment, searchPatients, type ClinicStore,
} from './clinic-data';

const mrn = z.string().min(1).max(32).describe('Medical record number, e.g. MRN-1001 (find it with search_patients)');
const reading = (what: string) => z.number().optional().describe(what);

/**
 * A fresh `clinic-records` MCP server over `store`. Pass the same store to every
 * session's server so a change made in one session is seen by the next.
 */
export function createClinicRecordsServer(store: ClinicStore = createClinicStore()): McpServer {
  const server = new McpServer(
    { name: 'clinic-records', version: '0.1.0' },
    { instructions: 'Demo EHR for a small clinic. All patients are synthetic; drug data is simplified and not clinical advice.' },
  );

  server.registerTool('search_patients', {
    title: 'Search patients',
    description: 'Find patients by part of their name or MRN. Returns MRN, name, date of birth and sex only; use read_chart for the full chart.',
    inputSchema: { query: z.string().max(100).describe('Words that must all appear in the name or MRN, e.g. "ada" or "1004"') },
    annotations: READ_ONLY,
  }, ({ query }) => toolResult(() => ({ matches: searchPatients(store, query) })));

  server.registerTool('read_chart', {
    title: 'Read chart',
    description: 'The full chart for one patient: demographics, allergies, medications, encounters, vitals and lab results.',
    inputSchema: { mrn },
    annotations: READ_ONLY,
  }, (args) => toolResult(() => getChart(store, args.mrn)));

  server.registerTool('list_medications', {
    title: 'List medications',
    description: 'The current medications of one patient with dose, frequency, start date and drug class.',
    inputSchema: { mrn },
    annotations: READ_ONLY,
  }, (args) => toolResult(() => ({ mrn: args.mrn, medications: listMedications(store, args.mrn) })));

  server.registerTool('check_drug_interaction', {
    title: 'Check drug interactions',
    description: 'Checks every pair among the named drugs (and, with mrn, the patient\'s current medications) against the clinic interaction table. Drugs must be generic names from clinic://formulary.',
    inputSchema: {
      drugs: z.array(z.string().max(60)).min(1).max(10).describe('Generic drug names, e.g. ["warfarin", "ibuprofen"]'),
      mrn: mrn.optional().describe('Also check against this patient\'s current medications'),
    },
    annotations: READ_ONLY,
  }, (args) => toolResult(() => checkDrugInteractions(store, args.drugs, args.mrn)));

  server.registerTool('record_vitals', {
    title: 'Record vitals',
    description: 'Adds a set of vital signs to a chart after range checks, and returns alerts for readings that need action. Give at least one measurement; blood pressure needs both values.',
    inputSchema: {
      mrn,
      takenAt: z.string().describe('Clinic-local time of measurement, YYYY-MM-DDTHH:MM'),
      recordedBy: z.string().min(1).max(80).describe('Who took the readings'),
      systolic: reading('Systolic blood pressure, mmHg'),
      diastolic: reading('Diastolic blood pressure, mmHg'),
      heartRate: reading('Heart rate, beats per minute'),
      temperatureC: reading('Body temperature, degrees Celsius'),
      spo2: reading('Oxygen saturation, percent'),
      respiratoryRate: reading('Respiratory rate, breaths per minute'),
    },
    annotations: MUTATING,
  }, ({ mrn: id, ...vitals }) => toolResult(() => recordVitals(store, id, vitals)));

  server.registerTool('schedule_appointment', {
    title: 'Schedule appointment',
    description: `Books an appointment on a weekday between 08:00 and 18:00, refusing clashes for the clinician or the patient (the error names the next free slot). Clinicians: ${CLINICIANS.join(', ')}.`,
    inputSchema: {
      mrn,
      clinician: z.string().describe(`One of: ${CLINICIANS.join(', ')}`),
      start: z.string().describe('Clinic-local start time, YYYY-MM-DDTHH:MM'),
      durationMinutes: z.number().int().min(10).max(120).default(15).describe('Length in minutes, 10-120'),
      reason: z.string().min(1).max(200).describe('Why the patient is coming'),
    },
    annotations: MUTATING,
  }, (args) => toolResult(() => scheduleAppointment(store, args)));

  server.registerTool('export_chart', {
    title: 'Export chart',
    description: 'Renders a chart as a Markdown document, section by section. Sends a progress notification per section when the request carries a progressToken.',
    inputSchema: { mrn },
    annotations: READ_ONLY,
  }, ({ mrn: id }, extra) => toolResult(() => exportChart(store, id, async (progress, total, section) => {
    const progressToken = extra._meta?.progressToken;
    if (progressToken === undefined) return;
    await extra.sendNotification({
      method: 'notifications/progress',
      params: { progressToken, progress, total, message: `exported ${section.toLowerCase()}` },
    });
  })));

  server.registerResource('formulary', 'clinic://formulary', {
    title: 'Clinic formulary',
    description: 'Drugs the clinic stocks, with class and strengths. check_drug_interaction accepts these names.',
    mimeType: 'application/json',
  }, (uri) => ({ contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(FORMULARY, null, 2) }] }));

  server.registerPrompt('summarize_chart', {
    title: 'Summarize chart',
    description: 'Asks the model for a concise summary of one patient\'s chart for a clinician or for the patient.',
    argsSchema: {
      mrn,
      audience: z.enum(['clinician', 'patient']).optional().describe('Who the summary is for (default clinician)'),
    },
  }, ({ mrn: id, audience = 'clinician' }) => {
    const patient = getChart(store, id);
    const style = audience === 'patient'
      ? 'in plain language a patient understands, without abbreviations'
      : 'for a clinician: active problems, medication risks, abnormal results, follow-ups due';
    return {
      description: `Summary of ${patient.name}'s chart for a ${audience}`,
      messages: [{
        role: 'user',
        content: { type: 'text', text: `Summarize this chart ${style}. Flag allergies first.\n\n${JSON.stringify(patient, null, 2)}` },
      }],
    };
  });

  return server;
}
