import { describe, expect, it } from 'vitest';
import { entityTypes } from '../config/index.js';
import { withConfigEntities } from './config-entities.js';
import { type WorkflowEntity, workflowEntityMap } from './entities.js';

/*
 * The configuration engine's record types as workflow record types (docs/workflows.md, "Adding a
 * record type"): each described once, a domain's own description kept, and only safe fields settable.
 */
describe('withConfigEntities', () => {
  it('describes every configuration entity type once', () => {
    const described = withConfigEntities([]);
    expect(described.map((e) => e.key).sort()).toEqual(entityTypes.map((t) => t.key).sort());
    expect(() => workflowEntityMap(described)).not.toThrow();
    const product = described.find((e) => e.key === 'product')!;
    expect(product).toMatchObject({
      table: 'products',
      codeColumn: 'code',
      plantColumn: null,
      statusColumn: null,
    });
    expect(product.fields.map((f) => f.key)).toEqual(['code', 'name', 'unit', 'revision']);
    expect(described.find((e) => e.key === 'machine')!.link('m 1')).toBe('/machines/m%201');
    expect(described.find((e) => e.key === 'line')!.link('l1')).toBe('/config/records/line/l1');
  });

  it('lets workflows write an order’s note only', () => {
    const settable = withConfigEntities([]).flatMap((e) =>
      e.fields.filter((f) => f.settable).map((f) => `${e.key}.${f.key}`),
    );
    expect(settable).toEqual(['production_order.note']);
    const status = withConfigEntities([])
      .find((e) => e.key === 'production_order')!
      .fields.find((f) => f.key === 'status')!;
    expect(status).toMatchObject({ kind: 'choice', settable: false });
    expect(status.choices).toContain('in_progress');
  });

  it('keeps a domain’s own description of a type and adds the rest', () => {
    const own: WorkflowEntity = {
      ...withConfigEntities([]).find((e) => e.key === 'product')!,
      label: 'Product (own)',
      fields: [],
    };
    const described = withConfigEntities([own]);
    expect(described[0]).toBe(own);
    expect(described.filter((e) => e.key === 'product')).toHaveLength(1);
    expect(described).toHaveLength(entityTypes.length);
  });
});
