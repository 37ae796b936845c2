/**
 * Free-text feedback is the only text CRM Coach keeps, written knowingly by the user. Before it
 * is stored it is scrubbed of what most often identifies a customer: e-mail addresses, phone
 * numbers, and long digit runs (Norwegian national identity numbers are 11 digits, organisation
 * numbers 9, record ids and account numbers are long). Names cannot be detected reliably; the
 * comment form says plainly not to write them, and comments are never sent without an explicit OK.
 */
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
// +47 912 34 567, 0047 91234567, (555) 123-4567: a digit group run with separators, 8+ digits.
const PHONE = /(?:\+|00)?\(?\d(?:[\s().-]*\d){7,}/g;
// Dynamics and other GUIDs, any case, with or without braces.
const GUID = /\{?\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b\}?/gi;
// Salesforce 15/18-character ids (and similar): one "word" of letters and digits, both present.
const RECORD_ID = /\b[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?\b/g;
const DIGITS = /\d{5,}/g;

export const REMOVED = '[removed]';

export function scrubComment(text: string): string {
  return text
    .slice(0, 500)
    .replace(EMAIL, REMOVED)
    .replace(GUID, REMOVED)
    .replace(RECORD_ID, (m) => (/\d/.test(m) && /[a-zA-Z]/.test(m) ? REMOVED : m))
    .replace(PHONE, REMOVED)
    .replace(DIGITS, REMOVED)
    .trim();
}
