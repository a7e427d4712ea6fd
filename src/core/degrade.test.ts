import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Capabilities, richCapabilities } from './capabilities.js';
import { convertMarkup, type DegradeResult, degrade, matchChoice, type OfferedChoice } from './degrade.js';
import type { CardPart, Choice, ChoicesPart, OutboundMessage, Part, TextPart } from './message.js';
import type { Localize } from './ports.js';

const readLocale = (lng: string): Record<string, string> => JSON.parse(readFileSync(new URL(`../../locales/${lng}/degrade.json`, import.meta.url), 'utf8'));

const en = readLocale('en');

/** A tiny i18next stand-in: `degrade.<key>` from the en file, `{{var}}` interpolation, loud on typos. */
const t: Localize = (key, vars = {}) => {
  const template = en[key.replace(/^degrade\./, '')];
  if (template === undefined) throw new Error(`missing locale key ${key}`);
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(vars[name] ?? ''));
};

const limited: Capabilities = {
  maxTextLength: 4096,
  markup: 'html',
  buttons: { max: 3, maxLabelLength: 20 },
  list: { maxRows: 10, maxLabelLength: 24 },
  cards: false,
  media: ['image', 'file'],
  typing: true,
  edit: false,
};

const textOnly: Capabilities = {
  maxTextLength: 600,
  markup: 'plain',
  buttons: false,
  list: false,
  cards: false,
  media: [],
  typing: false,
  edit: false,
};

const profiles = { rich: richCapabilities, limited, textOnly } as const;
type Profile = keyof typeof profiles;

// ---------- helpers that read a result the way a shopper would ----------

const texts = (r: DegradeResult) => r.messages.flatMap((m) => m.parts.filter((p): p is TextPart => p.kind === 'text').map((p) => p.text));
const allText = (r: DegradeResult) => texts(r).join('\n');
const kinds = (r: DegradeResult) => r.messages.map((m) => m.parts.map((p) => p.kind));
const choicesOf = (r: DegradeResult) => r.messages.flatMap((m) => m.parts.filter((p): p is ChoicesPart => p.kind === 'choices'));
const unescapeHtml = (s: string) =>
  s
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** What must hold for every message on every channel, whatever the case. */
function expectFitsChannel(r: DegradeResult, caps: Capabilities): void {
  for (const { parts } of r.messages) {
    const textIndexes = parts.flatMap((p, i) => (p.kind === 'text' ? [i] : []));
    expect(textIndexes.length <= 1 && (textIndexes[0] ?? 0) === 0, 'one text part, first').toBe(true);
    for (const part of parts) expectPartFits(part, caps);
    const choicesAt = parts.findIndex((p) => p.kind === 'choices');
    if (choicesAt >= 0) expect(choicesAt, 'buttons close their message').toBe(parts.length - 1);
  }
}

function expectPartFits(part: Part, caps: Capabilities): void {
  if (part.kind === 'text') {
    expect(part.text.length).toBeLessThanOrEqual(caps.maxTextLength);
    expect(part.markup).toBe(caps.markup);
  } else if (part.kind === 'choices') {
    const limits = part.display === 'list' ? caps.list : caps.buttons;
    expect(limits, `${part.display} supported`).not.toBe(false);
    if (!limits) return;
    expect(part.choices.length).toBeLessThanOrEqual('max' in limits ? limits.max : limits.maxRows);
    for (const c of part.choices) expect(c.label.length).toBeLessThanOrEqual(limits.maxLabelLength);
  } else if (part.kind === 'card') {
    expect(caps.cards).toBe(true);
  } else if (part.kind === 'contact' || part.kind === 'order') {
    throw new Error(`${part.kind} should have become text`);
  } else {
    expect(caps.media).toContain(part.kind);
  }
}

// ---------- fixtures ----------

