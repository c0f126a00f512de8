import { describe, expect, it } from 'vitest';
import { type IncomingMessage, REBIRTH_RETRY_MS, SparkplugSessions } from './sparkplug-sessions';

const node = { group: 'G1', node: 'N1' };
const metric = (name: string | undefined, value: number | boolean | string | null, alias?: number) => ({
  name,
  alias,
  value,
  timestamp: undefined,
});

function msg(
  type: IncomingMessage['type'],
  seq: number | undefined,
  metrics = [metric('m', 1)],
  device?: string,
) {
  return { ...node, type, seq, metrics, device } satisfies IncomingMessage;
}

function born(bdSeq = 0) {
  const sessions = new SparkplugSessions();
  sessions.receive(msg('NBIRTH', 0, [metric('bdSeq', bdSeq), metric('Speed', 10, 1)]), 0);
  sessions.receive(msg('DBIRTH', 1, [metric('Good', 5, 7)], 'D1'), 0);
  return sessions;
}

describe('SparkplugSessions', () => {
  it('resolves aliases from the births, per node and per device', () => {
    const sessions = born();
    expect(sessions.receive(msg('NDATA', 2, [metric(undefined, 11, 1)]), 0)).toEqual({
      take: true,
      metrics: [{ name: 'Speed', value: 11, timestamp: undefined }],
    });
    expect(sessions.receive(msg('DDATA', 3, [metric(undefined, 6, 7)], 'D1'), 0)).toMatchObject({
      take: true,
      metrics: [{ name: 'Good', value: 6 }],
    });
    // The node's alias 1 is not the device's.
    expect(sessions.receive(msg('DDATA', 4, [metric(undefined, 6, 1)], 'D1'), 0)).toEqual({
      take: false,
      dropped: 'unknown-alias',
      rebirth: true,
    });
  });

  it('wraps seq from 255 to 0', () => {
    const sessions = new SparkplugSessions();
    sessions.receive(msg('NBIRTH', 254), 0);
    expect(sessions.receive(msg('NDATA', 255), 0)).toMatchObject({ take: true });
    expect(sessions.receive(msg('NDATA', 0), 0)).toMatchObject({ take: true });
    expect(sessions.receive(msg('NDATA', 1), 0)).toMatchObject({ take: true });
  });

  it('drops everything after a gap until the next NBIRTH, asking for it at most every 5 s', () => {
    const sessions = born();
    expect(sessions.receive(msg('DDATA', 3, undefined, 'D1'), 1000)).toEqual({
      take: false,
      dropped: 'seq-gap',
      rebirth: true,
    });
    // The next message in sequence is not taken either: the session is broken.
    expect(sessions.receive(msg('DDATA', 4, undefined, 'D1'), 2000)).toEqual({
      take: false,
      dropped: 'no-birth',
      rebirth: false,
    });
    expect(sessions.receive(msg('NDATA', 5), 1000 + REBIRTH_RETRY_MS)).toMatchObject({ rebirth: true });
    sessions.receive(msg('NBIRTH', 0), 9000);
    expect(sessions.receive(msg('NDATA', 1), 9000)).toMatchObject({ take: true });
  });

  it('takes nothing before a birth and asks for one', () => {
    const sessions = new SparkplugSessions();
    expect(sessions.receive(msg('NDATA', 0), 0)).toEqual({ take: false, dropped: 'no-birth', rebirth: true });
    sessions.receive(msg('NBIRTH', 0), 0);
    // A device's data before its DBIRTH of this session.
    expect(sessions.receive(msg('DDATA', 1, undefined, 'D9'), 0)).toMatchObject({
      dropped: 'device-not-born',
    });
  });

  it('ignores a repeated seq as a redelivery', () => {
    const sessions = born();
    expect(sessions.receive(msg('DDATA', 1, undefined, 'D1'), 0)).toEqual({ take: false, duplicate: true });
    expect(sessions.receive(msg('DDATA', 2, undefined, 'D1'), 0)).toMatchObject({ take: true });
  });

  it('ends the session on an NDEATH with the birth’s bdSeq only', () => {
    const sessions = born(3);
    expect(sessions.receive(msg('NDEATH', undefined, [metric('bdSeq', 2)]), 0)).toEqual({
      take: false,
      stale: true,
    });
    expect(sessions.presence(10).every((entry) => entry.online)).toBe(true);
    expect(sessions.receive(msg('NDEATH', undefined, [metric('bdSeq', 3)]), 0)).toEqual({
      take: false,
      online: false,
      offline: [null, 'D1'],
    });
    // The will after a death certificate: nothing more goes offline.
    expect(sessions.receive(msg('NDEATH', undefined, [metric('bdSeq', 3)]), 0)).toEqual({
      take: false,
      online: false,
      offline: [],
    });
    expect(sessions.presence(10)).toEqual([
      { group: 'G1', node: 'N1', device: null, online: false },
      { group: 'G1', node: 'N1', device: 'D1', online: false },
    ]);
  });

  it('marks a device offline on DDEATH and online on its next DBIRTH', () => {
    const sessions = born();
    expect(sessions.receive(msg('DDEATH', 2, [], 'D1'), 0)).toEqual({
      take: false,
      online: false,
      offline: ['D1'],
    });
    expect(sessions.receive(msg('DDATA', 3, undefined, 'D1'), 0)).toMatchObject({
      dropped: 'device-not-born',
    });
    sessions.receive(msg('NBIRTH', 0), 0);
    expect(sessions.receive(msg('DBIRTH', 1, [metric('Good', 1)], 'D1'), 0)).toMatchObject({
      take: true,
      online: true,
    });
    expect(sessions.presence(10).find((entry) => entry.device === 'D1')?.online).toBe(true);
  });
});
