/**
 * Synthetic clinic data. Every person here is invented (the surnames say so);
 * drug facts are simplified for a demo and are not clinical advice.
 */

/** An allergy on a chart. */
export interface Allergy { substance: string; reaction: string; severity: 'mild' | 'moderate' | 'severe' }
/** A medication the patient currently takes; `drug` is a formulary name. */
export interface Medication { drug: string; dose: string; frequency: string; since: string }
/** A past visit. */
export interface Encounter { date: string; type: string; clinician: string; note: string }
/** One set of observations; every measurement is optional except the time. */
export interface VitalSigns {
  takenAt: string;
  recordedBy: string;
  systolic?: number;
  diastolic?: number;
  heartRate?: number;
  temperatureC?: number;
  spo2?: number;
  respiratoryRate?: number;
}
/** A lab result with its reference range and an H/L flag when outside it. */
export interface LabResult { date: string; test: string; value: number; unit: string; referenceRange: string; flag?: 'H' | 'L' }
/** A patient and their chart. */
export interface Patient {
  mrn: string;
  name: string;
  dateOfBirth: string;
  sex: 'F' | 'M' | 'X';
  primaryClinician: string;
  allergies: Allergy[];
  medications: Medication[];
  encounters: Encounter[];
  vitals: VitalSigns[];
  labs: LabResult[];
}
/** A booked slot; `start` is clinic-local `YYYY-MM-DDTHH:MM`. */
export interface Appointment { id: string; mrn: string; clinician: string; start: string; durationMinutes: number; reason: string }
/** A drug the clinic stocks. */
export interface FormularyEntry { drug: string; drugClass: string; strengths: string[] }
/** A known interaction between two formulary drugs. */
export interface Interaction { drugs: [string, string]; severity: 'moderate' | 'major' | 'contraindicated'; effect: string; advice: string }

/** Clinicians who can be booked. */
export const CLINICIANS = ['Dr. Ora Example', 'Dr. Sam Specimen', 'NP Kit Template'] as const;

/** Drugs the clinic stocks; `check_drug_interaction` only knows these. */
export const FORMULARY: readonly FormularyEntry[] = [
  { drug: 'amlodipine', drugClass: 'calcium channel blocker', strengths: ['5 mg', '10 mg'] },
  { drug: 'amoxicillin', drugClass: 'penicillin antibiotic', strengths: ['250 mg', '500 mg'] },
  { drug: 'aspirin', drugClass: 'antiplatelet', strengths: ['75 mg', '300 mg'] },
  { drug: 'atorvastatin', drugClass: 'statin', strengths: ['10 mg', '20 mg', '40 mg'] },
  { drug: 'clarithromycin', drugClass: 'macrolide antibiotic', strengths: ['250 mg', '500 mg'] },
  { drug: 'ibuprofen', drugClass: 'NSAID', strengths: ['200 mg', '400 mg'] },
  { drug: 'levothyroxine', drugClass: 'thyroid hormone', strengths: ['50 mcg', '100 mcg'] },
  { drug: 'lisinopril', drugClass: 'ACE inhibitor', strengths: ['5 mg', '10 mg', '20 mg'] },
  { drug: 'metformin', drugClass: 'biguanide', strengths: ['500 mg', '850 mg'] },
  { drug: 'omeprazole', drugClass: 'proton pump inhibitor', strengths: ['20 mg', '40 mg'] },
  { drug: 'sertraline', drugClass: 'SSRI', strengths: ['50 mg', '100 mg'] },
  { drug: 'simvastatin', drugClass: 'statin', strengths: ['20 mg', '40 mg'] },
  { drug: 'spironolactone', drugClass: 'potassium-sparing diuretic', strengths: ['25 mg'] },
  { drug: 'tramadol', drugClass: 'opioid analgesic', strengths: ['50 mg'] },
  { drug: 'warfarin', drugClass: 'anticoagulant', strengths: ['1 mg', '3 mg', '5 mg'] },
];

