import type { Permission } from '@plantline/schema';
import { fieldKeyOf, type NcrPatchKey, ncrPatchKeys } from './ncr-fields.js';

/*
 * The NCR rules that need no database (docs/ncrs.md): who may change an NCR, which fields an edit
 * really changes, what an NCR raised from a failed inspection says, and how a stale edit is refused.
 */

/** The state every NCR starts in under the default workflow, and the one its raiser may still edit. */
export const DRAFT_STATE = 'draft';

export interface Editor {
  userId: string | null;
  permissions: ReadonlySet<Permission>;
}

/**
 * Who may change an NCR's fields: a quality manager (quality.manage) at any time, or whoever raised
 * it while it is a draft. The workflow's field locks apply on top of this (checkRecordEdit): a
 * closed NCR is read-only for everyone. Returns why not, or null.
 */
export function editRefusal(editor: Editor, ncr: { raisedBy: string | null; status: string }): string | null {
  if (editor.permissions.has('quality.manage')) return null;
  if (!editor.permissions.has('ncrs.raise'))
    return 'Changing an NCR needs the permission ncrs.raise or quality.manage';
  if (ncr.raisedBy === null || ncr.raisedBy !== editor.userId)
    return 'Only whoever raised an NCR, or a quality manager, may change it';
  if (ncr.status !== DRAFT_STATE)
    return 'The NCR is no longer a draft: only a quality manager may change it now';
  return null;
}

export type NcrValues = { [K in NcrPatchKey]: string | number | null };

/** Texts compare trimmed, and an empty text is the same as none. */
function same(a: string | number | null, b: string | number | null): boolean {
  const norm = (v: string | number | null) => (typeof v === 'string' ? v.trim() || null : v);
  return norm(a) === norm(b);
}

/** The members of `patch` whose value differs from the NCR's, in the patch's order. */
export function changedKeys(current: NcrValues, patch: Partial<NcrValues>): NcrPatchKey[] {
  return ncrPatchKeys.filter((key) => {
    const value = patch[key];
    return value !== undefined && !same(value, current[key]);
  });
}

/**
 * The fields an edit changes, as the workflow names them: built-in keys (`root_cause`) and custom
 * fields as `custom.<key>` (platform's RecordEdit).
 */
export function editedFields(changed: readonly NcrPatchKey[], customKeys: readonly string[]): string[] {
  return [...changed.map(fieldKeyOf), ...customKeys.map((key) => `custom.${key}`)];
}

export interface FailedInspection {
  serial: string | null;
  lot: string | null;
  quantity: number;
  note: string | null;
  attempt: number;
  productCode: string;
  operationCode: string;
  operationName: string;
  /** Its failed results, the most telling first (ncr-inspections.ts orders them). */
  failures: {
    defectCodeId: string | null;
    defectName: string | null;
    characteristicName: string | null;
    measuredValue: number | null;
    note: string | null;
  }[];
}

const TITLE_MAX = 200;

/**
 * What an NCR raised from a failed inspection says before anyone types: a title naming the unit and
 * the first defect, the inspection's failures as the description, and the first failure's defect
 * code. The raiser fills in the rest (containment, root cause) afterwards.
 */
export function inspectionPrefill(inspection: FailedInspection) {
  const unit = inspection.serial !== null ? `serial ${inspection.serial}` : `lot ${inspection.lot ?? '—'}`;
  const first = inspection.failures[0];
  const what = first?.defectName ?? first?.characteristicName ?? 'failed inspection';
  const title = `${what}: ${inspection.productCode} ${unit} at ${inspection.operationName}`.slice(
    0,
    TITLE_MAX,
  );
  const lines = inspection.failures.map((f) => {
    const parts = [f.characteristicName, f.defectName].filter((p): p is string => p !== null);
    const measured = f.measuredValue === null ? '' : ` (measured ${f.measuredValue})`;
    const note = f.note === null || f.note.trim() === '' ? '' : ` — ${f.note.trim()}`;
    return `- ${parts.join(', ') || 'Failed'}${measured}${note}`;
  });
  const attempt = inspection.attempt > 1 ? ` (attempt ${inspection.attempt})` : '';
  const header = `Failed ${inspection.operationCode} inspection of ${inspection.productCode} ${unit}${attempt}.`;
  const note =
    inspection.note === null || inspection.note.trim() === '' ? [] : [`Inspector: ${inspection.note.trim()}`];
  return {
    title,
    description: [header, ...lines, ...note].join('\n'),
    defectCodeId: inspection.failures.find((f) => f.defectCodeId !== null)?.defectCodeId ?? null,
    lot: inspection.lot,
    serial: inspection.serial,
    quantityAffected: inspection.quantity,
  };
}

/** The refusal of an edit made against an older version, naming the change the editor did not see. */
export function staleVersionMessage(last: { actorName: string; at: Date } | null): string {
  const base = 'The NCR was changed since you opened it';
  return last === null
    ? `${base}; reload it and make your change again`
    : `${base} (by ${last.actorName} at ${last.at.toISOString().slice(0, 16).replace('T', ' ')} UTC); reload it and make your change again`;
}
