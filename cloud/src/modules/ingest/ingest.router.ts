import { type IngestResult, ingestBatch, type StationAnswer } from '@plantline/schema';
import { z } from 'zod';
import { type EventBus, scopeOf, idInput as uuid } from '../../platform/index.js';
import { permittedProcedure, router } from '../../trpc/procedures.js';
import { bookCountedParts, consumeAtMachines } from '../materials/index.js';
import { answerStationScans } from '../shipments/index.js';
import { type IngestOutcome, ingestEvents } from './ingest.js';
import { listUnassigned, releaseUnassigned } from './unassigned.js';

/** Stored events go on the live bus once their transaction has committed, with their commit's seq. */
function publishAfterCommit(
  ctx: {
    principal: { tenantId: string };
    deps: { bus: EventBus };
    afterCommit: (effect: () => void) => void;
  },
  { commitSeq, stored }: IngestOutcome,
) {
  if (commitSeq === null) return;
  const tenantId = ctx.principal.tenantId;
  ctx.afterCommit(() => ctx.deps.bus.emit('events.ingested', { tenantId, seq: commitSeq, events: stored }));
}

/** Each answered scan's answer (by its event's input index) goes beside its event's result. */
function withAnswers(outcome: IngestOutcome, answers: ReadonlyMap<number, StationAnswer>): IngestResult[] {
  if (answers.size === 0) return outcome.results;
  const results = [...outcome.results];
  for (const [index, answer] of answers) results[index] = { ...results[index]!, answer };
  return results;
}

/**
 * Scans with `action: consume` take a lot at the machine's line side (docs/materials.md, "Consuming
 * at a machine"); every other scan goes to the station's task. Both answers are keyed by input index.
 */
async function answerScans(
  ctx: Parameters<typeof answerStationScans>[0] & {
    deps: { stationScans: Parameters<typeof answerStationScans>[1] };
  },
  scans: IngestOutcome['scans'],
) {
  const consume = scans.filter((s) => s.action === 'consume');
  const atStations = scans.filter((s) => s.action !== 'consume');
  const answers = new Map<number, StationAnswer>();
  for (const [position, answer] of await answerStationScans(ctx, ctx.deps.stationScans, atStations))
    answers.set(atStations[position]!.index, answer);
  for (const [position, answer] of await consumeAtMachines(ctx, consume))
    answers.set(consume[position]!.index, answer);
  return answers;
}

export const ingestRouter = router({
  /**
   * The edge's uplink: a batch of events, answered per event in input order (accepted, duplicate,
   * or rejected with a reason). The edge trims its outbox by these answers; accepted and duplicate
   * both mean "stored". Stored events go on the live bus after the transaction commits. A scan at a
   * station with a task is packed in the same transaction and its result carries the station's
   * `answer` (docs/logistics.md, "Scanning at a station"), which the edge publishes to the scanner.
   * Good parts counted for an order in progress are booked into its lot in the same transaction.
   */
  push: permittedProcedure('ingest.write')
    .meta({
      unaudited:
        'Machine events are records in their own right, written once and never changed, each batch ' +
        'kept in the commit log under the edge key that sent it; an audit entry per batch would ' +
        'only repeat them',
    })
    .input(ingestBatch)
    .mutation(async ({ ctx, input }) => {
      const { principal, deps } = ctx;
      const codes = await deps.codeCache.get(ctx.tx, scopeOf(principal));
      const outcome = await ingestEvents(ctx.tx, principal, codes, input.events);
      const answers = await answerScans(ctx, outcome.scans);
      // Good parts counted for an order in progress go into its lot (docs/materials.md, "Counted production").
      await bookCountedParts(ctx, outcome.counts);
      publishAfterCommit(ctx, outcome);
      return { results: withAnswers(outcome, answers) };
    }),
  /** Events held because their line or machine is not in master data (never dropped). */
  unassigned: permittedProcedure('masterdata.manage')
    .input(
      z
        .object({ plantId: uuid.optional(), limit: z.number().int().min(1).max(1000).default(100) })
        .default({ limit: 100 }),
    )
    .query(({ ctx, input }) => listUnassigned(ctx.tx, input)),
  /**
   * After adding the missing machine: moves its held events into the event tables. Unlike a push,
   * this is a person deciding which machine held data belongs to, so it is audited.
   */
  releaseUnassigned: permittedProcedure('masterdata.manage')
    .input(z.object({ machineId: uuid }))
    .mutation(async ({ ctx, input }) => {
      const outcome = await releaseUnassigned(ctx.tx, ctx.principal, input.machineId);
      await bookCountedParts(ctx, outcome.counts);
      publishAfterCommit(ctx, outcome);
      return { released: outcome.released, stillHeld: outcome.stillHeld, results: outcome.results };
    }),
});
