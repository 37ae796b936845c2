/**
 * Enterprise policy: what an IT department sets for every browser (Chrome/Edge
 * `3rdparty.extensions.<id>` policy, read through storage.managed, described to the browser by
 * public/managed_schema.json). A value set by policy wins over the user's or the admin's own
 * setting and is shown as locked where that setting is edited.
 *
 * Every key is optional and parsed on its own: one malformed value is skipped (and reported in
 * `errors`, shown on the options page) and never disables the rest of the policy.
 *
 * This module is the one definition of the policy keys; a unit test keeps
 * public/managed_schema.json in step with it.
 */
import { z } from 'zod';

const packId = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/).max(64);
const stageId = packId;

export const policyShape = {
  /** Collector endpoint for sync: https, or http on loopback only (checked where it is used). */
  syncEndpoint: z.string().url().max(2000),
  /** The organisation's upload token for the collector. */
  syncToken: z.string().min(8).max(500),
  /** Show the insights page (from the popup) to this user: managers. */
  managerAccess: z.boolean(),
  /** Token for the collector's manager read API, for managers' browsers. */
  managerToken: z.string().min(8).max(500),
  /** The k-anonymity floor in insights: at least 5, and policy can only raise it. */
  insightsMinK: z.number().int().min(5).max(1000),
  /** The live rollout stage per pack: { "salesforce": "stage-2" }. */
  liveStages: z.record(packId, stageId),
  /** The audience tag rules can target ("sales", "support"). */
  audience: z.string().regex(/^[a-z0-9-]+$/).max(40),
  /** Locale used when the browser's is not one the packs have. */
  defaultLocale: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/),
  /** Whether the authoring tools (pack editor, picker, import) are shown at all. */
  adminMode: z.boolean(),
  /** Remote packs to fetch and verify (HTTPS URLs). */
  remotePacks: z.array(z.string().url().max(2000)).max(50),
  /** Public keys remote packs must be signed with (see lib/packs and `npm run rules:sign`). */
  trustedKeys: z.array(z.string().max(2000)).max(20),
  /** Packs turned off for everyone (bundled, imported or remote, by pack id). */
  disabledPacks: z.array(packId).max(200),
} as const;

export type PolicyKey = keyof typeof policyShape;
export const POLICY_KEYS = Object.keys(policyShape) as PolicyKey[];
export type Policy = { [K in PolicyKey]?: z.infer<(typeof policyShape)[K]> };

export interface PolicyError {
  key: string;
  message: string;
}

export interface ReadPolicy {
  policy: Policy;
  /** Keys that were set but could not be used, and why. Unknown keys are reported too. */
  errors: PolicyError[];
}

/** Parse raw managed storage: each key on its own, so one mistake does not void the rest. */
export function parsePolicy(raw: Record<string, unknown>): ReadPolicy {
  const policy: Record<string, unknown> = {};
  const errors: PolicyError[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined || value === null) continue;
    const schema = policyShape[key as PolicyKey] as z.ZodType | undefined;
    if (!schema) {
      errors.push({ key, message: 'unknown policy key (see README, "Enterprise policy")' });
      continue;
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) policy[key] = parsed.data;
    else errors.push({ key, message: parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ` : '') + i.message).join('; ') });
  }
  return { policy: policy as Policy, errors };
}

/** Anything with storage.managed's `get()`; absent in Firefox without a managed manifest. */
export interface ManagedArea {
  get(keys?: null): Promise<Record<string, unknown>>;
}

/**
 * Read the policy. No managed storage (Firefox without a policy, unit tests, an unmanaged
 * browser) means an empty policy, never an error.
 */
export async function readPolicy(area: ManagedArea | undefined): Promise<ReadPolicy> {
  if (!area) return { policy: {}, errors: [] };
  try {
    return parsePolicy((await area.get(null)) ?? {});
  } catch {
    return { policy: {}, errors: [] };
  }
}

/** A setting as the UI shows it: the value in force, and whether policy fixed it. */
export interface Effective<T> {
  value: T;
  locked: boolean;
}

/** Policy wins over the local value when it is set. */
export function effective<K extends PolicyKey, T>(policy: Policy, key: K, local: T): Effective<T | NonNullable<Policy[K]>> {
  const set = policy[key];
  return set === undefined ? { value: local, locked: false } : { value: set as NonNullable<Policy[K]>, locked: true };
}

/** k in force: the default, raised (never lowered) by policy. */
export function minK(policy: Policy, defaultK = 5): number {
  return Math.max(defaultK, policy.insightsMinK ?? defaultK);
}
