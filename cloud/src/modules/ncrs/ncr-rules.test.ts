import type { Permission } from '@plantline/schema';
import { describe, expect, it } from 'vitest';
import { NCR_FIELDS, ncrPatchKeys } from './ncr-fields.js';
import {
  changedKeys,
  editedFields,
  editRefusal,
  type FailedInspection,
  inspectionPrefill,
  type NcrValues,
  staleVersionMessage,
} from './ncr-rules.js';

const editor = (userId: string, ...permissions: Permission[]) => ({
  userId,
  permissions: new Set(permissions),
});

describe('who may edit an NCR', () => {
  const draft = { raisedBy: 'u1', status: 'draft' };
  const submitted = { raisedBy: 'u1', status: 'submitted' };

  it('lets a quality manager edit any NCR in any state', () => {
    expect(editRefusal(editor('u2', 'quality.manage'), submitted)).toBeNull();
    expect(editRefusal(editor('u2', 'quality.manage'), { raisedBy: null, status: 'closed' })).toBeNull();
  });

  it('lets the raiser edit only while it is a draft', () => {
    expect(editRefusal(editor('u1', 'ncrs.raise'), draft)).toBeNull();
    expect(editRefusal(editor('u1', 'ncrs.raise'), submitted)).toBe(
      'The NCR is no longer a draft: only a quality manager may change it now',
    );
  });

  it('refuses others, and an NCR raised by no one known', () => {
    expect(editRefusal(editor('u2', 'ncrs.raise'), draft)).toBe(
      'Only whoever raised an NCR, or a quality manager, may change it',
    );
    expect(editRefusal(editor('u1', 'ncrs.raise'), { raisedBy: null, status: 'draft' })).not.toBeNull();
    expect(editRefusal(editor('u1', 'quality.read'), draft)).toBe(
      'Changing an NCR needs the permission ncrs.raise or quality.manage',
    );
  });
});

describe('what an edit changes', () => {
  const current: NcrValues = {
    title: 'Burr',
    lineId: null,
    machineId: 'm1',
    productId: null,
    productionOrderId: null,
    lot: 'L1',
    serial: null,
    defectCodeId: null,
    quantityAffected: 5,
    description: '',
    containment: 'Hold',
    rootCause: '',
    disposition: null,
    cost: null,
    ownerId: null,
  };

  it('keeps only the members that differ, in the patch’s order', () => {
    expect(changedKeys(current, { title: 'Burr', quantityAffected: 6, disposition: 'scrap' })).toEqual([
      'quantityAffected',
      'disposition',
    ]);
  });

  it('reads trimmed texts and empty texts as none', () => {
    expect(changedKeys(current, { title: ' Burr ', serial: '', rootCause: '  ', lot: 'L1 ' })).toEqual([]);
    expect(changedKeys(current, { lot: null, containment: '' })).toEqual(['lot', 'containment']);
  });

  it('names the changed fields as the workflow does, custom ones prefixed', () => {
    expect(editedFields(['rootCause', 'ownerId', 'defectCodeId'], ['batch'])).toEqual([
      'root_cause',
      'owner',
      'defect',
      'custom.batch',
    ]);
  });

  it('has a workflow field for every member of the patch, each key once', () => {
    expect(editedFields([...ncrPatchKeys], [])).toHaveLength(ncrPatchKeys.length);
    const keys = NCR_FIELDS.map((f) => f.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(NCR_FIELDS.filter((f) => f.settable).map((f) => f.key)).toEqual(['disposition', 'cost', 'owner']);
  });
});

describe('an NCR from a failed inspection', () => {
  const inspection: FailedInspection = {
    serial: 'SN-0042',
    lot: null,
    quantity: 1,
    note: ' Found on the night shift ',
    attempt: 1,
    productCode: 'BRK-100',
    operationCode: 'FINAL',
    operationName: 'Final inspection',
    failures: [
      {
        defectCodeId: null,
        defectName: null,
        characteristicName: 'Bore diameter',
        measuredValue: 42.04,
        note: null,
      },
      {
        defectCodeId: 'd1',
        defectName: 'Scratch',
        characteristicName: null,
        measuredValue: null,
        note: 'deep',
      },
    ],
  };

  it('names the unit and the first failure, lists every failure and takes the first defect code', () => {
    expect(inspectionPrefill(inspection)).toEqual({
      title: 'Bore diameter: BRK-100 serial SN-0042 at Final inspection',
      description: [
        'Failed FINAL inspection of BRK-100 serial SN-0042.',
        '- Bore diameter (measured 42.04)',
        '- Scratch — deep',
        'Inspector: Found on the night shift',
      ].join('\n'),
      defectCodeId: 'd1',
      lot: null,
      serial: 'SN-0042',
      quantityAffected: 1,
    });
  });

  it('speaks of a lot, a later attempt, and a failure without results', () => {
    const prefill = inspectionPrefill({
      ...inspection,
      serial: null,
      lot: 'LOT-9',
      quantity: 40,
      attempt: 2,
      note: null,
      failures: [],
    });
    expect(prefill.title).toBe('failed inspection: BRK-100 lot LOT-9 at Final inspection');
    expect(prefill.description).toBe('Failed FINAL inspection of BRK-100 lot LOT-9 (attempt 2).');
    expect(prefill).toMatchObject({ defectCodeId: null, quantityAffected: 40, lot: 'LOT-9' });
  });

  it('keeps the title within 200 characters', () => {
    const long = inspectionPrefill({ ...inspection, operationName: 'x'.repeat(300) });
    expect(long.title).toHaveLength(200);
  });
});

describe('a stale edit', () => {
  it('names who changed the NCR and when, in UTC', () => {
    expect(staleVersionMessage({ actorName: 'Dana Quality', at: new Date('2026-03-02T06:07:08Z') })).toBe(
      'The NCR was changed since you opened it (by Dana Quality at 2026-03-02 06:07 UTC); reload it and make your change again',
    );
    expect(staleVersionMessage(null)).toBe(
      'The NCR was changed since you opened it; reload it and make your change again',
    );
  });
});
