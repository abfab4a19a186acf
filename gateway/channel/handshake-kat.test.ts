/** The handshake known-answer vector: regenerated from its fixed seeds and compared byte for byte. */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createNobleProvider, fromHex, getSuite } from '../crypto';
import { generateHandshakeKat } from './handshake-kat';
import { deriveTrafficKeys } from './key-schedule';
import { openRecord, S2C } from './record';
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
      const pt = openRecord(provider, suite, keys.s2c, S2C, fromHex(c.derived.sessionId as string), res.record);
      expect(Buffer.from(pt).toString('hex')).toBe(c.inputs.response);
    }
  });
});
