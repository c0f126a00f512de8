import type { PrintJob, PrintResultReport } from '@plantline/schema';
import type { LabelData, LabelTemplate } from '@plantline/schema/labels';
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { type Database, everyTenantId, rows, type Sql } from '../../db/index.js';
import { audit, DomainError, type Principal, type Scheduler } from '../../platform/index.js';
import type { BarcodePool } from './barcode-pool.js';
import { renderLabelZpl } from './render.js';
import { storedTemplate } from './templates.js';
import type { ZplDensity } from './zpl.js';

/*
 * The cloud's side of the print-job transport (docs/labels.md, "Issuing and printing"). The plant's
 * edge claims queued prints (`queued` → `sent`), each with the ZPL rendered at its printer's
 * density, prints them and reports (`sent` → `printed` or `failed`). A claim locks `for update skip
 * locked`, so two edges of one plant never take the same job. A job is never handed out twice: one
 * left `sent` for five minutes without a result fails with a message saying so, since sending it again
 * could print a second label with the same SSCC.
 */

/** How long a sent job may go without a result before it is failed. */
export const PRINT_RESULT_TIMEOUT_MS = 5 * 60_000;
export const NO_RESULT_MESSAGE = 'The edge did not report; reprint if no label came out';

const SENT_REASON = 'Claimed by the plant’s edge to print';
const REPORTED_REASON = 'The printer’s answer, reported by the plant’s edge';

/** A claimed job with what rendering it takes. */
export interface ClaimedJob {
  printId: string;
  labelId: string;
  plantId: string;
  copies: number;
  printer: { id: string; code: string; host: string; port: number; dotsPerMm: number };
  data: LabelData;
  template: LabelTemplate;
}

interface ClaimedRow {
  id: string;
  label_id: string;
  plant_id: string;
  copies: number;
  printer_id: string;
  printer_code: string;
  host: string;
  port: number;
  dots_per_mm: number;
  template_id: string | null;
  data: LabelData;
  sscc: string | null;
}

/** Only an edge takes print jobs: it is the one that reaches the printers. */
export function checkEdgeCaller(principal: Principal): void {
  if (principal.kind !== 'api-key')
    throw new DomainError('forbidden', 'Print jobs are taken by a plant’s edge, with its API key');
}

/**
 * Claims up to `limit` queued jobs of active printers of the caller's plants (row-level security),
 * oldest first, skipping those another claim holds: each becomes `sent`, counted and timed.
 */
export async function claimPrintJobs(tx: Sql, limit: number): Promise<ClaimedJob[]> {
  const claimed = await rows<ClaimedRow>(
    tx,
    sql`with next as (
          select lp.id from label_prints lp
            join printers pr on pr.tenant_id = lp.tenant_id and pr.id = lp.printer_id
           where lp.status = 'queued' and pr.is_active
           order by lp.requested_at, lp.id
           limit ${limit}
           for update of lp skip locked
        ), sent as (
          update label_prints lp set status = 'sent', attempts = lp.attempts + 1, sent_at = now()
            from next where lp.id = next.id
          returning lp.id, lp.tenant_id, lp.label_id, lp.plant_id, lp.copies, lp.printer_id, lp.requested_at
        )
        select sent.id, sent.label_id, sent.plant_id, sent.copies, sent.printer_id, pr.code as printer_code,
               pr.host, pr.port, pr.dots_per_mm, bl.template_id, bl.data, bl.sscc
          from sent
          join printers pr on pr.tenant_id = sent.tenant_id and pr.id = sent.printer_id
          join barcode_labels bl on bl.tenant_id = sent.tenant_id and bl.id = sent.label_id
         order by sent.requested_at, sent.id`,
  );
  const templates = new Map<string, LabelTemplate>();
  const jobs: ClaimedJob[] = [];
  for (const row of claimed) {
    audit(tx, {
      action: 'label_print.send',
      entityType: 'label_print',
      entityId: row.id,
      entityLabel: row.sscc ?? row.printer_code,
      plantId: row.plant_id,
      before: { status: 'queued' },
      after: { status: 'sent', printerCode: row.printer_code },
      reason: SENT_REASON,
    });
    if (row.template_id === null) throw new Error(`Label ${row.label_id} has no template`);
    let template = templates.get(row.template_id);
    if (template === undefined) {
      template = await storedTemplate(tx, row.template_id);
      templates.set(row.template_id, template);
    }
    jobs.push({
      printId: row.id,
      labelId: row.label_id,
      plantId: row.plant_id,
      copies: row.copies,
      printer: {
        id: row.printer_id,
        code: row.printer_code,
        host: row.host,
        port: row.port,
        dotsPerMm: row.dots_per_mm,
      },
      data: row.data,
      template,
    });
  }
  return jobs;
}

const densities: Record<number, ZplDensity> = { 8: 203, 12: 300, 24: 600 };

