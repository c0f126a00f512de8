import { SPARKPLUG_ID_PATTERN, SPARKPLUG_METRIC_PATTERN, TELEMETRY_NAME_PATTERN } from '@plantline/schema';
import type { trpc } from '$lib/trpc';
import type { FieldErrors } from '$lib/validation';

type Client = typeof trpc;
export type SparkplugRuleRow = Awaited<ReturnType<Client['sparkplugRules']['list']['query']>>[number];
export type SparkplugRuleInput = Parameters<Client['sparkplugRules']['save']['mutate']>[0];

/** What the form offers: the API's count kind is split into its good and scrap counters. */
export type RuleChoice = 'state' | 'good' | 'scrap' | 'telemetry';

/** One row of a state table: the metric's value as text → the state code it stands for. */
export interface StatePair {
  value: string;
  state: string;
}

/** What the form holds: ids, texts as typed ('' for no device), and the state table as rows. */
export interface SparkplugValues {
  plantId: string;
  lineId: string;
  machineId: string;
  group: string;
  node: string;
  /** '' for a metric of the edge node itself. */
  device: string;
  metric: string;
  kind: RuleChoice;
  /** For a state: none means the metric's value is the state code. */
  pairs: StatePair[];
  /** For a state: the machine's state once its node or device dies; '' for none. */
  offline: string;
  /** For telemetry: the value's name in Plantline. */
  name: string;
}

export const KIND_OPTIONS: readonly { value: RuleChoice; label: string }[] = [
  { value: 'state', label: 'State' },
  { value: 'good', label: 'Good parts counter' },
  { value: 'scrap', label: 'Scrap parts counter' },
  { value: 'telemetry', label: 'Telemetry value' },
];

export const NEW_RULE: SparkplugValues = {
  plantId: '',
  lineId: '',
  machineId: '',
  group: '',
  node: '',
  device: '',
  metric: '',
  kind: 'state',
  pairs: [],
  offline: '',
  name: '',
};

/** The limit of sparkplugStatesSchema (schema/src/contracts/sparkplug.ts). */
export const MAX_STATE_PAIRS = 100;

/** The form's values of a listed rule, to change it. */
export function valuesOf(rule: SparkplugRuleRow): SparkplugValues {
  const kind: RuleChoice = rule.kind === 'count' ? (rule.count ?? 'good') : rule.kind;
  return {
    plantId: rule.plantId,
    lineId: rule.lineId,
    machineId: rule.machineId,
    group: rule.group,
    node: rule.node,
    device: rule.device ?? '',
    metric: rule.metric,
    kind,
    pairs: Object.entries(rule.states ?? {}).map(([value, state]) => ({ value, state })),
    offline: rule.offline ?? '',
    name: rule.name ?? '',
  };
}

/**
 * The API's input for the form's values. `edited` is the rule being changed: its id, and when it was
 * last changed, so the cloud refuses to overwrite a change someone made meanwhile.
 */
export function ruleInput(
  values: SparkplugValues,
  edited?: { id: string; updatedAt: string | Date },
): SparkplugRuleInput {
  const device = values.device.trim();
  const where = {
    ...(edited ? { id: edited.id, updatedAt: new Date(edited.updatedAt).toISOString() } : {}),
    plantId: values.plantId,
    lineId: values.lineId,
    machineId: values.machineId,
    group: values.group.trim(),
    node: values.node.trim(),
    device: device === '' ? null : device,
    metric: values.metric.trim(),
  };
  switch (values.kind) {
    case 'state': {
      const states = Object.fromEntries(values.pairs.map((p) => [p.value.trim(), p.state.trim()]));
      const offline = values.offline.trim();
      return {
        ...where,
        kind: 'state',
        states: values.pairs.length === 0 ? null : states,
        offline: offline === '' ? null : offline,
      };
    }
    case 'good':
    case 'scrap':
      return { ...where, kind: 'count', count: values.kind };
    case 'telemetry':
      return { ...where, kind: 'telemetry', name: values.name.trim() };
  }
}