const sizes: Choice[] = [
  { label: 'Small', payload: 'size.s' },
  { label: 'Large', payload: 'size.l' },
];
const numbered = (n: number): Choice[] => Array.from({ length: n }, (_, i) => ({ label: `Colour ${i + 1}`, payload: `colour.${i + 1}` }));
const delivery: Choice[] = [
  { label: 'Express delivery (1-2 business days)', payload: 'ship.express' },
  { label: 'Standard delivery (3-5 business days)', payload: 'ship.standard' },
];
const card: CardPart = {
  kind: 'card',
  title: 'Linen shirt',
  subtitle: 'Breathable & light <summer>',
  price: '€39.90',
  imageUrl: 'https://cdn.shop.example/shirt.jpg',
  url: 'https://shop.example/p/linen-shirt',
  buttons: [
    { label: 'Add to cart', payload: 'cart.add.shirt' },
    { label: 'Size guide', payload: 'size.guide', url: 'https://shop.example/sizes' },
  ],
};
// 10,000+ characters of distinct words in paragraphs, with "&" so HTML escaping grows the text.
const words = Array.from({ length: 1700 }, (_, i) => `w${String(i).padStart(4, '0')}`);
const longText = words
  .map((w, i) => (i % 60 === 59 ? `${w} Q&A.\n\n` : i % 12 === 11 ? `${w}.\n` : `${w} `))
  .join('')
  .trim();
const wordsOf = (s: string) => s.match(/w\d{4}/g) ?? [];

const numberedText = (title: string, labels: string[]) =>
  [title, 'Reply with the number of your choice:', ...labels.map((l, i) => `${i + 1}. ${l}`)].join('\n');

// ---------- the table ----------

interface Case {
  name: string;
  message: OutboundMessage;
  expect: Record<Profile, (r: DegradeResult) => void>;
}

const ask = (choices: Choice[]): OutboundMessage => ({
  parts: [
    { kind: 'text', text: 'Which one?' },
    { kind: 'choices', choices },
  ],
});

