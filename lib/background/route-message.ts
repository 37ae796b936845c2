/**
 * Where a runtime message goes, decided from who sent it (pure, so the sender × message-type
 * matrix is unit-tested; entrypoints/background.ts only wires it).
 *
 *   sender.id is not ours                      -> ignore (no reply)
 *   type starts with a page prefix (pageRoutes):
 *     sender.url has our extension's origin    -> page   (that prefix's handler)
 *     anything else (a content script)         -> refuse ("not allowed from this sender")
 *   any other type                             -> content (the content-script handler, which
 *                                                 checks the message and the sender's URL itself)
 *
 * A content script's sender.url is the CRM page's URL, which the page cannot make look like our
 * chrome-extension:// origin; only our own pages (popup, options, insights) have that origin.
 */
export type RouteDecision<H> = { kind: 'ignore' } | { kind: 'refuse' } | { kind: 'page'; handler: H } | { kind: 'content' };

export interface RouteSender {
  id?: string;
  url?: string;
}

export function pageRouteOf<H>(routes: ReadonlyMap<string, H>, type: unknown): H | undefined {
  if (typeof type !== 'string') return undefined;
  for (const [prefix, handler] of routes) if (type.startsWith(prefix)) return handler;
  return undefined;
}

export function routeMessage<H>(
  routes: ReadonlyMap<string, H>,
  message: unknown,
  sender: RouteSender,
  self: { id: string; pageOrigin: string },
): RouteDecision<H> {
  if (sender.id !== self.id) return { kind: 'ignore' };
  const type = message !== null && typeof message === 'object' ? (message as { type?: unknown }).type : undefined;
  const handler = pageRouteOf(routes, type);
  if (handler === undefined) return { kind: 'content' };
  const origin = sender.url !== undefined ? originOf(sender.url) : undefined;
  return origin !== undefined && origin === originOf(self.pageOrigin) ? { kind: 'page', handler } : { kind: 'refuse' };
}

/**
 * scheme://host of a URL. Not `URL.origin`: for chrome-extension:// and moz-extension:// that is
 * "null" outside the browser (Node, tests), and two "null"s must never compare equal.
 */
export function originOf(url: string): string | undefined {
  const u = URL.parse(url);
  return u && u.host ? `${u.protocol}//${u.host}` : undefined;
}
