/**
 * The single-file pack: how a pack travels (import/export, remote hosting). JSON (a YAML reader
 * accepts it too), one of two shapes:
 *
 *   unsigned (export, import)            signed (npm run rules:sign, remote packs)
 *   {                                    {
 *     "format": "crm-coach-pack",          "format": "crm-coach-pack",
 *     "formatVersion": 1,                  "formatVersion": 1,
 *     "pack": "acme",                      "payload": "<the unsigned object above as a JSON string,
 *     "version": "1.2.0",                              plus signedAt and expires>",
 *     "files": [{ "path": "pack.yaml",     "signature": { "algorithm": "ecdsa-p256",
 *                 "text": "…" }, …]                       "keyId": "<16 hex>", "value": "<base64url>" }
 *   }                                    }
 *
 * The signature covers the UTF-8 bytes of `payload` exactly as they stand, so nothing needs to be
 * canonicalised. `files[].path` is a file name inside the pack folder ("pack.yaml",
 * "contact.screen.yaml"): the pack id is `pack`, never repeated in paths.
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { KEY_ALGORITHMS, fromBase64Url, parsePublicKey, signBytes, verifySignature, type PrivateKeyFile, type PublicKeyInfo } from './signing';

export const PACK_FILE_FORMAT = 'crm-coach-pack';
export const PACK_FILE_VERSION = 1;
/** Remote and imported files larger than this are refused before parsing. */
export const MAX_PACK_FILE_BYTES = 2_000_000;

export const packIdSchema = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a pack id is kebab-case').max(64);
export const packFileEntrySchema = z.strictObject({
  path: z.string().regex(/^[a-z0-9][a-z0-9.-]*\.ya?ml$/, 'a file name in the pack folder, ending in .yaml').max(120),
  text: z.string().max(MAX_PACK_FILE_BYTES),
});
export type PackFileEntry = z.infer<typeof packFileEntrySchema>;

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO date');
export const packPayloadSchema = z.object({
  format: z.literal(PACK_FILE_FORMAT),
  formatVersion: z.literal(PACK_FILE_VERSION),
  pack: packIdSchema,
  version: z.string().max(40),
  files: z.array(packFileEntrySchema).min(1).max(500),
  signedAt: isoDate.optional(),
  expires: isoDate.optional(),
});
export type PackPayload = z.infer<typeof packPayloadSchema>;

const signedSchema = z.object({
  format: z.literal(PACK_FILE_FORMAT),
  formatVersion: z.literal(PACK_FILE_VERSION),
  payload: z.string().max(MAX_PACK_FILE_BYTES),
  signature: z.object({ algorithm: z.enum(KEY_ALGORITHMS), keyId: z.string().regex(/^[0-9a-f]{16}$/), value: z.string().max(400) }),
});
export type SignedPackFile = z.infer<typeof signedSchema>;

const issues = (e: z.ZodError) => e.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ');

function parseText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    try {
      return parseYaml(text, { maxAliasCount: 50 });
    } catch {
      return undefined;
    }
  }
}

/** Read a pack file, signed or not; a signed one is returned with its payload unverified. */
export function readPackFile(text: string): { payload: PackPayload; signed?: SignedPackFile } | { error: string } {
  if (text.length > MAX_PACK_FILE_BYTES) return { error: `the file is larger than ${MAX_PACK_FILE_BYTES / 1e6} MB` };
  const raw = parseText(text);
  if (!raw || typeof raw !== 'object') return { error: 'not a CRM Coach pack file (neither JSON nor YAML)' };
  const r = raw as Record<string, unknown>;
  if (r.format !== PACK_FILE_FORMAT) return { error: `not a CRM Coach pack file: "format" must be "${PACK_FILE_FORMAT}"` };
  if (r.formatVersion !== PACK_FILE_VERSION) return { error: `pack file formatVersion ${String(r.formatVersion)} is not supported (this version reads ${PACK_FILE_VERSION})` };
  if ('payload' in r) {
    const signed = signedSchema.safeParse(raw);
    if (!signed.success) return { error: `signed pack file: ${issues(signed.error)}` };
    const payload = packPayloadSchema.safeParse(parseText(signed.data.payload));
    if (!payload.success) return { error: `signed pack payload: ${issues(payload.error)}` };
    return { payload: payload.data, signed: signed.data };
  }
  const payload = packPayloadSchema.safeParse(raw);
  return payload.success ? { payload: payload.data } : { error: `pack file: ${issues(payload.error)}` };
}

export function writePackFile(pack: string, version: string, files: PackFileEntry[]): string {
  const payload: PackPayload = { format: PACK_FILE_FORMAT, formatVersion: PACK_FILE_VERSION, pack, version, files };
  return `${JSON.stringify(payload, null, 2)}\n`;
}

export function packFileName(pack: string, version: string): string {
  return `${pack}-${version.replace(/[^0-9A-Za-z.-]/g, '_')}.crmpack.json`;
}

/**
 * Verify a signed pack against the trusted keys at `now`. Every failure is a sentence an admin
 * can act on; nothing throws.
 */
export async function verifyPackFile(
  text: string,
  trustedKeys: readonly string[],
  now: Date,
): Promise<{ payload: PackPayload; keyId: string } | { error: string }> {
  const read = readPackFile(text);
  if ('error' in read) return read;
  if (!read.signed) return { error: 'the pack is not signed (sign it with npm run rules:sign)' };
  const keys: PublicKeyInfo[] = [];
  for (const k of trustedKeys) {
    const parsed = await parsePublicKey(k);
    if (!('error' in parsed)) keys.push(parsed);
  }
  if (keys.length === 0) return { error: 'no trusted signing key is set: add the public key in "Trusted keys" or policy trustedKeys' };
  const { signature, payload } = read.signed;
  const key = keys.find((k) => k.id === signature.keyId && k.algorithm === signature.algorithm);
  if (!key) return { error: `signed with a key that is not trusted (${signature.algorithm} key id ${signature.keyId})` };
  const value = fromBase64Url(signature.value);
  const ok = value !== undefined && (await verifySignature(key, new TextEncoder().encode(payload), value));
  if (!ok) return { error: `signature does not match (key id ${key.id}): the pack was changed after it was signed` };
  if (read.payload.expires && Date.parse(read.payload.expires) <= now.getTime()) {
    return { error: `the signature expired on ${read.payload.expires.slice(0, 10)}: sign the pack again` };
  }
  return { payload: read.payload, keyId: key.id };
}

/** Compare dotted versions numerically ("1.10.0" > "1.9.3"); other parts compare as text. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.+-]/);
  const pb = b.split(/[.+-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '0';
    const y = pb[i] ?? '0';
    const nx = /^\d+$/.test(x) ? Number(x) : NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : NaN;
    const d = !Number.isNaN(nx) && !Number.isNaN(ny) ? nx - ny : x.localeCompare(y);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** Sign a pack: the signed single-file format (npm run rules:sign; tests). */
export async function signPackFile(
  payload: Omit<PackPayload, 'format' | 'formatVersion'>,
  key: PrivateKeyFile,
): Promise<string> {
  const full: PackPayload = { format: PACK_FILE_FORMAT, formatVersion: PACK_FILE_VERSION, ...payload };
  const text = JSON.stringify(full);
  const signature = await signBytes(key, new TextEncoder().encode(text));
  const signed: SignedPackFile = { format: PACK_FILE_FORMAT, formatVersion: PACK_FILE_VERSION, payload: text, signature };
  return `${JSON.stringify(signed, null, 2)}\n`;
}
