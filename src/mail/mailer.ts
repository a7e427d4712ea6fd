/** Outgoing e-mail behind one small port: SMTP in production, a local demo mailbox in the demo. */

/** One e-mail to send. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** BCP 47 tag of the language it is written in (the `Content-Language` header). */
  language?: string;
}

/**
 * Sends e-mail. Throws a `ParleyError('MAIL_FAILED')` when the mail could not be handed over.
 *
 * @example
 * ```ts
 * await mailer.send({ to: 'emma@example.com', subject: 'Your code', text: '493817', language: 'nl' });
 * ```
 */
export interface Mailer {
  /** `smtp`, or `demo` (kept locally, shown at /demo/mailbox). */
  readonly kind: 'smtp' | 'demo';
  send(mail: Mail): Promise<void>;
}
