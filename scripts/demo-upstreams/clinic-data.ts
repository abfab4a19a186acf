import {
  CLINICIANS, FORMULARY, INTERACTIONS, SEED_APPOINTMENTS, SEED_PATIENTS,
  type Appointment, type Interaction, type Medication, type Patient, type VitalSigns,
} from './clinic-seed';
import { DemoUpstreamError } from './tool-result';

/** The clinic's mutable state; one store is shared by every session of a server. */
export interface ClinicStore { patients: Patient[]; appointments: Appointment[]; nextAppointment: number }

/** The fields `search_patients` returns, so a search never leaks a whole chart. */
export interface PatientSummary { mrn: string; name: string; dateOfBirth: string; sex: Patient['sex'] }

/** A fresh copy of the seed data, so tests and servers never share mutations. */
export function createClinicStore(): ClinicStore {
  return {
    patients: structuredClone([...SEED_PATIENTS]),
    appointments: structuredClone([...SEED_APPOINTMENTS]),
    nextAppointment: SEED_APPOINTMENTS.length + 1,
  };
}

/** Patients whose name or MRN contains every word of `query` (case-insensitive). */
export function searchPatients(store: ClinicStore, query: string): PatientSummary[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) throw new DemoUpstreamError('invalid_input', 'query is empty: give part of a name (e.g. "sampleton") or an MRN (e.g. "MRN-1001").');
  return store.patients
    .filter((p) => words.every((w) => `${p.name} ${p.mrn}`.toLowerCase().includes(w)))
    .map(({ mrn, name, dateOfBirth, sex }) => ({ mrn, name, dateOfBirth, sex }));
}

/** The chart for `mrn`; an unknown MRN explains how to find the right one. */
export function getChart(store: ClinicStore, mrn: string): Patient {
  const wanted = mrn.trim().toUpperCase();
  const patient = store.patients.find((p) => p.mrn === wanted);
  if (!patient) {
    throw new DemoUpstreamError('not_found', `no patient has MRN "${mrn}". Call search_patients with part of the patient's name to find their MRN (format MRN-1001).`);
  }
  return patient;
}

/** The patient's current medications, each with its formulary class. */
export function listMedications(store: ClinicStore, mrn: string): Array<Medication & { drugClass: string }> {
  return getChart(store, mrn).medications.map((m) => ({ ...m, drugClass: formularyEntry(m.drug).drugClass }));
}

/** Every known interaction among `drugs` (plus the patient's medications when `mrn` is given). */
export function checkDrugInteractions(store: ClinicStore, drugs: string[], mrn?: string): { checked: string[]; interactions: Interaction[] } {
  const current = mrn ? getChart(store, mrn).medications.map((m) => m.drug) : [];
  const checked = [...new Set([...drugs.map((d) => formularyEntry(d).drug), ...current])];
  if (checked.length < 2) {
    throw new DemoUpstreamError('invalid_input', 'need at least two distinct drugs: name two or more, or pass an mrn to check against that patient\'s medications.');
  }
  const interactions = INTERACTIONS.filter(({ drugs: [a, b] }) => checked.includes(a) && checked.includes(b));
  return { checked, interactions };
}

function formularyEntry(drug: string) {
  const entry = FORMULARY.find((f) => f.drug === drug.trim().toLowerCase());
  if (!entry) {
    throw new DemoUpstreamError('not_found', `"${drug}" is not on the clinic formulary. Use a generic name from resource clinic://formulary (e.g. warfarin, ibuprofen).`);
  }
  return entry;
}

type Measurement = Exclude<keyof VitalSigns, 'takenAt' | 'recordedBy'>;

// Plausibility bounds: outside these a reading is a typo or a unit mix-up, not a patient.
const VITAL_RANGES: Record<Measurement, [number, number, string]> = {
  systolic: [50, 260, 'mmHg'],
  diastolic: [30, 160, 'mmHg'],
  heartRate: [20, 250, 'beats/min'],
  temperatureC: [30, 44, '°C'],
  spo2: [50, 100, '%'],
  respiratoryRate: [4, 60, 'breaths/min'],
};

