/** What the header says about the WebSocket that carries live data. */
export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'offline';

export interface SocketObservation {
  /** The tRPC WebSocket client's state: no socket, opening one, or open. */
  state: 'idle' | 'connecting' | 'pending';
  /** Why the last socket closed or the last attempt failed, if it did. */
  failed: boolean;
  /** Failed attempts since the socket was last open. */
  failures: number;
  /** Whether a socket was open since this client was created. */
  everConnected: boolean;
  /** The browser's own idea (navigator.onLine). */
  online: boolean;
}

/** After this many failed attempts in a row the cloud counts as unreachable, not just reconnecting. */
export const OFFLINE_AFTER_FAILURES = 3;

export function connectionStatus(o: SocketObservation): ConnectionStatus {
  if (!o.online) return 'offline';
  if (o.state === 'pending') return 'connected';
  if (o.state === 'idle') return 'idle';
  if (o.failures >= OFFLINE_AFTER_FAILURES) return 'offline';
  return o.failed || o.everConnected ? 'reconnecting' : 'connecting';
}

export const CONNECTION_LABELS: Record<ConnectionStatus, string> = {
  idle: 'Live updates paused',
  connecting: 'Connecting…',
  connected: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline — retrying',
};
