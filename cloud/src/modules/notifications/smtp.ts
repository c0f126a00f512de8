import type { Transporter } from 'nodemailer';
import { loadNodemailer } from '../../platform/index.js';

/** One email on its way out. */
export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
}

/** What sends email: SMTP in the app and in tests alike (a test runs a real SMTP server). */
export interface EmailTransport {
  /** Resolves with the message id once the server has accepted the message; rejects with its refusal. */
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
  close(): void;
}

/**
 * The SMTP transport of `SMTP_URL` (`smtp://user:pass@host:587`, STARTTLS when the server offers it, or
 * `smtps://…:465`). Timeouts are short: a hanging server must fail the attempt well within the claim
 * lease (email-queue.ts), so another pass does not take the delivery while this one still waits.
 */
export function smtpTransport(smtpUrl: string, from: string): EmailTransport {
  // Made at the first email: nodemailer is loaded then (platform/lazy-libraries.ts).
  let transporter: Promise<Transporter> | null = null;
  const open = async () =>
    (await loadNodemailer()).createTransport({
      url: smtpUrl,
      connectionTimeout: 20_000,
      greetingTimeout: 20_000,
      socketTimeout: 60_000,
    });
  return {
    async send(email) {
      transporter ??= open();
      const info = await (await transporter).sendMail({
        from,
        to: email.to,
        subject: email.subject,
        text: email.text,
      });
      return { messageId: String(info.messageId) };
    },
    close: () => {
      void transporter?.then(
        (t) => t.close(),
        () => undefined,
      );
    },
  };
}
