import { describe, expect, it } from 'vitest';
import { SnapshotSlots, snapshotUrl } from './snapshot.js';

describe('dashboard snapshots', () => {
  it('print at most as many at once as there are slots; a slot given back twice counts once', () => {
    const slots = new SnapshotSlots(2);
    const first = slots.take();
    const second = slots.take();
    expect(first).not.toBeNull();
    expect(second).not.toBeNull();
    expect(slots.take()).toBeNull();
    first?.();
    first?.();
    const third = slots.take();
    expect(third).not.toBeNull();
    expect(slots.take()).toBeNull();
  });

  it('open the kiosk page of the one dashboard with the variables given', () => {
    expect(
      snapshotUrl({
        baseUrl: 'http://127.0.0.1:3000',
        slug: 'plant-manager',
        variables: { plant: 'p1', range: 'last7d', line: '' },
      }),
    ).toBe('http://127.0.0.1:3000/dashboards/kiosk?d=plant-manager&every=3600&plant=p1&range=last7d');
  });
});
