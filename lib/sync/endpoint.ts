/**
 * Where uploads may go: https anywhere, plain http only to this machine (a collector on
 * 127.0.0.1 for a trial or a test). Anything else would send the organisation's token and the
 * aggregates in clear text across a network.
 */
export type EndpointCheck = { ok: true; url: URL } | { ok: false; message: string };

const LOOPBACK_V4 = /^127(\.\d{1,3}){3}$/;

/** 127.0.0.0/8, ::1 and localhost. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return LOOPBACK_V4.test(host) || host === '::1' || host === 'localhost' || host.endsWith('.localhost');
}

export function checkEndpoint(raw: string): EndpointCheck {
  const url = URL.parse(raw.trim());
  if (!url) return { ok: false, message: 'This is not a web address. Example: https://collector.example.com' };
  if (url.username || url.password) return { ok: false, message: 'The address must not contain a user name or password: the token goes in its own field.' };
  if (url.search || url.hash) return { ok: false, message: 'The address must not contain "?…" or "#…".' };
  if (url.protocol === 'https:') return { ok: true, url };
  if (url.protocol === 'http:') {
    return isLoopbackHost(url.hostname)
      ? { ok: true, url }
      : { ok: false, message: 'Plain http is refused: use https (http is allowed only for a collector on this machine, 127.0.0.1 or localhost).' };
  }
  return { ok: false, message: 'Only https addresses are allowed.' };
}

/** The collector's upload URL for an endpoint (its base, with or without a trailing slash). */
export function batchesUrl(endpoint: URL): string {
  return new URL('v1/batches', endpoint.href.endsWith('/') ? endpoint.href : `${endpoint.href}/`).href;
}
