import { describe, expect, it } from 'vitest';
import {
  type DeadbandValues,
  describeBand,
  describeHeartbeat,
  NEW_RULE,
  scopePath,
  settingsOf,
  validateDeadband,
} from './telemetry-deadband';

const valid: DeadbandValues = { ...NEW_RULE, plantId: 'p', metric: 'spindle_temp_c', deadband: '0.5' };

describe('telemetry deadband form', () => {
  it('accepts a complete rule and turns it into the API’s settings', () => {
    expect(validateDeadband(valid)).toEqual({});
    expect(settingsOf(valid)).toEqual({ mode: 'absolute', deadband: 0.5, heartbeatS: 300 });
    expect(settingsOf({ ...valid, mode: 'off', deadband: 'x', heartbeatS: '' })).toEqual({
      mode: 'off',
      deadband: 0,
      heartbeatS: null,
    });
  });

  it('says what is wrong, by field, with the API’s words', () => {
    expect(validateDeadband({ ...NEW_RULE })).toEqual({
      plantId: 'Choose a plant',
      deadband: 'Use a number from 0 to 1e12',
    });
    expect(validateDeadband({ ...valid, machineId: 'm' })).toEqual({ lineId: 'Choose the line' });
    expect(validateDeadband({ ...valid, metric: 'two words' })).toEqual({
      metric: 'Use 1–64 of A–Z a–z 0–9 _ . -',
    });
    expect(validateDeadband({ ...valid, mode: 'percent', deadband: '120' })).toEqual({
      deadband: 'Use a percentage from 0 to 100',
    });
    expect(validateDeadband({ ...valid, heartbeatS: '2.5' })).toEqual({
      heartbeatS: 'Use whole seconds from 1 to 86400',
    });
    expect(validateDeadband({ ...valid, mode: 'off', deadband: '' })).toEqual({});
  });

  it('describes rules as the list shows them', () => {
    expect(describeBand({ mode: 'absolute', deadband: 0.5 })).toBe('± 0.5');
    expect(describeBand({ mode: 'percent', deadband: 2 })).toBe('± 2 %');
    expect(describeBand({ mode: 'off', deadband: 0 })).toBe('Off');
    expect([300, 90, 7200, null].map(describeHeartbeat)).toEqual([
      'every 5 min',
      'every 90 s',
      'every 2 h',
      '—',
    ]);
    expect(scopePath({ plantCode: 'RIV', lineCode: 'L1', machineCode: 'M1' })).toBe('RIV/L1/M1');
    expect(scopePath({ plantCode: 'RIV', lineCode: null, machineCode: null })).toBe('RIV');
  });
});
