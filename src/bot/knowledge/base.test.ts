import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { KnowledgeBase, type KnowledgeSection, parseMarkdown } from './index.js';

const KB_DIR = fileURLToPath(new URL('../../../config/knowledge', import.meta.url));

let kb: KnowledgeBase;
beforeAll(async () => {
  kb = await KnowledgeBase.load(KB_DIR, { workingLanguage: 'en' });
});

function best(query: string) {
  const [top] = kb.search(query, 'en');
  if (!top) throw new Error(`no section found for ${JSON.stringify(query)}`);
  return top;
}

describe('KnowledgeBase.load', () => {
  it('reads every ## section of the demo shop', () => {
    expect(kb.size).toBeGreaterThanOrEqual(30);
  });

  it('keeps the # heading as context and the ## heading as title', () => {
    const [section] = parseMarkdown('# Shipping\n\n## To Germany\n\n2–3 days.\n\n## To France\n\nA week.', 'ship.md', 'en');
    expect(section).toEqual({
      id: 'ship#to-germany',
      language: 'en',
      title: 'To Germany',
      body: '2–3 days.',
      questions: [],
      file: 'ship.md',
      context: 'Shipping',
    });
  });

  it('reads an explicit article id and example questions', () => {
    const [section] = parseMarkdown(
      '# Versand\n\n## Nach Deutschland {#shipping-germany}\n\n2–3 Werktage.\n\n? wie lange dauert es\n? Versand nach Berlin',
      'de/ship.md',
      'de',
      'ship.md',
    );
    expect(section).toEqual({
      id: 'shipping-germany',
      language: 'de',
      title: 'Nach Deutschland',
      body: '2–3 Werktage.',
      questions: ['wie lange dauert es', 'Versand nach Berlin'],
      file: 'de/ship.md',
      context: 'Versand',
    });
  });

  it('ignores headings inside code fences and de-duplicates ids', () => {
    const sections = parseMarkdown('## FAQ\n\n```\n## not a heading\n```\n\n## FAQ\n\nMore.', 'faq.md', 'en');
    expect(sections.map((s) => s.id)).toEqual(['faq#faq', 'faq#faq-2']);
    expect(sections[0]?.body).toContain('## not a heading');
  });
});

describe('KnowledgeBase.search on the demo shop', () => {
  it('answers the Germany shipping question with the Germany section', () => {
    const top = best('How long does shipping to Germany take?');
    expect(top.section.id).toBe('shipping-germany');
    expect(top.section.title).toBe('Shipping to Germany');
    expect(top.section.body).toMatch(/Germany/);
    expect(top.section.body).toMatch(/2–3 business days/);
  });

  it.each([
    ['can I return an opened bag of cat food', 'returns.md'],
    ['do you accept paypal', 'payments.md'],
    ['where can I find my tracking link', 'orders.md'],
    ['how do I wash the dog bed', 'product-care.md'],
    ['what are your opening hours', 'contact.md'],
    ['delete my data', 'privacy.md'],
    ['I want my money back', 'returns.md'],
  ])('%s -> %s', (query, file) => {
    expect(best(query).section.file).toBe(`en/${file}`);
  });

  it('finds the section despite typos', () => {
    expect(best('shiping to germny').section.title).toBe('Shipping to Germany');
  });

  it('expands synonyms: "delivery" finds shipping, "the US" finds the United States', () => {
    expect(best('do you have free delivery').section.title).toBe('Free shipping');
    expect(best('do you ship food to the US').section.title).toBe('Shipping to the United States and Canada');
  });

  it('gives a clear question a higher confidence than a loosely related one', () => {
    expect(best('How long does shipping to Germany take?').confidence).toBeGreaterThan(0.7);
    expect(best('what is the weather today').confidence).toBeLessThanOrEqual(0.5);
  });

  it('finds nothing for gibberish or a question without content words', () => {
    expect(kb.search('asdfgh', 'en')).toEqual([]);
    expect(kb.search('what is it?', 'en')).toEqual([]);
  });

  it('searches with a very long "word" as with any other: a pasted key or blob is just not found', () => {
    // A 40,000-letter word took 20 s and 1.6 GB here (a fuzzy-match matrix of its length squared).
    for (const word of ['q'.repeat(40_000), 'versandkosten'.repeat(3_000)]) expect(kb.search(word, 'en')).toEqual([]);
    expect(kb.search(`How long does shipping to Germany take? ${'x'.repeat(40_000)}`, 'en')[0]?.section.title).toBe('Shipping to Germany');
  });

  it('respects the limit and orders by score', () => {
    const [first, second, third] = kb.search('shipping', 'en', 3);
    expect(third).toBeDefined();
    expect(first?.score).toBeGreaterThanOrEqual(second?.score ?? Number.POSITIVE_INFINITY);
    expect(first?.confidence).toBeGreaterThanOrEqual(second?.confidence ?? Number.POSITIVE_INFINITY);
  });
});

describe('KnowledgeBase in Chinese', () => {
  const sections: KnowledgeSection[] = [
    {
      id: 'zh#returns',
      language: 'zh-CN',
      questions: [],
      file: 'zh.md',
      title: '退货政策',
      body: '收到商品后30天内可以申请退货。商品必须未使用并保留原包装。我们收到退货后，会在5到10个工作日内把退款退回您的原支付方式。',
    },
    {
      id: 'zh#shipping',
      language: 'zh-CN',
      questions: [],
      file: 'zh.md',
      title: '配送时间和运费',
      body: '寄往中国的订单由DHL快递配送，通常需要6到10个工作日，运费为24.95欧元。关税由收件人支付。',
    },
    {
      id: 'zh#payments',
      language: 'zh-CN',
      questions: [],
      file: 'zh.md',
      title: '付款方式',
      body: '我们支持支付宝、微信支付、PayPal和信用卡付款。结账时扫描二维码即可完成支付。',
    },
  ];
  const zh = KnowledgeBase.fromSections(sections, { workingLanguage: 'zh-CN' });

  it('segments text without spaces: 退货需要多久 finds the returns section', () => {
    const [top] = zh.search('退货需要多久', 'zh-CN');
    expect(top?.section.id).toBe('zh#returns');
    expect(top?.confidence).toBeGreaterThanOrEqual(0.55);
  });

  it.each([
    ['运费多少', 'zh#shipping'],
    ['寄到中国要几天', 'zh#shipping'],
    ['可以用支付宝吗', 'zh#payments'],
  ])('%s -> %s', (query, id) => {
    expect(zh.search(query, 'zh-CN')[0]?.section.id).toBe(id);
  });

  it('finds nothing for an unrelated Chinese question', () => {
    expect(zh.search('今天天气怎么样', 'zh-CN')[0]?.confidence ?? 0).toBeLessThan(0.55);
  });
});
