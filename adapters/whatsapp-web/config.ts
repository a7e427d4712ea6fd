import { z } from 'zod';

/** Debian's Chromium, used when neither the block nor WHATSAPP_WEB_CHROMIUM names a browser. */
const defaultChromium = '/usr/bin/chromium';

// Why '' counts as absent: an unset `${WHATSAPP_WEB_CHROMIUM}` in the YAML arrives as ''.
const blankAsAbsent = (v: unknown) => (v === '' || v === null ? undefined : v);

/**
 * The block under `channels.<id>` with `type: whatsapp-web` (UNOFFICIAL: automates WhatsApp
 * Web through whatsapp-web.js). Nothing is secret here: the session lives in the data folder
 * and is created by scanning a QR code.
 */
export const whatsappWebConfigSchema = z
  .object({
    /** The Chromium binary to drive (WHATSAPP_WEB_CHROMIUM); Parley never downloads a browser. */
    executablePath: z.preprocess(
      blankAsAbsent,
      z
        .string()
        .min(1)
        .default(() => process.env.WHATSAPP_WEB_CHROMIUM || defaultChromium),
    ),
    /** Run Chromium without a window; set false only to watch the session on a desktop. */
    headless: z.boolean().default(true),
    /** Answer messages in WhatsApp groups too (off: a shop bot in a group is rarely wanted). */
    allowGroups: z.boolean().default(false),
    /** Print the login QR code in the terminal (it is always on the operator status page). */
    printQr: z.boolean().default(true),
    /** Lease lifetime; the owner renews it every third of this. */
    leaseTtlMs: z.number().int().min(1_000).default(60_000),
    /** How often a standby instance checks whether the session became free. */
    standbyRetryMs: z.number().int().min(50).default(15_000),
    /** First wait before relaunching the browser after a failure; doubles up to 5 minutes. */
    reconnectDelayMs: z.number().int().min(10).default(5_000),
  })
  .strict();

/** A validated WhatsApp Web channel block. */
export type WhatsAppWebConfig = z.output<typeof whatsappWebConfigSchema>;