/** The interaction table `check_drug_interaction` consults. */
export const INTERACTIONS: readonly Interaction[] = [
  { drugs: ['warfarin', 'ibuprofen'], severity: 'major', effect: 'raised bleeding risk', advice: 'prefer paracetamol; if unavoidable, add gastroprotection and check INR' },
  { drugs: ['warfarin', 'aspirin'], severity: 'major', effect: 'raised bleeding risk', advice: 'combine only on specialist advice; monitor for bleeding' },
  { drugs: ['warfarin', 'clarithromycin'], severity: 'major', effect: 'INR rises', advice: 'choose another antibiotic or recheck INR within 3-5 days' },
  { drugs: ['simvastatin', 'clarithromycin'], severity: 'contraindicated', effect: 'myopathy and rhabdomyolysis', advice: 'pause simvastatin for the course or choose another antibiotic' },
  { drugs: ['atorvastatin', 'clarithromycin'], severity: 'moderate', effect: 'raised statin levels', advice: 'limit atorvastatin to 20 mg during the course' },
  { drugs: ['amlodipine', 'simvastatin'], severity: 'moderate', effect: 'raised simvastatin levels', advice: 'do not exceed simvastatin 20 mg daily' },
  { drugs: ['lisinopril', 'spironolactone'], severity: 'major', effect: 'hyperkalaemia', advice: 'check potassium and creatinine within 1 week' },
  { drugs: ['lisinopril', 'ibuprofen'], severity: 'moderate', effect: 'reduced antihypertensive effect, kidney strain', advice: 'use the lowest NSAID dose for the shortest time; check creatinine' },
  { drugs: ['sertraline', 'tramadol'], severity: 'major', effect: 'serotonin syndrome and seizure risk', advice: 'choose a non-serotonergic analgesic' },
  { drugs: ['sertraline', 'ibuprofen'], severity: 'moderate', effect: 'raised GI bleeding risk', advice: 'add a proton pump inhibitor such as omeprazole' },
];

/** Appointments already on the books, so `schedule_appointment` has clashes to find. */
export const SEED_APPOINTMENTS: readonly Appointment[] = [
  { id: 'APT-0001', mrn: 'MRN-1001', clinician: 'Dr. Ora Example', start: '2030-03-04T09:00', durationMinutes: 30, reason: 'INR review' },
  { id: 'APT-0002', mrn: 'MRN-1004', clinician: 'Dr. Ora Example', start: '2030-03-04T09:30', durationMinutes: 30, reason: 'Diabetes review' },
  { id: 'APT-0003', mrn: 'MRN-1006', clinician: 'NP Kit Template', start: '2030-03-04T14:00', durationMinutes: 15, reason: 'Blood pressure check' },
];

