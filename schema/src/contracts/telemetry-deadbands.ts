import { z } from 'zod';
import { TELEMETRY_NAME_PATTERN } from './payloads.js';
import { CODE_PATTERN } from './topics.js';

/*
 * Deadbands for telemetry (docs/device-integration.md, "Telemetry deadbands"): set in the cloud per
 * plant, line or machine and optionally per value name, fetched by the edges of the plant
 * (edge.telemetryDeadbands) and applied at their ingress, before the outbox. A value is kept when it
 * differs from the last kept value of its series by more than the deadband — absolute, or a percentage
 * of that last value — or when the heartbeat interval has passed since then; otherwise it is dropped
 * at the edge. Only telemetry is filtered: states, counts and scans always travel.
 *
 * The comparison is "exceeds", as OPC UA Part 4 §7.22.2 (DataChangeFilter) defines its absolute
 * deadband. Its percent deadband is a share of the value's engineering range, which Plantline does not
 * know, so here a percentage is of the last kept value.
 */
export const deadbandModes = ['absolute', 'percent', 'off'] as const;
export type DeadbandMode = (typeof deadbandModes)[number];

export const DEADBAND_LIMITS = {
  /** Far beyond any physical reading a device sends; keeps numbers printable and comparable. */
  maxAbsolute: 1e12,
  maxPercent: 100,
  minHeartbeatS: 1,
  /** A day: a series the cloud has not heard of for longer looks like a dead sensor. */
  maxHeartbeatS: 86_400,
} as const;

export interface DeadbandSettings {
  mode: DeadbandMode;
  /** Absolute: in the value's unit. Percent: of the last kept value. Off: 0. */
  deadband: number;
  /** The longest a series goes without a kept value; null only for 'off'. */
  heartbeatS: number | null;
}

/** What is wrong with a rule's settings, by field, or null; the cloud's input and the edge's parse share it. */
export function deadbandSettingsProblem(
  settings: DeadbandSettings,
): { field: keyof DeadbandSettings; message: string } | null {
  const { mode, deadband, heartbeatS } = settings;
  if (mode === 'off') {
    if (deadband !== 0) return { field: 'deadband', message: 'A rule that is off has no deadband' };
    if (heartbeatS !== null) return { field: 'heartbeatS', message: 'A rule that is off has no heartbeat' };
    return null;
  }
  const max = mode === 'percent' ? DEADBAND_LIMITS.maxPercent : DEADBAND_LIMITS.maxAbsolute;
  if (!Number.isFinite(deadband) || deadband < 0 || deadband > max) {
    return {
      field: 'deadband',
      message: mode === 'percent' ? 'Use a percentage from 0 to 100' : 'Use a number from 0 to 1e12',
    };
  }
  const { minHeartbeatS, maxHeartbeatS } = DEADBAND_LIMITS;
  if (
    heartbeatS === null ||
    !Number.isInteger(heartbeatS) ||
    heartbeatS < minHeartbeatS ||
    heartbeatS > maxHeartbeatS
  ) {
    return { field: 'heartbeatS', message: `Use whole seconds from ${minHeartbeatS} to ${maxHeartbeatS}` };
  }
  return null;
}

const code = z.string().regex(CODE_PATTERN);

/** One rule as an edge receives it: its scope as codes, as they appear in topics. */
export const telemetryDeadbandSchema = z
  .object({
    plant: code,
    line: code.nullable(),
    machine: code.nullable(),
    /** Null: every value of the scope without a rule of its own name. */
    metric: z.string().regex(TELEMETRY_NAME_PATTERN).nullable(),
    mode: z.enum(deadbandModes),
    deadband: z.number(),
    heartbeatS: z.number().nullable(),
  })
  .superRefine((rule, context) => {
    if (rule.machine !== null && rule.line === null)
      context.addIssue({ code: 'custom', path: ['line'], message: 'A machine rule needs its line' });
    const problem = deadbandSettingsProblem(rule);
    if (problem) context.addIssue({ code: 'custom', path: [problem.field], message: problem.message });
  });
export type TelemetryDeadband = z.infer<typeof telemetryDeadbandSchema>;

export const telemetryDeadbandSetSchema = z.object({ rules: z.array(telemetryDeadbandSchema) });
export type TelemetryDeadbandSet = z.infer<typeof telemetryDeadbandSetSchema>;
