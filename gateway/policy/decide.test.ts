import { describe, expect, it } from 'vitest';
import { getSuite, SUITES } from '../crypto/suites';
import { decide, effectiveFloor, type DecisionSession } from './decide';
import { BEARER_STRENGTH, FLOORS, type FloorName, type SessionStrength } from './floors';
import { DEFAULT_GLOBAL_POLICY, type GlobalPolicy, type PolicySnapshot, type ToolEntry, type UpstreamEntry } from './snapshot';

function strengthOf(name: string): SessionStrength {
  const s = getSuite(name);
  return { suite: s.name, kemCategory: s.kemCategory, signatureCategory: s.signatureCategory, quantumSafe: s.quantumSafe };
}

const ALL_STRENGTHS: SessionStrength[] = [BEARER_STRENGTH, ...SUITES.map((s) => strengthOf(s.name))];

function upstream(tools: Record<string, Partial<ToolEntry>>, extra: Partial<UpstreamEntry> = {}): UpstreamEntry {
  return {
    labels: [],
    ...extra,
    tools: new Map(Object.entries(tools).map(([name, t]) => [name, { labels: [], status: 'active', ...t }])),
  };
}

function snapshot(over: { upstreams?: Record<string, UpstreamEntry>; labelFloors?: Record<string, FloorName>; global?: Partial<GlobalPolicy>; mode?: 'enforce' | 'monitor' } = {}): PolicySnapshot {
  return {
    epoch: 7,
    mode: over.mode ?? 'enforce',
    global: { ...DEFAULT_GLOBAL_POLICY, ...over.global },
    upstreams: new Map(Object.entries(over.upstreams ?? {})),
    labelFloors: new Map(Object.entries(over.labelFloors ?? {})),
    identities: new Map([
      ['id-ok', { status: 'active', allowedServers: [] }],
      ['id-clinic-only', { status: 'active', allowedServers: ['clinic'] }],
      ['id-suspended', { status: 'suspended', allowedServers: [] }],
      ['id-revoked', { status: 'revoked', allowedServers: [] }],
    ]),
  };
}

const session = (strength: SessionStrength, identityId = 'id-ok'): DecisionSession => ({ strength, identityId });

describe('decide: every floor against every suite', () => {
  // Expected: which sessions meet which floor. Bearer and classical meet only classical-ok;
  // the hybrid suite meets ML-KEM-768; only the CNSA 2.0 suite meets ML-KEM-1024.
  const expected: Record<FloorName, string[]> = {
    'classical-ok': ['classical-bearer', 'classical-x25519-ed25519', 'hybrid-xwing-mldsa65', 'cnsa2-mlkem1024-mldsa87'],
    'ML-KEM-768': ['hybrid-xwing-mldsa65', 'cnsa2-mlkem1024-mldsa87'],
    'ML-KEM-1024': ['cnsa2-mlkem1024-mldsa87'],
  };
  for (const floor of FLOORS) {
    for (const strength of ALL_STRENGTHS) {
      const allowed = expected[floor.name as FloorName].includes(strength.suite);
      it(`${floor.name} × ${strength.suite} → ${allowed ? 'allow' : 'deny'}`, () => {
        const snap = snapshot({ upstreams: { srv: upstream({ t: { floor: floor.name as FloorName } }) } });
        const d = decide(session(strength), { kind: 'tool', upstream: 'srv', tool: 't' }, snap);
        expect(d.allowed).toBe(allowed);
        expect(d.code).toBe(allowed ? 'allowed' : 'below_floor');
        expect(d.epoch).toBe(7);
        if (!allowed) {
          expect(d.message).toContain(`tool srv/t requires ${floor.name}`);
          expect(d.message).toContain(`negotiated ${strength.suite}`);
          expect(d.message).toContain('pqgate connect');
        }
      });
    }
  }
});

