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
  path: urlPatternString.optional().meta({ description: 'Pathname pattern, e.g. "/lightning/r/:object(Account|Contact)/:id/view".' }),
  hash: urlPatternString.optional().meta({ description: 'Hash-route pattern (the "#" or "#!" is implied), e.g. "/pipeline".' }),
  query: z
    .record(z.string().min(1).max(64), z.union([urlPatternString, z.boolean()]))
    .optional()
    .meta({ description: 'Query parameters: a pattern for the value, true for "present", false for "absent".' }),
  ignoreCase: z.boolean().optional().meta({ description: 'Match letters regardless of case.' }),
});

/** One strategy for finding an element. Exactly one of css / role / label / text. */
export const targetStrategy = z
  .strictObject({
    css: z.string().min(1).max(500).optional().meta({ description: 'A CSS selector; prefer stable attributes over generated ids and classes.' }),
    role: z
      .string()
      .regex(/^[a-z]+$/, 'an ARIA role like "button" or "combobox"')
      .optional()
      .meta({ description: 'An ARIA role, explicit or implied by the tag (button, link, heading, textbox, combobox…).' }),
    name: z.string().min(1).max(200).optional().meta({ description: 'With role: the accessible name, ignoring case and extra space.' }),
    label: z.string().min(1).max(200).optional().meta({ description: 'A form field by its visible label or aria-label ("*" and ":" ignored).' }),
    text: z.string().min(1).max(200).optional().meta({ description: 'An element whose whole visible text is this (ignoring case and extra space).' }),
    within: z.string().min(1).max(500).optional().meta({ description: 'Only look inside the first element this CSS selector matches.' }),
    nth: z.number().int().min(0).max(100).optional().meta({ description: 'Pick the nth visible match, counting from 0.' }),
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
export const target = z
  .union([targetStrategy, z.array(targetStrategy).min(1).max(10)])
  .meta({ description: 'One strategy, or a list tried in order (the first that finds a visible element wins).' });

/** What to do when a target does not appear. */
export const ifMissing = z.strictObject({
  wait: z
    .number()
    .int()
    .min(0)
    .max(120_000)
    .default(10_000)
    .meta({ description: 'How long to wait for the target to appear, in milliseconds (default 10000).' }),
  then: z
    .enum(['skip', 'hide', 'center'])
    .default('skip')
    .meta({
      description:
        'skip: show nothing (a walkthrough moves to the next step); hide: pause the whole walkthrough; center: show the text centred, without an arrow.',
    }),
});

export const placement = z
  .enum(['top', 'bottom', 'left', 'right', 'auto'])
  .meta({ description: 'Preferred side of the target; it flips when there is no room.' });

/** Show conditions: every given one must hold. */
export const when = z.strictObject({
  trigger: z
    .enum(['screen', 'visible', 'focus'])
    .default('screen')
    .meta({
      description:
        'screen: as soon as the target is on the page; visible: when the target scrolls into view; focus: when the target field gets focus.',
    }),
  after: z
    .strictObject({
      visits: ruleKey.meta({ description: 'A screen of this pack (its file name without .screen.yaml).' }),
      from: ruleKey.optional().meta({ description: 'Only count visits that came straight from this screen.' }),
      times: z.number().int().min(1).max(1000).meta({ description: 'Show once the visit count reaches this.' }),
    })
    .optional()
    .meta({ description: 'Only after the user has visited a screen N times (e.g. opened records through search 3 times).' }),
  stages: z.array(ruleKey).min(1).optional().meta({ description: 'Only while one of these rollout stages is live.' }),
  audience: z
    .array(z.string().regex(/^[a-z0-9-]+$/, 'a tag like "sales" or "team-north"').max(40))
    .min(1)
    .optional()
    .meta({ description: 'Only for users whose policy audience tag is one of these.' }),
  locales: z.array(localeTag).min(1).optional().meta({ description: 'Only for these UI languages.' }),
});

export const frequency = z
  .enum(['once', 'daily', 'until-dismissed', 'until-completed', 'always'])
  .meta({
    description:
      'once: shown a single time; daily: at most once a day; until-dismissed: until the user closes it (default); until-completed: until the related walkthrough is completed; always: every visit.',
  });

const relatedWalkthrough = ruleKey
  .optional()
  .meta({ description: 'The walkthrough this belongs to (a .walkthrough.yaml of this pack, without the suffix).' });

const ruleCommon = {
  target,
  title: localizedText.optional().meta({ description: 'Short heading.' }),
  text: localizedText.meta({ description: 'The tip itself: plain text with a small Markdown subset, per locale.' }),
  placement: placement.default('auto'),
  ifMissing: ifMissing.default({ wait: 10_000, then: 'skip' }),
  when: when.optional(),
  frequency: frequency.default('until-dismissed'),
  walkthrough: relatedWalkthrough,
};

const requireWalkthroughForUntilCompleted = (r: { frequency: string; walkthrough?: string | undefined }, ctx: z.RefinementCtx) => {
  if (r.frequency === 'until-completed' && r.walkthrough === undefined) {
    ctx.addIssue({ code: 'custom', path: ['walkthrough'], message: 'frequency "until-completed" needs the related "walkthrough"' });
  }
};

export const tooltipRule = z
  .strictObject({
    ...ruleCommon,
    display: z
      .enum(['tooltip', 'beacon'])
      .default('tooltip')
      .meta({ description: 'tooltip: shown open; beacon: a small pulsing dot that opens the tooltip when clicked.' }),
  })
  .superRefine(requireWalkthroughForUntilCompleted);

/** What counts as using the faster path a tip teaches (credits the time-saved ledger). */
export const tipAction = z
  .strictObject({
    click: target.optional().meta({ description: 'The user clicks this element.' }),
    submit: target.optional().meta({ description: 'The user submits this form.' }),
    change: target.optional().meta({ description: 'The user changes this field.' }),
    screen: ruleKey.optional().meta({ description: 'The user reaches this screen of the pack.' }),
  })
  .refine((a) => Object.values(a).filter((v) => v !== undefined).length === 1, 'give exactly one of click, submit, change or screen');

export const tipRule = z
  .strictObject({
    ...ruleCommon,
    target: target.optional().meta({ description: 'Where the faster path is; without one the tip lives in the help panel only.' }),
    replaces: localizedText.meta({ description: 'The slower way this replaces, in the user\'s words.' }),
    savesSeconds: z
      .number()
      .int()
      .min(1)
      .max(3600)
      .meta({ description: 'Seconds saved each time the faster path is used (credited to the personal ledger).' }),
    action: tipAction.meta({ description: 'What counts as using the faster path.' }),
    mastery: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(3)
      .meta({ description: 'After the action is done this many times unaided, the tip stops showing.' }),
  })
  .superRefine(requireWalkthroughForUntilCompleted);

/** How a walkthrough step advances. */
export const advance = z.union([
  z.enum(['next', 'click', 'input', 'change', 'submit']).meta({
    description: 'next: the user presses Next; click: clicks the target; input: types in it; change: changes it; submit: submits its form.',
  }),
  z.strictObject({ screen: ruleKey.meta({ description: 'Advance when the user reaches this screen.' }) }),
  z.strictObject({ appears: target.meta({ description: 'Advance when this element appears.' }) }),
  z.strictObject({ disappears: target.meta({ description: 'Advance when this element disappears.' }) }),
]);

/** A DOM probe: the screen only matches when the element exists (or is absent). */
export const domProbe = z
  .strictObject({
    exists: target.optional().meta({ description: 'The screen matches only when this element is on the page.' }),
    absent: target.optional().meta({ description: 'The screen matches only when this element is not on the page.' }),
  })
  .refine((p) => (p.exists === undefined) !== (p.absent === undefined), 'give exactly one of exists or absent');

export const walkthroughStep = z
  .strictObject({
    id: ruleKey.meta({ description: 'The step\'s key, unique in the walkthrough.' }),
    screen: ruleKey.meta({ description: 'The screen this step shows on.' }),
    target: target.optional().meta({ description: 'The element the step points at; without one it shows centred.' }),
    title: localizedText.optional(),
    text: localizedText,
    placement: placement.default('auto'),
    advance: advance.default('next'),
    optional: z.boolean().default(false).meta({ description: 'The user may skip this step.' }),
    skipIf: domProbe.optional().meta({ description: 'Skip the step when this holds (e.g. the field is already filled in).' }),
    ifMissing: ifMissing.default({ wait: 10_000, then: 'skip' }),
  })
  .superRefine((step, ctx) => {
    const needsTarget = typeof step.advance === 'string' && step.advance !== 'next';
    if (needsTarget && step.target === undefined) {
      ctx.addIssue({ code: 'custom', path: ['advance'], message: `advance "${step.advance}" needs a "target"` });
    }
  });

export const walkthroughFile = z.strictObject({
  $schema: z.string().optional(),
  title: localizedText,
  description: localizedText.optional(),
  startOn: z
    .array(ruleKey)
    .min(1)
    .optional()
    .meta({ description: 'Screens where the help panel offers this walkthrough (default: the first step\'s screen).' }),
  when: when.omit({ trigger: true, after: true }).optional(),
  steps: z.array(walkthroughStep).min(1).max(50),
});

export const screenFile = z.strictObject({
  $schema: z.string().optional(),
  title: localizedText.meta({ description: 'Human name of the screen (shown to managers and in the help panel).' }),
  url: z.array(urlMatcher).min(1).max(20).meta({ description: 'The screen matches when any of these matches the URL.' }),
  probes: z.array(domProbe).max(10).optional().meta({ description: 'DOM conditions that must also hold (all of them).' }),
  testUrls: z
    .array(z.url({ protocol: /^https?$/, error: 'a full http(s) URL, like https://acme.example.com/path' }))
    .min(1)
    .max(50)
    .meta({ description: 'Real-looking URLs of this screen; every build checks them against every screen of the pack.' }),
  overlaps: z
    .array(ruleKey)
    .optional()
    .meta({ description: 'Other screens that may match the same URLs on purpose; the most specific one wins.' }),
});

export const tooltipsFile = z.record(ruleKey, tooltipRule);
export const tipsFile = z.record(ruleKey, tipRule);

/** A checklist item of a rollout stage: what to learn in it. */
export const checklistItem = z.union([
  z.strictObject({ walkthrough: ruleKey.meta({ description: 'Complete this walkthrough.' }) }),
  z.strictObject({
    tip: z
      .string()
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*#[a-z0-9]+(-[a-z0-9]+)*$/, 'a tip like "opportunity-list#drag-card" (screen#key)')
      .meta({ description: 'Use the faster path of this tip ("screen#key").' }),
  }),
]);

export const stage = z.strictObject({
  id: ruleKey.meta({ description: 'The stage\'s key, referred to by `when.stages` and by policy.' }),
  title: localizedText,
  description: localizedText.optional().meta({ description: 'What this stage asks of people, plainly.' }),
  checklist: z.array(checklistItem).max(50).default([]),
});

export const packFile = z.strictObject({
  $schema: z.string().optional(),
  format: z.literal(RULE_FORMAT, { error: `this build reads rule format ${RULE_FORMAT}` }).meta({
    description: 'The rule format version this pack is written in.',
  }),
  name: localizedText,
  version: z.string().regex(/^\d+\.\d+\.\d+$/, 'a version like 1.2.0').meta({ description: 'The pack\'s own version (semver).' }),
  crm: z.string().regex(/^[a-z0-9-]+$/, 'a CRM id like "salesforce"').meta({ description: 'Which CRM this pack is for.' }),
  description: localizedText.optional(),
  hosts: z.array(hostPattern).min(1).max(50).meta({ description: 'Where the pack runs; these become the extension\'s match patterns.' }),
  locales: z.array(localeTag).min(1).meta({ description: 'Languages the pack\'s texts are written in.' }),
  defaultLocale: localeTag.meta({ description: 'The language used when the user\'s is missing.' }),
  stages: z.array(stage).max(20).default([]).meta({ description: 'Rollout stages, in order.' }),
  liveStage: ruleKey.optional().meta({ description: 'The stage that is live unless policy says otherwise (default: the first).' }),
  signals: z
    .strictObject({
      errors: target.optional().meta({ description: 'Error banners and toasts of this CRM (counted as friction, never read).' }),
    })
    .optional(),
});

/** The part of pack.yaml without which a pack cannot run at all. */
export const packCore = packFile
  .pick({ format: true, name: true, version: true, crm: true, description: true, hosts: true, locales: true, defaultLocale: true })
  .loose()
  .transform((core): PackFile => ({ ...core, stages: [], liveStage: undefined, signals: undefined }));

export type LocalizedText = z.infer<typeof localizedText>;
export type TargetSource = z.infer<typeof target>;
export type ScreenFile = z.infer<typeof screenFile>;
export type PackFile = z.infer<typeof packFile>;
export type WalkthroughFile = z.infer<typeof walkthroughFile>;
export type WhenSource = z.infer<typeof when>;

/** File kinds by suffix. The suffix decides the schema; the stem is the id. */
export const FILE_KINDS = {
  pack: { suffix: 'pack.yaml', schema: packFile },
  screen: { suffix: '.screen.yaml', schema: screenFile },
  tooltips: { suffix: '.tooltips.yaml', schema: tooltipsFile },
  tips: { suffix: '.tips.yaml', schema: tipsFile },
  walkthrough: { suffix: '.walkthrough.yaml', schema: walkthroughFile },
} as const;
export type FileKind = keyof typeof FILE_KINDS;
