import { tables } from '@plantline/schema';
import { reprintNeedsReason } from '@plantline/schema/labels';
import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import {
  type AfterCommit,
  auditCreate,
  DomainError,
  type EventBus,
  type Principal,
} from '../../platform/index.js';
import { findLabel, labelName } from './issue.js';

/*
 * Printing a label (docs/labels.md, "Issuing and printing"): a print is queued for a printer of the
 * label's plant and the plant's edge is woken to take it. Any print after a label's first is a reprint
 * and says why, whatever became of the earlier ones: a failed print may still have put a label out (a
 * printer that jams after printing, an edge that never reported), and a second SSCC label in the
 * world is what the reprint log is there to explain. A location label's reprint is logged as one too,
 * but needs no reason: it names a bin (reprintNeedsReason).
 */

export interface PrintCall {
  tx: Sql;
  principal: Principal;
  afterCommit: AfterCommit;
  deps: { bus: EventBus };
}

export interface PrintInput {
  labelId: string;
  printerId: string;
  copies: number;
  reason?: string | undefined;
}

const lp = tables.labelPrints;

export async function printLabel(call: PrintCall, input: PrintInput) {
  const { tx, principal } = call;
  const label = await findLabel(tx, input.labelId);
  // Prints of one label queue up here, so two at once cannot both be its first.
  await tx.execute(sql`select id from barcode_labels where id = ${label.id}::uuid for update`);
  const [printer] = await tx
    .select({
      plantId: tables.printers.plantId,
      code: tables.printers.code,
      isActive: tables.printers.isActive,
    })
    .from(tables.printers)
    .where(eq(tables.printers.id, input.printerId));
  if (printer === undefined)
    throw new DomainError('not_found', 'Printer not found', { printerId: 'Not found' });
  if (printer.plantId !== label.plantId)
    throw new DomainError('invalid', 'The printer is not at the label’s plant', {
      printerId: 'Not at this plant',
    });
  if (!printer.isActive)
    throw new DomainError('invalid', 'The printer is out of use', { printerId: 'Out of use' });
  const [earlier] = await tx.select({ id: lp.id }).from(lp).where(eq(lp.labelId, label.id)).limit(1);
  const reprint = earlier !== undefined;
  const reason = input.reason?.trim() ?? '';
  if (reprint && reason === '' && reprintNeedsReason(label.kind))
    throw new DomainError('invalid', 'This label was printed before: say why it is printed again', {
      reason: 'Say why it is printed again',
    });
  const [queued] = await tx
    .insert(lp)
    .values({
      tenantId: principal.tenantId,
      plantId: label.plantId,
      labelId: label.id,
      printerId: input.printerId,
      copies: input.copies,
      reprint,
      reason,
      requestedBy: principal.userId,
    })
    .returning({ id: lp.id });
  if (queued === undefined) throw new Error('The print was not written');
  auditCreate(
    tx,
    'label_print',
    {
      id: queued.id,
      labelId: label.id,
      printerId: input.printerId,
      printerCode: printer.code,
      copies: input.copies,
      reprint,
      reason,
    },
    { label: labelName(label), plantId: label.plantId },
    reprint ? 'reprint' : 'queue',
  );
  call.afterCommit(() =>
    call.deps.bus.emit('labels.print-queued', { tenantId: principal.tenantId, plantId: label.plantId }),
  );
  const [print] = await selectPrints(tx).where(eq(lp.id, queued.id));
  if (print === undefined) throw new Error('The print was not found after writing it');
  return print;
}

const printColumns = {
  id: lp.id,
  plantId: lp.plantId,
  labelId: lp.labelId,
  sscc: tables.barcodeLabels.sscc,
  elementString: tables.barcodeLabels.elementString,
  printerId: lp.printerId,
  printerCode: tables.printers.code,
  printerName: tables.printers.name,
  copies: lp.copies,
  reprint: lp.reprint,
  reason: lp.reason,
  status: lp.status,
  printerStatus: lp.printerStatus,
  error: lp.error,
  attempts: lp.attempts,
  requestedBy: lp.requestedBy,
  requestedByName: tables.users.displayName,
  requestedAt: lp.requestedAt,
  sentAt: lp.sentAt,
  completedAt: lp.completedAt,
};

function selectPrints(tx: Sql) {
  return tx
    .select(printColumns)
    .from(lp)
    .innerJoin(
      tables.barcodeLabels,
      and(eq(tables.barcodeLabels.tenantId, lp.tenantId), eq(tables.barcodeLabels.id, lp.labelId)),
    )
    .innerJoin(
      tables.printers,
      and(eq(tables.printers.tenantId, lp.tenantId), eq(tables.printers.id, lp.printerId)),
    )
    .leftJoin(tables.users, and(eq(tables.users.tenantId, lp.tenantId), eq(tables.users.id, lp.requestedBy)));
}

export type LabelPrint = Awaited<ReturnType<ReturnType<typeof selectPrints>['where']>>[number];

export interface PrintLogFilter {
  labelId?: string | undefined;
  printerId?: string | undefined;
  limit: number;
  /** The last print of the previous page. */
  cursor?: string | undefined;
}

/** The print log of a label or a printer, newest first. */
export async function printLog(tx: Sql, filter: PrintLogFilter) {
  const conditions: (SQL | undefined)[] = [
    filter.labelId === undefined ? undefined : eq(lp.labelId, filter.labelId),
    filter.printerId === undefined ? undefined : eq(lp.printerId, filter.printerId),
  ];
  // Compared in the database: timestamps there have microseconds, JavaScript dates milliseconds.
  if (filter.cursor !== undefined)
    conditions.push(
      sql`(${lp.requestedAt}, ${lp.id}) < (select c.requested_at, c.id from ${lp} c where c.id = ${filter.cursor})`,
    );
  const found = await selectPrints(tx)
    .where(and(...conditions))
    .orderBy(desc(lp.requestedAt), desc(lp.id))
    .limit(filter.limit + 1);
  const items = found.slice(0, filter.limit);
  return { items, nextCursor: found.length > filter.limit ? (items.at(-1)?.id ?? null) : null };
}
