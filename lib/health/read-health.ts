import { dbConnection } from '../db';
import { pendingMigrations } from '../db/migrate';
import { PQGATE_VERSION } from '../version';

export interface Health {
  status: 'ok' | 'unhealthy';
  version: string;
  database: { kind: string; reachable: boolean; error?: string };
  migrations: { applied: boolean; pending: string[] };
}

/** Checks the database answers and every committed migration is applied. */
export async function readHealth(): Promise<Health> {
  const health: Health = {
    status: 'unhealthy',
    version: PQGATE_VERSION,
    database: { kind: 'unknown', reachable: false },
    migrations: { applied: false, pending: [] },
  };
  try {
    const connection = dbConnection();
    health.database.kind = connection.kind;
    await connection.sql.query('SELECT 1');
    health.database.reachable = true;
    health.migrations.pending = await pendingMigrations(connection.sql);
    health.migrations.applied = health.migrations.pending.length === 0;
  } catch (error) {
    health.database.error = error instanceof Error ? error.message.split('\n')[0] : 'unknown error';
  }
  if (health.database.reachable && health.migrations.applied) health.status = 'ok';
  return health;
}
