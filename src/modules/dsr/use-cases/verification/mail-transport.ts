import nodemailer from 'nodemailer';
import { Unavailable } from '../../../../kernel/errors/domain-error.ts';
import { resolveSecretReference } from '../../../../platform/secrets/secret-reference.ts';
import type { DsrConfig } from '../../config-schema.ts';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

type Transport = ReturnType<typeof nodemailer.createTransport>;
const transports = new WeakMap<DsrConfig['smtp'], Transport>();

function transportFor(smtp: DsrConfig['smtp']): Transport {
  let transport = transports.get(smtp);
  if (!transport) {
    transport = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      requireTLS: smtp.requireTls,
      ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ? resolveSecretReference(smtp.password) : '' } } : {}),
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
 * Sends a plain-text mail to a requester over the configured SMTP server. Failures become
 * Unavailable without the server's reply text, which may quote the recipient's address.
 */
export async function sendRequesterMail(config: DsrConfig, mail: OutgoingMail): Promise<void> {
  try {
    await transportFor(config.smtp).sendMail({ from: config.from, to: mail.to, subject: mail.subject, text: mail.text });
  } catch (error) {
    const smtpError = error as { code?: string; responseCode?: number };
    throw new Unavailable(
      'dsr.mail_failed',
      `The SMTP server ${config.smtp.host}:${config.smtp.port} did not accept the mail (${smtpError.code ?? 'error'}${smtpError.responseCode ? ` ${smtpError.responseCode}` : ''}). Check dsr.smtp; the mail is retried.`,
      { code: smtpError.code, responseCode: smtpError.responseCode },
    );
  }
}
