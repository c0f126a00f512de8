import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { testEngines } from '../../testing/engines.js';

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/*
 * Input the configuration engine refuses with a reason instead of failing in the database: control
 * characters in a field's default or unit (jsonb cannot hold NUL), and page cursors that were not
 * handed out by records.list.
 */
describe.each(testEngines)('configuration input ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let admin: ApiClient;

  beforeAll(async () => {
    ({ admin } = app);
    for (const code of ['P1', 'P2', 'P3'])
      await admin.trpc.production.products.create.mutate({ code, name: `Product ${code}` });
  }, 120_000);

  it('refuses control characters in a default value, naming the field', async () => {
    let n = 0;
    for (const [type, defaultValue] of [
      ['text', 'a\u0000b'],
      ['text', 'line\u0007'],
      ['long_text', '\u0000'],
      ['decimal', '1\u0000'],
      ['date', '2026-01-01\u0000'],
    ] as const) {
      const error = await expectApiError(
        admin.trpc.config.fields.create.mutate({
          entityType: 'product',
          key: `bad_default_${++n}`,
          label: 'Bad default',
          type,
          defaultValue,
        }),
        'BAD_REQUEST',
      );
      expect(Object.keys(error.data?.fieldErrors ?? {}), `${type} ${JSON.stringify(defaultValue)}`).toEqual([
        'defaultValue',
      ]);
    }
    const field = await admin.trpc.config.fields.create.mutate({
      entityType: 'product',
      key: 'good_default',
      label: 'Good default',
      type: 'long_text',
      defaultValue: 'first line\nsecond\tline',
    });
    expect(field.defaultValue).toBe('first line\nsecond\tline');
    const error = await expectApiError(
      admin.trpc.config.fields.update.mutate({ id: field.id, patch: { defaultValue: 'x\u0000' } }),
      'BAD_REQUEST',
    );
    expect(Object.keys(error.data?.fieldErrors ?? {})).toEqual(['defaultValue']);
  });

  it('refuses control characters in a unit, naming the field', async () => {
    for (const unit of ['k\u0000g', 'kg\u001b[31m', '\u007f']) {
      const error = await expectApiError(
        admin.trpc.config.fields.create.mutate({
          entityType: 'product',
          key: 'weight',
          label: 'Weight',
          type: 'decimal',
          settings: { unit },
        }),
        'BAD_REQUEST',
      );
      expect(Object.keys(error.data?.fieldErrors ?? {}), JSON.stringify(unit)).toEqual(['settings.unit']);
    }
    const field = await admin.trpc.config.fields.create.mutate({
      entityType: 'product',
      key: 'weight',
      label: 'Weight',
      type: 'decimal',
      settings: { unit: 'm³/h' },
    });
    expect(field.settings).toEqual({ unit: 'm³/h' });
  });

  it('refuses a records.list cursor it did not hand out', async () => {
    const id = '0195d3c8-0000-7000-8000-000000000000';
    const page = await admin.trpc.config.records.list.query({ entityType: 'product', limit: 1 });
    expect(page.nextCursor).not.toBeNull();
    const crafted = [
      'not base64 at all!',
      cursorOf(null),
      cursorOf([1, 2]),
      cursorOf('values'),
      cursorOf({ phase: 'values', value: { nested: [1] }, id }),
      cursorOf({ phase: 'values', value: ['a', 'b'], id }),
      cursorOf({ phase: 'values', value: 'P1', id: 'not-a-uuid' }),
      cursorOf({ phase: 'values', value: 'P1', id: 42 }),
      cursorOf({ phase: 'values', value: 'P\u00001', id }),
      cursorOf({ phase: 'other', value: 'P1', id }),
      cursorOf({ phase: 'nulls', value: null }),
    ];
    for (const cursor of crafted) {
      for (const sort of [undefined, { by: 'code', dir: 'asc' as const }]) {
        const error = await expectApiError(
          admin.trpc.config.records.list.query({
            entityType: 'product',
            limit: 1,
            cursor,
            ...(sort === undefined ? {} : { sort }),
          }),
          'BAD_REQUEST',
          'Invalid cursor',
        );
        expect(error.data?.fieldErrors).toEqual({ cursor: 'Not a cursor from this list' });
      }
    }
    const next = await admin.trpc.config.records.list.query({
      entityType: 'product',
      limit: 1,
      cursor: page.nextCursor!,
    });
    expect(next.rows.map((r) => r.code)).toEqual(['P2']);
  });
});
