import { tables } from '@plantline/schema';
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
import { createRouting } from './routings.js';
import { createShiftPattern, type ShiftDefinitionFields } from './shift-patterns.js';
import { generateShifts } from './shifts.js';

/*
 * Defaults. Every tenant starts with the state mapping (OEE means nothing without it, docs/kpis.md);
 * the demo tenant also gets what the simulator (edge/src/simulator/plant-model.ts) sends: its reasons,
 * products, cycle times, three 8-hour shifts with the same breaks, and a routing.
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
export const DEMO_DOWNTIME_REASONS: readonly DowntimeReasonFields[] = [
  { code: 'BREAK', name: 'Break', bucket: 'planned_stop', category: 'organisational' },
  { code: 'LUNCH', name: 'Lunch break', bucket: 'planned_stop', category: 'organisational' },
  { code: 'MAINTENANCE', name: 'Planned maintenance', bucket: 'planned_stop', category: 'maintenance' },
  { code: 'NO_ORDERS', name: 'No orders', bucket: 'planned_stop', category: 'organisational' },
  { code: 'JAM', name: 'Jam', bucket: 'availability_loss', category: 'mechanical' },
  { code: 'TOOL_BREAK', name: 'Tool break', bucket: 'availability_loss', category: 'tooling' },
  { code: 'ELECTRICAL', name: 'Electrical fault', bucket: 'availability_loss', category: 'electrical' },
  { code: 'MATERIAL_SHORTAGE', name: 'Material shortage', bucket: 'availability_loss', category: 'material' },
  { code: 'HYDRAULIC', name: 'Hydraulic fault', bucket: 'availability_loss', category: 'mechanical' },
  { code: 'SENSOR_FAULT', name: 'Sensor fault', bucket: 'availability_loss', category: 'electrical' },
  { code: 'PRODUCT_CHANGE', name: 'Product change', bucket: 'availability_loss', category: 'changeover' },
];

export const DEMO_PRODUCTS = [
  { code: 'BRK-100', name: 'Brake caliper 100', unit: 'pcs' },
  { code: 'BRK-200', name: 'Brake caliper 200', unit: 'pcs' },
  { code: 'HSG-310', name: 'Pump housing 310', unit: 'pcs' },
  { code: 'SHF-020', name: 'Drive shaft 020', unit: 'pcs' },
] as const;

/**
 * The simulator's ideal cycle per machine, in seconds: PlantModel draws it from its seeded generator
 * (seed 1, the default) as round(20 000 + random() × 40 000) ms, the same for every product. These are
 * the machine defaults, so the demo's performance factor is measured against what the simulator targets.
 */
export const DEMO_CYCLE_SECONDS: Readonly<Record<string, number>> = {
  'L1/M1': 45.083,
  'L1/M2': 41.098,
  'L1/M3': 58.735,
  'L1/M4': 44.514,
  'L1/M5': 37.032,
  'L2/M1': 38.211,
  'L2/M2': 25.557,
  'L2/M3': 29.901,
  'L2/M4': 39.566,
  'L2/M5': 35.785,
};

/** The simulator's shifts: three of 8 hours, breaks 2 h (15 min), 4 h (30 min) and 6 h (15 min) in. */
const simulatorBreaks = [
  { offsetMinutes: 120, durationMinutes: 15, reason: 'BREAK' },
  { offsetMinutes: 240, durationMinutes: 30, reason: 'LUNCH' },
  { offsetMinutes: 360, durationMinutes: 15, reason: 'BREAK' },
];
const everyDay = [1, 2, 3, 4, 5, 6, 7];
export const DEMO_SHIFTS: ShiftDefinitionFields[] = [
  {
    code: 'A',
    name: 'Early',
    weekdays: everyDay,
    startTime: '06:00',
    durationMinutes: 480,
    breaks: simulatorBreaks,
  },
  {
    code: 'B',
    name: 'Late',
    weekdays: everyDay,
    startTime: '14:00',
    durationMinutes: 480,
    breaks: simulatorBreaks,
  },
  {
    code: 'C',
    name: 'Night',
    weekdays: everyDay,
    startTime: '22:00',
    durationMinutes: 480,
    breaks: simulatorBreaks,
  },
];

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
    .select({ id: tables.machines.id, code: tables.machines.code, lineCode: tables.lines.code })
    .from(tables.machines)
    .innerJoin(tables.lines, eq(tables.lines.id, tables.machines.lineId))
    .where(inArray(tables.machines.plantId, [...plantIds]));
  for (const machine of machines) {
    const seconds = DEMO_CYCLE_SECONDS[`${machine.lineCode}/${machine.code}`];
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
