/**
 * Every payload in test/fixtures/xss/payloads.txt, alone and embedded in Markdown, rendered with
 * renderToStaticMarkup and checked by a strict scanner: only the allowed elements, only href/target/rel
 * on <a>, https hrefs only, text fully escaped, tags balanced.
 */
import { readFileSync } from 'node:fs';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RichText, normalizeRichText } from '../../components/overlay/rich-text';

// ---------------------------------------------------------------------------------------------
// Corpus

const TOKENS: Record<string, string> = { NUL: '\u0000', TAB: '\t', LF: '\n', CR: '\r', VT: '\u000b', FF: '\u000c' };
function decode(line: string): string {
  return line.replace(/\{\{(NUL|TAB|LF|CR|VT|FF|U\+[0-9A-F]{4,6})\}\}/g, (_, name: string) =>
    name.startsWith('U+') ? String.fromCodePoint(parseInt(name.slice(2), 16)) : TOKENS[name]!,
  );
}
const lines = readFileSync(new URL('../fixtures/xss/payloads.txt', import.meta.url), 'utf8').split('\n');
const payloads = lines.filter((l) => l !== '' && !l.startsWith('#@')).map(decode);
const categories = lines.filter((l) => l.startsWith('#@ category:')).map((l) => l.slice(12).trim());

// ---------------------------------------------------------------------------------------------
// A strict scanner for React's static markup

const ALLOWED = new Set(['p', 'strong', 'em', 'code', 'kbd', 'ul', 'ol', 'li', 'a', 'br']);
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#x27': "'" };

/** Text between tags: React escapes & < > " ' there, so only those five entities may occur. */
function unescape(text: string, where: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '<' || ch === '>' || ch === '"' || ch === "'") throw new Error(`raw ${ch} in ${where}`);
    if (ch !== '&') {
      out += ch;
      continue;
    }
    const semi = text.indexOf(';', i);
    const name = semi === -1 ? '' : text.slice(i + 1, semi);
    const value = ENTITIES[name];
    if (value === undefined) throw new Error(`unknown entity &${name}; in ${where}`);
    out += value;
    i = semi;
  }
  return out;
}

type Tag = { name: string; attrs: Map<string, string> };
/** Validates the markup and returns its text content; throws on anything not strictly allowed. */
function scan(html: string): string {
  const stack: string[] = [];
  const tags: Tag[] = [];
  let text = '';
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    text += unescape(html.slice(i, lt === -1 ? html.length : lt), 'text');
    if (lt === -1) break;
    let j = lt + 1;
    const closing = html[j] === '/';
    if (closing) j++;
    const nameStart = j;
    while (j < html.length && /[a-z0-9]/.test(html[j]!)) j++;
    const name = html.slice(nameStart, j);
    if (!ALLOWED.has(name)) throw new Error(`element <${closing ? '/' : ''}${name || html.slice(lt, lt + 12)}> not allowed`);
    const attrs = new Map<string, string>();
    for (;;) {
      if (html[j] === '>') {
        j++;
        break;
      }
      if (html.startsWith('/>', j)) {
        if (name !== 'br') throw new Error(`self-closing <${name}/>`);
        j += 2;
        break;
      }
      if (html[j] !== ' ') throw new Error(`unexpected ${JSON.stringify(html[j])} in <${name}>`);
      j++;
      const attrStart = j;
      while (j < html.length && /[a-zA-Z-]/.test(html[j]!)) j++;
      const attr = html.slice(attrStart, j);
      if (attr === '' || !html.startsWith('="', j)) throw new Error(`malformed attribute in <${name}>`);
      j += 2;
      const end = html.indexOf('"', j);
      if (end === -1) throw new Error('unterminated attribute');
      if (attrs.has(attr)) throw new Error(`duplicate ${attr}`);
      attrs.set(attr, unescape(html.slice(j, end), `attribute ${attr}`));
      j = end + 1;
    }
    if (closing) {
      if (attrs.size) throw new Error('attributes on a closing tag');
      if (stack.pop() !== name) throw new Error(`unbalanced </${name}>`);
    } else {
      tags.push({ name, attrs });
      if (name === 'br') {
        if (!html.startsWith('/>', j - 2)) throw new Error('<br> must be <br/>');
      } else stack.push(name);
    }
    i = j;
  }
  if (stack.length) throw new Error(`unclosed ${stack.join(',')}`);

  for (const { name, attrs } of tags) {
    for (const attr of attrs.keys()) {
      if (/^on/i.test(attr)) throw new Error(`event handler ${attr}`);
      if (/^(style|src|srcdoc|srcset|formaction|action|data|xlink:href)$/i.test(attr)) throw new Error(`attribute ${attr}`);
    }
    if (name !== 'a') {
      if (attrs.size) throw new Error(`attributes on <${name}>`);
      continue;
    }
    if ([...attrs.keys()].sort().join() !== 'href,rel,target') throw new Error(`<a> attributes ${[...attrs.keys()].join()}`);
    if (attrs.get('target') !== '_blank' || attrs.get('rel') !== 'noopener noreferrer') throw new Error('<a> target/rel');
    const href = attrs.get('href')!;
    if (!href.startsWith('https://') || new URL(href).protocol !== 'https:' || /[\s\u0000-\u001f\u007f]/.test(href)) {
      throw new Error(`href ${href}`);
    }
  }
  return text;
}

