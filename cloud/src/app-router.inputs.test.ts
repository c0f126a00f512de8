import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from './app-router.js';
import type { Database } from './db/index.js';
import { SESSION_COOKIE } from './http/cookies.js';
import { type ApiClient, signIn } from './testing/api.js';
import { type TestServer, useTestApp } from './testing/app.js';
import { testEngines } from './testing/engines.js';
import { fits, InputSampler, PROBE_FIELD_KEYS, type placesOf, probeInputs } from './testing/inputs.js';
import { setGs1Prefix } from './testing/logistics.js';

type Schema = Parameters<typeof placesOf>[0];
interface ProcedureDef {
  _def: { type: 'query' | 'mutation' | 'subscription'; inputs: Schema[] };
}
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, ProcedureDef>);

/*
 * No input gets an internal server error (500) from any procedure: a malformed value is the
 * caller's fault and is answered with 400 and a reason. The list comes from the router itself, like
 * the access test in app-router.test.ts, so a procedure added later is probed too. Each is called
 * over HTTP as an administrator with wrong shapes, and with a valid input in which one value at a
 * time is replaced by a hostile one (NUL and other control characters, extremes, nested objects,
 * ids of nothing or of the other tenant); the replacements that pass validation reach the code.
 */
const NOT_PROBED: Record<string, string> = {
  // It takes no input, and would end the session every other call here runs on.
  'auth.logout': 'ends the probe’s session',
};

/** Wrong shapes for any input. */
const WRONG_SHAPES: unknown[] = [undefined, [{}], { nonsense: { a: ['\u0000'] } }];

describe.each(testEngines)('malformed input to every procedure ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let server: TestServer;
  let admin: Awaited<ReturnType<typeof signIn>>;
  /** Ids of tenant A's records by input key, and `id` by the router they belong to. */
  const own = new Map<string, string>();
  /** Tenant B's, for the same keys where it has one. */
  const foreign = new Map<string, string>();

  beforeAll(async () => {
    ({ server, admin } = app);
    const { tenants } = app;
    const adminB = await signIn(server.url, tenants.b.adminEmail);
    await buildWorld(admin, tenants.a.plantIds, own, { db: app.database.db, tenantId: tenants.a.tenantId });
    await buildWorld(adminB, tenants.b.plantIds, foreign, {
      db: app.database.db,
      tenantId: tenants.b.tenantId,
    });
  }, 120_000);

  async function call(path: string, type: 'query' | 'mutation', input: unknown) {
    const headers = { cookie: `${SESSION_COOKIE}=${admin.token}`, 'content-type': 'application/json' };
    const encoded = input === undefined ? undefined : JSON.stringify(input);
    const response =
      type === 'query'
        ? await fetch(
            `${server.url}/trpc/${path}${encoded === undefined ? '' : `?input=${encodeURIComponent(encoded)}`}`,
            { headers },
          )
        : await fetch(`${server.url}/trpc/${path}`, {
            method: 'POST',
            headers,
            ...(encoded === undefined ? {} : { body: encoded }),
          });
    const body = (await response.json().catch(() => null)) as {
      error?: { message?: string; data?: { code?: string } };
    } | null;
    return { status: response.status, code: body?.error?.data?.code, message: body?.error?.message };
  }

  it('answers no input with an internal server error (500)', async () => {
    const idFor = (path: string) => (key: string) => {
      const singular = key.replace(/Ids$/, 'Id');
      if (singular !== 'id') return own.get(singular);
      const router = path.split('.').slice(0, -1).join('.');
      return own.get(`${router}.${key}`) ?? own.get(`${path}.${key}`);
    };
    const failures: string[] = [];
    let calls = 0;
    for (const [path, procedure] of procedures) {
      const { type, inputs } = procedure._def;
      // Subscriptions stream over WebSocket and are not probed here (auth.watchSession takes no
      // input; events.live and kpi.live validate theirs in their own modules).
      if (path in NOT_PROBED || type === 'subscription') continue;
      const probe = async (input: unknown) => {
        calls++;
        const answer = await call(path, type, input);
        if (answer.status >= 500 || answer.code === 'INTERNAL_SERVER_ERROR') {
          failures.push(
            `${path} ${JSON.stringify(input)?.slice(0, 300)} → ${answer.status} ${answer.message}`,
          );
        }
      };
      for (const input of WRONG_SHAPES) await probe(input);
      const schema = inputs[0];
      if (schema === undefined) continue;

      const valid = new InputSampler(idFor(path)).sample(schema);
      if (!fits(schema, valid))
        failures.push(`${path}: the probe found no valid input (${JSON.stringify(valid).slice(0, 200)})`);
      for (const input of probeInputs(schema, valid, (key) => foreign.get(key))) await probe(input);
    }
    expect(calls).toBeGreaterThan(500);
    expect(failures).toEqual([]);
  }, 900_000);

  it('answers crafted page cursors with 400', async () => {
    const id = randomUUID();
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const crafted = [
      '%%%',
      encode(null),
      encode({ time: '2026-03-02', id }),
      encode([{ nested: 1 }, id]),
      encode(['2026-03-02 06:00:00+00', ['a']]),
      encode(['not a time', id]),
      encode(['2026-03-02 06:00:00+00\u0000', id]),
      encode(['2026-03-02 06:00:00+00', '------------------------------------']),
      encode({ phase: 'values', value: { a: 1 }, id }),
      encode({ phase: 'nulls', value: null, id: '\u0000' }),
    ];
    const answers: string[] = [];
    for (const cursor of crafted) {
      for (const [path, input] of [
        ['events.recent', { before: cursor }],
        ['config.records.list', { entityType: 'product', cursor }],
        ['production.orders.list', { cursor }],
      ] as const) {
        const answer = await call(path, 'query', input);
        if (answer.status !== 400) answers.push(`${path} ${cursor}: ${answer.status} ${answer.message}`);
      }
    }
    expect(answers).toEqual([]);
  });
});

