import { describe, expect, it } from 'vitest';
import type { ConversationRef } from '../../src/core/message.js';
import { renderMessage } from './render.js';

const refOn = (channelId?: string): ConversationRef => ({
  channelId: 'bf-test',
  chatId: 'c1',
  userId: 'u1',
  ...(channelId ? { extra: { reference: { channelId, serviceUrl: 'https://smba.example/', conversation: { id: 'c1' } } } } : {}),
});
const teams = refOn('msteams');
const webchat = refOn('webchat');

describe('renderMessage', () => {
  it('text is sent as markdown', () => {
    expect(renderMessage({ parts: [{ kind: 'text', text: '**Shipping** takes 2 days', markup: 'markdown' }] }, teams)).toEqual([
      { type: 'message', text: '**Shipping** takes 2 days', textFormat: 'markdown' },
    ]);
  });

  it('choices on Web Chat are suggested actions with messageBack carrying the payload', () => {
    const [activity] = renderMessage(
      {
        parts: [
          { kind: 'text', text: 'Which size?' },
          {
            kind: 'choices',
            choices: [
              { label: 'Small', payload: 'size.s' },
              { label: 'Size guide', payload: 'guide', url: 'https://shop.example/sizes' },
            ],
          },
        ],
      },
      webchat,
    );
    expect(activity).toEqual({
      type: 'message',
      text: 'Which size?',
      textFormat: 'markdown',
      suggestedActions: {
        actions: [
          { type: 'messageBack', title: 'Small', text: 'Small', displayText: 'Small', value: { payload: 'size.s' } },
          { type: 'openUrl', title: 'Size guide', value: 'https://shop.example/sizes' },
        ],
      },
    });
  });

  it('choices in Teams are hero card buttons (Teams suggested actions carry no payload)', () => {
    const [activity] = renderMessage(
      {
        parts: [
          { kind: 'text', text: 'Pick' },
          { kind: 'choices', choices: [{ label: 'Yes', payload: 'yes' }] },
        ],
      },
      teams,
    );
    expect(activity).toEqual({
      type: 'message',
      text: 'Pick',
      textFormat: 'markdown',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.hero',
          content: { images: [], buttons: [{ type: 'messageBack', title: 'Yes', text: 'Yes', displayText: 'Yes', value: { payload: 'yes' } }] },
        },
      ],
    });
  });

  it('choices on other Azure Bot channels are imBack with the label (the core maps it back)', () => {
    const [activity] = renderMessage({ parts: [{ kind: 'choices', title: 'Pick one', choices: [{ label: 'Yes', payload: 'yes' }] }] }, refOn('telegram'));
    expect(activity).toEqual({
      type: 'message',
      text: 'Pick one',
      textFormat: 'markdown',
      suggestedActions: { actions: [{ type: 'imBack', title: 'Yes', value: 'Yes' }] },
    });
  });

  it('a product card is a hero card: title, subtitle, price as text, image, buttons and tap to the product', () => {
    const [activity] = renderMessage(
      {
        parts: [
          {
            kind: 'card',
            title: 'Cosy dog bed',
            subtitle: 'Washable, 80 cm',
            price: '€39.90',
            imageUrl: 'https://cdn.example/bed.jpg',
            url: 'https://shop.example/bed',
            buttons: [{ label: 'Buy', payload: 'buy.bed' }],
          },
        ],
      },
      teams,
    );
    expect(activity).toEqual({
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.hero',
          content: {
            title: 'Cosy dog bed',
            subtitle: 'Washable, 80 cm',
            text: '€39.90',
            images: [{ url: 'https://cdn.example/bed.jpg' }],
            buttons: [{ type: 'messageBack', title: 'Buy', text: 'Buy', displayText: 'Buy', value: { payload: 'buy.bed' } }],
            tap: { type: 'openUrl', title: 'Cosy dog bed', value: 'https://shop.example/bed' },
          },
        },
      ],
    });
  });

  it('an image is an attachment with a content type; its caption joins the text', () => {
    expect(renderMessage({ parts: [{ kind: 'image', url: 'https://cdn.example/parcel.JPG?x=1', caption: 'Your parcel' }] }, teams)).toEqual([
      {
        type: 'message',
        text: 'Your parcel',
        textFormat: 'markdown',
        attachments: [{ contentType: 'image/jpeg', contentUrl: 'https://cdn.example/parcel.JPG?x=1' }],
      },
    ]);
  });

  it('a reply carries replyToId for the reply route', () => {
    expect(renderMessage({ parts: [{ kind: 'text', text: 'ok' }], replyTo: 'act-7' }, teams)[0]).toMatchObject({ replyToId: 'act-7' });
  });
});
