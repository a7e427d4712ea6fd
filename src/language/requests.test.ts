import { describe, expect, it } from 'vitest';
import { createLanguageDetector } from './detector.js';
import { findLanguageRequest } from './requests.js';

const asked = (text: string) => findLanguageRequest(text)?.language;

describe('findLanguageRequest', () => {
  it.each([
    ['/lang es', 'es'],
    ['/lang pt_BR', 'pt-BR'],
    ['/dil tr', 'tr'],
    ['English please', 'en'],
    ['switch to english', 'en'],
    ['auf Deutsch bitte', 'de'],
    ['parlez français svp', 'fr'],
    ['en allemand s’il vous plaît', 'de'],
    ['¿hablas español?', 'es'],
    ['pode falar em português?', 'pt'],
    ['日本語でお願いします', 'ja'],
    ['英語で話せますか', 'en'],
    ['한국어로 해주세요', 'ko'],
    ['영어로 해 주세요', 'en'],
    ['พูดภาษาไทยได้ไหม', 'th'],
    ['ขอเป็นภาษาอังกฤษได้ไหม', 'en'],
    ['nói tiếng Việt đi', 'vi'],
    ['noi tieng viet duoc khong', 'vi'],
    ['nói tiếng tây ban nha nha', 'es'],
    ['Türkçe konuşabilir misiniz', 'tr'],
    ['İNGİLİZCE LÜTFEN', 'en'],
    ['pakai bahasa Indonesia ya', 'id'],
    ['تكلم عربي', 'ar'],
    ['بالعربي لو سمحت', 'ar'],
    ['بالإنجليزية من فضلك', 'en'],
    ['говорите по-русски?', 'ru'],
    ['можно на английском?', 'en'],
    ['可以说英语吗', 'en'],
    ['请用韩语', 'ko'],
  ])('%s asks for %s', (text, language) => {
    expect(asked(text)).toBe(language);
  });

  it('reads which Chinese script a request is written in', () => {
    expect(asked('请说中文')).toBe('zh-Hans');
    expect(asked('請說中文')).toBe('zh-Hant');
    expect(asked('請講中文')).toBe('zh-Hant');
    expect(asked('我要繁體中文')).toBe('zh-Hant');
    expect(asked('繁体中文')).toBe('zh-Hant');
    expect(asked('简体中文')).toBe('zh-Hans');
    expect(asked('中文')).toBe('zh');
    expect(asked('Chinese please')).toBe('zh');
    expect(asked('中国語でお願いします')).toBe('zh'); // Japanese kanji say nothing of the script
  });

  it.each([
    '说英语很有用。',
    'my son speaks English',
    'do the instructions come in English?',
    '설명서가 영어로 되어 있나요?',
    'hướng dẫn sử dụng có tiếng anh không',
    'هل الكتيب بالانجليزي؟',
    'инструкция на английском?',
    '说明书是英文的吗',
    'do you ship to Japan?',
    'Where is my order?',
  ])('does not take %s for a request', (text) => {
    expect(findLanguageRequest(text)).toBeUndefined();
  });
});

describe("a Chinese request resolved against the shop's tags", () => {
  const both = createLanguageDetector({
    languages: ['en', 'zh-CN', 'zh-TW'],
    defaultLanguage: 'en',
  });
  const simplifiedOnly = createLanguageDetector({
    languages: ['en', 'zh-CN'],
    defaultLanguage: 'en',
  });

  it.each([
    ['請說中文', 'zh-TW'],
    ['請講中文', 'zh-TW'],
    ['我要繁體中文', 'zh-TW'],
    ['traditional chinese please', 'zh-TW'],
    ['请说中文', 'zh-CN'],
    ['中文', 'zh-CN'],
  ])('%s -> %s when both scripts are configured', (text, language) => {
    expect(both.detect(text, { sticky: 'en' })).toMatchObject({
      language,
      source: 'command',
    });
  });

  it('ends in the only Chinese the shop has', () => {
    expect(simplifiedOnly.detect('請說中文', { sticky: 'en' })).toMatchObject({
      language: 'zh-CN',
      source: 'command',
    });
  });
});
