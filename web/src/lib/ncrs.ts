import { idParam, idQuery, listQuery, stateKeysParam, textParam, textQuery } from './records/list-url';
import { type StateTone, stateWords } from './records/states';
import { formFieldNames } from './records/workflow-lock';
import type { trpc } from './trpc';
import type { FieldErrors } from './validation';

/*
 * Non-conformance reports in the web (docs/ncrs.md): the words for dispositions and workflow states,
 * the list's filters as they sit in the URL, and the form's values, checks and API input, which mirror
 * the cloud's (cloud/src/modules/ncrs/ncrs.router.ts).
 */

type Api = (typeof trpc)['ncrs'];
export type Ncr = Awaited<ReturnType<Api['get']['query']>>;
export type NcrRow = Awaited<ReturnType<Api['list']['query']>>['items'][number];
export type InspectionPrefill = Awaited<ReturnType<Api['prefillFromInspection']['query']>>;
export type MachinePrefill = Awaited<ReturnType<Api['prefillFromMachine']['query']>>;
export type NcrPatch = NonNullable<Parameters<Api['update']['mutate']>[0]['patch']>;

export const DISPOSITIONS = [
  'use_as_is',
  'rework',
  'scrap',
  'return_to_supplier',
  'false_nonconformance',
] as const;
export type Disposition = (typeof DISPOSITIONS)[number];
export const DISPOSITION_LABELS: Record<Disposition, string> = {
  use_as_is: 'Use as is',
  rework: 'Rework',
  scrap: 'Scrap',
  return_to_supplier: 'Return to supplier',
  false_nonconformance: 'False non-conformance',
};

export function dispositionLabel(value: string | null): string {
  return value === null ? '—' : (DISPOSITION_LABELS[value as Disposition] ?? value);
}

/**
 * The states of the default NCR workflow in their order, offered as the list's filter. A tenant may
 * change its workflow: the status column holds whatever state key the NCR's workflow is in.
 */
export const DEFAULT_STATES = [
  { key: 'draft', label: 'Draft' },
  { key: 'submitted', label: 'Submitted' },
  { key: 'under_review', label: 'Under review' },
  { key: 'disposition', label: 'Disposition' },
  { key: 'rework', label: 'Rework / verify' },
  { key: 'closed', label: 'Closed' },
  { key: 'cancelled', label: 'Cancelled' },
] as const;

const knownStates = new Map<string, string>(DEFAULT_STATES.map((s) => [s.key, s.label]));

/** A state's key as words: the default workflow's label, else `under_review` → "Under review". */
export function stateLabel(key: string): string {
  return knownStates.get(key) ?? stateWords(key);
}

/** The badge tone of a state: finished, ended without effect, a draft, or under way. */
export function stateTone(key: string): StateTone {
  if (key === 'closed') return 'good';
  if (key === 'cancelled' || key === 'rejected') return 'ended';
  if (key === 'draft') return 'draft';
  return 'open';
}

// ---- the list's filters, kept in the URL so a list can be bookmarked and shared

export interface ListFilter {
  status: string[];
  machineId: string;
  productId: string;
  text: string;
}

export function parseListFilter(params: URLSearchParams): ListFilter {
  return {
    status: stateKeysParam(params),
    machineId: idParam(params, 'machine'),
    productId: idParam(params, 'product'),
    text: textParam(params),
  };
}

/** The URL's query for a filter: empty parts left out. */
export function filterQuery(filter: ListFilter): Record<string, string | null> {
  return {
    status: listQuery(filter.status),
    machine: idQuery(filter.machineId),
    product: idQuery(filter.productId),
    q: textQuery(filter.text),
  };
}

/** The input of ncrs.list for a plant and a filter. */
export function listInput(plantId: string, filter: ListFilter) {
  return {
    plantId,
    ...(filter.status.length === 0 ? {} : { status: filter.status }),
    ...(filter.machineId === '' ? {} : { machineId: filter.machineId }),
    ...(filter.productId === '' ? {} : { productId: filter.productId }),
    ...(filter.text.trim() === '' ? {} : { text: filter.text.trim() }),
  };
}

// ---- the form

/** An NCR's fields as a form holds them: '' for none, numbers as typed. */
export interface NcrValues {
  title: string;
  lineId: string;
  machineId: string;
  productId: string;
  productionOrderId: string;
  lot: string;
  serial: string;
  defectCodeId: string;
  quantityAffected: string;
  description: string;
  containment: string;
  ownerId: string;
  /** Edited once raised: the investigation and the MRB's decision. */
  rootCause: string;
  disposition: '' | Disposition;
  cost: string;
}

export const emptyNcr = (): NcrValues => ({
  title: '',
  lineId: '',
  machineId: '',
  productId: '',
  productionOrderId: '',
  lot: '',
  serial: '',
  defectCodeId: '',
  quantityAffected: '',
  description: '',
  containment: '',
  ownerId: '',
  rootCause: '',
  disposition: '',
  cost: '',
});

const text = (value: string | null | undefined) => value ?? '';
const amountText = (value: number | null | undefined) => (value == null ? '' : String(value));

/** What ncrs.prefillFromInspection or ncrs.prefillFromMachine names. */
export interface Prefill {
  title?: string;
  lineId?: string | null;
  machineId?: string | null;
  productId?: string | null;
  productionOrderId?: string | null;
  lot?: string | null;
  serial?: string | null;
  defectCodeId?: string | null;
  quantityAffected?: number | null;
  description?: string;
}

