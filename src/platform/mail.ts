/**
 * Sending mail. InBeeld has no mail transport yet (it comes with the reminders), so nothing is
 * mailed and pages that would mail a link say so instead: this is the seam where the transport
 * goes, configured from the environment, and what callers ask before they offer to mail.
 */
export interface Mailer {
  /** Whether mail leaves the app at all. */
  readonly configured: boolean;
}

export function createMailer(): Mailer {
  return { configured: false };
}
