import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { effective, minK, parsePolicy, policyShape, POLICY_KEYS, readPolicy } from '../../lib/policy/policy';

const managedSchema = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../public/managed_schema.json'), 'utf8')) as {
  properties: Record<string, { type: string }>;
};

describe('policy', () => {
  it('public/managed_schema.json declares exactly the policy keys, with matching types', () => {
    expect(Object.keys(managedSchema.properties).sort()).toEqual([...POLICY_KEYS].sort());
    for (const key of POLICY_KEYS) {
      const json = z.toJSONSchema(policyShape[key] as z.ZodType) as { type?: string };
      expect(managedSchema.properties[key]?.type, key).toBe(json.type);
    }
  });

  it('parses each key on its own: a bad value is reported and skipped, the rest applies', () => {
    const { policy, errors } = parsePolicy({
      syncEndpoint: 'https://collector.example.com',
      insightsMinK: 3,
      liveStages: { salesforce: 'stage-2' },
      colour: 'blue',
    });
    expect(policy).toEqual({ syncEndpoint: 'https://collector.example.com', liveStages: { salesforce: 'stage-2' } });
    expect(errors.map((e) => e.key).sort()).toEqual(['colour', 'insightsMinK']);
  });

  it('no managed storage (Firefox, unmanaged browser) is an empty policy, not an error', async () => {
    expect(await readPolicy(undefined)).toEqual({ policy: {}, errors: [] });
    expect(await readPolicy({ get: () => Promise.reject(new Error('Managed storage manifest not found')) })).toEqual({ policy: {}, errors: [] });
  });

  it('a policy value wins and is locked; k can only be raised', () => {
    expect(effective({ audience: 'sales' }, 'audience', 'support')).toEqual({ value: 'sales', locked: true });
    expect(effective({}, 'audience', 'support')).toEqual({ value: 'support', locked: false });
    expect(minK({})).toBe(5);
    expect(minK({ insightsMinK: 10 })).toBe(10);
    expect(minK({ insightsMinK: 10 }, 12)).toBe(12);
  });
});
