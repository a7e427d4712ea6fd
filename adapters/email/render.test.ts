import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConversationRef } from '../../src/core/message.js';
import { loadLocales, type Localizer } from '../../src/language/i18n.js';
import { projectRoot } from '../../src/server/gateway.js';
import { renderMail } from './render.js';

let locales: Localizer;
beforeAll(async () => {
  locales = await loadLocales(join(projectRoot, 'locales'));
});

const ref: ConversationRef = {
  channelId: 'support',
  chatId: 'anna.schmidt@example.de',
  threadId: 'root@mail.example.de',
  userId: 'anna.schmidt@example.de',
  extra: {
    address: 'anna.schmidt@example.de',
    subject: 'Lieferzeit nach Deutschland',
    inReplyTo: 'm2@mail.example.de',
    references: ['root@mail.example.de', 'm2@mail.example.de'],
  },
};
const options = () => ({ localize: (l: string | undefined) => locales.forLanguage(l), footer: 'Shop Example · https://shop.example' });

describe('renderMail', () => {
  it('writes a German reply: greeting, answer, closing and footer in HTML and plain text, thread headers, Re: subject', () => {
    const [mail] = renderMail(
      {
        parts: [
          {
            kind: 'text',
            text: '<b>Versand</b> nach Deutschland &amp; Österreich: 2–3 Tage.\n\n<a href="https://t.example/1">Sendung verfolgen</a>',
            markup: 'html',
          },
        ],
        language: 'de',
      },
      ref,
      options(),
    );
    expect(mail).toMatchObject({
      to: 'anna.schmidt@example.de',
      subject: 'Re: Lieferzeit nach Deutschland',
      language: 'de',
      inReplyTo: 'm2@mail.example.de',
      references: ['root@mail.example.de', 'm2@mail.example.de'],
    });
    expect(mail?.text).toBe(
      'Guten Tag,\n\nVersand nach Deutschland & Österreich: 2–3 Tage.\n\nSendung verfolgen (https://t.example/1)\n\nFreundliche Grüße\n\n-- \nShop Example · https://shop.example',
    );
    expect(mail?.html).toContain('<html lang="de">');
    expect(mail?.html).toContain('<p><b>Versand</b> nach Deutschland &amp; Österreich: 2–3 Tage.</p>');
    expect(mail?.html).toContain('<a href="https://t.example/1">Sendung verfolgen</a>');
    expect(mail?.html).toContain('Shop Example · https://shop.example');
  });

  it('keeps an existing Re:/AW: prefix, names a subject-less thread in the shopper language, and lays out Arabic right to left', () => {
    const withAw = { ...ref, extra: { ...ref.extra, subject: 'AW: Rücksendung' } };
    expect(renderMail({ parts: [{ kind: 'text', text: 'Ok' }], language: 'de' }, withAw, options())[0]?.subject).toBe('AW: Rücksendung');
    const noSubject = { ...ref, extra: { ...ref.extra, subject: '' } };
    const [ar] = renderMail({ parts: [{ kind: 'text', text: 'نعم' }], language: 'ar' }, noSubject, options());
    expect(ar?.subject).toBe('رسالتك');
    expect(ar?.html).toContain('<html lang="ar" dir="rtl">');
  });

  it('escapes plain text and renders nothing for a message without text', () => {
    const [mail] = renderMail({ parts: [{ kind: 'text', text: '<script>x</script>' }], language: 'en' }, ref, options());
    expect(mail?.html).toContain('&lt;script&gt;');
    expect(renderMail({ parts: [] }, ref, options())).toEqual([]);
  });
});
