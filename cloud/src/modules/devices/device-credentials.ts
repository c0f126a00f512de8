import { randomBytes, scrypt } from 'node:crypto';
import { DEVICE_SCRYPT, type DeviceCredentialSet, tables } from '@plantline/schema';
import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Sql } from '../../db/index.js';
import { audit, DomainError, notFound, type Principal, unlessTaken } from '../../platform/index.js';
import { resolveDeviceScope } from './device-scope.js';

/**
 * MQTT logins for devices on an edge's embedded broker (schema/src/tables/device-credentials.ts).
 * The password is random and shown once. It is stored as scrypt rather than the SHA-256 that API
 * keys get, because the hash travels to the edges and lives on their disks in the plant; scrypt is in
 * node:crypto on both sides (the format: schema/src/contracts/device-credentials.ts).
 */
export async function hashDevicePassword(password: string): Promise<string> {
  const { N, r, p, keyLength, saltBytes } = DEVICE_SCRYPT;
  const salt = randomBytes(saltBytes);
  const hash = await new Promise<Buffer>((resolve, reject) =>
    scrypt(password, salt, keyLength, { N, r, p }, (err, key) => (err ? reject(err) : resolve(key))),
  );
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

export interface NewDeviceCredential {
  username: string;
  plantId: string;
  lineId?: string | undefined;
  machineId?: string | undefined;
}

export async function createDeviceCredential(tx: Sql, principal: Principal, input: NewDeviceCredential) {
  const { plantId, lineId, machineId } = input;
  const { plantCode, lineCode, machineCode } = await resolveDeviceScope(tx, principal, input);
  const password = randomBytes(24).toString('base64url');
  const [created] = await unlessTaken(
    tx
      .insert(tables.deviceCredentials)
      .values({
        tenantId: principal.tenantId,
        plantId,
        lineId: lineId ?? null,
        machineId: machineId ?? null,
        username: input.username,
        passwordHash: await hashDevicePassword(password),
        createdBy: principal.userId,
      })
      .returning({ id: tables.deviceCredentials.id, createdAt: tables.deviceCredentials.createdAt }),
    () => new DomainError('conflict', 'This username is taken', { username: 'This username is taken' }),
  );
  // The login's rights as codes; the password and its hash stay out of the trail, since the hash
  // would let a reader of the trail guess the password offline.
  audit(tx, {
    action: 'device_credential.create',
    entityType: 'device_credential',
    entityId: created!.id,
    entityLabel: input.username,
    plantId,
    after: { username: input.username, plant: plantCode, line: lineCode, machine: machineCode },
  });
  return { id: created!.id, username: input.username, password, createdAt: created!.createdAt };
}

/** Row-level security limits the rows to the caller's plants; the hash is never listed. */
export async function listDeviceCredentials(tx: Sql) {
  const lines = alias(tables.lines, 'scope_line');
  const machines = alias(tables.machines, 'scope_machine');
  return tx
    .select({
      id: tables.deviceCredentials.id,
      username: tables.deviceCredentials.username,
      plantId: tables.deviceCredentials.plantId,
      plantCode: tables.plants.code,
      lineId: tables.deviceCredentials.lineId,
      lineCode: lines.code,
      machineId: tables.deviceCredentials.machineId,
      machineCode: machines.code,
      createdAt: tables.deviceCredentials.createdAt,
      revokedAt: tables.deviceCredentials.revokedAt,
    })
    .from(tables.deviceCredentials)
    .innerJoin(tables.plants, eq(tables.plants.id, tables.deviceCredentials.plantId))
    .leftJoin(lines, eq(lines.id, tables.deviceCredentials.lineId))
    .leftJoin(machines, eq(machines.id, tables.deviceCredentials.machineId))
    .orderBy(desc(tables.deviceCredentials.createdAt), asc(tables.deviceCredentials.username));
}

/** Idempotent: revoking again keeps the first time. Edges refuse the device at their next sync. */
export async function revokeDeviceCredential(tx: Sql, id: string) {
  const [revoked] = await tx
    .update(tables.deviceCredentials)
    .set({ revokedAt: new Date() })
    .where(and(eq(tables.deviceCredentials.id, id), isNull(tables.deviceCredentials.revokedAt)))
    .returning({
      id: tables.deviceCredentials.id,
      username: tables.deviceCredentials.username,
      plantId: tables.deviceCredentials.plantId,
      revokedAt: tables.deviceCredentials.revokedAt,
    });
  if (revoked !== undefined) {
    audit(tx, {
      action: 'device_credential.revoke',
      entityType: 'device_credential',
      entityId: revoked.id,
      entityLabel: revoked.username,
      plantId: revoked.plantId,
      before: { revokedAt: null },
      after: { revokedAt: revoked.revokedAt },
    });
    return { id: revoked.id, revokedAt: revoked.revokedAt };
  }
  const [existing] = await tx
    .select({ id: tables.deviceCredentials.id, revokedAt: tables.deviceCredentials.revokedAt })
    .from(tables.deviceCredentials)
    .where(eq(tables.deviceCredentials.id, id));
  if (existing === undefined) throw notFound('Device credential');
  return existing;
}

/**
 * What an edge needs to verify its devices: the credentials of its key's plants (row-level security
 * confines the key to them), with hashes, scopes as codes, and revocations.
 */
export async function deviceCredentialsForEdge(tx: Sql): Promise<DeviceCredentialSet> {
  const lines = alias(tables.lines, 'scope_line');
  const machines = alias(tables.machines, 'scope_machine');
  const credentials = await tx
    .select({
      username: tables.deviceCredentials.username,
      passwordHash: tables.deviceCredentials.passwordHash,
      plant: tables.plants.code,
      line: lines.code,
      machine: machines.code,
      revokedAt: tables.deviceCredentials.revokedAt,
    })
    .from(tables.deviceCredentials)
    .innerJoin(tables.plants, eq(tables.plants.id, tables.deviceCredentials.plantId))
    .leftJoin(lines, eq(lines.id, tables.deviceCredentials.lineId))
    .leftJoin(machines, eq(machines.id, tables.deviceCredentials.machineId))
    .orderBy(asc(tables.deviceCredentials.username));
  return {
    credentials: credentials.map((credential) => ({
      ...credential,
      revokedAt: credential.revokedAt?.toISOString() ?? null,
    })),
  };
}
