import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { type Tenants, useTestApp } from '../../testing/app.js';
import { type TestDatabase, testEngines } from '../../testing/engines.js';

/*
 * Text field patterns through the API on both engines: values are matched on RE2, so a pattern that
 * makes a backtracking engine take minutes on one value (and block every request meanwhile) answers
 * at once with the field's message; what RE2 cannot read is refused when the field is defined.
 */
describe.each(testEngines)('field patterns ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let database: TestDatabase;
  let tenants: Tenants;
  let admin: ApiClient;
  let product: string;

  beforeAll(async () => {
    ({ database, tenants, admin } = app);
    product = (await admin.trpc.production.products.create.mutate({ code: 'P1', name: 'Product 1' })).id;
  }, 120_000);

  const setValues = (values: Record<string, unknown>) =>
    admin.trpc.config.records.setValues.mutate({ entityType: 'product', entityId: product, values });

  // The value takes a backtracking engine minutes (cubic time), far beyond this test's timeout.
  it('answers a long value with the field’s message when the pattern would backtrack', {
    timeout: 15_000,
  }, async () => {
    await admin.trpc.config.fields.create.mutate({
      entityType: 'product',
      key: 'batch',
      label: 'Batch',
      type: 'long_text',
      settings: { pattern: '\\d*\\d*\\d*x' },
      helpText: 'Digits, then x',
    });
    const refused = await expectApiError(setValues({ batch: '1'.repeat(8_000) }), 'BAD_REQUEST');
    expect(refused.data?.fieldErrors).toEqual({
      batch: 'Does not match the expected format: Digits, then x',
    });
    const accepted = `${'1'.repeat(8_000)}x`;
    await setValues({ batch: accepted });
    const stored = await admin.trpc.config.records.get.query({ entityType: 'product', entityId: product });
    expect(stored.values.batch).toBe(accepted);
  });

  it('takes nested repetition, which RE2 matches in linear time', async () => {
    await admin.trpc.config.fields.create.mutate({
      entityType: 'product',
      key: 'run',
      label: 'Run',
      type: 'text',
      settings: { pattern: '(a+)+$' },
    });
    const refused = await expectApiError(setValues({ run: `${'a'.repeat(400)}!` }), 'BAD_REQUEST');
    expect(refused.data?.fieldErrors).toEqual({ run: 'Does not match the expected format' });
    await setValues({ run: 'a'.repeat(400) });
  });

  it('refuses a pattern RE2 cannot read, saying what it does not support', async () => {
    const refused = await expectApiError(
      admin.trpc.config.fields.create.mutate({
        entityType: 'product',
        key: 'code',
        label: 'Code',
        type: 'text',
        settings: { pattern: '(?<!X)[A-Z]+' },
      }),
      'BAD_REQUEST',
    );
    expect(refused.data?.fieldErrors).toEqual({
      'settings.pattern': 'Lookahead and lookbehind ((?=, (?!, (?<=, (?<!) are not supported',
    });
    const field = await admin.trpc.config.fields.create.mutate({
      entityType: 'product',
      key: 'code',
      label: 'Code',
      type: 'text',
      settings: { pattern: '[A-Z]+' },
    });
    await expectApiError(
      admin.trpc.config.fields.update.mutate({ id: field.id, patch: { settings: { pattern: '(a)\\1' } } }),
      'BAD_REQUEST',
      /Backreferences \(\\1, \\k<name>\) are not supported/,
    );
  });

  // A field saved before patterns ran on RE2 may hold one RE2 refuses: reads and writes go on, and
  // the field checks values by its other settings until an engineer gives it a pattern RE2 reads.
  it('reads a stored pattern RE2 cannot use as no pattern, keeping the other settings', async () => {
    const field = await admin.trpc.config.fields.create.mutate({
      entityType: 'product',
      key: 'lot',
      label: 'Lot',
      type: 'text',
      settings: { max: 5, pattern: '[A-Z]+' },
    });
    await database.db.transact({ tenantId: tenants.a.tenantId, userId: null, plantIds: 'all' }, (tx) =>
      tx.execute(
        sql`update custom_fields set settings = ${JSON.stringify({ max: 5, pattern: '(?=L)[A-Z]+' })}::jsonb
            where id = ${field.id}`,
      ),
    );
    const fields = await admin.trpc.config.fields.list.query({ entityType: 'product' });
    expect(fields.find((f) => f.key === 'lot')?.settings).toEqual({ max: 5, pattern: null });
    await setValues({ lot: 'abc' });
    const refused = await expectApiError(setValues({ lot: 'abcdef' }), 'BAD_REQUEST');
    expect(refused.data?.fieldErrors).toEqual({ lot: 'At most 5 characters' });
  });
});
