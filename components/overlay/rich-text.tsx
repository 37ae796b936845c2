/**
 * Rule text ("plain text with a small Markdown subset") as React elements. Never HTML: every piece
 * of input ends up as a React text child or as a validated `https:` href, so React's escaping is the
 * only thing that turns it into markup.
 *
 * Supported, and nothing else (see the cases in test/unit/rich-text.test.tsx):
 *   **bold**   *italic*   _italic_   `code`   [[Ctrl]]+[[K]] (<kbd>)   [label](https://…)
 *   "- item" / "* item" lines (bulleted), "1. item" lines (numbered), blank line = new paragraph,
 *   single newline = <br>. Everything else is literal text.
 *
 * Linear time: every scan either consumes what it scanned or is bounded by a small constant, and
 * emphasis closers are looked up through a forward-only pointer. Input is capped at MAX_CHARS.
 */
import { Fragment, type JSX, type ReactNode } from 'react';

export const MAX_CHARS = 4000;
const MAX_KBD = 40;
const MAX_LABEL = 500;
const MAX_URL = 2048;

export type InlineNode =
  | { type: 'text'; text: string }
  | { type: 'strong'; children: InlineNode[] }
  | { type: 'em'; children: InlineNode[] }
  | { type: 'code'; text: string }
  | { type: 'kbd'; text: string }
  | { type: 'link'; href: string; children: InlineNode[] }
  | { type: 'br' };

export type RichNode =
  | { type: 'paragraph'; children: InlineNode[] }
  | { type: 'list'; ordered: boolean; items: InlineNode[][] };

type Kind = 'code' | 'kbd' | 'link' | 'strong' | 'em';
const TOP: ReadonlySet<Kind> = new Set<Kind>(['code', 'kbd', 'link', 'strong', 'em']);
const LABEL: ReadonlySet<Kind> = new Set<Kind>(['strong', 'em']);

/** Caps the length (without splitting a surrogate pair), unifies newlines, neutralises control characters. */
export function normalizeRichText(text: string): string {
  let s = text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text;
  if (s.length < text.length) {
    const last = s.charCodeAt(s.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) s = s.slice(0, -1);
    s += '…';
  }
  // C0 controls other than tab/newline, DEL and C1 controls become U+FFFD: visible, and never valid in a URL.
  return s.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '\uFFFD');
}

