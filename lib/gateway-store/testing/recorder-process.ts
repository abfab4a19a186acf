/**
 * A child process for traffic-journal.crash.test.ts: the gateway's recorder with the file
 * journal, writing to the embedded database in PQGATE_DATA_DIR, as the product runs them.
 *
 * - `load`: records calls 16 at a time without end and prints `acked <request id>` for each once
 *   `record` resolved (when the gateway would release the reply); the test kills it with SIGKILL.
 * - `recover`: opens the same journal and database, lets the recorder store what the journal
 *   kept, and prints one JSON line: `{ recovered, ids, left }` (every gateway request id in the
 *   audit log, and the segments left in the journal folder).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createTrafficRecorder } from '@/gateway/mcp/traffic-recorder';
import type { TrafficEvent } from '@/gateway/mcp/store';
import { ensureLocalSecrets } from '../../local-secrets';

const mode = process.argv[2];
const dataDir = process.env.PQGATE_DATA_DIR!;
ensureLocalSecrets(process.env);
const { closeDatabase, db, ensureMigrated } = await import('../../db');
const { ensureGatewayKeys } = await import('../../keys/gateway-keys');
const { recordTraffic } = await import('../record-traffic');
const { openTrafficJournal } = await import('../traffic-journal');

await ensureMigrated();
await ensureGatewayKeys();
const folder = join(dataDir, 'traffic-journal', 'crash-test');
const journal = openTrafficJournal({ folder });
const recorder = createTrafficRecorder({ write: (events) => recordTraffic(events, new Map()), journal, intervalMs: 300, maxBatch: 200 });

if (mode === 'load') {
  let n = 0;
  const call = async (): Promise<never> => {
    for (;;) {
      const requestId = `${process.pid}-${++n}`;
      const event: TrafficEvent = { time: Date.now(), requestId, upstream: 'clinic', method: 'tools/call', tool: 'read_chart', identityId: 'crash-agent', suite: 'classical-bearer', transport: 'bearer', decision: 'allow', code: 'allowed', rule: 'test', epoch: 1 };
      await recorder.record(event);
      process.stdout.write(`acked ${requestId}\n`);
      // As a server's calls do between requests: timers (the batch) and the pipe (the acks) get their turn.
      await new Promise((r) => setImmediate(r));
    }
  };
  console.error('pqgate-test recorder ready');
  await Promise.all(Array.from({ length: 16 }, call));
} else if (mode === 'recover') {
  const recovered = journal.recovered().length;
  await recorder.flush();
  journal.close();
  const rows = await db.auditEvent.findMany({ where: { action: { startsWith: 'gateway.' } }, select: { requestId: true } });
  await closeDatabase();
  console.log(JSON.stringify({ recovered, ids: rows.map((r) => r.requestId), left: readdirSync(folder) }));
} else {
  console.error('usage: recorder-process.ts load|recover');
  process.exit(2);
}
