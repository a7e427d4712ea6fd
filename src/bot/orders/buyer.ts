/**
 * Matching an order's buyer to the contact a shopper was verified by, the same way for every
 * connector that searches a platform: platform searches are fuzzy, so every hit is checked here.
 */
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';

/** The contact {@link OrderConnector.listByBuyer} was asked about, normalised. */
export interface WantedBuyer {
  /** Lower-case, trimmed. */
  email?: string;
  /** Digits with the country code (`31612345678`). */
  phone?: string;
}

/** `Emma.Jansen@Example.com ` → `emma.jansen@example.com`; empty → undefined. */
export function normalEmail(email: string | null | undefined): string | undefined {
  return email?.trim().toLowerCase() || undefined;
}

/**
 * A phone number as digits with the country code: `+31 6 12345678` → `31612345678`. Numbers
 * written without a country code are read in `country` (a billing address's country) when given.
 */
export function phoneDigits(phone: string | null | undefined, country?: string | null): string | undefined {
  if (!phone?.trim()) return undefined;
  const parsed = parsePhoneNumberFromString(phone, (country?.toUpperCase() || undefined) as CountryCode | undefined);
  if (parsed?.isPossible()) return parsed.number.slice(1);
  return phone.replace(/\D/g, '').replace(/^00/, '') || undefined;
}

/** The buyer a shopper asked about (contract: phone as digits with the country code), or undefined when there is nothing to search for. */
export function wantedBuyer(buyer: { email?: string; phone?: string }): WantedBuyer | undefined {
  const email = normalEmail(buyer.email);
  const phone = buyer.phone?.replace(/\D/g, '').replace(/^00/, '') || undefined;
  if (!email && !phone) return undefined;
  return { ...(email ? { email } : {}), ...(phone ? { phone } : {}) };
}

/** The national part of a number given as digits with the country code: `31612345678` → `612345678`. */
export function nationalNumber(digits: string): string {
  return parsePhoneNumberFromString(`+${digits}`)?.nationalNumber ?? digits;
}
