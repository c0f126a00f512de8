import { createConnection, type Socket } from 'node:net';
import { HostStatusError, hostStatusFrames, type PrinterStatus, parseHostStatus } from './host-status';
import type { PrintErrorCode } from './print-result';

export interface PrinterAddress {
  host: string;
  /** The raw printing port; 9100 on Zebra and most network label printers. */
  port?: number;
}

export interface ConnectionTimeouts {
  connectMs: number;
  statusMs: number;
  sendMs: number;
  /**
   * After the job is handed over and our side is closed, how long to wait for the printer to close its
   * side. A reset within it means the job did not arrive whole; a printer that keeps the connection
   * open past it has the job all the same.
   */
  closeGraceMs: number;
}

export interface Session {
  /** Asks `~HS` before the job, on the same connection. */
  askStatus: boolean;
  /** The job; null for a status call. */
  zpl: string | null;
}

export type SessionOutcome =
  | { ok: true; status: PrinterStatus | null }
  | { ok: false; code: PrintErrorCode; message: string; status: PrinterStatus | null };

const HOST_STATUS = '~HS';

/**
 * One connection to a printer: connect, optionally ask its status, send the job, close. The phase in
 * which a failure happens decides its code, and so whether a retry may print a label twice: only
 * failures before any of the job was written are retryable (print-result.ts).
 */
export function runSession(
  address: PrinterAddress,
  session: Session,
  timeouts: ConnectionTimeouts,
  signal: AbortSignal,
): Promise<SessionOutcome> {
  return new Promise((resolve) => {
    let phase: 'connect' | 'status' | 'send' | 'closing' = 'connect';
    let status: PrinterStatus | null = null;
    let received = '';
    let timer: NodeJS.Timeout | undefined;
    const socket: Socket = createConnection({ host: address.host, port: address.port ?? 9100 });

    const finish = (outcome: SessionOutcome) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.removeAllListeners();
      socket.on('error', () => {});
      socket.destroy();
      resolve(outcome);
    };
    const fail = (code: PrintErrorCode, message: string) => finish({ ok: false, code, message, status });
    const deadline = (ms: number, onExpiry: () => void) => {
      clearTimeout(timer);
      timer = setTimeout(onExpiry, ms);
    };
    const onAbort = () => fail('stopped', 'the printer client stopped');
    signal.addEventListener('abort', onAbort, { once: true });

    const sendJob = () => {
      if (session.zpl === null) return finish({ ok: true, status });
      phase = 'send';
      deadline(timeouts.sendMs, () => fail('timeout', `the job was not taken within ${timeouts.sendMs} ms`));
      socket.end(session.zpl, () => {
        phase = 'closing';
        deadline(timeouts.closeGraceMs, () => finish({ ok: true, status }));
      });
    };

    deadline(timeouts.connectMs, () => fail('timeout', `no connection within ${timeouts.connectMs} ms`));
    socket.setNoDelay(true);
    socket.on('connect', () => {
      if (!session.askStatus) return sendJob();
      phase = 'status';
      deadline(timeouts.statusMs, () =>
        fail('timeout', `no answer to ${HOST_STATUS} within ${timeouts.statusMs} ms`),
      );
      socket.write(HOST_STATUS);
    });
    socket.on('data', (chunk: Buffer) => {
      if (phase !== 'status') return;
      received += chunk.toString('latin1');
      const frames = hostStatusFrames(received);
      if (frames === undefined) return;
      try {
        status = parseHostStatus(frames);
      } catch (err) {
        if (err instanceof HostStatusError) return fail('bad_status', err.message);
        throw err;
      }
      if (status.problems.length > 0)
        return fail('not_ready', `printer not ready: ${status.problems.join(', ')}`);
      sendJob();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => fail(...classify(phase, err)));
    socket.on('close', () => {
      if (phase === 'closing') return finish({ ok: true, status });
      if (phase === 'send') return fail('closed', 'the printer closed the connection during the job');
      fail('busy', 'the printer closed the connection before the job was sent');
    });
  });
}

function classify(phase: string, err: NodeJS.ErrnoException): [PrintErrorCode, string] {
  if (phase === 'connect') {
    if (err.code === 'ECONNREFUSED') return ['refused', `connection refused (${err.message})`];
    // The usual first print of a printer added with a mistyped or made-up address: say what to fix.
    if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN')
      return [
        'unreachable',
        `no printer found by that host name on the plant network (${err.message}); check the printer's host on the Printers page`,
      ];
    return ['unreachable', `printer unreachable (${err.code ?? err.message})`];
  }
  // Nothing of the job was written yet: the printer is taken by another sender or reset us.
  if (phase === 'status') return ['busy', `the printer dropped the connection (${err.code ?? err.message})`];
  return ['closed', `the printer dropped the connection during the job (${err.code ?? err.message})`];
}
