import { DEMO_PLANTS, DEMO_PRODUCTS, DEMO_REASONS, DEMO_SHIFT_CALENDAR, tables } from '@plantline/schema';

type Status = tables.ProductionOrderStatus;

import { eq, inArray } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import {
  createDowntimeReasons,
  createProducts,
  createStateCodes,
  type DowntimeReasonFields,
  type StateCodeFields,
} from './catalogue.js';
import { setIdealCycleTime } from './cycle-times.js';
import { createProductionOrder, updateProductionOrder } from './production-orders.js';
import { createRouting } from './routings.js';
import { createShiftPattern, type ShiftDefinitionFields } from './shift-patterns.js';
import { generateShifts } from './shifts.js';

/*
 * Defaults. Every tenant starts with the state mapping (OEE means nothing without it); the demo
 * tenant also gets what the simulator (edge/src/simulator/plant-model.ts) sends, from the demo plant
 * definition both share (schema's demo-plant.ts, docs/demo.md): its reasons, products, cycle times,
 * three 8-hour shifts with the same breaks, and a routing.
 */

/** The simulator's states. Changeover is an availability loss (ISO 22400 counts setup in planned busy time). */
export const DEFAULT_STATE_CODES: readonly StateCodeFields[] = [
  { code: 'RUNNING', name: 'Running', colour: '#22c55e', bucket: 'running' },
  { code: 'REDUCED_SPEED', name: 'Reduced speed', colour: '#eab308', bucket: 'performance_loss' },
  { code: 'MICROSTOP', name: 'Microstop', colour: '#f97316', bucket: 'performance_loss' },
  { code: 'DOWN', name: 'Down', colour: '#ef4444', bucket: 'availability_loss' },
  { code: 'CHANGEOVER', name: 'Changeover', colour: '#a855f7', bucket: 'availability_loss' },
  { code: 'PLANNED_STOP', name: 'Planned stop', colour: '#64748b', bucket: 'planned_stop' },
];

/** Gives a tenant the default state mapping; codes it already has keep its own mapping. */
export function createDefaultStateMapping(tx: Sql, tenantId: string) {
  return createStateCodes(tx, tenantId, DEFAULT_STATE_CODES);
}

/** The simulator's reasons: planned breaks, failures and the changeover between orders. */
export const DEMO_DOWNTIME_REASONS: readonly DowntimeReasonFields[] = DEMO_REASONS.map(
  ({ code, name, bucket, category }) => ({ code, name, bucket, category }),
);

export { DEMO_PRODUCTS };

/** The demo plants' ideal cycle per machine, in seconds, by `plant/line/machine` code. */
export const DEMO_CYCLE_SECONDS: Readonly<Record<string, number>> = Object.fromEntries(
  DEMO_PLANTS.flatMap((plant) =>
    plant.lines.flatMap((line) =>
      line.machines.map((m) => [`${plant.code}/${line.code}/${m.code}`, m.idealCycleSeconds]),
    ),
  ),
);

/** The simulator's shifts: three of 8 hours, breaks 2 h (15 min), 4 h (30 min) and 6 h (15 min) in. */
const everyDay = [1, 2, 3, 4, 5, 6, 7];
export const DEMO_SHIFTS: ShiftDefinitionFields[] = DEMO_SHIFT_CALENDAR.shifts.map((shift) => ({
  ...shift,
  weekdays: everyDay,
  durationMinutes: DEMO_SHIFT_CALENDAR.shiftHours * 60,
  breaks: DEMO_SHIFT_CALENDAR.breaks.map((b) => ({ ...b })),
}));

/** Days of shifts the demo gets behind and ahead of the day it is seeded. */
export const DEMO_SHIFT_DAYS = { past: 30, ahead: 56 } as const;

