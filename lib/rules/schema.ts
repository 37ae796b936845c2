/**
 * The rule language, format 1: the single source of truth for what a rule file may say.
 *
 * A pack is a folder `content-rules/<pack>/`. The file path is the id of what a file defines:
 *
 *   content-rules/demo/pack.yaml                  the pack: name, version, CRM, hosts, locales
 *   content-rules/demo/contact-list.screen.yaml   screen `demo/contact-list`
 *   content-rules/demo/contact-list.tooltips.yaml tooltips on that screen; each key is a rule,
 *                                                 e.g. `demo/contact-list.tooltips#search`
 *
 * Everything here is data. There is no field for code, HTML or raw regular expressions: URL
 * patterns use a small URLPattern-like syntax that compiles to linear-time RegExps.
 * This module is imported at build time (compile step, rules:check, wxt.config) and by the
 * background; the content script only ever sees the compiled JSON (see compiled.ts).
 */
import { z } from 'zod';

export const RULE_FORMAT = 1;

/** Locales the UI ships. Rule text may use any BCP-47-ish tag; these get fallbacks. */
export const localeTag = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a locale tag like "en" or "nb"');

/** A kebab-case key: file stems and rule keys, so ids stay URL- and log-safe. */
export const ruleKey = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lower-case letters, digits and single dashes, like "close-date"')
  .max(64, 'at most 64 characters');

const textValue = z.string().trim().min(1, 'must not be empty').max(2000, 'at most 2,000 characters');

/** A text given once, or per locale (`{ en: ..., nb: ... }`). */
export const localizedText = z.union([
  textValue,
  z.record(localeTag, textValue).refine((v) => Object.keys(v).length > 0, 'give at least one locale'),
]);

/**
 * A host the pack runs on: `[scheme://]host`, where host may start with `*.` for any subdomain.
 * The scheme defaults to https; plain http is only accepted for loopback hosts (demo, tests).
 */
export const hostPattern = z
  .string()
  .regex(
    /^(https?:\/\/)?(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*$/,
    'a host like "*.lightning.force.com" or "https://app.hubspot.com" (no path, no port)',
  )
  .refine((h) => {
    if (!h.startsWith('http://')) return true;
    const host = h.slice('http://'.length);
    return host === '127.0.0.1' || host === 'localhost';
  }, 'plain http is only allowed for 127.0.0.1 and localhost; use https');

const urlPatternString = z
  .string()
  .min(1, 'must not be empty')
  .max(300, 'at most 300 characters');

/**
 * One way a screen's URL can look. Every given part must match.
 * - `path`: a pathname pattern: literal text, `:name` (one segment), `:name(a|b)` (one of these
 *   literal values), `*` (anything, including slashes), `{...}?` (an optional group).
 * - `hash`: the same syntax, for hash-routed apps (`#/reports/:id`); the leading `#` is implied.
 * - `query`: parameters that must be present; a value is a pattern of the same syntax, `true`
 *   means "present with any value", `false` means "absent".
 */
export const urlMatcher = z.strictObject({
  path: urlPatternString.optional(),
  hash: urlPatternString.optional(),
  query: z.record(z.string().min(1).max(64), z.union([urlPatternString, z.boolean()])).optional(),
  ignoreCase: z.boolean().optional(),
});

const targetBase = {
  /** Pick the nth match (0-based) when several elements match. */
  nth: z.number().int().min(0).max(100).optional(),
};

/** One strategy for finding an element. Exactly one of css / role / label / text. */
export const targetStrategy = z
  .strictObject({
    css: z.string().min(1).max(500).optional(),
    role: z
      .string()
      .regex(/^[a-z]+$/, 'an ARIA role like "button" or "combobox"')
      .optional(),
    /** Accessible name, with `role`. Matched ignoring case and surrounding space. */
    name: z.string().min(1).max(200).optional(),
    /** A form field by its visible label (or aria-label). */
    label: z.string().min(1).max(200).optional(),
    /** An element whose own visible text is this (ignoring case and extra space). */
    text: z.string().min(1).max(200).optional(),
    /** Only search inside the first element this (css) selector matches. */
    within: z.string().min(1).max(500).optional(),
    ...targetBase,
  })
  .superRefine((t, ctx) => {
    const given = (['css', 'role', 'label', 'text'] as const).filter((k) => t[k] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          given.length === 0
            ? 'give one of css, role, label or text'
            : `give only one of css, role, label or text (found ${given.join(', ')})`,
      });
    }
    if (t.name !== undefined && t.role === undefined) {
      ctx.addIssue({ code: 'custom', path: ['name'], message: '"name" goes with "role"' });
    }
  });

