import { tables } from '@plantline/schema';
import { and, eq } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { canSeePlant, DomainError, notFound, type Principal } from '../../platform/index.js';

/** A plant, optionally one of its lines and a machine of that line: where devices and their rules apply. */
export interface DeviceScopeInput {
  plantId: string;
  lineId?: string | undefined;
  machineId?: string | undefined;
}

export interface DeviceScope {
  plantCode: string;
  lineCode: string | null;
  machineCode: string | null;
}

/**
 * Checks that the scope's parts fit together and lie in the caller's reach, and returns their codes as
 * they appear in topics. Row-level security shows only plants in the caller's reach; the check in code
 * says so before the database would.
 */
export async function resolveDeviceScope(
  tx: Sql,
  principal: Principal,
  { plantId, lineId, machineId }: DeviceScopeInput,
): Promise<DeviceScope> {
  if (!canSeePlant(principal, plantId)) throw notFound('Plant');
  const [plant] = await tx
    .select({ code: tables.plants.code })
    .from(tables.plants)
    .where(eq(tables.plants.id, plantId));
  if (plant === undefined) throw notFound('Plant');
  let lineCode: string | null = null;
  if (lineId !== undefined) {
    const [line] = await tx
      .select({ code: tables.lines.code })
      .from(tables.lines)
      .where(and(eq(tables.lines.id, lineId), eq(tables.lines.plantId, plantId)));
    if (line === undefined) throw notFound('Line');
    lineCode = line.code;
  }
  let machineCode: string | null = null;
  if (machineId !== undefined) {
    if (lineId === undefined) {
      throw new DomainError('invalid', 'A machine scope needs its line', { lineId: 'Choose the line' });
    }
    const [machine] = await tx
      .select({ code: tables.machines.code })
      .from(tables.machines)
      .where(and(eq(tables.machines.id, machineId), eq(tables.machines.lineId, lineId)));
    if (machine === undefined) throw notFound('Machine');
    machineCode = machine.code;
  }
  return { plantCode: plant.code, lineCode, machineCode };
}
