import type { Database } from '../db/index.js';
import { createTenant } from '../modules/tenancy/index.js';

export const TEST_PASSWORD = 'correct horse battery staple';

/** Two tenants with two plants each, so every test can try to cross from one to the other. */
export async function createTwoTenants(db: Database) {
  const make = async (code: string) => {
    const adminEmail = `admin-${code.toLowerCase()}-${Math.random().toString(36).slice(2, 8)}@test.plantline.local`;
    const created = await createTenant(db, {
      name: `Tenant ${code}`,
      slug: `tenant-${code.toLowerCase()}-${Math.random().toString(36).slice(2, 8)}`,
      plants: [
        { code: `${code}1`, name: `${code} plant 1`, timezone: 'UTC' },
        { code: `${code}2`, name: `${code} plant 2`, timezone: 'UTC' },
      ],
      admin: { email: adminEmail, displayName: `Admin ${code}`, password: TEST_PASSWORD },
    });
    return { ...created, adminEmail };
  };
  const a = await make('A');
  const b = await make('B');
  return { a, b };
}
