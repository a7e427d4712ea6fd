import { XMLParser } from 'fast-xml-parser';
import { ParleyError } from '../../src/core/errors.js';

/** Callback bodies are a few hundred bytes; anything over 1 MB is refused before parsing. */
export const MAX_XML_BYTES = 1024 * 1024;

/** The fields of a callback's `<xml>` root, as strings (nested elements as objects). */
export type XmlFields = Record<string, unknown>;

// Entity expansion off and every value kept as a string: MsgIds are 64-bit and must not become
// floats, and "007" must stay "007".
const parser = new XMLParser({
  processEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: true,
});

const CDATA_SECTION = /<!\[CDATA\[[\s\S]*?\]\]>/g;
const DECLARATION = /<!(?:DOCTYPE|ENTITY)/i;

function bad(message: string, cause?: unknown): ParleyError {
  return new ParleyError('BAD_PAYLOAD', `WeChat callback body ${message}.`, { cause });
}

/**
 * Parses a callback body and returns its `<xml>` root. Refuses bodies over 1 MB, any
 * DOCTYPE / ENTITY declaration (outside CDATA, where shoppers may type anything) and
 * malformed or truncated XML, with `BAD_PAYLOAD`.
 */
export function parseXml(text: string): XmlFields {
  if (Buffer.byteLength(text) > MAX_XML_BYTES) throw bad('is larger than 1 MB');
  if (DECLARATION.test(text.replace(CDATA_SECTION, ''))) throw bad('declares a DOCTYPE or ENTITY');
  let doc: unknown;
  try {
    doc = parser.parse(text, true);
  } catch (cause) {
    throw bad('is not well-formed XML', cause);
  }
  const root = (doc as { xml?: unknown } | undefined)?.xml;
  if (!root || typeof root !== 'object' || Array.isArray(root)) throw bad('has no <xml> root element');
  return root as XmlFields;
}

/** A string field, or undefined when absent, empty or repeated. */
export function field(fields: XmlFields, name: string): string | undefined {
  const value = fields[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

const ENCRYPT = /<Encrypt>\s*(?:<!\[CDATA\[([A-Za-z0-9+/=]+)\]\]>|([A-Za-z0-9+/=]+))\s*<\/Encrypt>/;

/**
 * Reads the `<Encrypt>` value from a raw body without building a document: the signature
 * covers it, so nothing else in the (unsigned) envelope is looked at before verification.
 */
export function extractEncrypt(body: string): string | undefined {
  const m = ENCRYPT.exec(body);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** Wraps text in CDATA; a `]]>` inside is split across two sections. */
export function cdata(text: string): string {
  return `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}
