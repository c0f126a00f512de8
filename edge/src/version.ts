import packageJson from '../package.json' with { type: 'json' };

export const EDGE_VERSION: string = packageJson.version;