function assertSafe(html: string, label: string): string {
  expect(html, label).not.toMatch(/<script/i);
  expect(html, label).not.toMatch(/<[^>]*\s(on[a-z]+|style|src|srcdoc)\s*=/i);
  try {
    return scan(html);
  } catch (e) {
    throw new Error(`${label}\n${(e as Error).message}\n${html}`);
  }
}

// ---------------------------------------------------------------------------------------------

let consoleError: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  consoleError = vi.spyOn(console, 'error');
});
afterEach(() => expect(consoleError).not.toHaveBeenCalled());

describe('the corpus', () => {
  it('has at least 150 distinct payloads in named categories', () => {
    expect(new Set(payloads).size).toBe(payloads.length);
    expect(payloads.length).toBeGreaterThanOrEqual(150);
    expect(categories.length).toBeGreaterThanOrEqual(8);
  });
});

describe('the scanner', () => {
  it('rejects what it must', () => {
    for (const bad of [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '<p onclick="x">a</p>',
      '<p style="x">a</p>',
      '<a href="javascript:alert(1)" target="_blank" rel="noopener noreferrer">x</a>',
      '<a href="http://a.example" target="_blank" rel="noopener noreferrer">x</a>',
      '<a href="https://a.example">x</a>',
      '<svg></svg>',
      '<p>a</em>',
      '<p>"</p>',
      '<p>&#106;</p>',
      '<p>',
      '<iframe srcdoc="x"></iframe>',
    ]) {
      expect(() => scan(bad), bad).toThrow();
    }
    expect(scan('<p>a &amp; <a href="https://a.example/" target="_blank" rel="noopener noreferrer">b</a><br/></p>')).toBe('a & b');
  });
});

const WRAPPERS: [string, (p: string) => string][] = [
  ['alone', (p) => p],
  ['in a paragraph', (p) => `Intro **bold** and _it_.\n${p}\nafter [docs](https://example.com/help)`],
  ['between paragraphs', (p) => `First.\n\n${p}\n\nLast [[Ctrl]]+[[K]].`],
  ['in list items', (p) => `- item ${p}\n- **${p}**\n\n1. ${p}\n2. *${p}*`],
  ['as a link label', (p) => `[${p}](https://example.com/)`],
  ['as a link destination', (p) => `See [label](${p}) now`],
  ['in code and keys', (p) => `\`${p}\` [[${p}]]`],
  ['in emphasis', (p) => `**${p}** _${p}_ *${p}*`],
  ['glued to markers', (p) => `**[x](${p})**[y](${p}`],
];

describe.each(WRAPPERS)('every payload %s', (_, wrap) => {
  it('renders only allowed markup', () => {
    for (const payload of payloads) {
      const text = wrap(payload);
      assertSafe(renderToStaticMarkup(<RichText text={text} />), JSON.stringify(text));
      assertSafe(renderToStaticMarkup(<RichText text={text} inline />), `inline ${JSON.stringify(text)}`);
    }
  });
});

it('payloads without Markdown characters come out as exactly their text', () => {
  let checked = 0;
  for (const payload of payloads) {
    if (/[*_`[\]\n\r]/.test(payload) || /^\s*(\d+\.|[-*])\s/.test(payload)) continue;
    checked++;
    const shown = assertSafe(renderToStaticMarkup(<RichText text={payload} />), payload);
    expect(shown).toBe(normalizeRichText(payload).trim());
  }
  expect(checked).toBeGreaterThan(100);
});

it('a payload used as a destination yields a link only when it holds a literal https:// URL', () => {
  for (const payload of payloads) {
    const out = renderToStaticMarkup(<RichText text={`[label](${payload})`} />);
    if (out.includes('<a ')) expect(payload.toLowerCase(), payload).toContain('https://');
  }
});

it('random mixtures of payload fragments and Markdown stay safe', () => {
  let seed = 0x5eed;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const pieces = [
    '**', '*', '_', '`', '[', ']', '(', ')', '[[', ']]', '](', '\n', '\n\n', '- ', '1. ', ' ', 'https://', 'javascript:',
    'https://example.com/', '<', '>', '"', "'", '&', '&#106;', 'on', '=', 'æøå', 'שלום', '\u0000', '\t',
  ];
  for (let n = 0; n < 3000; n++) {
    let text = '';
    const count = 1 + rand(25);
    for (let k = 0; k < count; k++) {
      if (rand(3) === 0) {
        const payload = payloads[rand(payloads.length)]!;
        const from = rand(payload.length);
        text += payload.slice(from, from + 1 + rand(40));
      } else text += pieces[rand(pieces.length)]!;
    }
    assertSafe(renderToStaticMarkup(<RichText text={text} />), JSON.stringify(text));
    assertSafe(renderToStaticMarkup(<RichText text={text} inline />), JSON.stringify(text));
  }
});
