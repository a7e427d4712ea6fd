import { randomUUID } from 'node:crypto';
import type { SqlDriver } from '../store/driver.js';
import type { Mail, Mailer } from './mailer.js';

/** A mail as the demo mailbox keeps it. */
export interface DemoMail extends Mail {
  id: string;
  at: number;
}

/**
 * Demo only: keeps mails in the database (table `demo_mail`) instead of sending them, so a
 * newcomer can finish the one-time-code flow in a browser at `/demo/mailbox`. Only the last
 * 50 are kept.
 *
 * @example
 * ```ts
 * const mailbox = new DemoMailbox(driver, clock);
 * await mailbox.send({ to: 'emma@example.com', subject: 'Your code: 493817', text: '...' });
 * (await mailbox.list())[0]?.subject; // 'Your code: 493817'
 * ```
 */
export class DemoMailbox implements Mailer {
  readonly kind = 'demo';
  constructor(
    private readonly db: SqlDriver,
    private readonly now: () => number,
  ) {}

  async send(mail: Mail): Promise<void> {
    await this.db.run('INSERT INTO demo_mail (id, to_address, subject, body, language, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
      randomUUID(),
      mail.to,
      mail.subject,
      mail.text,
      mail.language ?? null,
      this.now(),
    ]);
    await this.db.run('DELETE FROM demo_mail WHERE id NOT IN (SELECT id FROM demo_mail ORDER BY created_at DESC LIMIT 50)');
  }

  async list(limit = 20): Promise<DemoMail[]> {
    const rows = await this.db.all<{ id: string; to_address: string; subject: string; body: string; language: string | null; created_at: number }>(
      'SELECT * FROM demo_mail ORDER BY created_at DESC LIMIT ?',
      [limit],
    );
    return rows.map((r) => ({
      id: r.id,
      to: r.to_address,
      subject: r.subject,
      text: r.body,
      ...(r.language ? { language: r.language } : {}),
      at: Number(r.created_at),
    }));
  }
}
