import type { tables } from '@plantline/schema';
import type { Sql } from '../../db/index.js';
import { type NotifyContext, notify } from '../notifications/index.js';
import { setLotStatus } from './lots.js';
import { traceLots } from './trace.js';

/*
 * Blocking a lot warns about everything made from it that is still in stock (docs/materials.md,
 * "Blocking a lot"): the forward trace's lots with stock on hand are named in one in-app notification
 * to those who maintain lots (materials.manage), so they can block or inspect them in turn. The trace
 * itself marks every lot below a blocked one (TraceNode.heldBy).
 */

export const LOT_BLOCKED_KIND = 'materials.lot-blocked';

/** At most this many lots are named in the notification; the trace lists them all. */
const NAMED_MAX = 50;

/** The lots made from `lotId` (not itself) that still have stock, nearest first. */
export async function downstreamInStock(tx: Sql, lotId: string) {
  const trace = await traceLots(tx, { start: { lotId }, direction: 'forward', withShipments: false });
  return trace.nodes.filter((n) => n.lotId !== lotId && Number(n.onHand) > 0);
}

/** A lot's status set; when it becomes blocked, the warning downstream goes out in the same transaction. */
export async function setLotStatusAndWarn(
  ctx: NotifyContext,
  input: { id: string; status: tables.LotStatus; reason: string },
) {
  const lot = await setLotStatus(ctx.tx, input);
  if (lot.status !== 'blocked') return { ...lot, downstreamInStock: [] };
  const downstream = await downstreamInStock(ctx.tx, lot.id);
  const named = downstream
    .slice(0, NAMED_MAX)
    .map((n) => `${n.materialCode} ${n.lotCode}: ${n.onHand} ${n.baseUnit}`);
  const more = downstream.length - named.length;
  const body =
    downstream.length === 0
      ? `Reason: ${input.reason}\nNothing made from it is still in stock.`
      : `Reason: ${input.reason}\nStill in stock downstream (${downstream.length}):\n${named.join('\n')}${more > 0 ? `\n… and ${more} more in the trace` : ''}`;
  await notify(ctx, {
    to: { permission: 'materials.manage' },
    kind: LOT_BLOCKED_KIND,
    title: `Lot ${lot.lotCode} blocked: ${downstream.length} lot${downstream.length === 1 ? '' : 's'} made from it in stock`,
    body,
    link: `/materials/lots/${lot.id}`,
    entity: { type: 'material_lot', id: lot.id },
  });
  return {
    ...lot,
    downstreamInStock: downstream.map((n) => ({ lotId: n.lotId, lotCode: n.lotCode, onHand: n.onHand })),
  };
}
