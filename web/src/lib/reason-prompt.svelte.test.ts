import { describe, expect, it } from 'vitest';
import { ReasonPrompt } from './reason-prompt.svelte';

describe('ReasonPrompt', () => {
  it('answers no when no dialog can ask', async () => {
    const prompt = new ReasonPrompt();
    expect(await prompt.ask('Update settings')).toBeNull();
    expect(prompt.changes).toBeNull();
  });

  it('asks once for the changes refused together, and gives each the answer', async () => {
    const prompt = new ReasonPrompt();
    prompt.attach();
    const first = prompt.ask('Update lines');
    const second = prompt.ask('Update machines');
    const again = prompt.ask('Update lines');
    expect(prompt.changes).toEqual(['Update lines', 'Update machines']);
    prompt.answer('   ');
    expect(prompt.changes).not.toBeNull();
    prompt.answer(' New supplier ');
    expect(await Promise.all([first, second, again])).toEqual([
      'New supplier',
      'New supplier',
      'New supplier',
    ]);
    expect(prompt.changes).toBeNull();
  });

  it('gives null to all on cancel, and when the last dialog goes', async () => {
    const prompt = new ReasonPrompt();
    const detach = prompt.attach();
    const cancelled = prompt.ask('Update settings');
    prompt.cancel();
    expect(await cancelled).toBeNull();
    const orphaned = prompt.ask('Update settings');
    detach();
    expect(await orphaned).toBeNull();
    expect(await prompt.ask('Update settings')).toBeNull();
  });
});
