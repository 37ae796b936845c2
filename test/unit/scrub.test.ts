import { describe, expect, it } from 'vitest';
import { REMOVED, scrubComment } from '../../lib/privacy/scrub';

describe('scrubComment', () => {
  it.each([
    ['ola.nordmann@example.com', 'e-mail'],
    ['kåre@blåbær.no', 'e-mail with æøå'],
    ['+47 912 34 567', 'Norwegian mobile'],
    ['0047 22 33 44 55', 'Norwegian landline'],
    ['(555) 123-4567', 'US phone'],
    ['01017012345', 'national identity number'],
    ['923 609 016', 'organisation number, spaced'],
    ['a0BD0000qNhhyKD', 'Salesforce 15-character id, letter pod'],
    ['003Hn000xzLIf5mIAD', 'Salesforce 18-character id'],
    ['0065g00000CdEfGAAV', 'Salesforce 18-character id'],
    ['{73E3C5F9-C614-4370-A895-66BFE607A8F0}', 'Dynamics GUID, upper case in braces'],
    ['0b4541d5-adbe-489d-a132-df0d5c7e11dc', 'GUID, lower case'],
    ['4481230771', 'HubSpot numeric id'],
  ])('removes %s (%s) completely', (pii) => {
    const out = scrubComment(`Customer ${pii} complained.`);
    expect(out).toBe(`Customer ${REMOVED} complained.`);
  });

  it('keeps ordinary words, short numbers and dates', () => {
    expect(scrubComment('The Stage field in step 3 confuses me since 2026')).toBe('The Stage field in step 3 confuses me since 2026');
  });
});
