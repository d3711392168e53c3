import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A mail as it arrived at the test SMTP server, parsed. */
export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: ParsedMail['headers'];
  /** The whole message as sent (headers and encoded body). */
  raw: string;
}

export interface TestSmtpServer {
  /** SMTP_URL of this server. */
  url: string;
  received: ReceivedMail[];
  /** Resolves once `count` mails have arrived in all (or throws after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  /** The mails that went to `address`. */
  to(address: string): ReceivedMail[];
  clear(): void;
  close(): Promise<void>;
}

/**
 * A real SMTP server (the smtp-server package) on loopback, any free port, no TLS or sign-in: what
 * InBeeld sends through nodemailer arrives here and is read back with mailparser.
 */
export async function startSmtpServer(): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw)
          .then((parsed) => {
            received.push({
              to: session.envelope.rcptTo.map((rcpt) => rcpt.address).join(', '),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              headers: parsed.headers,
              raw,
            });
            callback();
          })
          .catch((error: Error) => callback(error));
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    async waitFor(count, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > until) throw new Error(`expected ${count} mails, ${received.length} arrived`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return received;
    },
    to: (address) => received.filter((mail) => mail.to === address),
    clear: () => void received.splice(0),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A loopback port nothing listens on: SMTP_URL for tests of failed sends. Port 1 (tcpmux): a port
 * that was free a moment ago is not enough, since another test file's server listening on port 0
 * can be handed the same one, and a send to it then waits 30 s for an SMTP greeting instead of
 * being refused. listen(0) only ever hands out ephemeral ports, and nothing here serves port 1.
 */
export function closedPort(): Promise<number> {
  return Promise.resolve(1);
}
