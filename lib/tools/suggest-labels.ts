/**
 * Label suggestions from a tool's name and description: a keyword list per resource class.
 * Suggestions are only that; an admin confirms them before they carry a floor.
 */
const KEYWORDS: Record<string, readonly string[]> = {
  healthcare: ['patient', 'chart', 'clinic', 'clinical', 'medication', 'medical', 'diagnos', 'prescri', 'vitals', 'allerg', 'ehr', 'hipaa', 'encounter', 'lab result', 'drug', 'formulary', 'appointment'],
  finance: ['payment', 'invoice', 'bank', 'ledger', 'account balance', 'transaction', 'credit card', 'payroll', 'refund', 'price', 'quote', 'billing', 'tax'],
  pii: ['patient', 'customer', 'person', 'address', 'email', 'phone', 'birth', 'ssn', 'social security', 'passport', 'name'],
  retail: ['product', 'stock', 'inventory', 'warehouse', 'reserve', 'reorder', 'sku', 'order'],
  secrets: ['secret', 'credential', 'password', 'api key', 'private key', 'token'],
};

export const SUGGESTABLE_LABELS = Object.keys(KEYWORDS);

export function suggestLabels(tool: { name: string; description?: string | null }): string[] {
  const text = `${tool.name.replace(/[_-]/g, ' ')} ${tool.description ?? ''}`.toLowerCase();
  return Object.entries(KEYWORDS)
    .filter(([, words]) => words.some((w) => text.includes(w)))
    .map(([label]) => label);
}
