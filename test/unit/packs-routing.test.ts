/**
 * Who may send what (lib/background/route-message.ts): the matrix of sender × message type over
 * every page prefix that entrypoints/background.ts routes (read from its source, so a prefix added
 * there is covered here without editing this test) and every message type we know.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { routeMessage } from '../../lib/background/route-message';
import { messageSchema, pageMessageSchema } from '../../lib/messages-schema';
import { PACKS_MESSAGE_TYPES } from '../../lib/packs/handle-packs-message';

const backgroundSource = readFileSync(resolve(import.meta.dirname, '../../entrypoints/background.ts'), 'utf8');
const routesBlock = backgroundSource.match(/const pageRoutes = new Map([\s\S]*?)\n\s*\]\);/)?.[1] ?? '';
const PREFIXES = [...routesBlock.matchAll(/^\s*\[\s*'([a-z-]+:)'/gm)].map((m) => m[1]!);

const ID = 'abcdefghijklmnopabcdefghijklmnop';
const self = { id: ID, pageOrigin: `chrome-extension://${ID}` };
const routes = new Map(PREFIXES.map((p) => [p, `handler for ${p}`]));

const typesOf = (schema: { options: Array<{ shape: { type: { value: string } } }> }) => schema.options.map((o) => o.shape.type.value);
const CONTENT_TYPES = typesOf(messageSchema as never);
const PAGE_TYPES = [...new Set([...typesOf(pageMessageSchema as never), ...PACKS_MESSAGE_TYPES, ...PREFIXES.map((p) => `${p}anything`)])];

const SENDERS = {
  'our options page': { id: ID, url: `chrome-extension://${ID}/options.html#packs`, page: true },
  'our popup': { id: ID, url: `chrome-extension://${ID}/popup.html`, page: true },
  'our content script on a CRM page': { id: ID, url: 'https://acme.lightning.force.com/lightning/r/Contact/003/view', page: false },
  'our content script on a page whose path names our origin': { id: ID, url: `https://evil.example/chrome-extension://${ID}/options.html`, page: false },
  'our content script on a page whose query names our origin': { id: ID, url: `https://evil.example/?u=chrome-extension://${ID}/`, page: false },
  'our content script in an about:blank frame': { id: ID, url: 'about:blank', page: false },
  'our content script without a URL': { id: ID, url: undefined, page: false },
  'a malformed URL': { id: ID, url: 'not a url', page: false },
  'another extension (same URL shape)': { id: 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz', url: `chrome-extension://zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz/options.html`, page: false },
  'another extension claiming our page URL': { id: 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz', url: `chrome-extension://${ID}/options.html`, page: false },
  'a web page (no sender id)': { id: undefined, url: 'https://evil.example/', page: false },
};

describe('message routing: sender × message type', () => {
  it('reads the page prefixes from the background (privacy:, settings:, packs: at least)', () => {
    expect(PREFIXES).toEqual(expect.arrayContaining(['privacy:', 'settings:', 'packs:']));
    expect(backgroundSource).toContain('routeMessage(pageRoutes, message, sender');
  });

  for (const [name, sender] of Object.entries(SENDERS)) {
    const ours = sender.id === ID;
    for (const type of PAGE_TYPES) {
      const expected = !ours ? 'ignore' : sender.page ? 'page' : 'refuse';
      it(`${type} from ${name}: ${expected}`, () => {
        const decision = routeMessage(routes, { type }, sender, self);
        expect(decision.kind).toBe(expected);
        if (decision.kind === 'page') expect(decision.handler).toBe(`handler for ${PREFIXES.find((p) => type.startsWith(p))}`);
      });
    }
    for (const type of CONTENT_TYPES) {
      // Content-script messages go to the content handler, which checks the sender's URL itself.
      it(`${type} from ${name}: ${ours ? 'content' : 'ignore'}`, () => {
        expect(routeMessage(routes, { type }, sender, self).kind).toBe(ours ? 'content' : 'ignore');
      });
    }
  }

  it('messages without a string type go to the content handler (which rejects them as malformed)', () => {
    for (const message of [null, undefined, 'packs:list', 42, {}, { type: 7 }, { type: ['packs:list'] }]) {
      expect(routeMessage(routes, message, SENDERS['our content script on a CRM page'], self).kind).toBe('content');
    }
  });
});