const cases: Case[] = [
  {
    name: '2 buttons',
    message: ask(sizes),
    expect: {
      rich: (r) => {
        expect(kinds(r)).toEqual([['text', 'choices']]);
        expect(choicesOf(r)[0]).toMatchObject({ display: 'buttons', choices: sizes });
      },
      limited: (r) => expect(choicesOf(r)[0]).toMatchObject({ display: 'buttons', choices: sizes }),
      textOnly: (r) => {
        expect(kinds(r)).toEqual([['text']]);
        expect(texts(r)).toEqual([`Which one?\n\n${numberedText('', ['Small', 'Large']).trimStart()}`]);
      },
    },
  },
  {
    name: '5 buttons',
    message: ask(numbered(5)),
    expect: {
      rich: (r) => expect(choicesOf(r)[0]).toMatchObject({ display: 'buttons', choices: numbered(5) }),
      limited: (r) => {
        expect(kinds(r)).toEqual([['text', 'choices']]);
        expect(choicesOf(r)[0]).toEqual({ kind: 'choices', display: 'list', title: 'Choose an option', choices: numbered(5) });
      },
      textOnly: (r) =>
        expect(allText(r)).toContain(
          numberedText(
            '',
            numbered(5).map((c) => c.label),
          ).trimStart(),
        ),
    },
  },
  {
    name: '15 choices',
    message: ask(numbered(15)),
    expect: {
      // 15 is more than 12 buttons and the rich web chat has no list: numbered text everywhere.
      rich: (r) => expect(allText(r)).toContain('15. Colour 15'),
      limited: (r) => {
        expect(choicesOf(r)).toEqual([]);
        expect(allText(r)).toContain(
          numberedText(
            '',
            numbered(15).map((c) => c.label),
          ).trimStart(),
        );
      },
      textOnly: (r) => expect(allText(r)).toContain('\n1. Colour 1\n2. Colour 2\n'),
    },
  },
  {
    name: 'long labels',
    message: ask(delivery),
    expect: {
      rich: (r) => expect(choicesOf(r)[0]?.choices).toEqual(delivery),
      limited: (r) =>
        expect(choicesOf(r)[0]).toMatchObject({
          display: 'buttons',
          choices: [
            { label: 'Express delivery (1…', payload: 'ship.express' },
            { label: 'Standard delivery (…', payload: 'ship.standard' },
          ],
        }),
      // Text has room for the whole label, so nothing is truncated.
      textOnly: (r) => expect(allText(r)).toContain('1. Express delivery (1-2 business days)\n2. Standard'),
    },
  },
  {
    name: 'a card',
    message: { parts: [card] },
    expect: {
      rich: (r) => expect(r.messages).toEqual([{ parts: [card] }]),
      limited: (r) => {
        expect(kinds(r)).toEqual([['text', 'image', 'choices']]);
        expect(texts(r)).toEqual([
          '<b>Linen shirt</b>\nBreathable &amp; light &lt;summer&gt;\n€39.90\n<a href="https://shop.example/p/linen-shirt">View product</a>',
        ]);
        expect(r.messages[0]?.parts[1]).toEqual({ kind: 'image', url: card.imageUrl });
        expect(choicesOf(r)[0]).toMatchObject({ display: 'buttons', choices: card.buttons });
      },
      textOnly: (r) =>
        expect(texts(r)).toEqual([
          [
            'Linen shirt',
            'Breathable & light <summer>',
            '€39.90',
            'View product (https://shop.example/p/linen-shirt)',
            'Image: https://cdn.shop.example/shirt.jpg',
            '',
            'Reply with the number of your choice:',
            '1. Add to cart',
            'Size guide: https://shop.example/sizes',
          ].join('\n'),
        ]),
    },
  },
  {
    name: 'a 10,000-char text',
    message: { parts: [{ kind: 'text', text: longText }] },
    expect: {
      rich: (r) => expect(texts(r)).toEqual([longText]),
      limited: (r) => {
        expect(r.messages).toHaveLength(3);
        expect(wordsOf(texts(r).map(unescapeHtml).join(' '))).toEqual(words);
        expect(texts(r).join('')).not.toMatch(/&(?!amp;)/);
        // Paragraph breaks are preferred: every chunk ends a paragraph ("Q&A.").
        for (const chunk of texts(r).slice(0, -1)) expect(chunk).toMatch(/Q&amp;A\.$/);
      },
      textOnly: (r) => {
        expect(r.messages.length).toBeGreaterThanOrEqual(Math.ceil(longText.length / 600));
        expect(wordsOf(texts(r).join(' '))).toEqual(words);
        expect(texts(r).join(' ').replace(/\s+/g, ' ')).toBe(longText.replace(/\s+/g, ' '));
      },
    },
  },
  {
    name: 'markdown link',
    message: {
      parts: [{ kind: 'text', markup: 'markdown', text: 'See **our** [size guide](https://shop.example/s?a=1&b=2) & more' }],
    },
    expect: {
      rich: (r) => expect(texts(r)).toEqual(['See **our** [size guide](https://shop.example/s?a=1&b=2) & more']),
      limited: (r) => expect(texts(r)).toEqual(['See <b>our</b> <a href="https://shop.example/s?a=1&amp;b=2">size guide</a> &amp; more']),
      textOnly: (r) => expect(texts(r)).toEqual(['See our size guide (https://shop.example/s?a=1&b=2) & more']),
    },
  },
  {
    name: 'a video',
    message: { parts: [{ kind: 'video', url: 'https://cdn.shop.example/fold.mp4', caption: 'How to fold' }] },
    expect: {
      rich: (r) => expect(kinds(r)).toEqual([['video']]),
      limited: (r) => expect(texts(r)).toEqual(['How to fold: <a href="https://cdn.shop.example/fold.mp4">https://cdn.shop.example/fold.mp4</a>']),
      textOnly: (r) => expect(texts(r)).toEqual(['How to fold: https://cdn.shop.example/fold.mp4']),
    },
  },
  {
    name: 'a location',
    message: { parts: [{ kind: 'location', latitude: 52.52, longitude: 13.405, name: 'Shop Mitte', address: 'Torstr. 1, Berlin' }] },
    expect: {
      rich: (r) => expect(kinds(r)).toEqual([['location']]),
      limited: (r) =>
        expect(texts(r)).toEqual([
          '<b>Shop Mitte</b>\nTorstr. 1, Berlin\nView on map: <a href="https://maps.google.com/?q=52.52,13.405">https://maps.google.com/?q=52.52,13.405</a>',
        ]),
      textOnly: (r) => expect(texts(r)).toEqual(['Shop Mitte\nTorstr. 1, Berlin\nView on map: https://maps.google.com/?q=52.52,13.405']),
    },
  },
  {
    name: 'a sticker',
    message: { parts: [{ kind: 'sticker', id: 'stk-1', emoji: '👍', url: 'https://cdn.shop.example/thumbs.webp' }] },
    expect: {
      rich: (r) => expect(kinds(r)).toEqual([['sticker']]),
      limited: (r) => expect(texts(r)).toEqual(['👍']),
      textOnly: (r) => expect(texts(r)).toEqual(['👍']),
    },
  },
];

