import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';

// Prisma's schema engine compiled to WebAssembly (an npm package), driven through the
// PGlite adapter: the same diffing `prisma migrate dev` does, without the native engine
// binary that this project's machines cannot download. See docs/migrations.md.

const SCHEMA = resolve('prisma/schema.prisma');
export const MIGRATIONS = resolve('prisma/migrations');

interface DiffTarget {
  tag: string;
  [key: string]: unknown;
}
interface Engine {
  diff(params: { from: DiffTarget; to: DiffTarget; script: boolean; exitCode: boolean | null; filters: object }): Promise<{ exitCode: number; stdout?: string | null }>;
}

async function loadEngine(schema: string): Promise<{ engine: Engine; close(): Promise<void> }> {
  const dir = resolve('node_modules/@prisma/schema-engine-wasm');
  const bg = await import(join(dir, 'schema_engine_bg.js'));
  const { instance } = await WebAssembly.instantiate(readFileSync(join(dir, 'schema_engine_bg.wasm')), { './schema_engine_bg.js': bg });
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as (() => void) | undefined)?.();
  const db = new PGlite();
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPGlite(db));
  const engine = (await bg.SchemaEngine.new({ datamodels: [['schema.prisma', schema]] }, () => undefined, adapter)) as Engine;
  return { engine, close: () => db.close() };
}

function migrationList(): DiffTarget {
  const dirs = existsSync(MIGRATIONS)
    ? readdirSync(MIGRATIONS, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
    : [];
  const lockPath = join(MIGRATIONS, 'migration_lock.toml');
  return {
    tag: 'migrations',
    baseDir: MIGRATIONS,
    lockfile: { path: 'migration_lock.toml', content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: dirs.map((path) => ({
      path,
      migrationFile: { path: 'migration.sql', content: { tag: 'ok', value: readFileSync(join(MIGRATIONS, path, 'migration.sql'), 'utf8') } },
    })),
  };
}

/** SQL that takes the committed migration history to the current schema ('' when they agree). */
export async function diffMigrationsToSchema(): Promise<string> {
  const schema = readFileSync(SCHEMA, 'utf8');
  const { engine, close } = await loadEngine(schema);
  try {
    const result = await engine.diff({
      from: migrationList(),
      to: { tag: 'schemaDatamodel', files: [{ path: SCHEMA, content: schema }] },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    const script = result.stdout ?? '';
    return /^\s*(-- This is an empty migration\.)?\s*$/.test(script) ? '' : script;
  } finally {
    await close();
  }
}
