import { describe, expect, it } from 'vitest';
import { describeSparkplug } from './format-status';

describe('describeSparkplug', () => {
  it('sums the drops by reason and counts what is online', () => {
    const line = describeSparkplug({
      rules: 4,
      receivedTotal: 120,
      eventsTotal: 300,
      unmappedMetricsTotal: 7,
      malformedTotal: 1,
      droppedTotal: { 'seq-gap': 2, 'no-birth': 3 },
      duplicatesTotal: 0,
      rebirthRequestsTotal: 2,
      presence: [
        { group: 'G', node: 'N', device: null, online: true, machines: [] },
        { group: 'G', node: 'N', device: 'D', online: false, machines: ['RIV/L1/M1'] },
      ],
    });
    expect(line).toBe(
      '4 rule(s), 120 message(s) → 300 event(s), 5 dropped, 2 rebirth request(s), 7 unmapped metric(s), 1 of 2 node(s)/device(s) online',
    );
  });
});
