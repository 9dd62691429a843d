import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
}

export interface SmtpTestServer {
  host: string;
  port: number;
  /** Every message received, in order. */
  messages: CapturedMail[];
  /** Resolves with the first message to `to` (received after `afterCount` messages, subject matching), polling the list. */
  waitForMail(
    to: string,
    options?: { afterCount?: number; timeoutMs?: number; subject?: RegExp },
  ): Promise<CapturedMail>;
  /** Makes the server refuse the next `count` messages with a 451 (temporary failure). */
  refuseNext(count: number): void;
  close(): Promise<void>;
}

/**
 * A real SMTP server in this process (the smtp-server package), so mail code is tested over the
 * wire. Plain SMTP on 127.0.0.1 without authentication; messages are parsed and kept in memory.
 */
export async function startSmtpTestServer(): Promise<SmtpTestServer> {
  const messages: CapturedMail[] = [];
  let refusals = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (refusals > 0) {
          refusals--;
          const error = new Error('try again later') as Error & { responseCode: number };
          error.responseCode = 451;
          callback(error);
          return;
        }
        simpleParser(Buffer.concat(chunks)).then(
          (parsed) => {
            messages.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
            });
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    messages,
    async waitForMail(to, { afterCount = 0, timeoutMs = 20_000, subject } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages
          .slice(afterCount)
          .find((m) => m.to.includes(to) && (!subject || subject.test(m.subject)));
        if (found) return found;
        if (Date.now() > deadline)
          throw new Error(`no mail to ${to} within ${timeoutMs} ms (${messages.length} received)`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    refuseNext(count) {
      refusals = count;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