/** The eight synthetic patients. */
export const SEED_PATIENTS: readonly Patient[] = [
  {
    mrn: 'MRN-1001', name: 'Ada Sampleton', dateOfBirth: '1948-02-11', sex: 'F', primaryClinician: 'Dr. Ora Example',
    allergies: [{ substance: 'penicillin', reaction: 'urticaria', severity: 'moderate' }],
    medications: [
      { drug: 'warfarin', dose: '3 mg', frequency: 'once daily', since: '2021-05-02' },
      { drug: 'simvastatin', dose: '20 mg', frequency: 'at night', since: '2019-01-15' },
    ],
    encounters: [{ date: '2030-01-20', type: 'clinic', clinician: 'Dr. Ora Example', note: 'Atrial fibrillation stable; INR 2.6.' }],
    vitals: [{ takenAt: '2030-01-20T10:05', recordedBy: 'NP Kit Template', systolic: 138, diastolic: 82, heartRate: 76, temperatureC: 36.7, spo2: 96 }],
    labs: [{ date: '2030-01-20', test: 'INR', value: 2.6, unit: 'ratio', referenceRange: '2.0-3.0' }],
  },
  {
    mrn: 'MRN-1002', name: 'Bruno Fixture', dateOfBirth: '1979-07-30', sex: 'M', primaryClinician: 'Dr. Sam Specimen',
    allergies: [],
    medications: [{ drug: 'sertraline', dose: '50 mg', frequency: 'once daily', since: '2028-11-01' }],
    encounters: [{ date: '2029-12-02', type: 'telehealth', clinician: 'Dr. Sam Specimen', note: 'Mood improved; continue sertraline.' }],
    vitals: [{ takenAt: '2029-12-02T16:40', recordedBy: 'Dr. Sam Specimen', heartRate: 68 }],
    labs: [],
  },
  {
    mrn: 'MRN-1003', name: 'Cleo Mockford', dateOfBirth: '1991-03-05', sex: 'F', primaryClinician: 'NP Kit Template',
    allergies: [{ substance: 'latex', reaction: 'contact dermatitis', severity: 'mild' }],
    medications: [{ drug: 'levothyroxine', dose: '100 mcg', frequency: 'once daily before breakfast', since: '2024-06-10' }],
    encounters: [{ date: '2030-02-14', type: 'clinic', clinician: 'NP Kit Template', note: 'Hypothyroidism; dose unchanged.' }],
    vitals: [{ takenAt: '2030-02-14T11:20', recordedBy: 'NP Kit Template', systolic: 112, diastolic: 70, heartRate: 64, temperatureC: 36.5 }],
    labs: [{ date: '2030-02-10', test: 'TSH', value: 2.1, unit: 'mIU/L', referenceRange: '0.4-4.0' }],
  },
  {
    mrn: 'MRN-1004', name: 'Dev Placeholder', dateOfBirth: '1962-10-19', sex: 'M', primaryClinician: 'Dr. Ora Example',
    allergies: [{ substance: 'sulfonamides', reaction: 'rash', severity: 'moderate' }],
    medications: [
      { drug: 'metformin', dose: '850 mg', frequency: 'twice daily', since: '2020-03-03' },
      { drug: 'lisinopril', dose: '10 mg', frequency: 'once daily', since: '2022-09-12' },
      { drug: 'atorvastatin', dose: '20 mg', frequency: 'at night', since: '2022-09-12' },
    ],
    encounters: [{ date: '2030-01-08', type: 'clinic', clinician: 'Dr. Ora Example', note: 'Type 2 diabetes; HbA1c above target, reinforce diet.' }],
    vitals: [{ takenAt: '2030-01-08T09:15', recordedBy: 'NP Kit Template', systolic: 146, diastolic: 91, heartRate: 82, spo2: 97 }],
    labs: [
      { date: '2030-01-05', test: 'HbA1c', value: 61, unit: 'mmol/mol', referenceRange: '20-41', flag: 'H' },
      { date: '2030-01-05', test: 'Potassium', value: 4.6, unit: 'mmol/L', referenceRange: '3.5-5.3' },
    ],
  },
  {
    mrn: 'MRN-1005', name: 'Esme Testwell', dateOfBirth: '2016-08-23', sex: 'F', primaryClinician: 'Dr. Sam Specimen',
    allergies: [{ substance: 'peanut', reaction: 'anaphylaxis', severity: 'severe' }],
    medications: [],
    encounters: [{ date: '2029-10-11', type: 'clinic', clinician: 'Dr. Sam Specimen', note: 'Allergy plan reviewed; adrenaline auto-injector in date.' }],
    vitals: [{ takenAt: '2029-10-11T15:00', recordedBy: 'Dr. Sam Specimen', heartRate: 92, temperatureC: 36.9, respiratoryRate: 20 }],
    labs: [],
  },
  {
    mrn: 'MRN-1006', name: 'Felix Dummy', dateOfBirth: '1955-12-01', sex: 'M', primaryClinician: 'NP Kit Template',
    allergies: [],
    medications: [
      { drug: 'amlodipine', dose: '10 mg', frequency: 'once daily', since: '2023-02-20' },
      { drug: 'spironolactone', dose: '25 mg', frequency: 'once daily', since: '2029-07-07' },
    ],
    encounters: [{ date: '2029-11-30', type: 'clinic', clinician: 'NP Kit Template', note: 'Resistant hypertension; spironolactone added in July.' }],
    vitals: [{ takenAt: '2029-11-30T14:10', recordedBy: 'NP Kit Template', systolic: 152, diastolic: 88, heartRate: 70 }],
    labs: [{ date: '2029-11-28', test: 'Potassium', value: 5.5, unit: 'mmol/L', referenceRange: '3.5-5.3', flag: 'H' }],
  },
  {
    mrn: 'MRN-1007', name: 'Gia Synthetica', dateOfBirth: '1987-04-17', sex: 'X', primaryClinician: 'Dr. Sam Specimen',
    allergies: [{ substance: 'codeine', reaction: 'vomiting', severity: 'mild' }],
    medications: [{ drug: 'omeprazole', dose: '20 mg', frequency: 'once daily', since: '2029-03-14' }],
    encounters: [{ date: '2030-02-01', type: 'telehealth', clinician: 'Dr. Sam Specimen', note: 'Reflux controlled; step down in 3 months.' }],
    vitals: [],
    labs: [{ date: '2029-03-10', test: 'Haemoglobin', value: 118, unit: 'g/L', referenceRange: '120-160', flag: 'L' }],
  },
  {
    mrn: 'MRN-1008', name: 'Hugo Demoson', dateOfBirth: '1970-01-01', sex: 'M', primaryClinician: 'Dr. Ora Example',
    allergies: [],
    medications: [
      { drug: 'tramadol', dose: '50 mg', frequency: 'up to four times daily', since: '2030-02-20' },
      { drug: 'aspirin', dose: '75 mg', frequency: 'once daily', since: '2018-06-01' },
    ],
    encounters: [{ date: '2030-02-20', type: 'urgent', clinician: 'Dr. Ora Example', note: 'Lumbar strain after lifting; short tramadol course.' }],
    vitals: [{ takenAt: '2030-02-20T17:30', recordedBy: 'Dr. Ora Example', systolic: 128, diastolic: 80, heartRate: 88, temperatureC: 36.8, spo2: 98 }],
    labs: [],
  },
];