/** One of every kind of record, created through the API; their ids by input key and by router. */
async function buildWorld(
  client: ApiClient,
  plantIds: string[],
  ids: Map<string, string>,
  owner: { db: Database; tenantId: string },
) {
  const t = client.trpc;
  const plantId = plantIds[0]!;
  ids.set('plantId', plantId);
  ids.set('tenancy.plants.id', plantIds[1]!);
  const area = await t.masterdata.areas.create.mutate({ plantId, code: 'AR1', name: 'Area' });
  const line = await t.masterdata.lines.create.mutate({ plantId, areaId: area.id, code: 'L1', name: 'Line' });
  const machine = await t.masterdata.machines.create.mutate({ lineId: line.id, code: 'M1', name: 'Machine' });
  const station = await t.masterdata.stations.create.mutate({
    plantId,
    lineId: line.id,
    code: 'S1',
    name: 'S',
  });
  const product = await t.production.products.create.mutate({ code: 'P1', name: 'Product' });
  const reason = await t.production.downtimeReasons.create.mutate({
    code: 'R1',
    name: 'Reason',
    bucket: 'availability_loss',
  });
  const stateCode = (await t.production.stateCodes.list.query({}))[0]!;
  const pattern = await t.production.shiftPatterns.create.mutate({
    plantId,
    code: 'SP1',
    name: 'Pattern',
    shifts: [{ code: 'E', name: 'Early', weekdays: [1, 2, 3], startTime: '06:00', durationMinutes: 480 }],
  });
  const shift = await t.production.shifts.create.mutate({
    plantId,
    name: 'Shift',
    startsAt: new Date('2026-03-02T06:00:00Z'),
    endsAt: new Date('2026-03-02T14:00:00Z'),
  });
  const downtime = await t.production.plannedDowntimes.create.mutate({
    machineId: machine.id,
    kind: 'break',
    startsAt: new Date('2026-03-02T10:00:00Z'),
    endsAt: new Date('2026-03-02T10:30:00Z'),
  });
  const routing = await t.production.routings.create.mutate({
    productId: product.id,
    code: 'RT1',
    name: 'Routing',
    operations: [{ sequence: 10, code: 'OP10', name: 'Op', lineId: line.id }],
  });
  const operationId = (await t.production.routings.list.query({ productId: product.id }))[0]!.operations[0]!
    .id;
  const order = await t.production.orders.create.mutate({ plantId, productId: product.id, quantity: 10 });
  const defect = await t.quality.defectCodes.create.mutate({ code: 'D1', name: 'Defect' });
  const plan = await t.quality.inspectionPlans.create.mutate({
    code: 'IP1',
    name: 'Plan',
    productId: product.id,
    operationId,
    characteristics: [{ code: 'DIA', name: 'Diameter', kind: 'variable', lowerLimit: 1, upperLimit: 2 }],
  });
  const characteristicId = (await t.quality.inspectionPlans.list.query({}))[0]!.characteristics[0]!.id;
  const inspection = await t.quality.inspections.record.mutate({
    plantId,
    productId: product.id,
    operationId,
    serial: 'SN1',
    result: 'fail',
  });
  const changeOrder = await t.changeOrders.create.mutate({
    title: 'Change',
    plantId,
    items: [{ productId: product.id, routingId: routing.id }],
  });
  const ncr = await t.ncrs.create.mutate({ plantId, title: 'NCR', inspectionIds: [inspection.id] });
  const customer = await t.logistics.customers.create.mutate({ code: 'C1', name: 'Customer' });
  const shipTo = await t.logistics.customers.addresses.add.mutate({
    customerId: customer.id,
    label: 'Main',
    name: 'Customer',
    country: 'DE',
  });
  const carrier = await t.logistics.carriers.create.mutate({ code: 'CA1', name: 'Carrier' });
  const request = await t.logistics.requests.create.mutate({
    plantId,
    customerId: customer.id,
    productId: product.id,
    quantity: 5,
    requestedDate: '2026-03-02',
  });
  const typeList = await t.config.typeLists.create.mutate({
    code: 'COLOURS',
    name: 'Colours',
    options: [{ code: 'RED', label: 'Red' }],
  });
  const optionId = typeList.options[0]!.id;
  let fieldId = '';
  for (const entityType of [
    'product',
    'machine',
    'line',
    'production_order',
    'change_order',
    'ncr',
    'customer',
    'delivery_request',
  ] as const) {
    const [noteText, weight, colour, due, linked] = PROBE_FIELD_KEYS as [
      string,
      string,
      string,
      string,
      string,
    ];
    const specs = [
      { key: noteText, label: 'Note', type: 'text' as const },
      { key: weight, label: 'Weight', type: 'decimal' as const, settings: { min: 0, unit: 'kg' } },
      { key: colour, label: 'Colour', type: 'single_select' as const, typeListId: typeList.id },
      { key: due, label: 'Due', type: 'datetime' as const },
      { key: linked, label: 'Linked', type: 'entity_ref' as const, settings: { refEntityType: 'product' } },
    ];
    for (const spec of specs) fieldId = (await t.config.fields.create.mutate({ entityType, ...spec })).id;
  }
  const sequence = await t.config.numbering.create.mutate({
    code: 'probe_seq',
    name: 'Seq',
    pattern: 'N-{seq:4}',
  });
  const role = await t.rbac.roles.create.mutate({
    key: 'probe-role',
    name: 'Probe',
    permissions: ['kpi.read'],
  });
  const user = await t.users.create.mutate({
    email: `probe-${randomUUID().slice(0, 8)}@test.plantline.local`,
    displayName: 'Probe',
    password: 'correct horse battery staple',
    roleIds: [role.id],
    plantIds: [plantId],
  });
  const workflow = await t.workflow.definitions.create.mutate({
    key: 'probe_flow',
    name: 'Probe flow',
    entityType: 'line',
  });
  const workflowDraft = (await t.workflow.definitions.get.query({ id: workflow.id })).draft!;
  const printer = await t.logistics.printers.create.mutate({
    plantId,
    code: 'PR1',
    name: 'Printer',
    host: 'printer',
  });
  const label = await t.logistics.labels.issue.mutate({
    plantId,
    templateKey: 'product-lot',
    data: { gtin: '09506000134352', lot: 'L1', description: 'Probe' },
  });
  const print = await t.logistics.labels.print.mutate({ labelId: label.id, printerId: printer.id });
  await setGs1Prefix(client, '9528765');
  const shipment = await t.logistics.shipments.create.mutate({
    plantId,
    customerId: customer.id,
    shipToId: shipTo.id,
    products: [{ productId: product.id, quantity: 2 }],
  });
  const carton = await t.logistics.packing.openPackage.mutate({ shipmentId: shipment.id, kind: 'carton' });
  const unit = await t.materials.units.create.mutate({ code: 'kg', name: 'Kilogram', dimension: 'mass' });
  const material = await t.materials.create.mutate({
    code: 'RM1',
    name: 'Raw',
    kind: 'raw',
    baseUnit: 'kg',
    lotTracked: true,
    serialTracked: true,
  });
  const conversion = await t.materials.conversions.create.mutate({
    fromUnit: 'kg',
    toUnit: 'pcs',
    factor: 4,
    materialId: material.id,
  });
  const bin = await t.materials.locations.create.mutate({ plantId, code: 'B1', name: 'Bin', kind: 'bin' });
  const lot = await t.materials.lots.create.mutate({ plantId, materialId: material.id, lotCode: 'LOT1' });
  const serial = await t.materials.serials.create.mutate({
    plantId,
    materialId: material.id,
    serial: 'SER1',
    lotId: lot.id,
  });
  const [movement] = await t.inventory.receive.mutate({
    materialId: material.id,
    lotId: lot.id,
    locationId: bin.id,
    quantity: 5,
  });
  const apiKey = await t.apiKeys.create.mutate({
    name: 'Probe',
    scopes: ['ingest.write'],
    plantIds: [plantId],
  });

  const byKey: Record<string, string> = {
    areaId: area.id,
    lineId: line.id,
    machineId: machine.id,
    stationId: station.id,
    productId: product.id,
    reasonId: reason.id,
    operationId,
    planId: plan.id,
    characteristicId,
    defectCodeId: defect.id,
    previousInspectionId: inspection.id,
    inspectionId: inspection.id,
    ncrId: ncr.id,
    shiftId: shift.id,
    typeListId: typeList.id,
    optionId,
    fieldId,
    userId: user.id,
    roleId: role.id,
    entityId: product.id,
    'masterdata.areas.id': area.id,
    'masterdata.lines.id': line.id,
    'masterdata.machines.id': machine.id,
    'masterdata.stations.id': station.id,
    'production.products.id': product.id,
    'production.stateCodes.id': stateCode.id,
    'production.downtimeReasons.id': reason.id,
    'production.shiftPatterns.id': pattern.id,
    'production.shifts.id': shift.id,
    'production.plannedDowntimes.id': downtime.id,
    'production.routings.id': routing.id,
    'production.orders.id': order.id,
    routingId: routing.id,
    ownerId: user.id,
    'changeOrders.id': changeOrder.id,
    'quality.defectCodes.id': defect.id,
    'quality.inspectionPlans.id': plan.id,
    'quality.inspections.id': inspection.id,
    'ncrs.id': ncr.id,
    customerId: customer.id,
    shipToId: shipTo.id,
    requestId: request.id,
    'logistics.customers.id': customer.id,
    'logistics.customers.addresses.id': shipTo.id,
    'logistics.carriers.id': carrier.id,
    'logistics.requests.id': request.id,
    'config.fields.id': fieldId,
    'config.typeLists.id': typeList.id,
    'config.typeLists.updateOption.id': optionId,
    'config.numbering.id': sequence.id,
    'rbac.roles.id': role.id,
    'users.id': user.id,
    'apiKeys.id': apiKey.id,
    'kpi.id': machine.id,
    workflowId: workflow.id,
    versionId: workflowDraft.id,
    fromVersionId: workflowDraft.id,
    toVersionId: workflowDraft.id,
    'workflow.definitions.id': workflow.id,
    delegateId: user.id,
    printerId: printer.id,
    labelId: label.id,
    printId: print.id,
    'logistics.printers.id': printer.id,
    'logistics.labels.id': label.id,
    shipmentId: shipment.id,
    'logistics.shipments.id': shipment.id,
    itemId: shipment.items[0]!.id,
    removeItemId: shipment.items[0]!.id,
    packageId: carton.id,
    materialId: material.id,
    lotId: lot.id,
    locationId: bin.id,
    toLocationId: bin.id,
    parentId: bin.id,
    movementId: movement!.id,
    'materials.id': material.id,
    'materials.units.id': unit.id,
    'materials.conversions.id': conversion.id,
    'materials.locations.id': bin.id,
    'materials.lots.id': lot.id,
    'materials.serials.id': serial.id,
  };
  for (const [key, value] of Object.entries(byKey)) ids.set(key, value);
}