describe('degrade', () => {
  for (const c of cases) {
    for (const [profile, caps] of Object.entries(profiles) as [Profile, Capabilities][]) {
      it(`${c.name} on ${profile}`, () => {
        const result = degrade(c.message, caps, t);
        expectFitsChannel(result, caps);
        c.expect[profile](result);
      });
    }
  }

  it('uses a text of at least 10,000 characters in the table', () => expect(longText.length).toBeGreaterThanOrEqual(10_000));

  it('offers every payload choice with a 1-based number on every channel, links excluded', () => {
    for (const caps of Object.values(profiles)) {
      expect(degrade(ask(sizes), caps, t).offered).toEqual([
        { index: 1, label: 'Small', payload: 'size.s' },
        { index: 2, label: 'Large', payload: 'size.l' },
      ]);
      expect(degrade({ parts: [card] }, caps, t).offered).toEqual([{ index: 1, label: 'Add to cart', payload: 'cart.add.shirt' }]);
    }
    expect(degrade({ parts: [{ kind: 'text', text: 'Hi' }] }, textOnly, t).offered).toBeUndefined();
  });

  it('keeps numbers unique across several choice sets in one message', () => {
    const two: OutboundMessage = { parts: [card, { ...card, title: 'Wool scarf', buttons: [{ label: 'Add', payload: 'cart.add.scarf' }] }] };
    const result = degrade(two, textOnly, t);
    expect(allText(result)).toContain('1. Add to cart');
    expect(allText(result)).toContain('2. Add');
    expect(matchChoice('2', result.offered ?? [])?.payload).toBe('cart.add.scarf');
  });

  it('uses a list, untruncated, when labels fit its rows but not the buttons', () => {
    const choices = [
      { label: 'Gift wrap (+€3.00)', payload: 'gift.yes' },
      { label: 'No gift wrap, thanks', payload: 'gift.no' },
      { label: 'Gift wrap and a card!', payload: 'gift.card' },
    ];
    expect(choicesOf(degrade(ask(choices), limited, t))[0]).toMatchObject({ display: 'list', choices });
  });

  it('falls back to numbered text when truncation would make two labels look the same', () => {
    const twins = [
      { label: 'Cotton t-shirt, navy blue, size M', payload: 'navy.m' },
      { label: 'Cotton t-shirt, navy blue, size L', payload: 'navy.l' },
    ];
    const result = degrade(ask(twins), limited, t);
    expect(choicesOf(result)).toEqual([]);
    expect(allText(result)).toContain('2. Cotton t-shirt, navy blue, size L');
  });

  it('turns link choices into "label: url" lines next to a list', () => {
    const choices = [...numbered(4), { label: 'Size guide', payload: 'guide', url: 'https://shop.example/sizes' }];
    const result = degrade(ask(choices), limited, t);
    expect(kinds(result)).toEqual([['text', 'choices']]);
    expect(texts(result)[0]).toContain('Size guide: <a href="https://shop.example/sizes">');
    expect(choicesOf(result)[0]?.choices).toEqual(numbered(4));
  });

  it('puts buttons under the last chunk of a split text and keeps replyTo on the first', () => {
    const result = degrade(
      {
        replyTo: 'm-1',
        parts: [
          { kind: 'text', text: longText },
          { kind: 'choices', choices: sizes },
        ],
      },
      limited,
      t,
    );
    expect(kinds(result)).toEqual([['text'], ['text'], ['text', 'choices']]);
    expect(result.messages.map((m) => m.replyTo)).toEqual(['m-1', undefined, undefined]);
  });

  it('sends media before a later text as its own message, never merged out of order', () => {
    const result = degrade(
      {
        parts: [
          { kind: 'image', url: 'https://cdn.shop.example/a.jpg' },
          { kind: 'text', text: 'Here it is' },
        ],
      },
      limited,
      t,
    );
    expect(kinds(result)).toEqual([['image'], ['text']]);
  });

  it('never splits a surrogate pair or an emoji with its skin tone', () => {
    const text = '👍🏽'.repeat(400);
    const result = degrade({ parts: [{ kind: 'text', text }] }, { ...textOnly, maxTextLength: 601 }, t);
    expect(texts(result).join('')).toBe(text);
    for (const chunk of texts(result)) {
      expect(chunk.length).toBeLessThanOrEqual(601);
      expect(chunk).toMatch(/^(👍🏽)+$/u);
    }
  });

  it('splits Chinese at full stops even without spaces', () => {
    const text = '您的订单已经发货，请注意查收。'.repeat(60);
    const chunks = texts(degrade({ parts: [{ kind: 'text', text }] }, textOnly, t));
    expect(chunks.join('')).toBe(text);
    for (const chunk of chunks) expect(chunk).toMatch(/。$/);
  });

  it('says what could not be shown: files without a public URL, stickers without emoji, audio, contacts, orders', () => {
    const result = degrade(
      {
        parts: [
          { kind: 'file', url: 'platform:abc', name: 'invoice.pdf' },
          { kind: 'sticker', id: 'stk-2' },
          { kind: 'audio', url: 'https://cdn.shop.example/v.ogg', transcript: 'Hello there' },
          { kind: 'contact', name: 'Ana Ruiz', phone: '+34 600 000 000' },
          { kind: 'order', orderId: 'A-1001', status: 'shipped' },
        ],
      },
      textOnly,
      t,
    );
    expect(texts(result)).toEqual([
      [
        "invoice.pdf (can't be shown here)",
        '[Sticker]',
        'Audio: https://cdn.shop.example/v.ogg\nTranscript: Hello there',
        'Contact: Ana Ruiz\nPhone: +34 600 000 000',
        'Order A-1001: shipped',
      ].join('\n\n'),
    ]);
  });

  it('drops nothing: an empty message stays empty, a blank text sends nothing', () => {
    expect(degrade({ parts: [] }, textOnly, t)).toEqual({ messages: [] });
    expect(degrade({ parts: [{ kind: 'text', text: '  ' }] }, textOnly, t)).toEqual({ messages: [] });
  });
});

