import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerError } from 'smtp-server';
import { afterAll, beforeAll } from 'vitest';

/*
 * A real SMTP server for email tests (never a mock transport): it asks for the login the test's
 * SMTP_URL carries, keeps what it accepts, and can be told to refuse the next messages with a
 * temporary failure, as a busy mail server does.
 */

export interface ReceivedEmail {
  /** The envelope's recipients (RCPT TO). */
  to: string[];
  subject: string;
  /** The decoded text body. */
  text: string;
  messageId: string;
}

export interface TestSmtpServer {
  /** `smtp://user:pass@127.0.0.1:port`, once started. */
  readonly url: string;
  readonly received: ReceivedEmail[];
  /** The next `count` messages are answered 451 (try again later). */
  refuseNext(count: number): void;
  /** Every message is answered 451 until `refuseNext(0)`. */
  refuseAll(): void;
  /** Messages refused so far. */
  readonly refused: number;
}

const USER = 'plantline';
const PASSWORD = 'smtp-secret';

/** Starts an SMTP server before the describe block's tests (call it before useTestApp) and stops it after. */
export function useSmtpServer(): TestSmtpServer {
  const received: ReceivedEmail[] = [];
  let refuse = 0;
  let refused = 0;
  let url = '';
  const server = new SMTPServer({
    // A test network: no TLS, but a login over the plain connection, as SMTP_URL gives it.
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === USER && auth.password === PASSWORD) callback(null, { user: USER });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (refuse > 0) {
          refuse--;
          refused++;
          const error: SMTPServerError = new Error('Mailbox busy, try again later');
          error.responseCode = 451;
          callback(error);
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        received.push({ ...parse(raw), to: session.envelope.rcptTo.map((r) => r.address) });
        callback(null);
      });
    },
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.server.address() as AddressInfo;
    url = `smtp://${USER}:${PASSWORD}@127.0.0.1:${port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  return {
    get url() {
      if (url === '') throw new Error('the test SMTP server is used before its beforeAll ran');
      return url;
    },
    received,
    refuseNext(count) {
      refuse = count;
    },
    refuseAll() {
      refuse = Number.POSITIVE_INFINITY;
    },
    get refused() {
      return refused;
    },
  };
}

/** The headers and decoded text of a single-part message, as nodemailer writes a text email. */
function parse(raw: string): Omit<ReceivedEmail, 'to'> {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
  const encoding = header('Content-Transfer-Encoding').toLowerCase();
  const text =
    encoding === 'quoted-printable'
      ? Buffer.from(
          body
            .replace(/=\r\n/g, '')
            .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
          'latin1',
        ).toString('utf8')
      : encoding === 'base64'
        ? Buffer.from(body, 'base64').toString('utf8')
        : body;
  return { subject: header('Subject'), text: text.replace(/\r\n/g, '\n'), messageId: header('Message-ID') };
}
