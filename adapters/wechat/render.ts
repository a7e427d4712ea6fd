import type { CardPart, ConversationRef, OutboundMessage, Part } from '../../src/core/message.js';
import { plainText } from '../../src/core/message.js';
import { cdata } from './xml.js';

/** One article of a news message (one per message since WeChat's 2018 change). */
interface NewsArticle {
  title: string;
  description?: string;
  url?: string;
  picurl?: string;
}

/**
 * One platform message, in the JSON shape shared by the Official Account customer-service
 * API (`message/custom/send`) and WeCom's app message API (`message/send`); `deliver` adds
 * the recipient (and WeCom's `agentid`).
 */
export type WechatPayload = ServicePayload | TemplatePayload;

/** What the customer-service API and passive replies carry. */
export type ServicePayload =
  { msgtype: 'text'; text: { content: string } } | { msgtype: 'image'; image: { media_id: string } } | { msgtype: 'news'; news: { articles: [NewsArticle] } };

/** A template message: sent through the template API, outside the 48-hour window. */
type TemplatePayload = { msgtype: 'template'; template: { template_id: string; url?: string; data: Record<string, { value: string }> } };

const PLATFORM_MEDIA = /^platform:(.+)$/;

const textPayload = (content: string): ServicePayload => ({ msgtype: 'text', text: { content } });

function cardPayload(card: CardPart): ServicePayload {
  const description = [card.subtitle, card.price].filter(Boolean).join('\n');
  // A news article needs somewhere to go when tapped; a bare text says the same otherwise.
  const url = card.url ?? card.imageUrl;
  if (!url) return textPayload([card.title, description].filter(Boolean).join('\n'));
  return {
    msgtype: 'news',
    news: {
      articles: [
        {
          title: card.title,
          ...(description ? { description } : {}),
          url,
          ...(card.imageUrl ? { picurl: card.imageUrl } : {}),
        },
      ],
    },
  };
}

function partPayload(part: Part): ServicePayload | undefined {
  if (part.kind === 'text') return part.text.trim() ? textPayload(part.text) : undefined;
  if (part.kind === 'card') return cardPayload(part);
  const mediaId = part.kind === 'image' ? PLATFORM_MEDIA.exec(part.url)?.[1] : undefined;
  if (mediaId) return { msgtype: 'image', image: { media_id: mediaId } };
  // degrade only leaves text and cards for these capabilities; anything else still says something.
  const fallback = [plainText([part]), 'url' in part ? part.url : undefined].filter(Boolean).join('\n');
  return fallback ? textPayload(fallback) : undefined;
}

/**
 * Maps an already-degraded message to platform messages: text → `text`, a card → a
 * one-article `news`, an image that came from WeChat (`platform:<media_id>`) → `image`.
 * Pure.
 *
 * @example
 * ```ts
 * renderMessage({ parts: [{ kind: 'text', text: '你好' }] }); // [{ msgtype: 'text', text: { content: '你好' } }]
 * ```
 */
export function renderMessage(message: OutboundMessage): ServicePayload[] {
  return message.parts.map(partPayload).filter((p) => p !== undefined);
}

function replyBody(payload: ServicePayload): string[] {
  switch (payload.msgtype) {
    case 'text':
      return ['<MsgType><![CDATA[text]]></MsgType>', `<Content>${cdata(payload.text.content)}</Content>`];
    case 'image':
      return ['<MsgType><![CDATA[image]]></MsgType>', '<Image>', `<MediaId>${cdata(payload.image.media_id)}</MediaId>`, '</Image>'];
    case 'news': {
      const [a] = payload.news.articles;
      const item = [
        `<Title>${cdata(a.title)}</Title>`,
        `<Description>${cdata(a.description ?? '')}</Description>`,
        `<PicUrl>${cdata(a.picurl ?? '')}</PicUrl>`,
        `<Url>${cdata(a.url ?? '')}</Url>`,
      ];
      return ['<MsgType><![CDATA[news]]></MsgType>', '<ArticleCount>1</ArticleCount>', '<Articles>', '<item>', ...item, '</item>', '</Articles>'];
    }
  }
}

/**
 * The passive reply XML ("被动回复用户消息") for a degraded message, or undefined when the
 * message does not fit in one passive reply (it renders to several platform messages, or the
 * ref lacks the receiving account id). Plaintext: safe mode and WeCom wrap it with
 * `encryptReply`. Pure.
 *
 * @example
 * ```ts
 * renderPassiveReply({ parts: [{ kind: 'text', text: '你好' }] }, ref, 12345678);
 * // <xml>\n<ToUserName><![CDATA[toUser]]></ToUserName>\n<FromUserName>…<Content><![CDATA[你好]]></Content>\n</xml>
 * ```
 */
export function renderPassiveReply(message: OutboundMessage, ref: ConversationRef, nowSec: number): string | undefined {
  const payloads = renderMessage(message);
  const account = ref.extra?.toUserName;
  const [payload] = payloads;
  if (payloads.length !== 1 || !payload || typeof account !== 'string') return undefined;
  return [
    '<xml>',
    `<ToUserName>${cdata(ref.userId)}</ToUserName>`,
    `<FromUserName>${cdata(account)}</FromUserName>`,
    `<CreateTime>${Math.floor(nowSec)}</CreateTime>`,
    ...replyBody(payload),
    '</xml>',
  ].join('\n');
}
