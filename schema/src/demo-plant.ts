import { z } from 'zod';

/*
 * The demo plants, in one place: the cloud's demo seed creates their master data from this, and the
 * edge's simulator drives their machines from it, so codes, ideal cycle times, reasons and the shift
 * calendar cannot drift apart. What the characters mean and how the losses come about: docs/demo.md.
 */

/**
 * How a machine behaves, beyond its ideal cycle. Times are simulated minutes of running between
 * events (the mean of an exponential draw); rates are fractions.
 */
export interface DemoMachineCharacter {
  /** Mean running minutes between failures. */
  mtbfMinutes: number;
  /** Mean running minutes between microstops (10–90 s each). */
  microstopEveryMinutes: number;
  /** Mean running minutes between spells of reduced speed. */
  slowSpellEveryMinutes: number;
  /** How much slower than ideal a normal cycle runs at most (0.08: 0–8 % slower, never faster). */
  cycleSpread: number;
  /** Share of parts scrapped. */
  scrapRate: number;
  /** Parts per production order; an order's end is a changeover. */
  orderSize: number;
}

export interface DemoMachine {
  code: string;
  name: string;
  idealCycleSeconds: number;
  /** One line of what this machine is like, for the docs and the seed's descriptions. */
  role: string;
  character: DemoMachineCharacter;
}

export interface DemoLine {
  code: string;
  name: string;
  machines: readonly DemoMachine[];
  /** Products this line makes, in the order its orders cycle through them. */
  products: readonly string[];
}

export interface DemoPlant {
  code: string;
  name: string;
  timezone: string;
  lines: readonly DemoLine[];
  /** Scan stations: the first packs each good part of a line's last machine, the second ships pallets. */
  stations: readonly string[];
}

export interface DemoReason {
  code: string;
  name: string;
  bucket: 'planned_stop' | 'availability_loss';
  category: string;
  /** Failures only: how long a repair takes, in minutes (uniform between the two). */
  repairMinutes?: readonly [number, number];
}

/** Every reason the simulator sends, with the loss bucket the seed gives it. */
export const DEMO_REASONS: readonly DemoReason[] = [
  { code: 'BREAK', name: 'Break', bucket: 'planned_stop', category: 'organisational' },
  { code: 'LUNCH', name: 'Lunch break', bucket: 'planned_stop', category: 'organisational' },
  { code: 'MAINTENANCE', name: 'Planned maintenance', bucket: 'planned_stop', category: 'maintenance' },
  { code: 'NO_ORDERS', name: 'No orders', bucket: 'planned_stop', category: 'organisational' },
  { code: 'JAM', name: 'Jam', bucket: 'availability_loss', category: 'mechanical', repairMinutes: [3, 12] },
  {
    code: 'TOOL_BREAK',
    name: 'Tool break',
    bucket: 'availability_loss',
    category: 'tooling',
    repairMinutes: [10, 35],
  },
  {
    code: 'ELECTRICAL',
    name: 'Electrical fault',
    bucket: 'availability_loss',
    category: 'electrical',
    repairMinutes: [15, 60],
  },
  {
    code: 'MATERIAL_SHORTAGE',
    name: 'Material shortage',
    bucket: 'availability_loss',
    category: 'material',
    repairMinutes: [5, 30],
  },
  {
    code: 'HYDRAULIC',
    name: 'Hydraulic fault',
    bucket: 'availability_loss',
    category: 'mechanical',
    repairMinutes: [20, 75],
  },
  {
    code: 'SENSOR_FAULT',
    name: 'Sensor fault',
    bucket: 'availability_loss',
    category: 'electrical',
    repairMinutes: [4, 20],
  },
  { code: 'PRODUCT_CHANGE', name: 'Product change', bucket: 'availability_loss', category: 'changeover' },
];

/** The changeover between two orders: its reason and how long it takes, in minutes. */
export const DEMO_CHANGEOVER = { reason: 'PRODUCT_CHANGE', minutes: [12, 35] as const };

