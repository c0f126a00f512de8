import { tables } from '@plantline/schema';
import { eq } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { createDefectCodes, createInspectionPlan, type DefectCodeFields } from './catalogue.js';

/** Defect codes of a machining and assembly plant, for the demo tenant. */
export const DEMO_DEFECT_CODES: readonly DefectCodeFields[] = [
  { code: 'SCRATCH', name: 'Scratch', category: 'surface', severity: 'minor' },
  { code: 'DENT', name: 'Dent', category: 'surface', severity: 'major' },
  { code: 'BURR', name: 'Burr', category: 'machining', severity: 'minor' },
  { code: 'DIM_OOT', name: 'Dimension out of tolerance', category: 'dimensional', severity: 'major' },
  { code: 'THREAD', name: 'Damaged thread', category: 'machining', severity: 'major' },
  { code: 'POROSITY', name: 'Porosity', category: 'material', severity: 'critical' },
  { code: 'MISSING_PART', name: 'Missing part', category: 'assembly', severity: 'critical' },
];

/**
 * The demo's quality catalogue: defect codes, and a final inspection plan on the demo routing's last
 * operation (production's seedDemoProduction creates the routing).
 */
export async function seedDemoQuality(
  tx: Sql,
  tenantId: string,
  routing: { productId: string; operations: { id: string; code: string }[] },
) {
  await createDefectCodes(tx, tenantId, DEMO_DEFECT_CODES);
  const final = routing.operations.find((o) => o.code === 'FINAL');
  if (final === undefined) return;
  const [product] = await tx
    .select({ code: tables.products.code })
    .from(tables.products)
    .where(eq(tables.products.id, routing.productId));
  await createInspectionPlan(tx, tenantId, {
    code: `IP-${product!.code}-FINAL`,
    name: `Final inspection ${product!.code}`,
    productId: routing.productId,
    operationId: final.id,
    characteristics: [
      {
        code: 'BORE_DIA',
        name: 'Bore diameter',
        kind: 'variable',
        unit: 'mm',
        nominal: 42,
        lowerLimit: 41.975,
        upperLimit: 42.025,
      },
      { code: 'VISUAL', name: 'Visual: no scratches, dents or burrs', kind: 'attribute' },
    ],
  });
}
