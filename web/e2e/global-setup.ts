import { setupEmbeddedSnapshot } from '@plantline/cloud/testing/test-databases';
import { setupSeededDemo } from './demo-cloud';

/**
 * Once per run, before any browser test file: the migrated embedded dump, then one demo cloud seeded
 * from it and dumped (demo-cloud.ts). Each file still starts a cloud of its own, from a copy of that
 * seeded dump (docs/testing.md).
 */
export default async function setupBrowserTests(): Promise<() => Promise<void>> {
  const removeSnapshot = await setupEmbeddedSnapshot();
  let removeDemo: () => Promise<void>;
  try {
    removeDemo = await setupSeededDemo();
  } catch (error) {
    await removeSnapshot();
    throw error;
  }
  return async () => {
    await removeDemo();
    await removeSnapshot();
  };
}