/** GTINs under GS1's example company prefix 0952123, so the demo's shipments can be packed by scan. */
export const DEMO_PRODUCTS = [
  { code: 'BRK-100', name: 'Brake caliper 100', unit: 'pcs', gtin: '09521234100010' },
  { code: 'BRK-200', name: 'Brake caliper 200', unit: 'pcs', gtin: '09521234100027' },
  { code: 'HSG-310', name: 'Pump housing 310', unit: 'pcs', gtin: '09521234100034' },
  { code: 'SHF-020', name: 'Drive shaft 020', unit: 'pcs', gtin: '09521234100041' },
  { code: 'FLG-450', name: 'Flange 450', unit: 'pcs', gtin: '09521234100058' },
] as const;

/**
 * Both plants' calendar: three 8-hour shifts, every day, from 06:00 local time, each with two short
 * breaks and a lunch break at these offsets into the shift.
 */
export const DEMO_SHIFT_CALENDAR = {
  firstShiftStart: '06:00',
  shiftHours: 8,
  shifts: [
    { code: 'A', name: 'Early', startTime: '06:00' },
    { code: 'B', name: 'Late', startTime: '14:00' },
    { code: 'C', name: 'Night', startTime: '22:00' },
  ],
  breaks: [
    { offsetMinutes: 120, durationMinutes: 15, reason: 'BREAK' },
    { offsetMinutes: 240, durationMinutes: 30, reason: 'LUNCH' },
    { offsetMinutes: 360, durationMinutes: 15, reason: 'BREAK' },
  ],
} as const;

/** The usual machine: a failure every few hours, a microstop every quarter hour. */
const typical: DemoMachineCharacter = {
  mtbfMinutes: 240,
  microstopEveryMinutes: 15,
  slowSpellEveryMinutes: 120,
  cycleSpread: 0.08,
  scrapRate: 0.02,
  orderSize: 300,
};
/** Well maintained and stable: rare failures, short microstops, little scrap. */
const good: DemoMachineCharacter = {
  mtbfMinutes: 600,
  microstopEveryMinutes: 30,
  slowSpellEveryMinutes: 240,
  cycleSpread: 0.05,
  scrapRate: 0.015,
  orderSize: 400,
};
/** Worn: fails every hour or so and scraps more. */
const unreliable: DemoMachineCharacter = {
  mtbfMinutes: 90,
  microstopEveryMinutes: 12,
  slowSpellEveryMinutes: 90,
  cycleSpread: 0.1,
  scrapRate: 0.04,
  orderSize: 300,
};
/** The slowest step of its line, run hard: microstops and slow spells rather than failures. */
const bottleneck: DemoMachineCharacter = {
  mtbfMinutes: 300,
  microstopEveryMinutes: 8,
  slowSpellEveryMinutes: 60,
  cycleSpread: 0.1,
  scrapRate: 0.025,
  orderSize: 250,
};

/** The four characters, for layouts other than the demo plants' (benchmarks give every machine `typical`). */
export const DEMO_CHARACTERS = { typical, good, unreliable, bottleneck } as const;

const machine = (
  code: string,
  name: string,
  idealCycleSeconds: number,
  role: string,
  character: DemoMachineCharacter,
): DemoMachine => ({ code, name, idealCycleSeconds, role, character });

/*
 * Riverside keeps the plain names its first version had ("Line 1", "L1 machine 1"): the browser tests
 * and screenshots know them. What each machine does is in its role.
 */