describe('decide: where floors come from', () => {
  const snap = snapshot({
    upstreams: {
      clinic: upstream({ read_chart: { labels: ['healthcare'] }, ping: {}, export: { labels: ['healthcare'], floor: 'ML-KEM-1024' } }, { labels: [] }),
      vault: upstream({ get: {}, put: { floor: 'classical-ok' } }, { floor: 'ML-KEM-1024' }),
      shop: upstream({ quote: {} }, { labels: ['finance'] }),
    },
    labelFloors: { healthcare: 'ML-KEM-768', finance: 'ML-KEM-768' },
  });

  it('a label floor reaches every tool with that label, not the others', () => {
    expect(effectiveFloor(snap, 'clinic', snap.upstreams.get('clinic')!, 'read_chart')).toEqual({ floor: 'ML-KEM-768', rule: 'label healthcare' });
    expect(effectiveFloor(snap, 'clinic', snap.upstreams.get('clinic')!, 'ping')).toEqual({ floor: 'classical-ok', rule: 'default' });
  });

  it('the strictest applicable floor wins, and a tool cannot loosen its server', () => {
    expect(effectiveFloor(snap, 'clinic', snap.upstreams.get('clinic')!, 'export')).toEqual({ floor: 'ML-KEM-1024', rule: 'tool clinic/export' });
    expect(effectiveFloor(snap, 'vault', snap.upstreams.get('vault')!, 'put')).toEqual({ floor: 'ML-KEM-1024', rule: 'server vault' });
  });

  it("a server's labels apply to all its tools, and the rule says the label came from the server", () => {
    expect(effectiveFloor(snap, 'shop', snap.upstreams.get('shop')!, 'quote')).toEqual({ floor: 'ML-KEM-768', rule: 'label finance on server shop' });
  });

  it('resources and prompts take their server floor', () => {
    const d = decide(session(BEARER_STRENGTH), { kind: 'server', upstream: 'vault' }, snap);
    expect(d).toMatchObject({ allowed: false, code: 'below_floor', rule: 'server vault' });
    expect(decide(session(BEARER_STRENGTH), { kind: 'server', upstream: 'clinic' }, snap).allowed).toBe(true);
  });

  it('enforce_pqc raises every tool to at least ML-KEM-768', () => {
    const strict = snapshot({ upstreams: { s: upstream({ t: {} }) }, global: { enforcePqc: true } });
    const d = decide(session(strengthOf('classical')), { kind: 'tool', upstream: 's', tool: 't' }, strict);
    expect(d).toMatchObject({ allowed: false, rule: 'policy enforce_pqc' });
    expect(decide(session(strengthOf('hybrid')), { kind: 'tool', upstream: 's', tool: 't' }, strict).allowed).toBe(true);
  });

  it('tells a bearer-token client how to get post-quantum protection', () => {
    const d = decide(session(BEARER_STRENGTH), { kind: 'tool', upstream: 'clinic', tool: 'read_chart' }, snap);
    expect(d.message).toBe(
      'tool clinic/read_chart requires ML-KEM-768 (label healthcare); this session negotiated classical-bearer. This client connected with an API token, over plain HTTP or TLS the gateway does not terminate, which counts as classical: connect through `pqgate connect` with an enrolled ML-DSA identity.',
    );
  });
});

describe('decide: deny by default', () => {
  const snap = snapshot({ upstreams: { s: upstream({ t: {}, changed: { status: 'held' } }) } });
  const strong = strengthOf('high');

  it.each([
    ['unknown server', { kind: 'tool', upstream: 'nope', tool: 't' }, 'id-ok', 'unknown_upstream'],
    ['unknown tool', { kind: 'tool', upstream: 's', tool: 'nope' }, 'id-ok', 'unknown_tool'],
    ['held tool', { kind: 'tool', upstream: 's', tool: 'changed' }, 'id-ok', 'tool_held'],
    ['unknown identity', { kind: 'tool', upstream: 's', tool: 't' }, 'id-nobody', 'unknown_identity'],
    ['suspended identity', { kind: 'tool', upstream: 's', tool: 't' }, 'id-suspended', 'identity_suspended'],
    ['revoked identity', { kind: 'tool', upstream: 's', tool: 't' }, 'id-revoked', 'identity_revoked'],
    ['server outside the identity allow-list', { kind: 'tool', upstream: 's', tool: 't' }, 'id-clinic-only', 'server_not_allowed'],
  ] as const)('%s is refused even with the strongest suite', (_name, target, identityId, code) => {
    const d = decide(session(strong, identityId), target, snap);
    expect(d).toMatchObject({ allowed: false, verdict: 'deny', code });
    expect(d.message.length).toBeGreaterThan(20);
  });

  it('a session without identity is refused', () => {
    expect(decide({ strength: strong }, { kind: 'tool', upstream: 's', tool: 't' }, snap).code).toBe('unknown_identity');
  });
});

