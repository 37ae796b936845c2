/**
 * URL half of screen detection: normalize once per navigation, then test compiled matchers.
 * Pure and DOM-free, so it runs in the build's test-URL matrix and in unit tests alike.
 */
import type { CompiledRegExp, CompiledUrl } from '../rules/compiled';

export interface NormalizedUrl {
  /** Decoded pathname, duplicate slashes folded. */
  path: string;
  /** Hash route ("#/x", "#!/x" -> "/x"), without its own query part; "" when there is none. */
  hash: string;
  query: URLSearchParams;
}

// Very long URLs are cut before matching so no pattern runs over unbounded input.
const MAX_PART = 2048;

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function normalizeUrl(url: URL | string): NormalizedUrl {
  const u = typeof url === 'string' ? new URL(url) : url;
  const path = u.pathname
    .split('/')
    .map((segment) => safeDecode(segment).replaceAll('/', '%2F'))
    .join('/')
    .replace(/\/{2,}/g, '/')
    .slice(0, MAX_PART);
  const query = new URLSearchParams(u.search);
  let hash = u.hash.replace(/^#!?/, '');
  const hashQuery = hash.indexOf('?');
  if (hashQuery >= 0) {
    // "#/list?view=mine": the hash has its own query; its parameters count as query parameters.
    for (const [k, v] of new URLSearchParams(hash.slice(hashQuery + 1))) if (!query.has(k)) query.append(k, v);
    hash = hash.slice(0, hashQuery);
  }
  hash = hash ? safeDecode(hash).slice(0, MAX_PART) : '';
  if (hash && !hash.startsWith('/')) hash = `/${hash}`;
  return { path, hash, query };
}

const cache = new WeakMap<CompiledRegExp, RegExp>();
export function toRegExp(r: CompiledRegExp): RegExp {
  let re = cache.get(r);
  if (!re) {
    re = new RegExp(r.source, r.flags);
    cache.set(r, re);
  }
  return re;
}

/** A parameter's value; with ignoreCase, its name is matched regardless of case too (Dynamics' "PageType"). */
function queryValue(query: URLSearchParams, name: string, ignoreCase: boolean | undefined): string | null {
  const exact = query.get(name);
  if (exact !== null || !ignoreCase) return exact;
  const lower = name.toLowerCase();
  for (const [k, v] of query) if (k.toLowerCase() === lower) return v;
  return null;
}

export function matchUrl(m: CompiledUrl, url: NormalizedUrl): boolean {
  if (m.path && !toRegExp(m.path).test(url.path)) return false;
  if (m.hash && !toRegExp(m.hash).test(url.hash || '/')) return false;
  if (m.query) {
    for (const [name, want] of m.query) {
      const value = queryValue(url.query, name, m.ignoreCase);
      if (want === true) {
        if (value === null) return false;
      } else if (want === false) {
        if (value !== null) return false;
      } else if (value === null || !toRegExp(want).test(safeDecode(value).slice(0, MAX_PART))) {
        return false;
      }
    }
  }
  return true;
}
