/**
 * The gateway's cache of open sessions under concurrency (docs/protocol.md §12): keys are wiped
 * only when nothing can use them again. The attack this guards against: evict a session while
 * one of its records waits on the ticket ring, so that the waiting record puts a wiped session
 * back; then send records sealed under the all-zero key on the victim's ticket.
 */
import { describe, expect, it } from 'vitest';
import { connect } from './client';
import { InMemoryTicketKeyRing } from './key-ring';
import { C2S, sealRecord } from './record';
import { createHarness, dec, enc, testKey, URL_BASE } from './test-harness';
import * as wire from './wire';

const VICTIM = testKey('ML-DSA-65', 31);
const ATTACKER = testKey('Ed25519', 32);

/** A ring whose `minimumVersion` can be made to wait, once, until released. */
class GatedRing extends InMemoryTicketKeyRing {
  gate?: Promise<void>;
  override async minimumVersion(): Promise<number> {
    const g = this.gate;
    this.gate = undefined;
    if (g) await g;
    return super.minimumVersion();
  }
}

describe('session cache under concurrent eviction', () => {
  it('a session evicted while its record waits is neither wiped under it nor put back; zero-key records are refused', async () => {
    const ring = new GatedRing(new Uint8Array(32).fill(4));
    const h = createHarness({ registered: [VICTIM, ATTACKER], keyRing: ring, sessionCacheSize: 2 });
    const captured: Uint8Array[] = [];
    const watch = (async (u: string, i: RequestInit) => {
      if (String(u).endsWith('/record')) captured.push(new Uint8Array(i.body as Uint8Array));
      return h.fetch(u, i);
    }) as typeof fetch;
    const victim = await connect(URL_BASE, VICTIM, { trustedGatewayKeys: h.trusted, fetch: watch, provider: h.provider });
    expect(dec(await victim.request('r', enc('0')))).toBe('echo:r:0'); // cached now, under its ticket

    // The victim's next record waits on the ring inside the cache lookup ...
    let open!: () => void;
    ring.gate = new Promise<void>((r) => (open = r));
    const pending = victim.request('r', enc('1'));
    await new Promise((r) => setTimeout(r, 20));
    // ... while the attacker churns the cache with sessions of its own until the victim's is evicted.
    for (let i = 0; i < 3; i++) {
      const s = await connect(URL_BASE, ATTACKER, { trustedGatewayKeys: h.trusted, fetch: h.fetch, provider: h.provider, minSuite: 'classical', offer: ['classical'] });
      await s.request('r', enc(`churn ${i}`));
    }
    open();
    expect(dec(await pending)).toBe('echo:r:1'); // the waiting record used intact keys

    // The attacker replays the victim's ticket with records sealed under an all-zero key.
    const ticket = (wire.parseRecordEndpointMessage(captured.at(-1)!) as wire.RecordRequest).ticket;
    const sessionId = (wire.parseRecordEndpointMessage(captured.at(-1)!) as wire.RecordRequest).record.sessionId;
    const zero = { key: new Uint8Array(32), iv: new Uint8Array(12) };
    const seenBefore = h.seen.filter((s) => s.identityKeyId === Buffer.from(VICTIM.keyId).toString('hex')).length;
    for (let seq = 2; seq < 6; seq++) {
      const record = sealRecord(h.provider, (await import('../crypto')).getSuite('hybrid'), zero, C2S, { sessionId, seq, route: 'r' }, enc('forged'));
      const res = await h.fetch(`${URL_BASE}/record`, { method: 'POST', body: wire.encodeRecordRequest({ ticket, record }) as Uint8Array<ArrayBuffer> });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('bad_record');
    }
    expect(h.seen.filter((s) => s.identityKeyId === Buffer.from(VICTIM.keyId).toString('hex')).length).toBe(seenBefore);
    // And the victim's session still works: its ticket is opened afresh.
    expect(dec(await victim.request('r', enc('2')))).toBe('echo:r:2');
  });

  it('many sessions racing through a one-entry cache all get their own answers', async () => {
    const h = createHarness({ registered: [VICTIM], sessionCacheSize: 1 });
    const sessions = await Promise.all(Array.from({ length: 4 }, () => connect(URL_BASE, VICTIM, { trustedGatewayKeys: h.trusted, fetch: h.fetch, provider: h.provider })));
    const replies = await Promise.all(sessions.flatMap((s, i) => Array.from({ length: 10 }, (_, j) => s.request('r', enc(`${i}.${j}`)))));
    expect(replies.map(dec).sort()).toEqual(sessions.flatMap((_, i) => Array.from({ length: 10 }, (_, j) => `echo:r:${i}.${j}`)).sort());
  });
});
