/** The widget's elements, built once by shell.ts. */

export interface Ui {
  root: HTMLDivElement;
  panel: HTMLDivElement;
  launcher: HTMLButtonElement;
  badge: HTMLSpanElement;
  title: HTMLHeadingElement;
  select: HTMLSelectElement;
  status: HTMLDivElement;
  scroll: HTMLDivElement;
  empty: HTMLParagraphElement;
  log: HTMLDivElement;
  typing: HTMLDivElement;
  typingText: HTMLSpanElement;
  input: HTMLTextAreaElement;
  send: HTMLButtonElement;
  /** Opens the file picker ({@link file}) for a photo or file to send. */
  attach: HTMLButtonElement;
  file: HTMLInputElement;
  /** Keep the log scrolled to the bottom after the next change. */
  stick: boolean;
}

// Filled by build() at boot, before any frame, click or timer can reach code that reads it.
export const ui = { stick: false } as Ui;
