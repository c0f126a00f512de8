import { tables } from '@plantline/schema';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import {
  audit,
  auditCreate,
  auditUpdate,
  DomainError,
  notFound,
  takenCode,
  uniqueCode,
} from '../../platform/index.js';

/*
 * The label printers of a plant (docs/labels.md, "Issuing and printing"): where the plant's edge
 * reaches each on the plant network and at which density it prints. Row-level security keeps a
 * caller to the printers of their plants; another plant's printer is "not found".
 */

const p = tables.printers;

const printerColumns = {
  id: p.id,
  plantId: p.plantId,
  plantCode: tables.plants.code,
  code: p.code,
  name: p.name,
  host: p.host,
  port: p.port,
  dotsPerMm: p.dotsPerMm,
  isActive: p.isActive,
  createdAt: p.createdAt,
};

export type Printer = Awaited<ReturnType<typeof findPrinter>>;

export interface PrinterFields {
  code: string;
  name: string;
  host: string;
  port: number;
  dotsPerMm: 8 | 12 | 24;
}

function selectPrinters(tx: Sql) {
  return tx
    .select(printerColumns)
    .from(p)
    .innerJoin(tables.plants, and(eq(tables.plants.tenantId, p.tenantId), eq(tables.plants.id, p.plantId)));
}

/** The printers of the caller's plants, or of one, by code; inactive ones only when asked. */
export function listPrinters(
  tx: Sql,
  input: { plantId?: string | undefined; includeInactive?: boolean | undefined },
) {
  return selectPrinters(tx)
    .where(
      and(
        input.plantId === undefined ? undefined : eq(p.plantId, input.plantId),
        input.includeInactive ? undefined : eq(p.isActive, true),
      ),
    )
    .orderBy(asc(tables.plants.code), asc(p.code));
}

export async function findPrinter(tx: Sql, id: string) {
  const [printer] = await selectPrinters(tx).where(eq(p.id, id));
  if (printer === undefined) throw notFound('Printer');
  return printer;
}

const audited = (printer: Printer) => ({
  id: printer.id,
  code: printer.code,
  name: printer.name,
  host: printer.host,
  port: printer.port,
  dotsPerMm: printer.dotsPerMm,
  isActive: printer.isActive,
});

export async function createPrinter(tx: Sql, tenantId: string, input: PrinterFields & { plantId: string }) {
  const [plant] = await tx
    .select({ id: tables.plants.id })
    .from(tables.plants)
    .where(eq(tables.plants.id, input.plantId));
  if (plant === undefined) throw new DomainError('not_found', 'Plant not found', { plantId: 'Not found' });
  const [created] = await tx
    .insert(p)
    .values({ ...input, tenantId })
    .onConflictDoNothing({ target: [p.tenantId, p.plantId, p.code] })
    .returning({ id: p.id });
  if (created === undefined) throw takenCode();
  const printer = await findPrinter(tx, created.id);
  auditCreate(tx, 'printer', audited(printer), { label: printer.code, plantId: printer.plantId });
  return printer;
}

export async function updatePrinter(tx: Sql, id: string, patch: Partial<PrinterFields>) {
  const before = await findPrinter(tx, id);
  await uniqueCode(tx.update(p).set(patch).where(eq(p.id, id)));
  const after = await findPrinter(tx, id);
  auditUpdate(tx, 'printer', audited(before), audited(after), { label: after.code, plantId: after.plantId });
  return after;
}

const DEACTIVATED = 'The printer was deactivated before the job was sent';

/**
 * Takes a printer out of use, or back. Jobs still queued for a printer taken out of use fail at once,
 * with the reason: nobody will send them, and the log should not show them waiting.
 */
export async function setPrinterActive(tx: Sql, id: string, isActive: boolean) {
  const before = await findPrinter(tx, id);
  if (before.isActive === isActive) return before;
  await tx.update(p).set({ isActive }).where(eq(p.id, id));
  const after = await findPrinter(tx, id);
  auditUpdate(tx, 'printer', audited(before), audited(after), { label: after.code, plantId: after.plantId });
  if (!isActive) {
    const failed = await tx
      .update(tables.labelPrints)
      .set({ status: 'failed', error: DEACTIVATED, completedAt: sql`now()` })
      .where(and(eq(tables.labelPrints.printerId, id), eq(tables.labelPrints.status, 'queued')))
      .returning({ id: tables.labelPrints.id });
    for (const print of failed)
      audit(tx, {
        action: 'label_print.failed',
        entityType: 'label_print',
        entityId: print.id,
        entityLabel: after.code,
        plantId: after.plantId,
        before: { status: 'queued' },
        after: { status: 'failed', error: DEACTIVATED },
        reason: DEACTIVATED,
      });
  }
  return after;
}