function idProblem(text: string): string | null {
  return SPARKPLUG_ID_PATTERN.test(text.trim()) ? null : 'Use 1–255 characters without / + #';
}

/** The API's rules (cloud/src/modules/devices/sparkplug-rules.router.ts), checked as the user types. */
export function validateSparkplugRule(values: SparkplugValues): FieldErrors {
  const errors: FieldErrors = {};
  if (values.plantId === '') errors.plantId = 'Choose a plant';
  if (values.lineId === '') errors.lineId = 'Choose a line';
  if (values.machineId === '') errors.machineId = 'Choose a machine';
  for (const field of ['group', 'node'] as const) {
    const problem = idProblem(values[field]);
    if (problem) errors[field] = problem;
  }
  if (values.device.trim() !== '') {
    const problem = idProblem(values.device);
    if (problem) errors.device = problem;
  }
  if (!SPARKPLUG_METRIC_PATTERN.test(values.metric.trim())) errors.metric = 'Use 1–255 characters';
  if (values.kind === 'telemetry' && !TELEMETRY_NAME_PATTERN.test(values.name.trim())) {
    errors.name = 'Use 1–64 of A–Z a–z 0–9 _ . -';
  }
  if (values.kind === 'state') {
    Object.assign(errors, pairErrors(values.pairs));
    if (values.offline.trim().length > 64) errors.offline = 'Use at most 64 characters';
  }
  return errors;
}

/** Errors of the state table, keyed `pairs.<row>.value` and `pairs.<row>.state` as the form shows them. */
function pairErrors(pairs: readonly StatePair[]): FieldErrors {
  const errors: FieldErrors = {};
  if (pairs.length > MAX_STATE_PAIRS) errors.states = `Use at most ${MAX_STATE_PAIRS} values`;
  const seen = new Set<string>();
  pairs.forEach((pair, row) => {
    const value = pair.value.trim();
    if (value === '') errors[`pairs.${row}.value`] = 'Enter the value';
    else if (value.length > 255) errors[`pairs.${row}.value`] = 'Use at most 255 characters';
    else if (seen.has(value)) errors[`pairs.${row}.value`] = 'This value is already in the list';
    seen.add(value);
    const state = pair.state.trim();
    if (state === '') errors[`pairs.${row}.state`] = 'Enter the state code';
    else if (state.length > 64) errors[`pairs.${row}.state`] = 'Use at most 64 characters';
  });
  return errors;
}

/** The server names the state table as `states` or `states.<value>`, and the counter as `count`. */
export function formField(path: string): string {
  if (path === 'states' || path.startsWith('states.')) return 'states';
  if (path === 'count') return 'kind';
  return path;
}

/** Where the metric comes from, as its birth names it: `Plant1/PLC-7/Press1`. */
export function sourcePath(rule: { group: string; node: string; device: string | null }): string {
  return [rule.group, rule.node, rule.device].filter((part): part is string => part !== null).join('/');
}

/** The machine, as the topics name it: `RIV/L1/M1`. */
export function machinePath(rule: { plantCode: string; lineCode: string; machineCode: string }): string {
  return `${rule.plantCode}/${rule.lineCode}/${rule.machineCode}`;
}

/** What the metric becomes: `State: 1 → RUNNING, 2 → DOWN`, `Good parts counter`, `Telemetry x`. */
export function describeRule(
  rule: Pick<SparkplugRuleRow, 'kind' | 'states' | 'offline' | 'count' | 'name'>,
): string {
  if (rule.kind === 'count') return rule.count === 'scrap' ? 'Scrap parts counter' : 'Good parts counter';
  if (rule.kind === 'telemetry') return `Telemetry ${rule.name ?? ''}`;
  const pairs = Object.entries(rule.states ?? {});
  const states =
    pairs.length === 0
      ? 'State (value is the code)'
      : `State: ${pairs.map(([value, state]) => `${value} → ${state}`).join(', ')}`;
  return rule.offline ? `${states}; offline → ${rule.offline}` : states;
}
