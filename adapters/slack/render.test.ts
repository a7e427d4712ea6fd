import { describe, expect, it } from 'vitest';
import { degrade } from '../../src/core/degrade.js';
import type { OutboundMessage } from '../../src/core/message.js';
import { slackCapabilities } from './capabilities.js';
import { renderMessage } from './render.js';

const en: Record<string, string> = {
  'degrade.choose': 'Choose',
  'degrade.reply_with_number': 'Reply with the number of your choice.',
  'degrade.video': 'Video',
  'degrade.open_link': '{{label}}: {{url}}',
};
/** A tiny i18next stand-in: `{{name}}` placeholders only. */
const t = (key: string, vars: Record<string, unknown> = {}) => (en[key] ?? key).replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(vars[name] ?? ''));

/** What the core does before render: degrade to Slack's capabilities. */
function rendered(message: OutboundMessage) {
  return degrade(message, slackCapabilities, t).messages.flatMap((m) => renderMessage(m));
}

describe('Slack render', () => {
  it('plain text is escaped (& < >) and sent as mrkdwn text without blocks', () => {
    expect(rendered({ parts: [{ kind: 'text', text: 'Tom & Jerry <!channel> 5 > 3' }] })).toEqual([{ text: 'Tom &amp; Jerry &lt;!channel&gt; 5 &gt; 3' }]);
  });

  it('text that reaches render unconverted is converted and escaped here', () => {
    expect(renderMessage({ parts: [{ kind: 'text', text: 'a < b' }] })).toEqual([{ text: 'a &lt; b' }]);
    expect(renderMessage({ parts: [{ kind: 'text', text: '**Hi** [track](https://t.example/1?a=1&b=2)', markup: 'markdown' }] })).toEqual([
      { text: '*Hi* <https://t.example/1?a=1&amp;b=2|track>' },
    ]);
  });

  it('markdown becomes mrkdwn (bold, links)', () => {
    const [msg] = rendered({ parts: [{ kind: 'text', text: '**Shipping** takes 2 days. [Track](https://t.example/x)', markup: 'markdown' }] });
    expect(msg).toEqual({ text: '*Shipping* takes 2 days. <https://t.example/x|Track>' });
  });

  it('buttons: a section with the text, then an actions block; value = payload, unique action ids, url for links', () => {
    const [msg, ...rest] = rendered({
      parts: [
        { kind: 'text', text: 'Which size?' },
        {
          kind: 'choices',
          choices: [
            { label: 'Small', payload: 'size.s' },
            { label: 'Large', payload: 'size.l' },
            { label: 'Size guide', payload: 'guide', url: 'https://shop.example/sizes' },
          ],
        },
      ],
    });
    expect(rest).toHaveLength(0);
    expect(msg).toEqual({
      text: 'Which size?',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: 'Which size?' } },
        {
          type: 'actions',
          elements: [
            { type: 'button', text: { type: 'plain_text', text: 'Small', emoji: true }, action_id: 'parley_choice_1', value: 'size.s' },
            { type: 'button', text: { type: 'plain_text', text: 'Large', emoji: true }, action_id: 'parley_choice_2', value: 'size.l' },
            { type: 'button', text: { type: 'plain_text', text: 'Size guide', emoji: true }, action_id: 'parley_link_3', url: 'https://shop.example/sizes' },
          ],
        },
      ],
    });
  });

  it('more than five choices become a static_select beside the title', () => {
    const choices = Array.from({ length: 8 }, (_, i) => ({ label: `Size ${i + 1}`, payload: `size.${i + 1}` }));
    const [msg] = rendered({
      parts: [
        { kind: 'text', text: 'Pick a size' },
        { kind: 'choices', choices },
      ],
    });
    const select = msg?.blocks?.[1];
    expect(select).toMatchObject({
      type: 'section',
      text: { type: 'mrkdwn', text: 'Choose' },
      accessory: { type: 'static_select', action_id: 'parley_select_1', placeholder: { type: 'plain_text', text: 'Choose' } },
    });
    const options = (select as { accessory: { options: { value: string; text: { text: string } }[] } }).accessory.options;
    expect(options.map((o) => o.value)).toEqual(choices.map((c) => c.payload));
    expect(options[7]?.text.text).toBe('Size 8');
  });

  it('labels longer than 75 characters are shortened by degrade before render', () => {
    const [msg] = rendered({
      parts: [
        {
          kind: 'choices',
          choices: [
            { label: 'x'.repeat(100), payload: 'long' },
            { label: 'y', payload: 'short' },
          ],
        },
      ],
    });
    const actions = msg?.blocks?.find((b) => b.type === 'actions') as { elements: { text: { text: string } }[] };
    expect(actions.elements[0]?.text.text.length).toBeLessThanOrEqual(75);
  });

  it('a card is a section with a linked bold title, escaped fields, an image accessory and buttons', () => {
    const [msg] = rendered({
      parts: [
        {
          kind: 'card',
          title: 'Cosy bed <XL> & more',
          subtitle: 'Washable',
          price: '€39.90',
          imageUrl: 'https://cdn.example/bed.jpg',
          url: 'https://shop.example/bed',
          buttons: [{ label: 'Buy', payload: 'buy.bed' }],
        },
      ],
    });
    expect(msg?.blocks).toEqual([
      {
        type: 'section',
        text: { type: 'mrkdwn', text: '*<https://shop.example/bed|Cosy bed &lt;XL&gt; &amp; more>*\nWashable\n*€39.90*' },
        accessory: { type: 'image', image_url: 'https://cdn.example/bed.jpg', alt_text: 'Cosy bed <XL> & more' },
      },
      {
        type: 'actions',
        elements: [{ type: 'button', text: { type: 'plain_text', text: 'Buy', emoji: true }, action_id: 'parley_choice_1', value: 'buy.bed' }],
      },
    ]);
    expect(msg?.text).toBe('Cosy bed &lt;XL&gt; &amp; more');
  });

  it('an image is an image block with the caption as title and alt text; video becomes a link (degrade)', () => {
    const [img] = rendered({ parts: [{ kind: 'image', url: 'https://cdn.example/a.jpg', caption: 'Your parcel' }] });
    expect(img).toEqual({
      text: 'Your parcel',
      blocks: [
        { type: 'image', image_url: 'https://cdn.example/a.jpg', alt_text: 'Your parcel', title: { type: 'plain_text', text: 'Your parcel', emoji: true } },
      ],
    });
    const [video] = rendered({ parts: [{ kind: 'video', url: 'https://cdn.example/a.mp4' }] });
    expect(video).toEqual({ text: 'Video: <https://cdn.example/a.mp4>' });
  });

  it('a platform-only image cannot be shown: its caption is sent instead', () => {
    expect(renderMessage({ parts: [{ kind: 'image', url: 'platform:F1', caption: 'Label' }] })).toEqual([
      { text: 'Label', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Label' } }] },
    ]);
  });

  it('long text is split by degrade into sections of at most 3000 characters', () => {
    const messages = rendered({ parts: [{ kind: 'text', text: 'word '.repeat(2000) }] });
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expect(m.text.length).toBeLessThanOrEqual(3000);
  });

  it('is pure: the same message renders to the same JSON', () => {
    const message: OutboundMessage = {
      parts: [
        { kind: 'text', text: 'Hi', markup: 'mrkdwn' },
        { kind: 'choices', choices: [{ label: 'A', payload: 'a' }] },
      ],
    };
    expect(JSON.parse(JSON.stringify(renderMessage(message)))).toEqual(renderMessage(message));
  });
});
