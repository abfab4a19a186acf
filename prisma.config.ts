import { defineConfig } from 'prisma/config';

// The datasource URL is only read by Prisma's own CLI (migrate deploy / diff on a
// machine that has the schema engine). The app connects through driver adapters
// (lib/db/), and applies migrations itself (lib/db/migrate.ts).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/pqgate' },
});
