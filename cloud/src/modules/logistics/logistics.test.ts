import { describe, expect, it } from 'vitest';
import { addUser, apiClient, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { testEngines } from '../../testing/engines.js';
import { GS1_DATA_MAX_LENGTH } from './gs1.js';

/*
 * `logistics.gs1.parse` through the real server on each engine (docs/gs1.md): who may call it and
 * what comes back over the wire.
 */
describe.each(testEngines)('logistics.gs1.parse ($name engine)', (engine) => {
  const app = useTestApp(engine);

  it('reads a scanned logistic label for a caller with logistics.read', async () => {
    const label = ']C100095287654321012346020952123454321337100\x1d10LOT-7';
    const result = await app.admin.trpc.logistics.gs1.parse.query({ data: label });
    expect(result).toEqual({
      ok: true,
      symbology: 'gs1-128',
      syntax: 'element-string',
      elements: [
        { ai: '00', value: '095287654321012346' },
        { ai: '02', value: '09521234543213' },
        { ai: '37', value: '100' },
        { ai: '10', value: 'LOT-7' },
      ],
      errors: [],
    });
  });

  it('answers refused data with its reasons, not with an error', async () => {
    const result = await app.admin.trpc.logistics.gs1.parse.query({
      data: 'https://id.gs1.org/01/09521234543214/10/ABC',
    });
    expect(result.ok).toBe(false);
    expect(result.syntax).toBe('digital-link');
    expect(result.errors).toEqual([
      {
        code: 'bad_check_digit',
        message: 'The check digit of 09521234543214 is wrong',
        ai: '01',
        position: 22,
      },
    ]);
  });

  it('takes the separator a keyboard wedge types', async () => {
    const result = await app.admin.trpc.logistics.gs1.parse.query({
      data: '010952123454321310ABCAlt02921XYZ',
      separator: 'Alt029',
    });
    expect(result.elements.map((element) => element.ai)).toEqual(['01', '10', '21']);
  });

  it('is open to a role with logistics.read only and refused to others', async () => {
    const { admin, server, tenants } = app;
    const reader = await admin.trpc.rbac.roles.create.mutate({
      key: 'gs1-reader',
      name: 'GS1 reader',
      permissions: ['logistics.read'],
    });
    const other = await admin.trpc.rbac.roles.create.mutate({
      key: 'kpi-only',
      name: 'KPI only',
      permissions: ['kpi.read'],
    });
    const plantIds = [tenants.a.plantIds[0]!];
    const withRead = await signIn(
      server.url,
      (await addUser(admin, { roleIds: [reader.id], plantIds })).email,
    );
    const without = await signIn(server.url, (await addUser(admin, { roleIds: [other.id], plantIds })).email);
    expect((await withRead.trpc.logistics.gs1.parse.query({ data: '(01)09521234543213' })).ok).toBe(true);
    await expectApiError(
      without.trpc.logistics.gs1.parse.query({ data: '(01)09521234543213' }),
      'FORBIDDEN',
      'This needs the permission logistics.read',
    );
    await expectApiError(
      apiClient(server.url).trpc.logistics.gs1.parse.query({ data: '(01)09521234543213' }),
      'UNAUTHORIZED',
    );
  });

  it('refuses data longer than any GS1 symbol holds', async () => {
    await expectApiError(
      app.admin.trpc.logistics.gs1.parse.query({ data: '9'.repeat(GS1_DATA_MAX_LENGTH + 1) }),
      'BAD_REQUEST',
    );
  });
});
