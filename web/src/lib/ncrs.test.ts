import { describe, expect, it } from 'vitest';
import {
  changedPatch,
  dispositionLabel,
  emptyNcr,
  filterQuery,
  formFieldOf,
  listInput,
  type Ncr,
  newNcrInput,
  parseListFilter,
  prefilledValues,
  stateLabel,
  stateTone,
  unitText,
  validateNcr,
  valuesOf,
} from './ncrs';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** An NCR as ncrs.get returns it, with the fields a test names. */
function ncr(fields: Partial<Ncr> = {}): Ncr {
  return {
    id: id(1),
    plantId: id(2),
    plantCode: 'RIV',
    number: 'NCR-RIV-2026-00001',
    title: 'Burr on bore',
    status: 'draft',
    lineId: id(3),
    lineCode: 'L1',
    machineId: null,
    machineCode: null,
    machineName: null,
    productId: null,
    productCode: null,
    productName: null,
    productionOrderId: null,
    orderNumber: null,
    lot: 'LOT-7',
    serial: null,
    defectCodeId: null,
    defectCode: null,
    defectName: null,
    quantityAffected: 12,
    description: 'Found at final inspection',
    containment: '',
    rootCause: '',
    disposition: null,
    cost: null,
    ownerId: null,
    ownerName: null,
    raisedBy: id(4),
    raisedByName: 'Dana',
    version: 3,
    createdAt: new Date('2026-03-02T06:00:00Z'),
    updatedAt: new Date('2026-03-02T06:00:00Z'),
    inspections: [],
    editable: true,
    editRefusal: null,
    ...fields,
  } as Ncr;
}

describe('words for states and dispositions', () => {
  it('names the default workflow’s states, and any other state from its key', () => {
    expect(stateLabel('rework')).toBe('Rework / verify');
    expect(stateLabel('under_review')).toBe('Under review');
    expect(stateLabel('awaiting_customer')).toBe('Awaiting customer');
    expect([
      stateTone('closed'),
      stateTone('cancelled'),
      stateTone('draft'),
      stateTone('disposition'),
    ]).toEqual(['good', 'ended', 'draft', 'open']);
  });

  it('names dispositions, and none as a dash', () => {
    expect(dispositionLabel('false_nonconformance')).toBe('False non-conformance');
    expect(dispositionLabel(null)).toBe('—');
  });

  it('speaks of a unit as a serial number or a lot with its quantity', () => {
    expect(unitText({ serial: 'SN-1', lot: null, quantity: 1 })).toBe('serial SN-1');
    expect(unitText({ serial: null, lot: 'L-9', quantity: 40 })).toBe('lot L-9 (40)');
  });
});

describe('the list’s filters in the URL', () => {
  it('keeps state keys, ids and words, and drops what is not one', () => {
    const filter = parseListFilter(
      new URLSearchParams({
        status: 'draft,Bad Key,submitted,draft',
        machine: id(5),
        product: 'nope',
        q: 'bore',
      }),
    );
    expect(filter).toEqual({ status: ['draft', 'submitted'], machineId: id(5), productId: '', text: 'bore' });
  });

  it('round-trips through the query, leaving empty parts out', () => {
    const filter = { status: ['closed'], machineId: '', productId: id(6), text: ' seal ' };
    expect(filterQuery(filter)).toEqual({ status: 'closed', machine: null, product: id(6), q: 'seal' });
    const url = new URLSearchParams(
      Object.entries(filterQuery(filter)).filter((e): e is [string, string] => e[1] !== null),
    );
    expect(parseListFilter(url)).toEqual({ ...filter, text: 'seal' });
  });

  it('asks ncrs.list for the plant and only the parts that filter', () => {
    expect(listInput(id(2), { status: [], machineId: '', productId: '', text: '  ' })).toEqual({
      plantId: id(2),
    });
    expect(listInput(id(2), { status: ['draft'], machineId: id(5), productId: '', text: 'x' })).toEqual({
      plantId: id(2),
      status: ['draft'],
      machineId: id(5),
      text: 'x',
    });
  });
});

describe('the form', () => {
  it('checks the title, lengths and amounts as the cloud does', () => {
    expect(validateNcr({ ...emptyNcr(), title: ' ' })).toEqual({ title: 'Enter a title' });
    expect(
      validateNcr({
        ...emptyNcr(),
        title: 'x'.repeat(201),
        lot: 'l'.repeat(65),
        quantityAffected: '-1',
        cost: 'ten',
      }),
    ).toEqual({
      title: 'At most 200 characters',
      lot: 'At most 64 characters',
      quantityAffected: 'Cannot be negative',
      cost: 'Enter a number',
    });
    expect(validateNcr({ ...emptyNcr(), title: 'Fine', quantityAffected: '2.5' })).toEqual({});
  });

  it('fills the form from a prefill, and sends none for what is empty', () => {
    const values = prefilledValues({
      title: 'Scratch: BRK-100 serial SN-1',
      lineId: id(3),
      machineId: null,
      serial: 'SN-1',
      quantityAffected: 1,
    });
    expect(values).toMatchObject({
      title: 'Scratch: BRK-100 serial SN-1',
      lineId: id(3),
      machineId: '',
      quantityAffected: '1',
    });
    expect(newNcrInput({ ...values, lot: '  ', containment: ' Hold ' }, id(2), [id(9)])).toEqual({
      plantId: id(2),
      title: 'Scratch: BRK-100 serial SN-1',
      lineId: id(3),
      machineId: null,
      productId: null,
      productionOrderId: null,
      lot: null,
      serial: 'SN-1',
      defectCodeId: null,
      quantityAffected: 1,
      description: '',
      containment: 'Hold',
      ownerId: null,
      inspectionIds: [id(9)],
    });
    expect(newNcrInput(values, id(2), [])).not.toHaveProperty('inspectionIds');
  });

  it('patches only what differs from the NCR as loaded', () => {
    const loaded = ncr();
    expect(changedPatch(valuesOf(loaded), loaded)).toBeNull();
    expect(changedPatch({ ...valuesOf(loaded), title: ' Burr on bore ', lot: 'LOT-7 ' }, loaded)).toBeNull();
    expect(
      changedPatch(
        {
          ...valuesOf(loaded),
          lineId: '',
          rootCause: 'Worn tool',
          disposition: 'rework',
          cost: '40',
          quantityAffected: '',
        },
        loaded,
      ),
    ).toEqual({
      lineId: null,
      rootCause: 'Worn tool',
      disposition: 'rework',
      cost: 40,
      quantityAffected: null,
    });
  });

  it('shows a server error beside the field it names, in the patch or by the workflow’s name', () => {
    expect(formFieldOf('patch.rootCause')).toBe('rootCause');
    expect(formFieldOf('root_cause')).toBe('rootCause');
    expect(formFieldOf('owner')).toBe('ownerId');
    expect(formFieldOf('disposition')).toBe('disposition');
    expect(formFieldOf('title')).toBe('title');
  });
});
