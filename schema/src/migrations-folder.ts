import { fileURLToPath } from 'node:url';

/** Absolute path of the committed SQL migrations, for the migrator in the cloud. */
export const migrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));
