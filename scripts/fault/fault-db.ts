/**
 * What `npm run fault` asks of the product's database, run in a process of its own with the
 * product's environment (the embedded database admits one process at a time):
 * - `floor <server>/<tool> <floor>`: sets a tool's floor through the console's lib function, once
 *   the running gateway has discovered the tool (PostgreSQL: the server runs meanwhile);
 * - `count`: prints one JSON line with the audit log's gateway events: `tools/call` events by
 *   tool and decision, `traffic_unstored` events, and the request ids stored more than once.
 */
import { closeDatabase, db, ensureMigrated } from '../../lib/db';
import { env } from '../../lib/env';
import { setFloors } from '../../lib/policy/set-floors';
import { ensureFirstAdmin } from '../../lib/users/ensure-first-admin';
import type { FloorName } from '../../gateway/policy/floors';

const [command, ...args] = process.argv.slice(2);
await ensureMigrated();
if (command === 'floor' && args.length === 2) {
  const e = env();
  await ensureFirstAdmin({ email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD }, () => undefined);
  const admin = await db.user.findFirstOrThrow({ where: { role: 'admin' }, select: { id: true } });
  // The running gateway lists the upstream's tools shortly after it starts.
  const [server, tool] = args[0]!.split('/');
  for (let i = 0; i < 150 && !(await db.tool.findFirst({ where: { name: tool, upstream: { slug: server } }, select: { id: true } })); i++) await new Promise((r) => setTimeout(r, 200));
  console.error(`fault-db: tools known: ${(await db.tool.findMany({ select: { name: true, upstream: { select: { slug: true } } } })).map((t) => `${t.upstream.slug}/${t.name}`).join(', ') || 'none'}`);
  await setFloors({ scope: 'tool', targets: [args[0]!], floor: args[1] as FloorName, actorId: admin.id });
} else if (command === 'count') {
  const calls = await db.auditEvent.groupBy({ by: ['targetId', 'decision'], where: { action: 'gateway.tools/call' }, _count: { _all: true } });
  const unstored = await db.auditEvent.count({ where: { action: 'gateway.traffic_unstored' } });
  const twice = await db.auditEvent.groupBy({ by: ['requestId'], where: { action: { startsWith: 'gateway.' } }, _count: { _all: true }, having: { requestId: { _count: { gt: 1 } } } });
  console.log(JSON.stringify({ calls: calls.map((c) => ({ target: c.targetId, decision: c.decision, n: c._count._all })), unstored, duplicates: twice.length }));
} else {
  console.error('usage: fault-db.ts floor <server>/<tool> <floor> | count');
  process.exit(2);
}
await closeDatabase();
