/**
 * Roles and accessible names, close enough to the ARIA spec for finding CRM controls.
 * Not a full accname implementation: no CSS-generated content, no recursion into embedded
 * controls' values. What CRM markup uses is covered: aria-labelledby, aria-label, <label>,
 * text content for buttons/links/headings/tabs, alt, title and placeholder.
 */
export const normalizeText = (s: string | null | undefined): string =>
  (s ?? '').replace(/\s+/g, ' ').trim().toLowerCase();

/** Labels often carry a required marker or a colon: "Amount *", "Close date:". */
export const normalizeLabel = (s: string | null | undefined): string =>
  normalizeText(s).replace(/\s*[*:]\s*$/, '').replace(/^\*\s*/, '');

/** CSS for elements that have a role implicitly (HTML-AAM), per role. */
const IMPLICIT: Record<string, string> = {
  button: 'button, input[type=button], input[type=submit], input[type=reset], input[type=image], summary',
  link: 'a[href], area[href]',
  heading: 'h1, h2, h3, h4, h5, h6',
  textbox:
    'input:not([type]), input[type=text], input[type=email], input[type=tel], input[type=url], textarea',
  searchbox: 'input[type=search]',
  spinbutton: 'input[type=number]',
  combobox: 'select:not([multiple]):not([size]), input[list]',
  listbox: 'select[multiple], select[size]',
  checkbox: 'input[type=checkbox]',
  radio: 'input[type=radio]',
  slider: 'input[type=range]',
  option: 'option',
  dialog: 'dialog',
  navigation: 'nav',
  main: 'main',
  banner: 'header',
  contentinfo: 'footer',
  form: 'form',
  table: 'table',
  row: 'tr',
  cell: 'td',
  columnheader: 'th',
  list: 'ul, ol',
  listitem: 'li',
  img: 'img[alt]:not([alt=""])',
  region: 'section[aria-label], section[aria-labelledby]',
};

/** A selector for candidates of a role; the role attribute itself is checked by `hasRole`. */
export function roleSelector(role: string): string {
  const implicit = IMPLICIT[role];
  return implicit ? `[role~="${role}"], ${implicit}` : `[role~="${role}"]`;
}

export function hasRole(el: Element, role: string): boolean {
  const explicit = el.getAttribute('role');
  if (explicit) return explicit.split(/\s+/)[0] === role;
  const implicit = IMPLICIT[role];
  return implicit !== undefined && el.matches(implicit);
}

function byIdInTree(el: Element, id: string): Element | null {
  const root = el.getRootNode() as Document | ShadowRoot;
  return root.getElementById?.(id) ?? null;
}

const NAME_FROM_CONTENT = /^(button|link|heading|tab|menuitem|option|cell|columnheader|row|treeitem|switch|checkbox|radio)$/;

/**
 * @param labels label text by control, from the pass's TargetScope. Reading `el.labels` instead
 * walks the whole document after any change: on a 20k-node page, the cost of a whole frame.
 */
export function accessibleName(el: Element, labels?: ReadonlyMap<Element, string>): string {
  const labelledBy = el.getAttribute('aria-labelledby');
  if (labelledBy) {
    const text = labelledBy
      .split(/\s+/)
      .map((id) => byIdInTree(el, id)?.textContent ?? '')
      .join(' ');
    if (normalizeText(text)) return normalizeText(text);
  }
  const ariaLabel = el.getAttribute('aria-label');
  if (normalizeText(ariaLabel)) return normalizeText(ariaLabel);
  const labelText = labels
    ? labels.get(el)
    : [...((el as HTMLInputElement).labels ?? [])].map((l) => l.textContent ?? '').join(' ');
  if (labelText && normalizeLabel(labelText)) return normalizeLabel(labelText);
  const tag = el.localName;
  if (tag === 'img' || (tag === 'input' && (el as HTMLInputElement).type === 'image')) {
    const alt = el.getAttribute('alt');
    if (normalizeText(alt)) return normalizeText(alt);
  }
  if (tag === 'input' && /^(submit|button|reset)$/.test((el as HTMLInputElement).type)) {
    return normalizeText((el as HTMLInputElement).value);
  }
  const role = el.getAttribute('role') ?? '';
  if (NAME_FROM_CONTENT.test(role) || /^(button|a|h[1-6]|summary|option|th|td|legend|caption)$/.test(tag)) {
    const text = normalizeText(el.textContent);
    if (text) return text;
  }
  return normalizeText(el.getAttribute('title') ?? el.getAttribute('placeholder'));
}
