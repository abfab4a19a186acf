// One definition of canonical JSON, shared with the offline verifier (gateway/audit).
export { canonicalJson } from '@/gateway/audit/canonical';
