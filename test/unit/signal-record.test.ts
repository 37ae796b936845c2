/**
 * The stored signal is anonymized by construction: every field of the record is an enum, an id
 * pattern, a version, a day or a small number. This fails as soon as a field could hold free text.
 */
import { describe, expect, it } from 'vitest';
import { signalRecordSchema } from '../../lib/signals/signal-record';

const valid = {
  type: 'tip-shown',
  day: '2026-11-28',
  crm: 'salesforce',
  pack: 'salesforce',
  packVersion: '1.0.0',
  screen: 'salesforce/opportunity-record',
  rule: 'salesforce/opportunity-record.tooltips#stage',
  extensionVersion: '0.1.0',
};

const FREE_TEXT = [
  'Ola Nordmann',
  'ola.nordmann@example.com',
  '+47 912 34 567',
  'https://acme.lightning.force.com/lightning/r/Opportunity/0065g00000CdEfGAAV/view',
  'Called about the renewal, customer unhappy',
  '0065g00000CdEfGAAV',
  'NOK 1 250 000',
];

describe('signal record', () => {
  it('accepts a real record', () => expect(signalRecordSchema.safeParse(valid).success).toBe(true));

  const fields = Object.keys(signalRecordSchema.shape) as Array<keyof typeof signalRecordSchema.shape>;
  it.each(fields)('field "%s" cannot hold free text, names, e-mails, URLs or record ids', (field) => {
    for (const text of FREE_TEXT) {
      expect(signalRecordSchema.safeParse({ ...valid, [field]: text }).success, `${field} = ${text}`).toBe(false);
    }
  });

  it('has no field beyond the documented ones', () => {
    expect(signalRecordSchema.safeParse({ ...valid, note: 'x' }).success).toBe(false);
    expect(fields.sort()).toEqual(['count', 'crm', 'day', 'detail', 'extensionVersion', 'pack', 'packVersion', 'peer', 'rule', 'screen', 'type'].sort());
  });
});
