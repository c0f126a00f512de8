import { describe, expect, it } from 'vitest';
import { ncrDefinition } from './fixtures.js';
import { checkMapping, proposeMapping } from './migration.js';

describe('proposeMapping', () => {
  it('keeps the keys the target has and leaves the others to a person', () => {
    expect(proposeMapping(['draft', 'mrb', 'closed'], ncrDefinition)).toEqual({
      draft: 'draft',
      mrb: null,
      closed: 'closed',
    });
  });
});

describe('checkMapping', () => {
  it('accepts a mapping of every state in use to an existing state', () => {
    expect(
      checkMapping(['draft', 'mrb'], { draft: 'draft', mrb: 'disposition', unused: 'x' }, ncrDefinition),
    ).toEqual([]);
  });

  it('names each unmapped state and each missing target', () => {
    expect(
      checkMapping(['draft', 'mrb', 'hold', 'mrb'], { draft: 'limbo', hold: '' }, ncrDefinition),
    ).toEqual([
      'Instances in draft are mapped to limbo, which the new version does not have',
      'Choose a state of the new version for instances in mrb',
      'Choose a state of the new version for instances in hold',
    ]);
  });

  it('does not read inherited properties as a mapping', () => {
    expect(checkMapping(['constructor'], {}, ncrDefinition)).toHaveLength(1);
  });
});
