import { describe, expect, it } from 'vitest';
import { snapshotHref } from './snapshot';

describe('the snapshot PDF address', () => {
  it('carries the variables and nothing else of the page address', () => {
    expect(
      snapshotHref('plant-manager', new URLSearchParams('plant=p1&line=l1&range=last7d&edit&every=5')),
    ).toBe('/api/dashboards/plant-manager.pdf?plant=p1&line=l1&range=last7d');
    expect(snapshotHref('quality', new URLSearchParams(''))).toBe('/api/dashboards/quality.pdf');
    expect(snapshotHref('quality', new URLSearchParams('plant=&shift=s1'))).toBe(
      '/api/dashboards/quality.pdf?shift=s1',
    );
  });
});
