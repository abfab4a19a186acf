import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A database made for one run: its URL, and how to drop it again. */
export interface FreshPostgres {
  readonly url: string;
  drop(): Promise<void>;
}

async function run(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Creates an empty database named `<prefix>_<random>` on the PostgreSQL server of `serverUrl`
 * (tests, benchmarks); `drop` removes it, ending any connections still open to it.
 */
export async function freshPostgres(serverUrl: string, prefix = 'pqgate_test'): Promise<FreshPostgres> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await run(serverUrl, `CREATE DATABASE ${name}`);
  const target = new URL(serverUrl);
  target.pathname = `/${name}`;
  return { url: target.toString(), drop: () => run(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
