import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectHandoffRequest, HANDOFF_PAYLOAD, isHandoffPayload } from './intents.js';

describe('detectHandoffRequest', () => {
  it.each([
    'human',
    'Human please!',
    'agent',
    'real person',
    'talk to a person',
    'customer service',
    'I want to talk to a human',
    'Can I speak to someone?',
    'where is my order? I need a human',
    '人工',
    '转人工',
    '客服',
    '真人',
    '我要人工客服',
    '请帮我转人工',
    'hablar con una persona',
    'un agente',
    'humano',
    'Quiero hablar con un agente, por favor',
    'parler à un conseiller',
    'Je voudrais parler à un conseiller',
    'mit einem Menschen sprechen',
    'Ich möchte mit einem Mitarbeiter sprechen',
    'オペレーター',
    'オペレーターと話したい',
    '상담원',
    '상담원 연결해주세요',
    'atendente',
    'quero falar com um atendente',
    'оператор',
    'Позовите оператора',
    'Mag ik met een medewerker spreken?',
    'Ich möchte mit dem Team chatten',
    'أريد التحدث مع موظف',
    'خدمة العملاء من فضلك',
    'Saya mau bicara dengan petugas',
    'cs dong',
    'ขอคุยกับเจ้าหน้าที่ครับ',
    'แอดมินครับ',
    'Tôi muốn nói chuyện với nhân viên',
    'nhân viên tư vấn ơi',
    'Temsilciyle görüşmek istiyorum',
    'Müşteri temsilcisi lütfen',
    'İnsan ile konuşmak istiyorum',
    'canlı destek',
    'yetkiliye bağlar mısınız',
    '真人客服',
    '轉人工',
    '我要找客服人員',
    '可以幫我轉真人嗎',
    '人と話したい',
    '担当者に代わってください',
    '人間と話したい',
    '사람이랑 얘기하고 싶어요',
    '챗봇 말고 상담원이요',
    'มีแอดมินไหมครับ',
    'có nhân viên nào không ạ',
    'Saya mau ngomong sama orang beneran',
    'عايز اكلم حد من خدمة العملاء',
    'حولني على موظف',
    'me passa pra um atendente',
    'дайте человека',
    'passez-moi un conseiller',
    'let me talk to a manager',
  ])('fires on %s', (text) => {
    expect(detectHandoffRequest(text)).toBe(true);
  });

  it.each([
    'my agent said the parcel is delayed',
    'the person who delivered it was rude',
    'Is customer service open on Saturday?',
    '客服电话是多少',
    '人工草坪有卖吗',
    'How long does shipping to Germany take?',
    'hola',
    '',
    'Petugas kurir tidak datang ke rumah saya kemarin',
    'Nhân viên giao hàng rất lịch sự, cảm ơn',
    'Kargo yetkili servisi paketi ne zaman teslim eder',
    'الموظف في المتجر كان لطيفا جدا معي اليوم',
    '客服電話是多少',
    '人工草皮有賣嗎',
    '這是真人照片嗎',
    '配達の人と話しました',
    '상담원 전화번호가 뭐예요?',
    'كلمني حد من شركة الشحن امس',
    'ngomong sama orang tua dulu',
    'nhân viên giao hàng rất lịch sự',
    'müşteri hizmetleri telefonu kaç?',
  ])('does not fire on %s', (text) => {
    expect(detectHandoffRequest(text)).toBe(false);
  });
});

describe('the "talk to a person" button label typed as text', () => {
  const locales = join(import.meta.dirname, '../../locales');
  const labels = readdirSync(locales).map((lng) => [lng, JSON.parse(readFileSync(join(locales, lng, 'bot.json'), 'utf8')).talk_to_person as string]);

  it.each(labels)('%s: "%s" asks for a person', (_lng, label) => {
    expect(detectHandoffRequest(label)).toBe(true);
    expect(detectHandoffRequest(`${label}!`)).toBe(true);
  });
});

describe('isHandoffPayload', () => {
  it('recognises only the handoff button payload', () => {
    expect(isHandoffPayload(HANDOFF_PAYLOAD)).toBe(true);
    expect(isHandoffPayload('handoff.request')).toBe(true);
    expect(isHandoffPayload('size.s')).toBe(false);
  });
});
