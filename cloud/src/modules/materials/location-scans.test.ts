import { elementString, gs1CheckDigit } from '@plantline/schema/gs1';
import { beforeAll, describe, expect, it } from 'vitest';
import { addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { testEngines } from '../../testing/engines.js';

/*
 * Moving stock by scanning GS1 location labels (docs/materials.md, "Location labels"): (414) the
 * plant's GLN and (254) the bin's code name the bin as its plain code does; a label of another plant,
 * an unknown bin or a broken label is refused with the reason.
 */
const gln = (body: string) => `${body}${gs1CheckDigit(body)}`;
const GLN_A1 = gln('952123400001');
const GLN_A2 = gln('952123400002');
const GTIN = gln('0952123400001');
const label = (plantGln: string, code: string) => `(414)${plantGln}(254)${code}`;

describe.each(testEngines)('location labels scanned ($name engine)', (engine) => {
  const app = useTestApp(engine);
  const s = {} as {
    plantA1: string;
    plantA2: string;
    resin: string;
    dock: string;
    bin: string;
    binA2: string;
  };
  const identify = (data: string, plantId = s.plantA1) =>
    app.admin.trpc.inventory.identify.query({ plantId, data });

  beforeAll(async () => {
    const { materials, tenancy } = app.admin.trpc;
    [s.plantA1, s.plantA2] = app.tenants.a.plantIds as [string, string];
    await tenancy.plants.update.mutate({ id: s.plantA1, patch: { gln: GLN_A1 } });
    await tenancy.plants.update.mutate({ id: s.plantA2, patch: { gln: GLN_A2 } });
    await materials.units.create.mutate({ code: 'kg', name: 'Kilogram', dimension: 'mass' });
    s.resin = (
      await materials.create.mutate({ code: 'RES-1', name: 'Resin', kind: 'raw', baseUnit: 'kg', gtin: GTIN })
    ).id;
    const location = (plantId: string, code: string, kind: 'receiving' | 'bin') =>
      materials.locations.create.mutate({ plantId, code, name: code, kind }).then((l) => l.id);
    s.dock = await location(s.plantA1, 'GR', 'receiving');
    s.bin = await location(s.plantA1, 'RM-01', 'bin');
    s.binA2 = await location(s.plantA2, 'RM-01', 'bin');
  });

  it('moves stock to a bin scanned by its location label, in each GS1 form, as by its code', async () => {
    await app.admin.trpc.inventory.receiveScan.mutate({
      locationId: s.dock,
      data: `(01)${GTIN}(3102)002500`,
    });
    const forms = [
      label(GLN_A1, 'RM-01'),
      `]C1${elementString([
        { ai: '414', value: GLN_A1 },
        { ai: '254', value: 'RM-01' },
      ])}\r\n`,
      `https://id.gs1.org/414/${GLN_A1}/254/RM-01`,
      'RM-01',
    ];
    for (const data of forms)
      expect(await identify(data)).toMatchObject({
        kind: 'location',
        location: { id: s.bin, code: 'RM-01' },
      });
    expect(await identify(label(GLN_A2, 'RM-01'), s.plantA2)).toMatchObject({ location: { id: s.binA2 } });
    const from = await identify(label(GLN_A1, 'GR'));
    const to = await identify(label(GLN_A1, 'RM-01'));
    if (from.kind !== 'location' || to.kind !== 'location') throw new Error('Not locations');
    await app.admin.trpc.inventory.moveScanned.mutate({
      fromLocationId: from.location.id,
      toLocationId: to.location.id,
      items: [{ materialId: s.resin, lotId: null }],
    });
    const [balance] = await app.admin.trpc.inventory.balances.query({ locationId: s.bin });
    expect(balance?.quantity).toBe('25');
  });

  it('refuses another plant’s label, an unknown bin and a broken label, saying why', async () => {
    const refused = (data: string, message: string, plantId = s.plantA1) =>
      expectApiError(identify(data, plantId), 'BAD_REQUEST', message);
    await refused(label(GLN_A2, 'RM-01'), 'This label belongs to plant A2, not A1');
    await refused(label(GLN_A1, 'RM-99'), 'Plant A1 has no location RM-99');
    await refused('(254)RM-01', 'The label names a location (AI 254) without its GLN (AI 414)');
    await refused(
      label(`${GLN_A1.slice(0, 12)}0`, 'RM-01'),
      `Not a valid location label: The check digit of ${GLN_A1.slice(0, 12)}0 is wrong`,
    );
    const unknown = gln('952123499999');
    await refused(
      label(unknown, 'RM-01'),
      `This label belongs to GLN ${unknown}, not to plant A1 (GLN ${GLN_A1})`,
    );
    // A user of A2 alone is not told which plant of the tenant an A1 label belongs to.
    const { roleIds } = app.tenants.a;
    const userA2 = await signIn(
      app.server.url,
      (await addUser(app.admin, { roleIds: [roleIds.supervisor!], plantIds: [s.plantA2] })).email,
    );
    await expectApiError(
      userA2.trpc.inventory.identify.query({ plantId: s.plantA2, data: label(GLN_A1, 'RM-01') }),
      'BAD_REQUEST',
      `This label belongs to GLN ${GLN_A1}, not to plant A2 (GLN ${GLN_A2})`,
    );
    await app.admin.trpc.tenancy.plants.update.mutate({ id: s.plantA2, patch: { gln: null } });
    try {
      await refused(label(GLN_A1, 'RM-01'), 'This label belongs to plant A1, not A2', s.plantA2);
      await refused(
        label(gln('952123499998'), 'RM-01'),
        'Plant A2 has no GLN to read location labels by: enter it on the plant',
        s.plantA2,
      );
    } finally {
      await app.admin.trpc.tenancy.plants.update.mutate({ id: s.plantA2, patch: { gln: GLN_A2 } });
    }
  });
});
