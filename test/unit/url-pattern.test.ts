import { describe, expect, it } from 'vitest';
import { compileUrlPattern } from '../../lib/rules/url-pattern';

const matches = (pattern: string, path: string, options = {}) => {
  const r = compileUrlPattern(pattern, options);
  if (!r.ok) throw new Error(r.error.message);
  return new RegExp(r.regexp.source, r.regexp.flags).test(path);
};

describe('compileUrlPattern', () => {
  it.each([
    ['/contacts', '/contacts', true],
    ['/contacts', '/contacts/', true],
    ['/contacts', '/contacts/1', false],
    ['/contacts/:id', '/contacts/c-104', true],
    ['/contacts/:id', '/contacts/', false],
    ['/contacts/:id', '/contacts/1/edit', false],
    ['/lightning/r/:object(Account|Contact)/:id/view', '/lightning/r/Account/001xx/view', true],
    ['/lightning/r/:object(Account|Contact)/:id/view', '/lightning/r/Lead/00Qxx/view', false],
    ['/contacts{/:id}?', '/contacts', true],
    ['/contacts{/:id}?', '/contacts/7', true],
    ['/reports/*', '/reports/a/b/c', true],
    ['/a.b', '/aXb', false],
  ])('%s vs %s -> %s', (pattern, path, expected) => {
    expect(matches(pattern, path)).toBe(expected);
  });

  it('is case-sensitive unless asked', () => {
    expect(matches('/Contacts', '/contacts')).toBe(false);
    expect(matches('/Contacts', '/contacts', { ignoreCase: true })).toBe(true);
  });

  it.each([
    ['contacts', 'starts with "/"', 0],
    ['/a/:x:y', 'in a row', 5],
    ['/a/*/b/*', 'at most one "*"', 7],
    ['/a/(x+)+', 'not part of the pattern syntax', 3],
    ['/a/:x(b|c.*)', 'plain words', 6],
    ['/a{/b{/c}?}?', 'cannot nest', 5],
    ['/a{/b', 'unclosed "{"', 2],
    ['/a/:', 'parameter name', 3],
  ])('rejects %s with a located error', (pattern, message, offset) => {
    const r = compileUrlPattern(pattern);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toContain(message);
    expect(r.error.offset).toBe(offset);
  });

  it('ranks literal paths above parameters above wildcards', () => {
    const spec = (p: string) => {
      const r = compileUrlPattern(p);
      return r.ok ? r.specificity : -1;
    };
    expect(spec('/opportunities/new')).toBeGreaterThan(spec('/opportunities/:id'));
    expect(spec('/opportunities/:id')).toBeGreaterThan(spec('/opportunities/*'));
  });

  it('stays linear on hostile input (no catastrophic backtracking)', () => {
    const r = compileUrlPattern('/a/:x/b/:y/c/*/d');
    if (!r.ok) throw new Error(r.error.message);
    const re = new RegExp(r.regexp.source);
    // A classic exponential trap for nested quantifiers; here it must simply fail.
    expect(re.test('/a/' + 'x'.repeat(5000) + '/b/' + '/'.repeat(5000))).toBe(false);
  });
});
