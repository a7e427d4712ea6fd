import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, coverageProblem, KnowledgeBase, languageCoverage, languageFolder, sameLanguage } from './index.js';

const KB_DIR = fileURLToPath(new URL('../../../config/knowledge', import.meta.url));

let kb: KnowledgeBase;
beforeAll(async () => {
  kb = await KnowledgeBase.load(KB_DIR, { workingLanguage: 'en' });
});

const top = (query: string, language: string) => kb.search(query, language, 1)[0];

describe('the demo knowledge base in its 15 languages', () => {
  it('links each article across languages by its {#id}, every language with every article', () => {
    expect(kb.articles).toHaveLength(39);
    expect([...kb.languages].sort()).toEqual(['ar', 'de', 'en', 'es', 'fr', 'id', 'ja', 'ko', 'pt-BR', 'ru', 'th', 'tr', 'vi', 'zh-CN', 'zh-TW']);
    for (const language of kb.languages) for (const id of kb.articles) expect(kb.variant(id, language), `${id} in ${language}`).toBeDefined();
    expect(kb.variant('shipping-germany', 'de')?.title).toBe('Versand nach Deutschland');
    // The facts are the same in every variant: the price of shipping to Germany, written each language's way.
    for (const language of kb.languages) expect(kb.variant('shipping-germany', language)?.body).toMatch(/5[.,]95/);
  });

  it('serves a regional tag from its language, but Traditional Chinese never from Simplified', () => {
    expect(kb.variant('refunds', 'pt')?.language).toBe('pt-BR');
    expect(kb.variant('refunds', 'zh-HK')?.language).toBe('zh-TW');
    expect(sameLanguage('zh-CN', 'zh-TW')).toBe(false);
    expect(sameLanguage('pt-BR', 'pt-PT')).toBe(true);
  });

  it.each([
    ['de', 'wie lange dauert der versand nach deutschland', 'shipping-germany'],
    ['de', 'kann ich benutztes spielzeug zuruckschicken', 'return-policy'],
    ['es', 'cuanto cuesta el envio a china', 'shipping-asia-pacific'],
    ['fr', 'vous acceptez paypal ?', 'payment-methods'],
    ['pt-BR', 'quanto tempo demora o reembolso no paypal', 'refunds'],
    ['zh-CN', '寄到德国要多长时间？', 'shipping-germany'],
    // A Taiwanese shopper typing Simplified characters still finds the Traditional variant.
    ['zh-TW', '寄到德国要多久', 'shipping-germany'],
    ['ja', 'ドイツまでの送料はいくらですか', 'shipping-germany'],
    ['ko', '독일까지 배송비는 얼마예요?', 'shipping-germany'],
    ['ar', 'كم سعر الشحن الى المانيا', 'shipping-germany'],
    ['ru', 'сколько стоит доставка в германию', 'shipping-germany'],
    ['tr', 'almanyaya kargo ucreti ne kadar', 'shipping-germany'],
    ['id', 'ongkir ke jerman berapa kak', 'shipping-germany'],
    ['th', 'ค่าส่งไปเยอรมนีเท่าไหร่', 'shipping-germany'],
    ['vi', 'phi ship di duc bao nhieu', 'shipping-germany'],
  ])('%s: "%s" -> %s, from that language\'s own variant', (language, query, id) => {
    const found = top(query, language);
    expect(found?.section.id).toBe(id);
    expect(sameLanguage(found?.section.language ?? '', language)).toBe(true);
    expect(found?.confidence).toBeGreaterThanOrEqual(0.55);
  });

  it('reads a city as its country: Leeds is in the United Kingdom, Rotterdam in the Netherlands', () => {
    expect(analyze('shipping to Leeds', 'en', () => false).terms.map((t) => t.term)).toContain('uk');
    expect(top('how long does a parcel take to Leeds', 'en')?.section.id).toBe('shipping-uk');
    expect(top('envío a Rotterdam cuánto tarda', 'es')?.section.id).toBe('shipping-netherlands');
    // An ordinary word that happens to be a city elsewhere stays a word.
    expect(analyze('what a nice bed', 'en', (t) => t === 'nice').terms.map((t) => t.term)).not.toContain('franc');
  });

  it('does not make a topic of a number: "€30" is no "30 days"', () => {
    const analysis = analyze('I have a €30 basket', 'en');
    expect(analysis.units).not.toContain('30');
    expect(analysis.terms.map((t) => t.term)).toContain('30');
  });

  it('tells unrelated messages apart in every language', () => {
    for (const [language, text] of [
      ['en', 'tell me a joke'],
      ['de', 'erzähl mir einen witz'],
      ['zh-CN', '给我讲个笑话吧'],
      ['ja', '何か面白い話して'],
      ['ar', 'احكيلي نكتة'],
    ]) {
      expect(top(text as string, language as string)?.confidence ?? 0, `${language}: ${text}`).toBeLessThan(0.55);
    }
  });
});

describe('which folder holds which language', () => {
  it.each([
    ['de/shipping.md', 'de'],
    ['zh-cn/orders.md', 'zh-CN'],
    ['pt_BR/returns.md', 'pt-BR'],
    ['faq/returns.md', undefined],
    ['returns.md', undefined],
  ])('%s -> %s', (file, language) => {
    expect(languageFolder(file)).toBe(language);
  });
});

describe('coverage per shop language', () => {
  it('names the languages nothing serves, with the fix', () => {
    const english = KnowledgeBase.fromSections(kb.sections.filter((s) => s.language === 'en'));
    const [en, it] = languageCoverage(english, ['en', 'it'], { translator: false, model: false });
    expect(en).toEqual({ language: 'en', articles: 39, of: 39, bridged: false });
    expect(coverageProblem(en!, 'config/knowledge', 'en')).toBeUndefined();
    expect(coverageProblem(it!, 'config/knowledge', 'en')).toMatch(
      /^it: no knowledge-base articles in this language and no translator or model.*config\/knowledge\/it\/\*\.md.*translation\.providers or llm/,
    );
    const [bridged] = languageCoverage(english, ['it'], { translator: true, model: false });
    expect(coverageProblem(bridged!, 'config/knowledge', 'en')).toBeUndefined();
  });
});
