import { describe, expect, it } from 'vitest';
import { deadbandSettingsProblem, telemetryDeadbandSchema } from './telemetry-deadbands.js';

const rule = {
  plant: 'RIV',
  line: 'L1',
  machine: 'M1',
  metric: 'spindle_temp_c',
  mode: 'absolute',
  deadband: 0.5,
  heartbeatS: 60,
};

describe('telemetry deadband rules', () => {
  it('accept a rule per machine and value name, and one that is off', () => {
    expect(telemetryDeadbandSchema.parse(rule)).toEqual(rule);
    const off = {
      ...rule,
      line: null,
      machine: null,
      metric: null,
      mode: 'off',
      deadband: 0,
      heartbeatS: null,
    };
    expect(telemetryDeadbandSchema.parse(off)).toEqual(off);
  });

  it('say what is wrong, by field', () => {
    const problems = (input: object) =>
      telemetryDeadbandSchema
        .safeParse({ ...rule, ...input })
        .error?.issues.map((i) => [i.path[0], i.message]);
    expect(problems({ line: null })).toEqual([['line', 'A machine rule needs its line']]);
    expect(problems({ metric: 'bad name' })?.[0]?.[0]).toBe('metric');
    expect(problems({ mode: 'percent', deadband: 101 })).toEqual([
      ['deadband', 'Use a percentage from 0 to 100'],
    ]);
    expect(problems({ deadband: -1 })).toEqual([['deadband', 'Use a number from 0 to 1e12']]);
    expect(problems({ heartbeatS: null })).toEqual([['heartbeatS', 'Use whole seconds from 1 to 86400']]);
    expect(problems({ heartbeatS: 1.5 })).toEqual([['heartbeatS', 'Use whole seconds from 1 to 86400']]);
    expect(problems({ heartbeatS: 86_401 })).toEqual([['heartbeatS', 'Use whole seconds from 1 to 86400']]);
    expect(problems({ mode: 'off', deadband: 0 })).toEqual([
      ['heartbeatS', 'A rule that is off has no heartbeat'],
    ]);
  });

  it('check settings on their own, for the cloud input', () => {
    expect(deadbandSettingsProblem({ mode: 'percent', deadband: 2.5, heartbeatS: 300 })).toBeNull();
    expect(deadbandSettingsProblem({ mode: 'off', deadband: 1, heartbeatS: null })).toEqual({
      field: 'deadband',
      message: 'A rule that is off has no deadband',
    });
    expect(deadbandSettingsProblem({ mode: 'absolute', deadband: Number.NaN, heartbeatS: 60 })?.field).toBe(
      'deadband',
    );
  });
});
