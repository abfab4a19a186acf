import { expect, it } from 'vitest';
import { LedgerReplayGuard, type ReplayVerdict } from '@/gateway/channel';
import type { PrismaClient } from '../db';
import { PrismaSeqLedger } from './prisma-seq-ledger';

const LATER = Date.UTC(2030, 0, 1);
const sid = (n: number) => new Uint8Array(16).fill(n);
const hex = (n: number) => Buffer.from(sid(n)).toString('hex');

/**
 * The ledger's promises on a real database (PGlite or PostgreSQL): claims are atomic, a take-over
 * fences what was reserved before, release hands back exactly what was used, pruning keeps live rows.
 */
export function seqLedgerSuite(client: () => PrismaClient): void {
  it('a restarted process cannot accept a record the previous one accepted; after a graceful stop it goes on', async () => {
    const ledger = new PrismaSeqLedger(client());
    try {
      const a = new LedgerReplayGuard(ledger, { owner: 'a', reserve: 8 });
      const seen: ReplayVerdict[] = [];
      for (const q of [0, 1, 2, 3]) seen.push(await a.accept(sid(1), q, LATER));
      expect(seen).toEqual(['fresh', 'fresh', 'fresh', 'fresh']);
      // Crash: a's reservation (up to 8) stands; a new process refuses all of it.
      const crashed = new LedgerReplayGuard(ledger, { owner: 'a-restarted' });
      expect(await crashed.accept(sid(1), 2, LATER)).toBe('fenced');
      expect(await crashed.accept(sid(1), 8, LATER)).toBe('fenced');
      expect(await crashed.accept(sid(1), 9, LATER)).toBe('fresh');
      await crashed.close();
      // Graceful: the reservation was lowered to 9, the highest accepted.
      const next = new LedgerReplayGuard(ledger, { owner: 'a-third' });
      expect(await next.accept(sid(1), 9, LATER)).toBe('fenced');
      expect(await next.accept(sid(1), 10, LATER)).toBe('fresh');
    } finally {
      ledger.close();
    }
  });

  it('claims racing on one session from many replicas get disjoint reservations', async () => {
    const ledger = new PrismaSeqLedger(client());
    try {
      const guards = Array.from({ length: 6 }, (_, i) => new LedgerReplayGuard(ledger, { owner: `r${i}`, reserve: 4 }));
      // Every replica receives a copy of records 0..11 at once.
      const verdicts = await Promise.all(Array.from({ length: 12 }, (_, q) => Promise.all(guards.map((g) => g.accept(sid(2), q, LATER)))));
      for (const row of verdicts) expect(row.filter((v) => v === 'fresh').length).toBeLessThanOrEqual(1);
    } finally {
      ledger.close();
    }
  });

  it('extend fails once another owner took the session over; pruning removes only long-expired rows', async () => {
    const ledger = new PrismaSeqLedger(client());
    try {
      expect(await ledger.claim(hex(3), 'x', 10, LATER)).toBe(-1);
      expect(await ledger.extend(hex(3), 'x', 20)).toBe(true);
      expect(await ledger.claim(hex(3), 'y', 5, LATER)).toBe(20);
      expect(await ledger.extend(hex(3), 'x', 30)).toBe(false);
      await ledger.claim(hex(4), 'x', 1, Date.UTC(2020, 0, 1));
      expect(await ledger.prune(Date.UTC(2026, 0, 1))).toBe(1);
      expect(await client().channelSeqLease.count({ where: { sessionId: { in: [hex(3), hex(4)] } } })).toBe(1);
    } finally {
      ledger.close();
    }
  });
}