describe('matchChoice', () => {
  const offered: OfferedChoice[] = [
    { index: 1, label: 'Small', payload: 'size.s' },
    { index: 2, label: 'Extra large cotton t-shirt', payload: 'size.xl' },
    { index: 3, label: 'Café crème', payload: 'drink.cafe' },
    { index: 4, label: '42', payload: 'shoe.42' },
  ];
  const table: [string, string | undefined][] = [
    ['2', 'size.xl'],
    ['2.', 'size.xl'],
    [' 2 ', 'size.xl'],
    ['#2', 'size.xl'],
    ['２', 'size.xl'],
    ['2️⃣', 'size.xl'],
    ['small', 'size.s'],
    ['  SMALL! ', 'size.s'],
    ['Extra large cott…', 'size.xl'],
    ['extra large cotton', 'size.xl'],
    ['cafe creme', 'drink.cafe'],
    ['42', 'shoe.42'],
    ['hello', undefined],
    ['9', undefined],
    ['s', undefined],
    ['', undefined],
    ['Small please, and fast', undefined],
  ];
  for (const [reply, payload] of table) {
    it(`maps ${JSON.stringify(reply)} to ${payload}`, () => expect(matchChoice(reply, offered)?.payload).toBe(payload));
  }

  it('maps back what degrade offered, including the label it truncated', () => {
    const { offered: fromDegrade = [], messages } = degrade(ask(delivery), limited, t);
    const shown = choicesOf({ messages })[0]?.choices[1]?.label ?? '';
    expect(shown).toBe('Standard delivery (…');
    expect(matchChoice(shown, fromDegrade)?.payload).toBe('ship.standard');
  });

  it('returns undefined when a label is ambiguous', () => {
    const twins = [
      { index: 1, label: 'Cafe', payload: 'a' },
      { index: 2, label: 'Café', payload: 'b' },
    ];
    expect(matchChoice('Café', twins)?.payload).toBe('b');
    expect(matchChoice('CAFE', twins)?.payload).toBe('a');
    expect(matchChoice('cafe', [...twins, { index: 3, label: 'cafe', payload: 'c' }])).toBeUndefined();
  });
});

