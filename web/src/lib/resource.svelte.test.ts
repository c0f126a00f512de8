import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { Resource } from './resource.svelte';
import { UNREACHABLE_MESSAGE } from './trpc-error';

describe('Resource', () => {
  it('loads, and keeps the data while a reload fails', async () => {
    let fail = false;
    const resource = new Resource(async () => {
      if (fail) throw TRPCClientError.from(new TypeError('Failed to fetch'));
      return [1, 2];
    });
    expect(resource.data).toBeUndefined();
    await resource.load();
    expect(resource.data).toEqual([1, 2]);
    expect(resource.loading).toBe(false);
    fail = true;
    await resource.load();
    expect(resource.data).toEqual([1, 2]);
    expect(resource.error).toBe(UNREACHABLE_MESSAGE);
  });

  it('ignores an answer overtaken by a newer request', async () => {
    const answers: ((value: string) => void)[] = [];
    const resource = new Resource(() => new Promise<string>((resolve) => answers.push(resolve)));
    const first = resource.load();
    const second = resource.load();
    answers[1]!('new');
    await second;
    answers[0]!('old');
    await first;
    expect(resource.data).toBe('new');
  });
});
