import { describe, expect, it } from 'vitest';
import { GatewayError, isGatewayError } from '../errors';
import { nativeSupport } from './native-provider';
import { getCryptoProvider } from './select-provider';
import { DEFAULT_SUITE_NAME, getSuite, getSuiteById, meetsMinimum, SUITES } from './suites';

describe('suite registry', () => {
  it('holds a classical, the X-Wing hybrid default and a CNSA 2.0 suite with distinct code points', () => {
    expect(getSuite('classical').kem).toBe('X25519');
    expect(getSuite(DEFAULT_SUITE_NAME)).toMatchObject({ kem: 'X-Wing', signature: 'ML-DSA-65', kemCategory: 3, quantumSafe: true });
    expect(getSuite('CNSA-2.0')).toMatchObject({ kem: 'ML-KEM-1024', signature: 'ML-DSA-87', kemCategory: 5, signatureCategory: 5 });
    expect(new Set(SUITES.map((s) => s.id)).size).toBe(SUITES.length);
    expect(getSuiteById(0x0002)?.name).toBe('hybrid-xwing-mldsa65');
    expect(getSuiteById(0x7777)).toBeUndefined();
  });

  it('resolves the names people use in policies, case-insensitively', () => {
    expect(getSuite('ml-kem-768').name).toBe('hybrid-xwing-mldsa65');
    expect(getSuite('ML-DSA-87').name).toBe('cnsa2-mlkem1024-mldsa87');
  });

  it('refuses an unknown name with the list of known suites', () => {
    expect(() => getSuite('RSA-2048')).toThrow(GatewayError);
    try {
      getSuite('RSA-2048');
    } catch (e) {
      expect(isGatewayError(e, 'unknown_suite')).toBe(true);
      for (const s of SUITES) expect((e as Error).message).toContain(s.name);
    }
  });

  it('orders suites by floor: classical < hybrid < cnsa2', () => {
    const [c, h, x] = [getSuite('classical'), getSuite('hybrid'), getSuite('high')];
    expect(meetsMinimum(h, c) && meetsMinimum(x, h) && meetsMinimum(x, c)).toBe(true);
    expect(meetsMinimum(c, h) || meetsMinimum(h, x)).toBe(false);
  });

  it('is frozen data', () => {
    expect(Object.isFrozen(SUITES) && SUITES.every(Object.isFrozen)).toBe(true);
  });
});

describe('provider selection', () => {
  it('auto picks native where available, else noble; noble can always be forced', () => {
    expect(getCryptoProvider('auto').name).toBe(nativeSupport().available ? 'native' : 'noble');
    expect(getCryptoProvider('noble').name).toBe('noble');
  });

  it('refuses unknown choices, and native where it is missing', () => {
    expect(() => getCryptoProvider('openssl')).toThrow(/not one of auto, noble, native/);
    if (!nativeSupport().available) {
      expect(() => getCryptoProvider('native')).toThrow(expect.objectContaining({ code: 'provider_unavailable' }));
    } else {
      expect(getCryptoProvider('native').name).toBe('native');
    }
  });
});

describe('provider entry points', () => {
  const p = getCryptoProvider('noble');
  it('refuse wrong lengths, unknown options and unknown algorithms', () => {
    expect(() => p.kem('X-Wing').publicKeyFromSeed(new Uint8Array(31))).toThrow(/seed must be 32 bytes/);
    expect(() => p.kem('ML-KEM-1024').encapsulate(new Uint8Array(1567))).toThrow(/public key must be 1568 bytes/);
    expect(() => p.aead('AES-256-GCM').seal(new Uint8Array(16), new Uint8Array(12), new Uint8Array(1), new Uint8Array(0))).toThrow(/key must be 32 bytes/);
    const signer = p.signature('Ed25519').importSigner(new Uint8Array(32));
    expect(() => signer.sign(new Uint8Array(1), new Uint8Array(0), { extraEntropy: true } as never)).toThrow(/unknown option "extraEntropy"/);
    expect(() => p.kem('RSA' as never)).toThrow(/unknown KEM "RSA"; known: X25519, X-Wing, ML-KEM-768, ML-KEM-1024/);
  });

  it('refuse an all-zero X25519 shared secret (low-order peer key)', () => {
    expect(() => p.kem('X25519').encapsulate(new Uint8Array(32))).toThrow(expect.objectContaining({ code: 'invalid_key' }));
  });
});
