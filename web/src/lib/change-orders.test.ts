import { describe, expect, it } from 'vitest';
import {
  type ChangeOrder,
  type ChangeOrderValues,
  changedFields,
  createInput,
  effectivityText,
  emptyChangeOrder,
  filterQuery,
  formFieldOf,
  listInput,
  parseListFilter,
  revisionChange,
  stateLabel,
  stateTone,
  validateChangeOrder,
  validateItems,
  valuesOf,
} from './change-orders';

const PRODUCT = '0190a8c1-1111-7000-8000-000000000001';
const OTHER = '0190a8c1-1111-7000-8000-000000000002';
const ROUTING = '0190a8c1-2222-7000-8000-000000000001';

const order = {
  title: 'Thicker wall',
  reason: 'Cracks',
  description: '',
  urgency: 'high',
  effectivity: 'lot',
  effectiveDate: null,
  effectiveLot: 'LOT-7',
  ownerId: PRODUCT,
} as unknown as ChangeOrder;

describe('change orders in the web', () => {
  it('names workflow states and their tones from their keys', () => {
    expect(stateLabel('under_review')).toBe('Under review');
    expect(stateLabel('draft')).toBe('Draft');
    expect(stateTone('approved')).toBe('good');
    expect(stateTone('rejected')).toBe('ended');
    expect(stateTone('draft')).toBe('draft');
    expect(stateTone('board_review')).toBe('open');
  });

  it('says when a change takes effect and what revision it makes', () => {
    const when = { effectiveDate: null, effectiveLot: null };
    expect(effectivityText({ ...when, effectivity: 'immediate' })).toBe('Immediately');
    expect(effectivityText({ ...when, effectivity: 'date', effectiveDate: '2026-07-01' })).toBe(
      'From 2026-07-01',
    );
    expect(effectivityText({ ...when, effectivity: 'lot', effectiveLot: 'LOT-7' })).toBe('From lot LOT-7');
    expect(revisionChange({ fromRevision: 'A', toRevision: null })).toBe('A → next');
    expect(revisionChange({ fromRevision: 'A', toRevision: 'B' })).toBe('A → B');
  });

  it('reads the list filter from the URL, dropping what it does not know, and writes it back', () => {
    const filter = parseListFilter(
      new URLSearchParams({
        status: 'draft,Bad Key,under_review,draft',
        urgency: 'high,urgent',
        product: PRODUCT,
        q: 'wall',
      }),
    );
    expect(filter).toEqual({
      status: ['draft', 'under_review'],
      urgency: ['high'],
      productId: PRODUCT,
      text: 'wall',
    });
    expect(parseListFilter(new URLSearchParams({ product: 'nope' })).productId).toBe('');
    expect(filterQuery(filter)).toEqual({
      status: 'draft,under_review',
      urgency: 'high',
      product: PRODUCT,
      q: 'wall',
    });
    expect(filterQuery({ status: [], urgency: [], productId: '', text: ' ' })).toEqual({
      status: null,
      urgency: null,
      product: null,
      q: null,
    });
    expect(listInput({ status: [], urgency: ['low'], productId: '', text: '' })).toEqual({
      urgency: ['low'],
    });
  });

  it('checks the form as the cloud does', () => {
    const values: ChangeOrderValues = { ...emptyChangeOrder(''), effectivity: 'date' };
    expect(validateChangeOrder(values)).toEqual({ title: 'Enter a title', effectiveDate: 'Enter a date' });
    expect(validateChangeOrder({ ...values, title: 'x', effectiveDate: '2026-13-01' })).toEqual({
      effectiveDate: 'Use a date like 2026-11-25',
    });
    expect(validateChangeOrder({ ...values, title: 'x', effectivity: 'lot', effectiveLot: ' ' })).toEqual({
      effectiveLot: 'Enter a lot',
    });
    expect(validateChangeOrder({ ...values, title: 'x'.repeat(201), effectivity: 'immediate' })).toEqual({
      title: 'At most 200 characters',
    });
    const rows = [
      { key: 1, productId: PRODUCT, routingId: '', note: '' },
      { key: 2, productId: '', routingId: '', note: '' },
      { key: 3, productId: PRODUCT, routingId: '', note: '' },
    ];
    expect(validateItems(rows)).toEqual({
      'items.1.productId': 'Choose a product',
      'items.2.productId': 'Listed twice',
    });
  });

  it('builds the create input, keeping only the effectivity value that applies', () => {
    const values: ChangeOrderValues = {
      ...emptyChangeOrder(OTHER),
      title: ' Wall ',
      effectivity: 'date',
      effectiveDate: '2026-07-01',
      effectiveLot: 'stale',
    };
    const items = [{ key: 1, productId: PRODUCT, routingId: ROUTING, note: ' thicker ' }];
    expect(createInput(values, items, '')).toEqual({
      title: 'Wall',
      reason: '',
      description: '',
      urgency: 'normal',
      effectivity: 'date',
      effectiveDate: '2026-07-01',
      effectiveLot: null,
      ownerId: OTHER,
      plantId: null,
      items: [{ productId: PRODUCT, routingId: ROUTING, note: 'thicker' }],
    });
  });

  it('sends only the fields an edit changed', () => {
    expect(changedFields(valuesOf(order), order)).toBeNull();
    expect(changedFields({ ...valuesOf(order), title: 'Thinner wall ' }, order)).toEqual({
      title: 'Thinner wall',
    });
    expect(changedFields({ ...valuesOf(order), effectivity: 'immediate', ownerId: '' }, order)).toEqual({
      effectivity: 'immediate',
      effectiveLot: null,
      ownerId: null,
    });
  });

  it('shows a server error beside the field it names, in the patch or by the workflow’s name', () => {
    expect(formFieldOf('patch.effectiveDate')).toBe('effectiveDate');
    expect(formFieldOf('effective_lot')).toBe('effectiveLot');
    expect(formFieldOf('owner')).toBe('ownerId');
    expect(formFieldOf('urgency')).toBe('urgency');
  });
});
