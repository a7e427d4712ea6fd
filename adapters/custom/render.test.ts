import { describe, expect, it } from 'vitest';
import { renderMessage } from './render.js';

describe('custom channel render', () => {
  it('one payload per text, image and set of buttons; buttons take the text before them as their prompt', () => {
    expect(
      renderMessage({
        parts: [
          { kind: 'text', text: 'Hola' },
          { kind: 'image', url: 'https://cdn.example/a.png', caption: 'Tu pedido' },
          { kind: 'text', text: '¿Algo más?' },
          {
            kind: 'choices',
            choices: [
              { label: 'Sí', payload: 'yes' },
              { label: 'No', payload: 'no' },
            ],
          },
          { kind: 'text', text: '  ' },
        ],
      }),
    ).toEqual([
      { kind: 'text', text: 'Hola' },
      { kind: 'image', url: 'https://cdn.example/a.png', caption: 'Tu pedido' },
      {
        kind: 'buttons',
        text: '¿Algo más?',
        choices: [
          { label: 'Sí', payload: 'yes' },
          { label: 'No', payload: 'no' },
        ],
      },
    ]);
  });
});
