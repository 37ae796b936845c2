/**
 * Signing keys and signatures for remote packs, with WebCrypto only (service worker, browser page
 * and Node 22 alike; no Node modules).
 *
 * Public key string (what policy `trustedKeys` and the settings hold):
 *
 *   ecdsa-p256:<base64url of the SubjectPublicKeyInfo DER>     ECDSA on P-256 with SHA-256
 *   ed25519:<base64url of the SubjectPublicKeyInfo DER>        Ed25519
 *
 * A key's id is the first 8 bytes of SHA-256 over its SPKI DER, as 16 hex digits; a signed pack
 * names the id of the key it was signed with, so a verifier picks the key instead of trying all.
 * Signatures are the raw WebCrypto output (ECDSA: IEEE P1363 r||s, 64 bytes), base64url.
 */

export const KEY_ALGORITHMS = ['ecdsa-p256', 'ed25519'] as const;
export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];

export interface PublicKeyInfo {
  algorithm: KeyAlgorithm;
  spki: Uint8Array;
  id: string;
  text: string;
}

const importParams = (algorithm: KeyAlgorithm): EcKeyImportParams | Algorithm =>
  algorithm === 'ecdsa-p256' ? { name: 'ECDSA', namedCurve: 'P-256' } : { name: 'Ed25519' };
const signParams = (algorithm: KeyAlgorithm): EcdsaParams | Algorithm =>
  algorithm === 'ecdsa-p256' ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'Ed25519' };

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text)) return undefined;
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, ''));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

async function keyId(spki: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', spki as BufferSource));
  return [...digest.slice(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Parse a public key string; a clear reason when it is not one we can use. */
export async function parsePublicKey(text: string): Promise<PublicKeyInfo | { error: string }> {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  const algorithm = trimmed.slice(0, colon) as KeyAlgorithm;
  if (colon < 0 || !KEY_ALGORITHMS.includes(algorithm)) {
    return { error: `unknown key format: a key starts with ${KEY_ALGORITHMS.map((a) => `"${a}:"`).join(' or ')} (npm run rules:keygen prints one)` };
  }
  const spki = fromBase64Url(trimmed.slice(colon + 1));
  if (!spki || spki.length < 32) return { error: `${algorithm} key: not base64url SubjectPublicKeyInfo` };
  try {
    await crypto.subtle.importKey('spki', spki as BufferSource, importParams(algorithm), false, ['verify']);
  } catch {
    return { error: `${algorithm} key: not a valid ${algorithm} public key` };
  }
  return { algorithm, spki, id: await keyId(spki), text: trimmed };
}

/** Verify `signature` over `data` with a parsed public key. Never throws. */
export async function verifySignature(key: PublicKeyInfo, data: Uint8Array, signature: Uint8Array): Promise<boolean> {
  try {
    const cryptoKey = await crypto.subtle.importKey('spki', key.spki as BufferSource, importParams(key.algorithm), false, ['verify']);
    return await crypto.subtle.verify(signParams(key.algorithm), cryptoKey, signature as BufferSource, data as BufferSource);
  } catch {
    return false;
  }
}

/** The private key file `npm run rules:keygen` writes (keep it secret; never in the repository). */
export interface PrivateKeyFile {
  format: 'crm-coach-signing-key';
  algorithm: KeyAlgorithm;
  /** base64url PKCS#8 DER. */
  privateKey: string;
  /** The matching public key string, for policy `trustedKeys`. */
  publicKey: string;
  keyId: string;
}

export async function generateKeyPair(algorithm: KeyAlgorithm): Promise<PrivateKeyFile> {
  const pair = (await crypto.subtle.generateKey(importParams(algorithm) as EcKeyGenParams, true, ['sign', 'verify'])) as CryptoKeyPair;
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
  return {
    format: 'crm-coach-signing-key',
    algorithm,
    privateKey: toBase64Url(pkcs8),
    publicKey: `${algorithm}:${toBase64Url(spki)}`,
    keyId: await keyId(spki),
  };
}

/** Sign `data` with a private key file's key. */
export async function signBytes(key: PrivateKeyFile, data: Uint8Array): Promise<{ algorithm: KeyAlgorithm; keyId: string; value: string }> {
  const pkcs8 = fromBase64Url(key.privateKey);
  if (!pkcs8) throw new Error('private key file: privateKey is not base64url');
  const cryptoKey = await crypto.subtle.importKey('pkcs8', pkcs8 as BufferSource, importParams(key.algorithm), false, ['sign']);
  const signature = new Uint8Array(await crypto.subtle.sign(signParams(key.algorithm), cryptoKey, data as BufferSource));
  const pub = await parsePublicKey(key.publicKey);
  if ('error' in pub) throw new Error(`private key file: publicKey: ${pub.error}`);
  return { algorithm: key.algorithm, keyId: pub.id, value: toBase64Url(signature) };
}
