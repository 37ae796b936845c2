/**
 * Enterprise policy for one test build: Chromium on Linux reads policy from
 * /etc/chromium/policies/managed/*.json (root-owned; CI and these machines run as root), and an
 * extension's policy sits under {"3rdparty":{"extensions":{"<extension id>":{…}}}}. Managed storage
 * is read when the extension starts, so write the policy before launching.
 *
 * Other tests and helpers run browsers at the same time, so a policy must never name an extension
 * id they use: copyExtension() puts the build in a fresh directory of its own, whose unpacked
 * extension id (a hash of the absolute path) nobody else has. Always remove() in a finally.
 */
import { createHash, randomBytes } from 'node:crypto';
import { accessSync, constants, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const POLICY_DIR = process.env.CRM_COACH_POLICY_DIR ?? '/etc/chromium/policies/managed';

/** Chromium's id for an unpacked extension: SHA-256 of its absolute path, first 32 hex digits as a–p. */
export function unpackedExtensionId(dir: string): string {
  const hex = createHash('sha256').update(resolve(dir)).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

/** A copy of a build in a unique directory (so a unique extension id); remove() deletes it. */
export function copyExtension(buildDir: string): { dir: string; id: string; remove: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'crm-coach-policy-ext-'));
  const dir = join(root, 'ext');
  cpSync(buildDir, dir, { recursive: true });
  return { dir, id: unpackedExtensionId(dir), remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** Why a managed policy cannot be written here (not root, read-only), or undefined when it can. */
export function cannotWritePolicy(): string | undefined {
  try {
    mkdirSync(POLICY_DIR, { recursive: true });
    accessSync(POLICY_DIR, constants.W_OK);
    return undefined;
  } catch (error) {
    return `cannot write ${POLICY_DIR} (${(error as Error).message}); run as root`;
  }
}

/** Write the extension's managed policy; remove() deletes the file (call it in a finally). */
export function writeManagedPolicy(extensionId: string, policy: Record<string, unknown>): { file: string; remove: () => void } {
  mkdirSync(POLICY_DIR, { recursive: true });
  const file = join(POLICY_DIR, `crm-coach-test-${extensionId}-${randomBytes(4).toString('hex')}.json`);
  writeFileSync(file, JSON.stringify({ '3rdparty': { extensions: { [extensionId]: policy } } }, null, 2));
  return { file, remove: () => rmSync(file, { force: true }) };
}
