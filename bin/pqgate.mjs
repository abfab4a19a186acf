#!/usr/bin/env node
// Loads the TypeScript CLI through tsx; everything else lives in gateway/cli/.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../gateway/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
