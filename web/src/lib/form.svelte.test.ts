import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { FormState } from './form.svelte';
import { validateNewUser } from './validation';

const blank = () => ({ displayName: '', email: '', password: '' });
const valid = { displayName: 'Ana', email: 'ana@plant.example', password: 'p'.repeat(12) };

function refusal(code: string, message: string, fieldErrors: Record<string, string> | null) {
  return TRPCClientError.from({
    error: { code: -32600, message, data: { code, httpStatus: 409, path: 'users.create', fieldErrors } },
  });
}

describe('FormState', () => {
  it('shows a field’s problem once the user has typed in it', () => {
    const form = new FormState(blank(), validateNewUser);
    expect(form.error('email')).toBeUndefined();
    form.values.email = 'ana';
    form.touch('email');
    expect(form.error('email')).toBe('Enter a valid email address');
    expect(form.error('password')).toBeUndefined();
    form.values.email = 'ana@plant.example';
    expect(form.error('email')).toBeUndefined();
  });

  it('shows every problem and sends nothing when submitted incomplete', async () => {
    const form = new FormState(blank(), validateNewUser);
    let sent = false;
    const ok = await form.submit(null, async () => {
      sent = true;
    });
    expect(ok).toBe(false);
    expect(sent).toBe(false);
    expect(form.error('displayName')).toBe('Enter a name');
    expect(form.error('password')).toBe('Use at least 12 characters');
  });

  it('shows the server’s field errors until the field changes', async () => {
    const form = new FormState({ ...valid }, validateNewUser);
    const ok = await form.submit(null, async () => {
      throw refusal('CONFLICT', 'A user with this email already exists', { email: 'Already in use' });
    });
    expect(ok).toBe(false);
    expect(form.error('email')).toBe('Already in use');
    expect(form.message).toBe('A user with this email already exists');
    expect(form.busy).toBe(false);
    form.touch('email');
    expect(form.error('email')).toBeUndefined();
  });

  it('maps nested server paths to its fields', async () => {
    const form = new FormState(
      { code: 'L1' },
      () => ({}),
      (path) => path.replace(/^patch\./, ''),
    );
    await form.submit(null, async () => {
      throw refusal('CONFLICT', 'That code is already in use here', { 'patch.code': 'Already in use' });
    });
    expect(form.error('code')).toBe('Already in use');
  });

  it('resets to new values with nothing touched', async () => {
    const form = new FormState(blank(), validateNewUser);
    await form.submit(null, async () => {});
    form.reset(blank());
    expect(form.error('displayName')).toBeUndefined();
    expect(form.message).toBe('');
  });
});