const isSpace = (ch: string | undefined) => ch === undefined || /\s/u.test(ch);
const isWordChar = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
const URL_ASCII = /^[A-Za-z0-9\-._~:/?#@!$&'()*+,;=%]$/;
const URL_UNICODE = /^[\p{L}\p{N}\p{M}]$/u;

/**
 * The href for a link destination, or null. Only `https://` written out literally (any letter case)
 * with no whitespace, control, format or quote characters, no credentials, and a plain DNS/IPv4 host.
 */
export function safeHref(raw: string): string | null {
  if (raw.length === 0 || raw.length > MAX_URL) return null;
  if (raw.slice(0, 8).toLowerCase() !== 'https://') return null;
  for (const ch of raw) {
    if (!(ch.length === 1 && URL_ASCII.test(ch)) && !(ch.charCodeAt(0) > 0x7f && URL_UNICODE.test(ch))) return null;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '') return null;
  // A DNS name or IPv4 address (IDNs arrive as punycode), nothing exotic.
  if (!/^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.?$/.test(url.hostname)) return null;
  return url.href;
}

/** Maximal runs of `*` and `_`, keyed by start index, with their length. */
function runsOf(s: string): Map<number, number> {
  const runs = new Map<number, number>();
  for (let i = 0; i < s.length; ) {
    const ch = s[i];
    if (ch !== '*' && ch !== '_') {
      i++;
      continue;
    }
    let j = i + 1;
    while (s[j] === ch) j++;
    runs.set(i, j - i);
    i = j;
  }
  return runs;
}

type Delim = '*' | '**' | '_';
function delimAt(s: string, i: number, runs: Map<number, number>): Delim | null {
  const len = runs.get(i);
  const ch = s[i];
  if (ch === '*' && len === 1) return '*';
  if (ch === '*' && len === 2) return '**';
  if (ch === '_' && len === 1) return '_';
  return null;
}
function canOpen(s: string, i: number, d: Delim): boolean {
  if (isSpace(s[i + d.length])) return false;
  return d !== '_' || !isWordChar(s[i - 1]);
}
function canClose(s: string, i: number, d: Delim): boolean {
  if (i === 0 || isSpace(s[i - 1])) return false;
  return d !== '_' || !isWordChar(s[i + d.length]);
}

/** Inline Markdown of one line (no newlines), restricted to `allowed`. */
function parseLine(s: string, allowed: ReadonlySet<Kind>): InlineNode[] {
  const out: InlineNode[] = [];
  const push = (text: string) => {
    if (text === '') return;
    const last = out[out.length - 1];
    if (last?.type === 'text') last.text += text;
    else out.push({ type: 'text', text });
  };

  const runs = runsOf(s);
  // Valid closer positions per delimiter, ascending, each read through a forward-only cursor.
  const closers: Record<Delim, number[]> = { '*': [], '**': [], _: [] };
  for (const i of runs.keys()) {
    const d = delimAt(s, i, runs);
    if (d && canClose(s, i, d)) closers[d].push(i);
  }
  const cursor: Record<Delim, number> = { '*': 0, '**': 0, _: 0 };
  const nextCloser = (d: Delim, after: number): number => {
    const list = closers[d];
    while (cursor[d] < list.length && list[cursor[d]]! <= after) cursor[d]++;
    return cursor[d] < list.length ? list[cursor[d]]! : -1;
  };
  let noMoreBackticks = false;

  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;

    if (ch === '`' && allowed.has('code')) {
      const j = noMoreBackticks ? -1 : s.indexOf('`', i + 1);
      if (j === -1) {
        noMoreBackticks = true;
        push(ch);
        i++;
      } else if (j === i + 1) {
        push('``');
        i += 2;
      } else {
        out.push({ type: 'code', text: s.slice(i + 1, j) });
        i = j + 1;
      }
      continue;
    }

    if (ch === '[' && s[i + 1] === '[' && allowed.has('kbd')) {
      let k = i + 2;
      const end = Math.min(s.length, i + 2 + MAX_KBD);
      while (k < end && s[k] !== '[' && s[k] !== ']') k++;
      const key = s.slice(i + 2, k).trim();
      if (s[k] === ']' && s[k + 1] === ']' && key !== '') {
        out.push({ type: 'kbd', text: key });
        i = k + 2;
        continue;
      }
    }

    if (ch === '[' && allowed.has('link')) {
      const link = linkAt(s, i);
      if (link) {
        const children = parseLine(link.label, LABEL);
        if (link.href) out.push({ type: 'link', href: link.href, children });
        else
          for (const c of children) {
            if (c.type === 'text') push(c.text);
            else out.push(c);
          }
        i = link.end;
        continue;
      }
    }

    if (ch === '*' || ch === '_') {
      const len = runs.get(i) ?? 1;
      const d = delimAt(s, i, runs);
      const kind: Kind | null = d === '**' ? 'strong' : d ? 'em' : null;
      if (d && kind && allowed.has(kind) && canOpen(s, i, d)) {
        const j = nextCloser(d, i);
        if (j !== -1) {
          const inner = new Set([...allowed].filter((k): k is Kind => LABEL.has(k) && k !== kind));
          const children = parseLine(s.slice(i + d.length, j), inner);
          out.push(kind === 'strong' ? { type: 'strong', children } : { type: 'em', children });
          i = j + d.length;
          continue;
        }
      }
      push(s.slice(i, i + len));
      i += len;
      continue;
    }

    let j = i + 1;
    while (j < s.length && s[j] !== '`' && s[j] !== '[' && s[j] !== '*' && s[j] !== '_') j++;
    push(s.slice(i, j));
    i = j;
  }
  return out;
}

/**
 * `[label](destination)` at `i`: the label has no brackets, the destination is everything up to the
 * `)` that balances its parentheses, on the same line, without brackets. href is null when the
 * destination is not an acceptable https URL; the label is then shown as text.
 */
function linkAt(s: string, i: number): { label: string; href: string | null; end: number } | null {
  let j = i + 1;
  const labelEnd = Math.min(s.length, i + 1 + MAX_LABEL);
  while (j < labelEnd && s[j] !== '[' && s[j] !== ']') j++;
  if (s[j] !== ']' || s[j + 1] !== '(') return null;
  const label = s.slice(i + 1, j);
  if (label.trim() === '') return null;
  let k = j + 2;
  const urlEnd = Math.min(s.length, k + MAX_URL);
  let depth = 0;
  for (; k < urlEnd; k++) {
    const c = s[k];
    if (c === '[' || c === ']') return null;
    if (c === '(') depth++;
    else if (c === ')') {
      if (depth === 0) break;
      depth--;
    }
  }
  if (s[k] !== ')') return null;
  return { label, href: safeHref(s.slice(j + 2, k)), end: k + 1 };
}