describe('convertMarkup', () => {
  const table: [string, Parameters<typeof convertMarkup>[1], Parameters<typeof convertMarkup>[2], string][] = [
    ['**Tom & Jerry** <b>x</b>', 'markdown', 'html', '<b>Tom &amp; Jerry</b> &lt;b&gt;x&lt;/b&gt;'],
    ['_new_ [track](https://t.example/?a=1&b="2")', 'markdown', 'html', '<i>new</i> <a href="https://t.example/?a=1&amp;b=&quot;2&quot;">track</a>'],
    ['**Tom & Jerry** <!channel>', 'markdown', 'mrkdwn', '*Tom &amp; Jerry* &lt;!channel&gt;'],
    ['_new_ [a > b](https://t.example/x)', 'markdown', 'mrkdwn', '_new_ <https://t.example/x|a &gt; b>'],
    ['**Bold** _it_ [track](https://t.example/1)', 'markdown', 'plain', 'Bold it track (https://t.example/1)'],
    ['see https://t.example/faq.', 'markdown', 'html', 'see <a href="https://t.example/faq">https://t.example/faq</a>.'],
    ['see https://t.example/faq.', 'markdown', 'mrkdwn', 'see <https://t.example/faq>.'],
    ['order_id and snake_case_name', 'markdown', 'html', 'order_id and snake_case_name'],
    ['[click](javascript:alert(1))', 'markdown', 'html', '[click](javascript:alert(1))'],
    ['**bold [link](https://t.example/) end**', 'markdown', 'html', '<b>bold <a href="https://t.example/">link</a> end</b>'],
    ['5 < 6 & 7 > 3', 'plain', 'html', '5 &lt; 6 &amp; 7 &gt; 3'],
    ['5 < 6 & 7 > 3', 'plain', 'mrkdwn', '5 &lt; 6 &amp; 7 &gt; 3'],
    ['<b>A &amp; B</b> <a href="https://t.example/?a=1&amp;b=2">go</a>', 'html', 'markdown', '**A & B** [go](https://t.example/?a=1&b=2)'],
    ['*A &amp; B* <https://t.example/|go>', 'mrkdwn', 'plain', 'A & B go (https://t.example/)'],
    ['**unchanged** _here_', 'markdown', 'markdown', '**unchanged** _here_'],
  ];
  for (const [text, from, to, out] of table) {
    it(`${from} -> ${to}: ${text}`, () => expect(convertMarkup(text, from, to)).toBe(out));
  }
});

describe('locales/*/degrade.json', () => {
  const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
  for (const lng of ['zh-CN', 'es']) {
    it(`${lng} has the same keys and variables as en`, () => {
      const other = readLocale(lng);
      expect(Object.keys(other).sort()).toEqual(Object.keys(en).sort());
      for (const [key, value] of Object.entries(en)) expect(vars(other[key] ?? ''), key).toEqual(vars(value));
    });
  }
});

describe('degrade keeps the reader language', () => {
  it('puts message.language on every platform message, so a channel can frame it in that language', () => {
    const caps: Capabilities = { ...richCapabilities, maxTextLength: 20 };
    const { messages } = degrade({ parts: [{ kind: 'text', text: 'Erster Absatz hier.\n\nZweiter Absatz hier.' }], language: 'de' }, caps, t);
    expect(messages.length).toBeGreaterThan(1);
    expect(messages.map((m) => m.language)).toEqual(messages.map(() => 'de'));
  });
});
