import type { Connection } from './connection';

/**
 * Where server.ts installs the connection to the embedded database's own thread
 * (database-thread.ts), which lib/db then uses instead of opening PGlite in this thread. On
 * globalThis, because server.ts loads lib/ from source while Next.js bundles its own copy. Type
 * imports only, so the server loads nothing else from here.
 */
export const connectionHolder = globalThis as typeof globalThis & { __pqgateDbConnection?: Connection };
