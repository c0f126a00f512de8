import { describe, expect, it } from 'vitest';
import {
  describeRule,
  formField,
  machinePath,
  NEW_RULE,
  ruleInput,
  type SparkplugRuleRow,
  type SparkplugValues,
  sourcePath,
  validateSparkplugRule,
  valuesOf,
} from './sparkplug-rule';

const valid: SparkplugValues = {
  ...NEW_RULE,
  plantId: 'p',
  lineId: 'l',
  machineId: 'm',
  group: 'Plant1',
  node: 'PLC-7',
  device: 'Press1',
  metric: 'Status/State',
  pairs: [
    { value: '1', state: 'RUNNING' },
    { value: '2', state: 'DOWN' },
  ],
};

const row: SparkplugRuleRow = {
  id: 'r',
  plantId: 'p',
  lineId: 'l',
  machineId: 'm',
  group: 'Plant1',
  node: 'PLC-7',
  device: 'Press1',
  metric: 'Status/State',
  kind: 'state',
  states: { '1': 'RUNNING', '2': 'DOWN' },
  offline: null,
  count: null,
  name: null,
  updatedAt: '2026-12-05T10:00:00.000Z',
  plantCode: 'RIV',
  lineCode: 'L1',
  machineCode: 'M1',
  machineName: 'L1 machine 1',
};

const where = {
  plantId: 'p',
  lineId: 'l',
  machineId: 'm',
  group: 'Plant1',
  node: 'PLC-7',
  device: 'Press1',
  metric: 'Status/State',
};

describe('Sparkplug B rule form', () => {
  it('turns the form into the API’s input, per kind', () => {
    expect(ruleInput(valid)).toEqual({
      ...where,
      kind: 'state',
      states: { '1': 'RUNNING', '2': 'DOWN' },
      offline: null,
    });
    expect(ruleInput({ ...valid, pairs: [], device: ' ', offline: ' OFFLINE ' })).toEqual({
      ...where,
      device: null,
      kind: 'state',
      states: null,
      offline: 'OFFLINE',
    });
    expect(ruleInput({ ...valid, kind: 'good' })).toEqual({ ...where, kind: 'count', count: 'good' });
    expect(ruleInput({ ...valid, kind: 'scrap' })).toEqual({ ...where, kind: 'count', count: 'scrap' });
    expect(ruleInput({ ...valid, kind: 'telemetry', name: ' spindle_temp_c ' })).toEqual({
      ...where,
      kind: 'telemetry',
      name: 'spindle_temp_c',
    });
    expect(ruleInput(valid, { id: 'r', updatedAt: row.updatedAt })).toMatchObject({
      id: 'r',
      updatedAt: '2026-12-05T10:00:00.000Z',
    });
  });

  it('turns a listed rule back into the form, and saving it unchanged gives the same rule', () => {
    expect(valuesOf(row)).toEqual(valid);
    expect(valuesOf({ ...row, device: null, states: null }).device).toBe('');
    expect(valuesOf({ ...row, offline: 'OFFLINE' }).offline).toBe('OFFLINE');
    expect(valuesOf({ ...row, kind: 'count', states: null, count: 'scrap' }).kind).toBe('scrap');
    const telemetry = { ...row, kind: 'telemetry' as const, states: null, name: 'spindle_temp_c' };
    expect(ruleInput(valuesOf(telemetry))).toEqual({ ...where, kind: 'telemetry', name: 'spindle_temp_c' });
  });

  it('accepts a complete rule and says what is wrong, by field, with the API’s words', () => {
    expect(validateSparkplugRule(valid)).toEqual({});
    expect(validateSparkplugRule({ ...valid, device: '', pairs: [] })).toEqual({});
    expect(validateSparkplugRule({ ...NEW_RULE })).toEqual({
      plantId: 'Choose a plant',
      lineId: 'Choose a line',
      machineId: 'Choose a machine',
      group: 'Use 1–255 characters without / + #',
      node: 'Use 1–255 characters without / + #',
      metric: 'Use 1–255 characters',
    });
    expect(
      validateSparkplugRule({ ...valid, group: 'a/b', node: 'x+', device: '#', metric: 'a\u0001' }),
    ).toEqual({
      group: 'Use 1–255 characters without / + #',
      node: 'Use 1–255 characters without / + #',
      device: 'Use 1–255 characters without / + #',
      metric: 'Use 1–255 characters',
    });
    expect(validateSparkplugRule({ ...valid, node: 'n'.repeat(256) })).toEqual({
      node: 'Use 1–255 characters without / + #',
    });
    expect(validateSparkplugRule({ ...valid, kind: 'telemetry', name: 'two words' })).toEqual({
      name: 'Use 1–64 of A–Z a–z 0–9 _ . -',
    });
    expect(validateSparkplugRule({ ...valid, kind: 'good', name: 'two words' })).toEqual({});
    expect(validateSparkplugRule({ ...valid, offline: 'X'.repeat(65) })).toEqual({
      offline: 'Use at most 64 characters',
    });
  });

  it('checks the state table: no empty halves, no value twice', () => {
    expect(
      validateSparkplugRule({
        ...valid,
        pairs: [
          { value: '1', state: 'RUNNING' },
          { value: ' 1 ', state: '' },
          { value: '', state: 'DOWN' },
        ],
      }),
    ).toEqual({
      'pairs.1.value': 'This value is already in the list',
      'pairs.1.state': 'Enter the state code',
      'pairs.2.value': 'Enter the value',
    });
    expect(validateSparkplugRule({ ...valid, kind: 'good', pairs: [{ value: '', state: '' }] })).toEqual({});
  });

  it('shows the server’s field errors at the form’s fields', () => {
    expect(['states', 'states.1', 'count', 'metric'].map(formField)).toEqual([
      'states',
      'states',
      'kind',
      'metric',
    ]);
  });

  it('describes rules as the list shows them', () => {
    expect(describeRule(row)).toBe('State: 1 → RUNNING, 2 → DOWN');
    expect(describeRule({ ...row, states: null })).toBe('State (value is the code)');
    expect(describeRule({ ...row, offline: 'OFFLINE' })).toBe(
      'State: 1 → RUNNING, 2 → DOWN; offline → OFFLINE',
    );
    expect(describeRule({ kind: 'count', states: null, offline: null, count: 'good', name: null })).toBe(
      'Good parts counter',
    );
    expect(describeRule({ kind: 'count', states: null, offline: null, count: 'scrap', name: null })).toBe(
      'Scrap parts counter',
    );
    expect(
      describeRule({ kind: 'telemetry', states: null, offline: null, count: null, name: 'spindle_temp_c' }),
    ).toBe('Telemetry spindle_temp_c');
    expect(sourcePath(row)).toBe('Plant1/PLC-7/Press1');
    expect(sourcePath({ ...row, device: null })).toBe('Plant1/PLC-7');
    expect(machinePath(row)).toBe('RIV/L1/M1');
  });
});