/** The job as the edge gets it: the label's ZPL at the printer's density, with its copies. */
export async function renderPrintJob(pool: BarcodePool, job: ClaimedJob): Promise<PrintJob> {
  const density = densities[job.printer.dotsPerMm];
  if (density === undefined)
    throw new DomainError('invalid', `No ZPL density for ${job.printer.dotsPerMm} dots per mm`);
  const zpl = await renderLabelZpl(pool, job.template, job.data, density, { copies: job.copies });
  const { id, code, host, port } = job.printer;
  return {
    printId: job.printId,
    labelId: job.labelId,
    printer: { id, code, host, port },
    copies: job.copies,
    zpl,
  };
}

/** Completes a print the edge took: `printed`, or `failed` with what went wrong. */
export async function reportPrintResult(tx: Sql, report: PrintResultReport) {
  const [print] = await rows<{ id: string; plant_id: string; status: string; sscc: string | null }>(
    tx,
    sql`select lp.id, lp.plant_id, lp.status, bl.sscc from label_prints lp
          join barcode_labels bl on bl.tenant_id = lp.tenant_id and bl.id = lp.label_id
         where lp.id = ${report.printId}::uuid for update of lp`,
  );
  if (print === undefined) throw new DomainError('not_found', 'Print not found', { printId: 'Not found' });
  const status = report.ok ? 'printed' : 'failed';
  // The edge reports again when it got no answer: the same result a second time changes nothing,
  // which the trail records as no change (the row lock above counts as a write).
  if (print.status === status) {
    audit(tx, {
      action: `label_print.${status}`,
      entityType: 'label_print',
      entityId: print.id,
      before: { status },
      after: { status },
    });
    return { printId: print.id, status };
  }
  if (print.status !== 'sent')
    throw new DomainError('conflict', `The print is ${print.status}, not waiting for a result`);
  const error = report.error === null ? null : `${report.error.message} (${report.error.code})`;
  await tx.execute(
    sql`update label_prints set status = ${status}, printer_status = ${report.status === null ? null : JSON.stringify(report.status)}::jsonb,
               error = ${error}, completed_at = now()
         where id = ${print.id}::uuid`,
  );
  audit(tx, {
    action: `label_print.${status}`,
    entityType: 'label_print',
    entityId: print.id,
    entityLabel: print.sscc,
    plantId: print.plant_id,
    before: { status: 'sent' },
    after: { status, error, printerProblems: report.status?.problems ?? [] },
    reason: REPORTED_REASON,
  });
  return { printId: print.id, status };
}

/** Fails a claimed job the cloud could not render: the edge never got it, so nothing was printed. */
export async function failUnrendered(tx: Sql, job: ClaimedJob, message: string): Promise<void> {
  const error = `The label could not be rendered: ${message}`;
  const failed = await rows<{ id: string }>(
    tx,
    sql`update label_prints set status = 'failed', error = ${error}, completed_at = now()
         where id = ${job.printId}::uuid and status = 'sent' returning id`,
  );
  if (failed.length === 0) return;
  audit(tx, {
    action: 'label_print.failed',
    entityType: 'label_print',
    entityId: job.printId,
    entityLabel: job.data.sscc ?? job.printer.code,
    plantId: job.plantId,
    before: { status: 'sent' },
    after: { status: 'failed', error },
    reason: error,
  });
}

/** Fails every job of the scope left `sent` without a result since `now` − 5 minutes. */
export async function failSilentPrints(tx: Sql, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - PRINT_RESULT_TIMEOUT_MS);
  const failed = await rows<{ id: string; plant_id: string }>(
    tx,
    sql`update label_prints set status = 'failed', error = ${NO_RESULT_MESSAGE}, completed_at = ${now.toISOString()}::timestamptz
         where status = 'sent' and sent_at < ${cutoff.toISOString()}::timestamptz
         returning id, plant_id`,
  );
  for (const print of failed)
    audit(tx, {
      action: 'label_print.failed',
      entityType: 'label_print',
      entityId: print.id,
      plantId: print.plant_id,
      before: { status: 'sent' },
      after: { status: 'failed', error: NO_RESULT_MESSAGE },
      reason: NO_RESULT_MESSAGE,
    });
  return failed.length;
}

/** Every minute, tenant by tenant: sent jobs without a result for five minutes fail. */
export function scheduleSilentPrints(scheduler: Scheduler, deps: { db: Database; log: Logger }): void {
  scheduler.every('label-prints-without-result', 60_000, async () => {
    for (const tenantId of await everyTenantId(deps.db)) {
      const failed = await deps.db.transact({ tenantId, plantIds: 'all' }, (tx) =>
        failSilentPrints(tx, new Date()),
      );
      if (failed > 0)
        deps.log.warn({ tenantId, failed }, 'label prints without a result from the edge failed');
    }
  });
}
