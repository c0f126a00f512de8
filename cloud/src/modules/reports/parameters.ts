import { z } from 'zod';
import { idInput as id, instantInput } from '../../platform/index.js';

/*
 * The parameters a run takes (docs/reports.md, "Parameters and periods"). Every report takes the
 * same typed set and uses the ones its data source reads; a definition's defaults fill what a run
 * leaves out. The period is a preset resolved in the plant's calendar and time zone (periods.ts) or
 * an explicit range.
 */

/** Presets named relative to now in the plant's calendar. */
export const relativePresets = [
  'lastShift',
  'currentShift',
  'today',
  'yesterday',
  'lastIsoWeek',
  'lastMonth',
] as const;
export type RelativePreset = (typeof relativePresets)[number];
export type PeriodPreset = RelativePreset | 'range';

export const periodInput = z.discriminatedUnion('preset', [
  z.object({ preset: z.enum(relativePresets) }),
  z
    .object({ preset: z.literal('range'), from: instantInput, to: instantInput })
    .refine((r) => r.to > r.from, { message: 'The period ends before it starts', path: ['to'] }),
]);
export type PeriodInput = z.infer<typeof periodInput>;

export const runParameters = z.object({
  plantId: id.optional(),
  lineId: id.optional(),
  machineId: id.optional(),
  productId: id.optional(),
  customerId: id.optional(),
  routingId: id.optional(),
  /** The lot a recall starts from. */
  lotId: id.optional(),
  /** Only the shifts of this name ("Early"), for per-shift reports. */
  shiftName: z.string().trim().min(1).max(60).optional(),
  period: periodInput.optional(),
});
export type RunParameters = z.infer<typeof runParameters>;

export type ParameterKey = keyof RunParameters;

/** The run's parameters over the definition's defaults; what the run gives wins. */
export function mergeParameters(defaults: Record<string, unknown>, given: RunParameters): RunParameters {
  const merged = runParameters.safeParse({ ...defaults, ...given });
  // Defaults were validated when saved; a default that no longer parses is dropped, not fatal.
  return merged.success ? merged.data : given;
}
