import { isValidElement, type ReactElement, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  MAX_CHARS,
  RichText,
  normalizeRichText,
  parseRichInline,
  parseRichText,
  safeHref,
  type InlineNode,
  type RichNode,
} from '../../components/overlay/rich-text';

const html = (text: string, inline = false) => renderToStaticMarkup(<RichText text={text} inline={inline} />);
const t = (text: string): InlineNode => ({ type: 'text', text });
const p = (...children: InlineNode[]): RichNode => ({ type: 'paragraph', children });
const A = (href: string) => `<a href="${href}" target="_blank" rel="noopener noreferrer">`;

let consoleError: ReturnType<typeof vi.spyOn>;
let consoleWarn: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  consoleError = vi.spyOn(console, 'error');
  consoleWarn = vi.spyOn(console, 'warn');
});
afterEach(() => {
  // No React warning (keys, DOM nesting, unsafe URLs…) in any test.
  expect(consoleError).not.toHaveBeenCalled();
  expect(consoleWarn).not.toHaveBeenCalled();
});

describe('parseRichText', () => {
  it('empty and blank input give nothing', () => {
    expect(parseRichText('')).toEqual([]);
    expect(parseRichText('   \n\n \t \n')).toEqual([]);
    expect(html('')).toBe('');
    expect(html(' \n ')).toBe('');
  });

  it('plain text is one paragraph', () => {
    expect(parseRichText('Pick the stage.')).toEqual([p(t('Pick the stage.'))]);
  });

  it('bold, italic, code and keys', () => {
    expect(parseRichText('**Save** *now* or _later_, see `Ctrl+S` or [[Ctrl]]+[[S]]')).toEqual([
      p(
        { type: 'strong', children: [t('Save')] },
        t(' '),
        { type: 'em', children: [t('now')] },
        t(' or '),
        { type: 'em', children: [t('later')] },
        t(', see '),
        { type: 'code', text: 'Ctrl+S' },
        t(' or '),
        { type: 'kbd', text: 'Ctrl' },
        t('+'),
        { type: 'kbd', text: 'S' },
      ),
    ]);
  });

  it('line breaks stay inside a paragraph, blank lines separate paragraphs', () => {
    expect(parseRichText('one\ntwo\n\n\nthree')).toEqual([p(t('one'), { type: 'br' }, t('two')), p(t('three'))]);
  });

  it('bulleted and numbered lists', () => {
    expect(parseRichText('Steps:\n- open\n* **save**\n\n1. first\n2. second')).toEqual([
      p(t('Steps:')),
      { type: 'list', ordered: false, items: [[t('open')], [{ type: 'strong', children: [t('save')] }]] },
      { type: 'list', ordered: true, items: [[t('first')], [t('second')]] },
    ]);
  });

  it('a change of list kind starts a new list; a non-indented line ends it; an indented one continues the item', () => {
    expect(parseRichText('- a\n1. b\n  more\nafter')).toEqual([
      { type: 'list', ordered: false, items: [[t('a')]] },
      { type: 'list', ordered: true, items: [[t('b'), { type: 'br' }, t('more')]] },
      p(t('after')),
    ]);
  });

  it('marker-like lines that are not list items stay text', () => {
    expect(parseRichText('-no space\n*emph*\n1.5 litres\n- \n1)')).toEqual([
      p(
        t('-no space'),
        { type: 'br' },
        { type: 'em', children: [t('emph')] },
        { type: 'br' },
        t('1.5 litres'),
        { type: 'br' },
        t('-'),
        { type: 'br' },
        t('1)'),
      ),
    ]);
  });

  it('links: https only, label may hold bold/italic', () => {
    expect(parseRichText('See [the **guide**](https://example.com/help?a=1#x).')).toEqual([
      p(
        t('See '),
        { type: 'link', href: 'https://example.com/help?a=1#x', children: [t('the '), { type: 'strong', children: [t('guide')] }] },
        t('.'),
      ),
    ]);
  });

  it('link destinations may contain balanced parentheses', () => {
    expect(parseRichText('[Foo](https://en.wikipedia.org/wiki/Foo_(bar))')).toEqual([
      p({ type: 'link', href: 'https://en.wikipedia.org/wiki/Foo_(bar)', children: [t('Foo')] }),
    ]);
  });

  it('unsafe or non-https links keep only their label, as text', () => {
    for (const url of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      ' javascript:alert(1)',
      'https://example.com ',
      'http://example.com',
      '//example.com',
      'data:text/html,hi',
      'vbscript:x',
      '&#106;avascript:alert(1)',
      'https://user:pw@example.com',
      'https://example.com/a b',
      'https://\u202Eexample.com',
      'mailto:a@example.com',
      '/relative',
      'https://',
    ]) {
      expect(parseRichText(`a [label](${url}) b`), url).toEqual([p(t('a label b'))]);
    }
  });

  it('unmatched markers stay literal', () => {
    for (const text of ['**bold', 'bold**', '*it', 'it_', '`code', '[[Ctrl', '[[Ctrl]', '[x](https://a.example', '[x]', '[](https://a.example)', '``', '** x**', '*x *']) {
      expect(parseRichText(text), text).toEqual([p(t(text))]);
    }
  });

  it('nesting: only bold/italic inside each other, once; runs of three markers are literal', () => {
    expect(parseRichText('*a **b** c*')).toEqual([
      p({ type: 'em', children: [t('a '), { type: 'strong', children: [t('b')] }, t(' c')] }),
    ]);
    expect(parseRichText('**a _b_ c**')).toEqual([
      p({ type: 'strong', children: [t('a '), { type: 'em', children: [t('b')] }, t(' c')] }),
    ]);
    expect(parseRichText('***x***')).toEqual([p(t('***x***'))]);
    // code, keys and links are not parsed inside emphasis
    expect(parseRichText('**`x` [[K]] [y](https://a.example)**')).toEqual([
      p({ type: 'strong', children: [t('`x` [[K]] [y](https://a.example)')] }),
    ]);
    // nothing is parsed inside code or keys
    expect(parseRichText('`**x** [y](https://a.example)`')).toEqual([p({ type: 'code', text: '**x** [y](https://a.example)' })]);
    // links do not nest
    expect(parseRichText('[[x](https://a.example)](https://b.example)')).toEqual([
      p(t('['), { type: 'link', href: 'https://a.example/', children: [t('x')] }, t('](https://b.example)')),
    ]);
  });

  it('underscores inside words and lone stars are literal', () => {
    expect(parseRichText('use snake_case_names and 2 * 3 * 4')).toEqual([p(t('use snake_case_names and 2 * 3 * 4'))]);
  });

  it('Norwegian letters', () => {
    expect(parseRichText('**Blåbærsyltetøy** på _brødskiva_, men blå_bær_ er ett ord. Æ Ø Å')).toEqual([
      p(
        { type: 'strong', children: [t('Blåbærsyltetøy')] },
        t(' på '),
        { type: 'em', children: [t('brødskiva')] },
        t(', men blå_bær_ er ett ord. Æ Ø Å'),
      ),
    ]);
    expect(html('[Søk](https://example.no/søk?q=blåbær)')).toBe(
      `<p>${A('https://example.no/s%C3%B8k?q=bl%C3%A5b%C3%A6r')}Søk</a></p>`,
    );
  });

  it('right-to-left text', () => {
    expect(html('**مرحبا** بالعالم\n- עברית [קישור](https://example.co.il)')).toBe(
      `<p><strong>مرحبا</strong> بالعالم</p><ul><li>עברית ${A('https://example.co.il/')}קישור</a></li></ul>`,
    );
    // bidi marks in text are kept as typed
    expect(parseRichText('\u200Fשלום\u200F')).toEqual([p(t('\u200Fשלום\u200F'))]);
  });

  it('normalises newlines and neutralises control characters', () => {
    expect(parseRichText('a\r\nb\rc')).toEqual([p(t('a'), { type: 'br' }, t('b'), { type: 'br' }, t('c'))]);
    expect(normalizeRichText('a\u0000b\u0007c\u007f\u0085\td')).toBe('a\uFFFDb\uFFFDc\uFFFD\uFFFD\td');
  });

  it('caps very long input at MAX_CHARS without splitting a surrogate pair', () => {
    const long = 'x'.repeat(10_000);
    const nodes = parseRichText(long);
    expect(nodes).toEqual([p(t('x'.repeat(MAX_CHARS) + '…'))]);
    const emoji = 'a'.repeat(MAX_CHARS - 1) + '😀😀';
    expect(normalizeRichText(emoji)).toBe('a'.repeat(MAX_CHARS - 1) + '…');
  });

  it('stays fast on adversarial input (linear time)', () => {
    const nasty = [
      '*a '.repeat(2000),
      '**a '.repeat(1000),
      '_a '.repeat(2000),
      '`'.repeat(4000),
      '[['.repeat(2000),
      '[a]('.repeat(1000),
      '[a](('.repeat(1000),
      '[' + 'a'.repeat(3998) + ']',
      '[a](' + '('.repeat(3990),
      '[x](https://a.example/' + '('.repeat(3900) + ')',
      '- '.repeat(2000),
      ('- *a\n').repeat(800),
      '*'.repeat(4000),
      '* _ '.repeat(1000),
      '**a*'.repeat(1000),
    ];
    for (const text of nasty) {
      const start = performance.now();
      for (let i = 0; i < 5; i++) parseRichText(text);
      expect((performance.now() - start) / 5, text.slice(0, 12)).toBeLessThan(50);
    }
  });
});

