import { describe, expect, it } from 'vitest';
import { connectionStatus, type SocketObservation } from './connection';

const base: SocketObservation = {
  state: 'idle',
  failed: false,
  failures: 0,
  everConnected: false,
  online: true,
};

describe('connectionStatus', () => {
  it.each([
    [{}, 'idle'],
    [{ state: 'connecting' }, 'connecting'],
    [{ state: 'pending', everConnected: true }, 'connected'],
    [{ state: 'connecting', everConnected: true }, 'reconnecting'],
    [{ state: 'connecting', failed: true, failures: 1 }, 'reconnecting'],
    [{ state: 'connecting', failed: true, failures: 3, everConnected: true }, 'offline'],
    [{ state: 'pending', online: false }, 'offline'],
  ] as [Partial<SocketObservation>, string][])('%j → %s', (observed, expected) => {
    expect(connectionStatus({ ...base, ...observed })).toBe(expected);
  });
});