describe('decide: monitor mode', () => {
  const snap = snapshot({ mode: 'monitor', upstreams: { s: upstream({ t: { floor: 'ML-KEM-1024' }, changed: { status: 'held' } }) } });

  it('lets a call below its floor through, but says the policy would deny it', () => {
    const d = decide(session(BEARER_STRENGTH), { kind: 'tool', upstream: 's', tool: 't' }, snap);
    expect(d).toMatchObject({ allowed: true, verdict: 'deny', monitored: true, code: 'below_floor' });
    expect(d.message).toMatch(/^\[monitor mode: allowed\]/);
  });

  it('still refuses held tools and revoked identities: those are not policy trials', () => {
    expect(decide(session(BEARER_STRENGTH), { kind: 'tool', upstream: 's', tool: 'changed' }, snap).allowed).toBe(false);
    expect(decide(session(BEARER_STRENGTH, 'id-revoked'), { kind: 'tool', upstream: 's', tool: 't' }, snap).allowed).toBe(false);
  });
});

describe('decide: allowed_algos', () => {
  const snap = (allowedAlgos: string[]) => snapshot({ upstreams: { s: upstream({ t: {} }) }, global: { allowedAlgos } });
  const target = { kind: 'tool', upstream: 's', tool: 't' } as const;

  it('the DESIGN snippet ["ML-KEM-768", "ML-DSA-65"] allows hybrid and the stronger CNSA 2.0 suite, not classical', () => {
    const s = snap(['ML-KEM-768', 'ML-DSA-65']);
    expect(decide(session(strengthOf('hybrid')), target, s).allowed).toBe(true);
    expect(decide(session(strengthOf('high')), target, s).allowed).toBe(true);
    const d = decide(session(strengthOf('classical')), target, s);
    expect(d).toMatchObject({ allowed: false, code: 'algorithm_not_allowed' });
    expect(d.message).toContain('X25519, Ed25519');
    expect(decide(session(BEARER_STRENGTH), target, s).code).toBe('algorithm_not_allowed');
  });

  it('["ML-KEM-1024", "ML-DSA-87"] refuses the category-3 hybrid', () => {
    expect(decide(session(strengthOf('hybrid')), target, snap(['ML-KEM-1024', 'ML-DSA-87'])).code).toBe('algorithm_not_allowed');
  });

  it('an empty list allows every suite', () => {
    for (const s of ALL_STRENGTHS) expect(decide(session(s), target, snap([])).allowed).toBe(true);
  });
});

describe('decide: a suggested label carries no floor until it is confirmed', () => {
  const labelFloors = { healthcare: 'ML-KEM-1024', pii: 'ML-KEM-768' } as const;
  const target = { kind: 'tool', upstream: 'clinic', tool: 'read_chart' } as const;
  const hybrid = session(strengthOf('hybrid-xwing-mldsa65'));

  it('a suggested-only label sets no floor, and the decision says which label would apply once confirmed', () => {
    const snap = snapshot({ upstreams: { clinic: upstream({ read_chart: { suggestedLabels: ['healthcare', 'pii', 'retail'] } }) }, labelFloors });
    expect(effectiveFloor(snap, 'clinic', snap.upstreams.get('clinic')!, 'read_chart')).toEqual({
      floor: 'classical-ok',
      rule: 'default',
      unconfirmed: [
        { label: 'healthcare', floor: 'ML-KEM-1024' },
        { label: 'pii', floor: 'ML-KEM-768' },
      ],
    });
    const d = decide(session(BEARER_STRENGTH), target, snap);
    expect(d).toMatchObject({ allowed: true, rule: 'default' });
    expect(d.effectiveFloor?.unconfirmed?.map((u) => u.label)).toEqual(['healthcare', 'pii']);
  });

  it('confirming it applies its floor, and it is no longer reported as unconfirmed', () => {
    const snap = snapshot({ upstreams: { clinic: upstream({ read_chart: { labels: ['healthcare'], suggestedLabels: ['pii'] } }) }, labelFloors });
    const d = decide(hybrid, target, snap);
    expect(d).toMatchObject({ allowed: false, code: 'below_floor', rule: 'label healthcare' });
    expect(d.effectiveFloor).toEqual({ floor: 'ML-KEM-1024', rule: 'label healthcare', unconfirmed: [{ label: 'pii', floor: 'ML-KEM-768' }] });
  });

  it('a label the server carries applies whatever the tool suggests, and is named as the server\'s', () => {
    const snap = snapshot({ upstreams: { clinic: upstream({ read_chart: { suggestedLabels: ['healthcare'] } }, { labels: ['healthcare'] }) }, labelFloors });
    expect(decide(hybrid, target, snap)).toMatchObject({ allowed: false, rule: 'label healthcare on server clinic', effectiveFloor: { floor: 'ML-KEM-1024', rule: 'label healthcare on server clinic' } });
    expect(decide(hybrid, target, snap).effectiveFloor?.unconfirmed).toBeUndefined();
  });
});
