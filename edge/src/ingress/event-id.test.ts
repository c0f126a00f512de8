import { describe, expect, it } from 'vitest';
import { newEventId } from './event-id';

describe('newEventId', () => {
  it('makes distinct UUIDv7 ids that sort in the order they were made, also within one millisecond', () => {
    const now = Date.now();
    const ids = Array.from({ length: 5000 }, (_, i) => newEventId(now + Math.floor(i / 1000)));
    expect(new Set(ids).size).toBe(ids.length);
    expect(
      ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id)),
    ).toBe(true);
    expect([...ids].sort()).toEqual(ids);
  });
});