/** Appends validated vitals to the chart and returns them with any alerts to act on. */
export function recordVitals(store: ClinicStore, mrn: string, vitals: VitalSigns): { mrn: string; recorded: VitalSigns; alerts: string[] } {
  const patient = getChart(store, mrn);
  parseLocalTime(vitals.takenAt, 'takenAt');
  const measured = (Object.keys(VITAL_RANGES) as Measurement[]).filter((k) => vitals[k] !== undefined);
  if (measured.length === 0) throw new DemoUpstreamError('invalid_input', `no measurement given: pass at least one of ${Object.keys(VITAL_RANGES).join(', ')}.`);
  for (const key of measured) {
    const [min, max, unit] = VITAL_RANGES[key];
    const value = vitals[key] as number;
    if (value < min || value > max) {
      throw new DemoUpstreamError('invalid_input', `${key} ${value} ${unit} is outside the plausible range ${min}-${max} ${unit}; re-measure or check the unit${key === 'temperatureC' ? ' (Fahrenheit? convert: (F - 32) x 5/9)' : ''}.`);
    }
  }
  if ((vitals.systolic === undefined) !== (vitals.diastolic === undefined)) {
    throw new DemoUpstreamError('invalid_input', 'blood pressure needs both systolic and diastolic.');
  }
  if (vitals.systolic !== undefined && vitals.diastolic !== undefined && vitals.diastolic >= vitals.systolic) {
    throw new DemoUpstreamError('invalid_input', `diastolic ${vitals.diastolic} must be below systolic ${vitals.systolic}; check the two were not swapped.`);
  }
  const recorded = { ...vitals };
  patient.vitals.push(recorded);
  return { mrn: patient.mrn, recorded, alerts: vitalAlerts(recorded) };
}

function vitalAlerts(v: VitalSigns): string[] {
  const alerts: string[] = [];
  if ((v.systolic ?? 0) >= 180 || (v.diastolic ?? 0) >= 120) alerts.push('blood pressure in crisis range: repeat in 5 minutes and escalate');
  if (v.systolic !== undefined && v.systolic < 90) alerts.push('hypotension: check for symptoms and escalate');
  if (v.heartRate !== undefined && (v.heartRate > 120 || v.heartRate < 45)) alerts.push('heart rate outside 45-120: obtain an ECG');
  if (v.temperatureC !== undefined && v.temperatureC >= 38) alerts.push('fever: consider infection screen');
  if (v.spo2 !== undefined && v.spo2 < 92) alerts.push('SpO2 below 92%: start oxygen and escalate');
  if (v.respiratoryRate !== undefined && v.respiratoryRate > 24) alerts.push('respiratory rate above 24: escalate');
  return alerts;
}

const OPEN_MINUTE = 8 * 60;
const CLOSE_MINUTE = 18 * 60;

/** Parses clinic-local `YYYY-MM-DDTHH:MM` into its day and minute of day. */
function parseLocalTime(value: string, field: string): { day: string; minute: number; weekday: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (match) {
    const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
    const date = new Date(Date.UTC(year, month - 1, day));
    // Date.UTC rolls 2030-02-30 over into March, so a changed month means no such date.
    if (date.getUTCMonth() === month - 1 && hour < 24 && minute < 60) {
      return { day: value.slice(0, 10), minute: hour * 60 + minute, weekday: date.getUTCDay() };
    }
  }
  throw new DemoUpstreamError('invalid_input', `${field} "${value}" is not a clinic-local time; use YYYY-MM-DDTHH:MM, e.g. 2030-03-04T10:15.`);
}

