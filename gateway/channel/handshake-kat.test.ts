/** The handshake known-answer vector: regenerated from its fixed seeds and compared byte for byte. */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createNobleProvider, fromHex, getSuite, toHex, type SignatureId } from '../crypto';
import { PROVIDER_CASES, providerTitle } from '../crypto/test-providers';
import { openClientFinish, processServerHello, verifyClientFinish } from './handshake';
import { generateHandshakeKat } from './handshake-kat';
import { deriveReplyKey, deriveTrafficKeys } from './key-schedule';
import { C2S, openRecord, openReply } from './record';
import * as wire from './wire';

const path = fileURLToPath(new URL('./vectors/handshake-kat.json', import.meta.url));

describe('handshake KAT', () => {
  it('regenerates vectors/handshake-kat.json exactly (UPDATE_KAT=1 rewrites it)', async () => {
    const fresh = await generateHandshakeKat();
    if (process.env.UPDATE_KAT === '1') writeFileSync(path, JSON.stringify(fresh, null, 1) + '\n');
    const stored = JSON.parse(readFileSync(path, 'utf8'));
    expect(fresh).toEqual(stored);
  });

  it('its messages parse and its recorded keys open its recorded response', () => {
    const kat = JSON.parse(readFileSync(path, 'utf8')) as Awaited<ReturnType<typeof generateHandshakeKat>>;
    const provider = createNobleProvider();
    for (const c of kat.cases) {
      const suite = getSuite(c.suite);
      expect(wire.parseServerHello(fromHex(c.messages.serverHello as string)).suite.name).toBe(c.suite);
      const res = wire.parseRecordResponse(fromHex(c.messages.recordResponse as string));
      const keys = deriveTrafficKeys(provider, suite, fromHex(c.derived.applicationSecret as string));
      expect(Buffer.from(keys.s2c.key).toString('hex')).toBe(c.derived.s2cKey);
      expect(toHex(res.replySalt)).toBe(c.derived.replySalt);
      expect(toHex(deriveReplyKey(provider, suite, keys.s2c, res.status, res.replySalt, res.ticket).key)).toBe(c.derived.replyKey);
      const pt = openReply(provider, suite, keys.s2c, fromHex(c.derived.sessionId as string), res);
      expect(Buffer.from(pt).toString('hex')).toBe(c.inputs.response);
    }
  });
});

describe('handshake KAT replayed by each provider (a second implementation checking itself)', () => {
  const kat = JSON.parse(readFileSync(path, 'utf8')) as Awaited<ReturnType<typeof generateHandshakeKat>>;
  for (const pc of PROVIDER_CASES) {
    it.skipIf(pc.skip)(`${providerTitle(pc)}: client and gateway checks reproduce every recorded value`, () => {
      const provider = pc.get();
      for (const c of kat.cases) {
        const suite = getSuite(c.suite);
        const hex = (k: string) => fromHex((c.messages as Record<string, string>)[k] ?? (c.derived as Record<string, string>)[k] ?? (c.keys as Record<string, string>)[k]!);
        const state = { helloBytes: hex('clientHello'), minSuite: suite, offers: [{ suite, seed: hex('clientKemSeed') }] };
        const result = processServerHello(provider, state, hex('serverHello'), [{ algorithm: suite.signature, publicKey: hex('gatewayPublicKey') }]);
        expect(toHex(result.transcriptHash)).toBe(c.derived.transcriptHash);
        expect(toHex(result.sessionId)).toBe(c.derived.sessionId);
        expect(toHex(result.applicationSecret)).toBe(c.derived.applicationSecret);
        const cookie = wire.parseCookieState(hex('cookieState'));
        const finish = wire.parseRecordEndpointMessage(hex('clientFinish')) as wire.ClientFinish;
        const fin = openClientFinish(provider, cookie, finish.sealedFinish);
        expect(toHex(wire.encodeFinishPlaintext(fin))).toBe(c.messages.finishPlaintext);
        const session = verifyClientFinish(provider, cookie, fin, { algorithm: c.inputs.identityAlgorithm as SignatureId, publicKey: hex('identityPublicKey') });
        const keys = deriveTrafficKeys(provider, suite, session.applicationSecret);
        expect(toHex(openRecord(provider, suite, keys.c2s, C2S, session.sessionId, finish.record))).toBe(c.inputs.request);
      }
    });
  }
});