type Item = { ordered: boolean; body: string };
/** "- x", "* x", "12. x" with up to 3 spaces of indentation; the marker must be followed by space. */
function listItem(line: string): Item | null {
  let i = 0;
  while (i < 3 && line[i] === ' ') i++;
  const c = line[i];
  let ordered = false;
  if (c === '-' || c === '*') i++;
  else {
    const start = i;
    while (i < line.length && i - start < 9 && line[i]! >= '0' && line[i]! <= '9') i++;
    if (i === start || line[i] !== '.') return null;
    ordered = true;
    i++;
  }
  if (line[i] !== ' ' && line[i] !== '\t') return null;
  const body = line.slice(i).trim();
  return body === '' ? null : { ordered, body };
}

function withBreaks(lines: string[], allowed: ReadonlySet<Kind>): InlineNode[] {
  const out: InlineNode[] = [];
  lines.forEach((line, n) => {
    if (n > 0) out.push({ type: 'br' });
    out.push(...parseLine(line, allowed));
  });
  return out;
}

/** The block structure of rule text: paragraphs and flat lists of inline nodes. */
export function parseRichText(text: string): RichNode[] {
  const blocks: RichNode[] = [];
  let para: string[] = [];
  let list: { ordered: boolean; items: string[][] } | null = null;
  const flush = () => {
    if (para.length) blocks.push({ type: 'paragraph', children: withBreaks(para, TOP) });
    if (list) blocks.push({ type: 'list', ordered: list.ordered, items: list.items.map((l) => withBreaks(l, TOP)) });
    para = [];
    list = null;
  };
  for (const raw of normalizeRichText(text).split('\n')) {
    const line = raw.trim();
    if (line === '') {
      flush();
      continue;
    }
    const item = listItem(raw);
    if (item) {
      if (!list || list.ordered !== item.ordered) flush();
      list ??= { ordered: item.ordered, items: [] };
      list.items.push([item.body]);
    } else if (list && /^\s/u.test(raw)) {
      // An indented line right after an item continues it, after a line break.
      list.items[list.items.length - 1]!.push(line);
    } else {
      if (list) flush();
      para.push(line);
    }
  }
  flush();
  return blocks;
}

/** Inline-only parse (for titles inside a heading or <p>): lines joined by <br>, no lists or paragraphs. */
export function parseRichInline(text: string): InlineNode[] {
  const lines = normalizeRichText(text)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return withBreaks(lines, TOP);
}

function renderInline(nodes: InlineNode[]): ReactNode[] {
  return nodes.map((n, i) => {
    switch (n.type) {
      case 'text':
        return <Fragment key={i}>{n.text}</Fragment>;
      case 'br':
        return <br key={i} />;
      case 'strong':
        return <strong key={i}>{renderInline(n.children)}</strong>;
      case 'em':
        return <em key={i}>{renderInline(n.children)}</em>;
      case 'code':
        return <code key={i}>{n.text}</code>;
      case 'kbd':
        return <kbd key={i}>{n.text}</kbd>;
      case 'link':
        return (
          <a key={i} href={n.href} target="_blank" rel="noopener noreferrer">
            {renderInline(n.children)}
          </a>
        );
    }
  });
}

/**
 * Rule text as React elements. Block mode (default) returns <p>/<ul>/<ol> siblings, so put it in a
 * <div>, not a <p>. `inline` returns phrasing content only (text, strong, em, code, kbd, a, br).
 */
export function RichText({ text, inline = false }: { text: string; inline?: boolean }): JSX.Element {
  if (inline) return <>{renderInline(parseRichInline(text))}</>;
  return (
    <>
      {parseRichText(text).map((b, i) =>
        b.type === 'paragraph' ? (
          <p key={i}>{renderInline(b.children)}</p>
        ) : b.ordered ? (
          <ol key={i}>{b.items.map((it, j) => <li key={j}>{renderInline(it)}</li>)}</ol>
        ) : (
          <ul key={i}>{b.items.map((it, j) => <li key={j}>{renderInline(it)}</li>)}</ul>
        ),
      )}
    </>
  );
}

/** The words of a rich title without its markup, for places that take plain text (aria-label). */
export function plainRichText(text: string): string {
  const flat = (nodes: InlineNode[]): string =>
    nodes
      .map((n) => (n.type === 'text' || n.type === 'code' || n.type === 'kbd' ? n.text : n.type === 'br' ? ' ' : flat(n.children)))
      .join('');
  return flat(parseRichInline(text)).replace(/\s+/g, ' ').trim();
}