const hhmm = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/** Books an appointment after checking clinic hours and clashes for both clinician and patient. */
export function scheduleAppointment(store: ClinicStore, request: Omit<Appointment, 'id'>): Appointment {
  const patient = getChart(store, request.mrn);
  const clinician = CLINICIANS.find((c) => c === request.clinician);
  if (!clinician) throw new DemoUpstreamError('not_found', `unknown clinician "${request.clinician}"; choose one of: ${CLINICIANS.join(', ')}.`);
  const { day, minute, weekday } = parseLocalTime(request.start, 'start');
  const length = request.durationMinutes;
  if (weekday === 0 || weekday === 6) throw new DemoUpstreamError('invalid_input', `${day} is a weekend; the clinic books Monday to Friday.`);
  if (minute < OPEN_MINUTE || minute + length > CLOSE_MINUTE) {
    throw new DemoUpstreamError('invalid_input', `the clinic books ${hhmm(OPEN_MINUTE)}-${hhmm(CLOSE_MINUTE)}; a ${length}-minute slot at ${hhmm(minute)} does not fit.`);
  }
  const clashAt = (from: number) => store.appointments.find((a) => {
    if ((a.clinician !== clinician && a.mrn !== patient.mrn) || !a.start.startsWith(day)) return false;
    const begins = parseLocalTime(a.start, 'start').minute;
    return from < begins + a.durationMinutes && begins < from + length;
  });
  const clash = clashAt(minute);
  if (clash) {
    let next = minute;
    while (next + length <= CLOSE_MINUTE && clashAt(next)) next += 15;
    const who = clash.clinician === clinician ? clinician : patient.name;
    const hint = next + length <= CLOSE_MINUTE ? `the next free ${length}-minute slot that day is ${day}T${hhmm(next)}` : 'there is no free slot that day; try another date';
    throw new DemoUpstreamError('conflict', `${who} already has ${clash.id} at ${clash.start.slice(11)} for ${clash.durationMinutes} minutes; ${hint}.`);
  }
  const appointment: Appointment = { id: `APT-${String(store.nextAppointment++).padStart(4, '0')}`, ...request, mrn: patient.mrn, clinician };
  store.appointments.push(appointment);
  return appointment;
}

/** Called after each exported section, so a caller can report progress. */
export type ExportProgress = (done: number, total: number, section: string) => Promise<void>;

/** Renders the chart as Markdown, one section at a time, reporting each to `onSection`. */
export async function exportChart(store: ClinicStore, mrn: string, onSection?: ExportProgress): Promise<string> {
  const patient = getChart(store, mrn);
  const sections = chartSections(patient);
  const parts = [`# Chart export: ${patient.name} (${patient.mrn})`];
  for (const [index, { title, lines }] of sections.entries()) {
    parts.push(`\n## ${title}\n${lines.join('\n')}`);
    await onSection?.(index + 1, sections.length, title);
  }
  return parts.join('\n');
}

function chartSections(patient: Patient): Array<{ title: string; lines: string[] }> {
  const none = (lines: string[]) => (lines.length > 0 ? lines : ['- none recorded']);
  return [
    { title: 'Demographics', lines: [`- ${patient.name}, ${patient.sex}, born ${patient.dateOfBirth}`, `- MRN ${patient.mrn}; primary clinician ${patient.primaryClinician}`] },
    { title: 'Allergies', lines: none(patient.allergies.map((a) => `- ${a.substance}: ${a.reaction} (${a.severity})`)) },
    { title: 'Medications', lines: none(patient.medications.map((m) => `- ${m.drug} ${m.dose} ${m.frequency} (since ${m.since})`)) },
    { title: 'Encounters', lines: none(patient.encounters.map((e) => `- ${e.date} ${e.type} with ${e.clinician}: ${e.note}`)) },
    { title: 'Vitals', lines: none(patient.vitals.map(({ takenAt, recordedBy, ...m }) => `- ${takenAt} by ${recordedBy}: ${Object.entries(m).map(([k, v]) => `${k} ${v}`).join(', ')}`)) },
    { title: 'Labs', lines: none(patient.labs.map((l) => `- ${l.date} ${l.test} ${l.value} ${l.unit} (ref ${l.referenceRange})${l.flag ? ` ${l.flag}` : ''}`)) },
  ];
}
