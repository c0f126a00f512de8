import { defineConfig } from 'drizzle-kit';

// Generation only: migrations are applied by the cloud's migrator (cloud/src/db/migrate.ts),
// which also runs the hand-written SQL (roles, row-level security, TimescaleDB).
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/tables/index.ts',
  out: './migrations',
});
