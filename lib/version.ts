import packageJson from '../package.json' with { type: 'json' };

export const PQGATE_VERSION: string = packageJson.version;