/** The form's values for a prefill (from an inspection or a machine): what it names, the rest empty. */
export function prefilledValues(prefill: Prefill): NcrValues {
  return {
    ...emptyNcr(),
    title: text(prefill.title),
    lineId: text(prefill.lineId),
    machineId: text(prefill.machineId),
    productId: text(prefill.productId),
    productionOrderId: text(prefill.productionOrderId),
    lot: text(prefill.lot),
    serial: text(prefill.serial),
    defectCodeId: text(prefill.defectCodeId),
    quantityAffected: amountText(prefill.quantityAffected),
    description: text(prefill.description),
  };
}

export const valuesOf = (ncr: Ncr): NcrValues => ({
  title: ncr.title,
  lineId: text(ncr.lineId),
  machineId: text(ncr.machineId),
  productId: text(ncr.productId),
  productionOrderId: text(ncr.productionOrderId),
  lot: text(ncr.lot),
  serial: text(ncr.serial),
  defectCodeId: text(ncr.defectCodeId),
  quantityAffected: amountText(ncr.quantityAffected),
  description: ncr.description,
  containment: ncr.containment,
  ownerId: text(ncr.ownerId),
  rootCause: ncr.rootCause,
  disposition: (ncr.disposition ?? '') as NcrValues['disposition'],
  cost: amountText(ncr.cost),
});

const LONG_TEXT_MAX = 10_000;

function amountProblem(value: string): string | null {
  if (value.trim() === '') return null;
  const number = Number(value.trim());
  if (!Number.isFinite(number)) return 'Enter a number';
  if (number < 0) return 'Cannot be negative';
  if (number > 1e12) return 'Too large';
  return null;
}

/** The checks of ncrs.create and ncrs.update, as the user types. */
export function validateNcr(values: NcrValues): FieldErrors {
  const errors: FieldErrors = {};
  const title = values.title.trim();
  if (title === '') errors.title = 'Enter a title';
  else if (title.length > 200) errors.title = 'At most 200 characters';
  for (const key of ['lot', 'serial'] as const)
    if (values[key].trim().length > 64) errors[key] = 'At most 64 characters';
  for (const key of ['description', 'containment', 'rootCause'] as const)
    if (values[key].trim().length > LONG_TEXT_MAX) errors[key] = `At most ${LONG_TEXT_MAX} characters`;
  for (const key of ['quantityAffected', 'cost'] as const) {
    const problem = amountProblem(values[key]);
    if (problem !== null) errors[key] = problem;
  }
  return errors;
}

const idOrNull = (value: string) => (value === '' ? null : value);
const labelOrNull = (value: string) => (value.trim() === '' ? null : value.trim());
const amountOrNull = (value: string) => (value.trim() === '' ? null : Number(value.trim()));

/** The input of ncrs.create for checked values; the investigation's fields come later. */
export function newNcrInput(values: NcrValues, plantId: string, inspectionIds: readonly string[]) {
  return {
    plantId,
    title: values.title.trim(),
    lineId: idOrNull(values.lineId),
    machineId: idOrNull(values.machineId),
    productId: idOrNull(values.productId),
    productionOrderId: idOrNull(values.productionOrderId),
    lot: labelOrNull(values.lot),
    serial: labelOrNull(values.serial),
    defectCodeId: idOrNull(values.defectCodeId),
    quantityAffected: amountOrNull(values.quantityAffected),
    description: values.description.trim(),
    containment: values.containment.trim(),
    ownerId: idOrNull(values.ownerId),
    ...(inspectionIds.length === 0 ? {} : { inspectionIds: [...inspectionIds] }),
  };
}

/**
 * The patch of ncrs.update: only the fields that differ from the NCR as loaded, so an edit never
 * touches (or is refused for) a field the user left alone. Null when nothing changed.
 */
export function changedPatch(values: NcrValues, ncr: Ncr): NcrPatch | null {
  const before = valuesOf(ncr);
  const patch: NcrPatch = {};
  const same = (key: keyof NcrValues) => values[key].trim() === before[key].trim();
  if (!same('title')) patch.title = values.title.trim();
  for (const key of [
    'lineId',
    'machineId',
    'productId',
    'productionOrderId',
    'defectCodeId',
    'ownerId',
  ] as const)
    if (!same(key)) patch[key] = idOrNull(values[key]);
  for (const key of ['lot', 'serial'] as const) if (!same(key)) patch[key] = labelOrNull(values[key]);
  for (const key of ['description', 'containment', 'rootCause'] as const)
    if (!same(key)) patch[key] = values[key].trim();
  if (!same('quantityAffected')) patch.quantityAffected = amountOrNull(values.quantityAffected);
  if (!same('cost')) patch.cost = amountOrNull(values.cost);
  if (!same('disposition')) patch.disposition = values.disposition === '' ? null : values.disposition;
  return Object.keys(patch).length === 0 ? null : patch;
}

/** An inspected unit in words: "serial SN-1", "lot LOT-7 (40)". */
export function unitText(inspection: {
  serial: string | null;
  lot: string | null;
  quantity: number;
}): string {
  if (inspection.serial !== null) return `serial ${inspection.serial}`;
  return `lot ${inspection.lot ?? '—'} (${inspection.quantity})`;
}

/** The workflow's names of an NCR's fields (cloud/src/modules/ncrs/ncr-fields.ts) → the form's. */
const FORM_FIELD_OF_WORKFLOW: Readonly<Record<string, keyof NcrValues>> = {
  root_cause: 'rootCause',
  quantity_affected: 'quantityAffected',
  owner: 'ownerId',
  defect: 'defectCodeId',
  product: 'productId',
  line: 'lineId',
  machine: 'machineId',
  production_order: 'productionOrderId',
};

/**
 * The form field a server error names: ncrs.update's `patch.rootCause`, or a workflow lock's
 * `root_cause` (a state's read-only fields are named as the workflow names them).
 */
export const formFieldOf = formFieldNames(FORM_FIELD_OF_WORKFLOW);