describe('safeHref', () => {
  it('accepts https and normalises it', () => {
    expect(safeHref('https://example.com')).toBe('https://example.com/');
    expect(safeHref('HTTPS://Example.COM/a')).toBe('https://example.com/a');
  });
  it('rejects everything else', () => {
    for (const url of ['', 'http://a.example', 'javascript:alert(1)', 'https:a.example', 'https:/a.example', 'https://a.example/\t', 'https://a\u0000.example', 'https://a.example/"x', 'https://a.example/<x>', "https://a.example'onmouseover='x", 'https://a_b.example', `https://a.example/${'a'.repeat(3000)}`]) {
      expect(safeHref(url), url).toBeNull();
    }
  });
});

describe('parseRichInline', () => {
  it('joins lines with <br> and keeps list markers as text', () => {
    expect(parseRichInline('- **a**\n\n1. b')).toEqual([t('- '), { type: 'strong', children: [t('a')] }, { type: 'br' }, t('1. b')]);
    expect(html('Week **1**\nfind', true)).toBe('Week <strong>1</strong><br/>find');
  });
});

describe('<RichText> markup', () => {
  it('renders every feature', () => {
    expect(
      html('Hi **there** *you* _all_ `x<y` [[Ctrl]]+[[K]]\nnext [docs](https://example.com/d)\n\n- a\n- b\n\n1. c\n2. d'),
    ).toBe(
      '<p>Hi <strong>there</strong> <em>you</em> <em>all</em> <code>x&lt;y</code> <kbd>Ctrl</kbd>+<kbd>K</kbd><br/>next ' +
        `${A('https://example.com/d')}docs</a></p>` +
        '<ul><li>a</li><li>b</li></ul><ol><li>c</li><li>d</li></ol>',
    );
  });

  it('shows HTML and entities as typed', () => {
    expect(html('<b onclick="x()">hi</b> &amp; &lt;script&gt; &#106;')).toBe(
      '<p>&lt;b onclick=&quot;x()&quot;&gt;hi&lt;/b&gt; &amp;amp; &amp;lt;script&amp;gt; &amp;#106;</p>',
    );
  });

  it('an unsafe link shows its label only', () => {
    expect(html('[click **me**](javascript:alert(1))')).toBe('<p>click <strong>me</strong></p>');
    expect(html('[site](http://example.com)')).toBe('<p>site</p>');
  });

  it('gives every element in a list of children a unique key', () => {
    const walk = (node: ReactNode): void => {
      if (Array.isArray(node)) {
        const keys = node.filter(isValidElement).map((e) => e.key);
        expect(keys.every((k) => k !== null)).toBe(true);
        expect(new Set(keys).size).toBe(keys.length);
        node.forEach(walk);
      } else if (isValidElement(node)) {
        const el = node as ReactElement<{ children?: ReactNode }>;
        if (typeof el.type === 'function') walk((el.type as (props: unknown) => ReactNode)(el.props));
        else walk(el.props.children);
      }
    };
    const text = '**a** *b* `c` [[d]] [e](https://e.example)\nf\n\n- g\n- h\n\n1. i\n\nj';
    walk(<RichText text={text} />);
    walk(<RichText text={text} inline />);
    // Same input, same keys and markup.
    expect(html(text)).toBe(html(text));
  });
});
