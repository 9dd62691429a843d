import type nodemailer from 'nodemailer';
import { Unavailable } from '../../../../kernel/errors/domain-error.ts';
import { resolveSecretReference } from '../../../../platform/secrets/secret-reference.ts';
import { smtpSchema } from '../../config-schema.ts';
import { keepInOutbox } from './mail-outbox.ts';
import type { OutgoingMail, RequesterMailServices } from './outgoing-mail.ts';

export type { OutgoingMail, RequesterMailServices } from './outgoing-mail.ts';

type Smtp = ReturnType<typeof smtpSchema.parse>;
type Transport = ReturnType<typeof nodemailer.createTransport>;
const transports = new WeakMap<Smtp, Transport>();
/** Without dsr.smtp (and without the outbox): a mail server on this host, as before the key was optional. */
const LOCAL_SMTP: Smtp = smtpSchema.parse({});

/** nodemailer is loaded with the first mail sent, not at start-up: the demo keeps its mail in the outbox. */
async function transportFor(smtp: Smtp): Promise<Transport> {
  let transport = transports.get(smtp);
  if (!transport) {
    const { default: mailer } = await import('nodemailer');
    transport = mailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      requireTLS: smtp.requireTls,
      ...(smtp.user
        ? { auth: { user: smtp.user, pass: smtp.password ? resolveSecretReference(smtp.password) : '' } }
        : {}),
      tls: { rejectUnauthorized: smtp.rejectUnauthorized },
      connectionTimeout: smtp.connectionTimeoutMs,
      greetingTimeout: smtp.connectionTimeoutMs,
      socketTimeout: smtp.connectionTimeoutMs * 3,
    });
    transports.set(smtp, transport);
  }
  return transport;
}

/**
 * Sends a plain-text mail to a requester over the configured SMTP server, or keeps it in the local
 * outbox when `dsr.outbox` is on (the demo without a mail server). Failures become Unavailable
 * without the server's reply text, which may quote the recipient's address.
 */
export async function sendRequesterMail(services: RequesterMailServices, mail: OutgoingMail): Promise<void> {
  const config = services.config.dsr;
  if (config.outbox === true) return keepInOutbox(services, mail);
  const smtp = config.smtp ?? LOCAL_SMTP;
  try {
    await (
      await transportFor(smtp)
    ).sendMail({ from: config.from, to: mail.to, subject: mail.subject, text: mail.text });
  } catch (error) {
    const smtpError = error as { code?: string; responseCode?: number };
    throw new Unavailable(
      'dsr.mail_failed',
      `The SMTP server ${smtp.host}:${smtp.port} did not accept the mail (${smtpError.code ?? 'error'}${smtpError.responseCode ? ` ${smtpError.responseCode}` : ''}). Check dsr.smtp; the mail is retried.`,
      { code: smtpError.code, responseCode: smtpError.responseCode },
    );
  }
}