/** Runs in the demo tenant's scope with every plant in reach. */
export async function seedDemoProduction(
  tx: Sql,
  tenantId: string,
  plantIds: readonly string[],
  now: Date = new Date(),
) {
  await createDowntimeReasons(tx, tenantId, DEMO_DOWNTIME_REASONS);
  const products = await createProducts(tx, tenantId, [...DEMO_PRODUCTS]);
  const machines = await tx
    .select({
      id: tables.machines.id,
      code: tables.machines.code,
      lineCode: tables.lines.code,
      plantCode: tables.plants.code,
    })
    .from(tables.machines)
    .innerJoin(tables.lines, eq(tables.lines.id, tables.machines.lineId))
    .innerJoin(tables.plants, eq(tables.plants.id, tables.machines.plantId))
    .where(inArray(tables.machines.plantId, [...plantIds]));
  for (const machine of machines) {
    const seconds = DEMO_CYCLE_SECONDS[`${machine.plantCode}/${machine.lineCode}/${machine.code}`];
    if (seconds !== undefined)
      await setIdealCycleTime(tx, tenantId, {
        machineId: machine.id,
        productId: null,
        secondsPerUnit: seconds,
      });
  }
  const day = (offset: number) => new Date(now.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  for (const plantId of plantIds) {
    await createShiftPattern(tx, tenantId, {
      plantId,
      code: '3SHIFT',
      name: 'Three shifts, seven days',
      shifts: DEMO_SHIFTS,
    });
    await generateShifts(tx, tenantId, {
      plantId,
      from: day(-DEMO_SHIFT_DAYS.past),
      to: day(DEMO_SHIFT_DAYS.ahead),
    });
  }
  await seedDemoOrders(tx, tenantId, plantIds, products, now);
  const brake = products.find((p) => p.code === 'BRK-100')!;
  return createRouting(tx, tenantId, {
    productId: brake.id,
    code: 'RT-BRK-100',
    name: 'Brake caliper 100',
    operations: [
      { sequence: 10, code: 'MACHINING', name: 'Machining' },
      { sequence: 20, code: 'ASSEMBLY', name: 'Assembly' },
      { sequence: 30, code: 'FINAL', name: 'Final inspection' },
    ],
  });
}

/**
 * A few orders on every demo line, numbered by the plant's scheme and moved through their life cycle
 * as a planner would, so the orders page, a record's history and the search box have something to
 * show from the first start: one completed yesterday, one in progress, one released, one planned.
 */
async function seedDemoOrders(
  tx: Sql,
  tenantId: string,
  plantIds: readonly string[],
  products: readonly { id: string; code: string }[],
  now: Date,
) {
  const hours = (offset: number) => new Date(now.getTime() + offset * 3_600_000);
  const stages: { status: Status; start: number; quantity: number }[] = [
    { status: 'completed', start: -30, quantity: 400 },
    { status: 'in_progress', start: -4, quantity: 600 },
    { status: 'released', start: 8, quantity: 500 },
    { status: 'planned', start: 32, quantity: 800 },
  ];
  const path: Record<Status, readonly Status[]> = {
    planned: [],
    released: ['released'],
    in_progress: ['released', 'in_progress'],
    completed: ['released', 'in_progress', 'completed'],
    cancelled: ['cancelled'],
  };
  for (const [index, plant] of DEMO_PLANTS.entries()) {
    const plantId = plantIds[index]!;
    const lines = await tx
      .select({ id: tables.lines.id, code: tables.lines.code })
      .from(tables.lines)
      .where(eq(tables.lines.plantId, plantId));
    for (const demoLine of plant.lines) {
      const lineId = lines.find((l) => l.code === demoLine.code)?.id;
      for (const [n, stage] of stages.entries()) {
        const code = demoLine.products[n % demoLine.products.length]!;
        const order = await createProductionOrder(tx, tenantId, {
          plantId,
          lineId: lineId ?? null,
          productId: products.find((p) => p.code === code)!.id,
          quantity: stage.quantity,
          plannedStart: hours(stage.start),
          plannedEnd: hours(stage.start + 16),
          dueAt: hours(stage.start + 24),
        });
        for (const status of path[stage.status])
          await updateProductionOrder(tx, order.id, { status }, { tenantId, userId: null });
      }
    }
  }
}
