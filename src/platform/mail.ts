import type { Kysely } from 'kysely';
import nodemailer from 'nodemailer';
import type { Config } from '../config';
import type { Database } from '../db/schema';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import { insertMailFailure, listMailFailures, type MailFailureRow } from './mail-queries';

export type { MailFailureRow } from './mail-queries';

// Sending mail: the transport (nodemailer to SMTP_URL, from MAIL_FROM), one layout for every mail
// (plain text and simple HTML, every value escaped), and the record of failed sends. Features
// compose what a mail says, in the recipient's language; none of them touches the transport.
// Without SMTP_URL and MAIL_FROM nothing is sent: `configured` is false, and pages that would
// mail say so instead.

/** One piece of a mail's body. Text is plain: the layout escapes it for the HTML part. */
export type MailBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: Array<{ text: string; href?: string }> }
  | { kind: 'button'; text: string; href: string };

export interface MailContent {
  subject: string;
  blocks: MailBlock[];
  /** Why this mail was sent: the last lines of every mail. */
  footer: string;
  /** A link that stops mail of this kind in one click (no sign-in); also sent as List-Unsubscribe. */
  unsubscribe: { text: string; href: string };
}

export interface OutgoingMail {
  to: string;
  /** The recipient's language (the HTML's lang). */
  locale: string;
  content: MailContent;
  /** What is sent ('daily', 'invite', 'test', …): the failure record's kind. */
  kind: string;
  /** Whom it is for, when they have an account: the failure record names them. */
  recipientUserId: number | null;
}

export type SendOutcome = { kind: 'sent' } | { kind: 'failed'; error: string } | { kind: 'notConfigured' };

export interface Mailer {
  /** Whether mail leaves the app at all. */
  readonly configured: boolean;
  /** Sends one mail; a failure is recorded (mail_failures) and logged, never thrown. */
  send(mail: OutgoingMail): Promise<SendOutcome>;
  /** The newest failures, for /admin/settings. */
  recentFailures(limit: number): Promise<MailFailureRow[]>;
  close(): void;
}

/** An SMTP server that does not answer must not hold up a page or a job for minutes. */
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 } as const;
const MAX_ERROR_LENGTH = 500;

export function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** The plain-text part: links written out after their text, lists as dashes. */
function textOf(content: MailContent): string {
  const parts = content.blocks.map((block) => {
    switch (block.kind) {
      case 'heading':
        return `${block.text}\n${'-'.repeat(Math.min(block.text.length, 72))}`;
      case 'paragraph':
        return block.text;
      case 'list':
        return block.items.map((item) => (item.href ? `- ${item.text}\n  ${item.href}` : `- ${item.text}`)).join('\n');
      case 'button':
        return `${block.text}:\n${block.href}`;
    }
  });
  return `${parts.join('\n\n')}\n\n-- \n${content.footer}\n${content.unsubscribe.text}: ${content.unsubscribe.href}\n`;
}

/** The HTML part: plain markup with inline styles only (mail clients drop style sheets and scripts). */
function htmlOf(content: MailContent, locale: string): string {
  const link = (text: string, href: string) => `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;
  const parts = content.blocks.map((block) => {
    switch (block.kind) {
      case 'heading':
        return `<h2 style="font-size:18px;margin:24px 0 8px">${escapeHtml(block.text)}</h2>`;
      case 'paragraph':
        return `<p>${escapeHtml(block.text)}</p>`;
      case 'list':
        return `<ul>${block.items
          .map((item) => `<li>${item.href ? link(item.text, item.href) : escapeHtml(item.text)}</li>`)
          .join('')}</ul>`;
      case 'button':
        return `<p><a href="${escapeHtml(block.href)}" style="display:inline-block;padding:8px 16px;background:#1d4ed8;color:#ffffff;text-decoration:none;border-radius:4px">${escapeHtml(block.text)}</a></p>`;
    }
  });
  return [
    `<!doctype html><html lang="${escapeHtml(locale)}"><head><meta charset="utf-8"><title>${escapeHtml(content.subject)}</title></head>`,
    '<body style="font-family:sans-serif;font-size:15px;line-height:1.5;color:#1f2937">',
    ...parts,
    `<hr style="margin-top:32px"><p style="font-size:13px;color:#4b5563">${escapeHtml(content.footer)}<br>${link(content.unsubscribe.text, content.unsubscribe.href)}</p>`,
    '</body></html>',
  ].join('\n');
}

/** The mail as nodemailer takes it (also what the tests compare). */
export function renderMail(mail: OutgoingMail, from: string): nodemailer.SendMailOptions {
  return {
    from,
    to: mail.to,
    subject: mail.content.subject,
    text: textOf(mail.content),
    html: htmlOf(mail.content, mail.locale),
    // RFC 2369 and 8058: mail clients offer "unsubscribe" and may post to it in one click.
    list: { unsubscribe: { url: mail.content.unsubscribe.href, comment: mail.content.unsubscribe.text } },
    headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click', 'Auto-Submitted': 'auto-generated' },
  };
}

export function createMailer(options: {
  config: Pick<Config, 'mail'>;
  db: Kysely<Database>;
  clock: Clock;
  logger: Logger;
}): Mailer {
  const { config, db, clock, logger } = options;
  const settings = config.mail;
  const transport = settings ? nodemailer.createTransport({ url: settings.smtpUrl, ...TIMEOUTS }) : null;
  return {
    configured: transport !== null,
    async send(mail) {
      if (!transport || !settings) return { kind: 'notConfigured' };
      try {
        await transport.sendMail(renderMail(mail, settings.from));
        logger.info({ mail: mail.kind, userId: mail.recipientUserId }, 'mail sent');
        return { kind: 'sent' };
      } catch (caught: unknown) {
        const error = (caught instanceof Error ? caught.message : String(caught)).slice(0, MAX_ERROR_LENGTH);
        logger.warn({ mail: mail.kind, userId: mail.recipientUserId, error }, 'mail not sent');
        try {
          await insertMailFailure(db, {
            occurredAt: clock.now().toJSDate(),
            kind: mail.kind,
            userId: mail.recipientUserId,
            error,
          });
        } catch (recording: unknown) {
          logger.warn({ err: recording }, 'mail failure not recorded');
        }
        return { kind: 'failed', error };
      }
    },
    recentFailures: (limit) => listMailFailures(db, limit),
    close() {
      transport?.close();
    },
  };
}
