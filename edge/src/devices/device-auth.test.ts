import { describe, expect, it } from 'vitest';
import { devicePasswordHash } from '../testing/device-credentials';
import { verifyDevicePassword } from './device-auth';
import { decidePublish } from './device-rights';

describe('verifyDevicePassword', () => {
  const hash = devicePasswordHash('press-secret');

  it('accepts the password and nothing else', async () => {
    expect(await verifyDevicePassword(Buffer.from('press-secret'), hash)).toBe(true);
    expect(await verifyDevicePassword(Buffer.from('press-secreT'), hash)).toBe(false);
    expect(await verifyDevicePassword(Buffer.alloc(0), hash)).toBe(false);
  });

  it('refuses hashes it cannot or should not compute, without computing them', async () => {
    // N = 2^20 would take 1 GiB of memory per connection attempt.
    const costly = hash.replace(/^scrypt\$16384\$/, 'scrypt$1048576$');
    expect(await verifyDevicePassword(Buffer.from('press-secret'), costly)).toBe(false);
    expect(await verifyDevicePassword(Buffer.from('press-secret'), 'press-secret')).toBe(false);
    expect(await verifyDevicePassword(Buffer.from('x'), 'scrypt$16384$8$1$short$short')).toBe(false);
  });
});

describe('decidePublish', () => {
  const machine = { plants: ['RIV'], line: 'L1', machine: 'M1' };

  it('keeps a scoped device to its prefix, even when codes share a beginning', () => {
    expect(decidePublish(machine, 'plantline/v1/RIV/L1/M1/count')).toEqual({ allowed: true });
    expect(decidePublish(machine, 'plantline/v1/RIV/L1/M10/count').allowed).toBe(false);
    expect(decidePublish(machine, 'plantline/v1/RIVER/L1/M1/count').allowed).toBe(false);
    expect(decidePublish({ plants: ['RIV'], line: null, machine: null }, 'plantline/v1/RIV').allowed).toBe(
      false,
    );
  });

  it('leaves foreign topics to the ingress and refuses $ topics for everyone', () => {
    expect(decidePublish(machine, 'factory/other')).toEqual({ allowed: true });
    expect(decidePublish({ plants: null, line: null, machine: null }, 'plantline/v2/x')).toEqual({
      allowed: true,
    });
    expect(decidePublish({ plants: null, line: null, machine: null }, '$SYS/x')).toEqual({
      allowed: false,
      reason: '$SYS topics are reserved',
    });
  });
});