/** A target: one strategy, or an ordered list of them (first hit wins). */
export const target = z.union([targetStrategy, z.array(targetStrategy).min(1).max(10)]);

/** What to do when a target does not appear. */
export const ifMissing = z.strictObject({
  /** How long to wait for the element, in ms, before giving up. */
  wait: z.number().int().min(0).max(120_000).default(10_000),
  /** `skip`: show nothing and report it as rule health. (More options arrive with walkthroughs.) */
  then: z.enum(['skip']).default('skip'),
});

export const placement = z.enum(['top', 'bottom', 'left', 'right', 'auto']);

export const tooltipRule = z.strictObject({
  target,
  title: localizedText.optional(),
  text: localizedText,
  placement: placement.default('auto'),
  ifMissing: ifMissing.default({ wait: 10_000, then: 'skip' }),
});

/** A DOM probe: the screen only matches when the element exists (or is absent). */
export const domProbe = z
  .strictObject({
    exists: target.optional(),
    absent: target.optional(),
  })
  .refine((p) => (p.exists === undefined) !== (p.absent === undefined), 'give exactly one of exists or absent');

export const screenFile = z.strictObject({
  $schema: z.string().optional(),
  title: localizedText,
  url: z.array(urlMatcher).min(1).max(20),
  probes: z.array(domProbe).max(10).optional(),
  /** Real-looking URLs of this screen; the matrix test runs them against every other screen. */
  testUrls: z.array(z.url({ protocol: /^https?$/, error: 'a full http(s) URL, like https://acme.example.com/path' })).min(1).max(50),
  /** Other screens of the pack that may also match these URLs (the most specific one wins). */
  overlaps: z.array(ruleKey).optional(),
});

export const tooltipsFile = z.record(ruleKey, tooltipRule);

export const packFile = z.strictObject({
  $schema: z.string().optional(),
  format: z.literal(RULE_FORMAT, { error: `this build reads rule format ${RULE_FORMAT}` }),
  name: localizedText,
  version: z.string().regex(/^\d+\.\d+\.\d+$/, 'a version like 1.2.0'),
  crm: z.string().regex(/^[a-z0-9-]+$/, 'a CRM id like "salesforce"'),
  description: localizedText.optional(),
  hosts: z.array(hostPattern).min(1).max(50),
  locales: z.array(localeTag).min(1),
  defaultLocale: localeTag,
});

export type LocalizedText = z.infer<typeof localizedText>;
export type UrlMatcherSource = z.infer<typeof urlMatcher>;
export type TargetStrategySource = z.infer<typeof targetStrategy>;
export type TargetSource = z.infer<typeof target>;
export type TooltipRuleSource = z.infer<typeof tooltipRule>;
export type ScreenFile = z.infer<typeof screenFile>;
export type PackFile = z.infer<typeof packFile>;

/** File kinds by suffix. The suffix decides the schema; the stem is the id. */
export const FILE_KINDS = {
  pack: { suffix: 'pack.yaml', schema: packFile },
  screen: { suffix: '.screen.yaml', schema: screenFile },
  tooltips: { suffix: '.tooltips.yaml', schema: tooltipsFile },
} as const;
export type FileKind = keyof typeof FILE_KINDS;