export const DEMO_PLANTS: readonly DemoPlant[] = [
  {
    code: 'RIV',
    name: 'Riverside Assembly',
    timezone: 'Europe/Berlin',
    stations: ['S1', 'S2'],
    lines: [
      {
        code: 'L1',
        name: 'Line 1',
        products: ['BRK-100', 'BRK-200'],
        machines: [
          machine('M1', 'L1 machine 1', 38, 'caliper casting; typical', typical),
          machine('M2', 'L1 machine 2', 45, 'bore machining; the bottleneck of line 1', bottleneck),
          machine('M3', 'L1 machine 3', 30, 'piston press; the good one, rarely fails', good),
          machine('M4', 'L1 machine 4', 34, 'seal fitting; unreliable, fails every hour or so', unreliable),
          machine(
            'M5',
            'L1 machine 5',
            36,
            'leak test; typical, its parts are scanned at S1 and S2',
            typical,
          ),
        ],
      },
      {
        code: 'L2',
        name: 'Line 2',
        products: ['HSG-310', 'BRK-200'],
        machines: [
          machine('M1', 'L2 machine 1', 52, 'housing milling; the bottleneck of line 2', bottleneck),
          machine('M2', 'L2 machine 2', 28, 'deburring; the good one', good),
          machine('M3', 'L2 machine 3', 30, 'washing; typical', typical),
          machine('M4', 'L2 machine 4', 40, 'pump assembly; typical', typical),
          machine('M5', 'L2 machine 5', 42, 'end-of-line test; an unreliable rig', unreliable),
        ],
      },
    ],
  },
  {
    code: 'LAK',
    name: 'Lakeside Machining',
    timezone: 'America/Chicago',
    stations: ['S1', 'S2'],
    lines: [
      {
        code: 'T1',
        name: 'Shaft turning',
        products: ['SHF-020', 'FLG-450'],
        machines: [
          machine('M1', 'CNC lathe 1', 75, 'the good one', good),
          machine('M2', 'CNC lathe 2', 75, 'an old lathe; unreliable', unreliable),
          machine('M3', 'Induction hardening', 90, 'the bottleneck of the plant', bottleneck),
          machine('M4', 'Cylindrical grinding', 80, 'typical', typical),
          machine('M5', 'Balancing and marking', 50, 'typical; its parts are scanned at S1 and S2', typical),
        ],
      },
      {
        code: 'C1',
        name: 'Housing cell',
        products: ['HSG-310', 'FLG-450'],
        machines: [
          machine('M1', '5-axis machining centre 1', 120, 'typical', typical),
          machine('M2', '5-axis machining centre 2', 120, 'older spindle; unreliable', unreliable),
          machine('M3', 'Deburring and washing', 45, 'the good one', good),
          machine('M4', 'Coordinate measuring', 60, 'the good one', good),
          machine('M5', 'Marking and packing', 45, 'typical', typical),
        ],
      },
    ],
  },
];

export function demoPlant(code: string): DemoPlant | undefined {
  return DEMO_PLANTS.find((plant) => plant.code === code);
}

/**
 * The demo's history backfill (docs/demo.md): its progress, kept in the cloud's data folder in
 * DEMO_HISTORY_FILE. The demo seed writes it as `pending` on first start; the backfill (edge's
 * simulator/history.ts) fixes `from` and `to` when it begins and counts `eventsDone` as the cloud
 * acknowledges batches; the cloud's `demo.history` query reads it for the UI.
 */
export const DEMO_HISTORY_FILE = 'demo-history.json';

export const demoHistoryProgress = z.object({
  state: z.enum(['pending', 'running', 'done', 'failed']),
  tenantId: z.string(),
  days: z.number().int().min(1),
  from: z.string().nullable(),
  to: z.string().nullable(),
  eventsTotal: z.number().int().min(0),
  eventsDone: z.number().int().min(0),
  /** Chunks (one plant's shift each, newest first) fully acknowledged: a restart resumes after them. */
  chunksDone: z.number().int().min(0),
  /** The events of those chunks: where `eventsDone` restarts when a restart resumes. */
  eventsInDoneChunks: z.number().int().min(0).default(0),
  error: z.string().optional(),
});
export type DemoHistoryProgress = z.infer<typeof demoHistoryProgress>;
