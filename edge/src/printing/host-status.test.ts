import { describe, expect, it } from 'vitest';
import { HostStatusError, hostStatusFrames, parseHostStatus } from './host-status';
import { hostStatusAnswer } from './testing/fake-printer';

describe('hostStatusFrames', () => {
  it('waits for all three framed strings', () => {
    const answer = hostStatusAnswer({});
    expect(hostStatusFrames(answer.slice(0, answer.length - 10))).toBeUndefined();
    expect(hostStatusFrames(answer)).toHaveLength(3);
  });
});

describe('parseHostStatus', () => {
  it('reads a ready printer as having no problems', () => {
    const status = parseHostStatus(hostStatusFrames(hostStatusAnswer({}))!);
    expect(status).toMatchObject({ paperOut: false, paused: false, headOpen: false, problems: [] });
    expect(status.formatsInBuffer).toBe(0);
  });

  it('reads each flag from its own field', () => {
    const status = parseHostStatus(
      hostStatusFrames(
        hostStatusAnswer({ paperOut: true, paused: true, headOpen: true, bufferFull: true, formats: 3 }),
      )!,
    );
    expect(status).toMatchObject({
      paperOut: true,
      paused: true,
      headOpen: true,
      bufferFull: true,
      ribbonOut: false,
      formatsInBuffer: 3,
    });
    expect(status.problems).toEqual(['paper out', 'head open', 'paused', 'receive buffer full']);
  });

  it('parses the sample answer of the ZPL programming guide', () => {
    const frames = ['030,0,0,1245,000,0,0,0,000,0,0,0', '001,0,0,0,1,2,6,0,00000000,1,000', '1234,0'];
    const status = parseHostStatus(frames);
    expect(status.problems).toEqual([]);
    expect(status.labelsRemaining).toBe(0);
  });

  it('refuses an answer that is not a ~HS answer', () => {
    expect(() => parseHostStatus(['hello', 'world', ''])).toThrow(HostStatusError);
  });
});
