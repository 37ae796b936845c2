import { describe, expect, it } from 'vitest';
import { compareVersions, readPackFile, signPackFile, verifyPackFile, writePackFile } from '../../lib/packs/pack-file';
import { generateKeyPair, parsePublicKey, toBase64Url } from '../../lib/packs/signing';

const files = [
  { path: 'pack.yaml', text: 'format: 1\nname: Acme\nversion: 1.0.0\ncrm: acme-crm\nhosts: ["*.acme.example"]\nlocales: [en]\ndefaultLocale: en\n' },
];
const now = new Date('2026-11-28T12:00:00Z');
const payload = { pack: 'acme', version: '1.0.0', files, signedAt: '2026-11-01T00:00:00Z', expires: '2027-11-01T00:00:00Z' };

describe.each(['ecdsa-p256', 'ed25519'] as const)('signed packs with %s', (algorithm) => {
  it('verifies a good signature with the trusted key', async () => {
    const key = await generateKeyPair(algorithm);
    const text = await signPackFile(payload, key);
    const result = await verifyPackFile(text, [key.publicKey], now);
    expect(result).toMatchObject({ payload: { pack: 'acme', version: '1.0.0', files }, keyId: key.keyId });
  });

  it('rejects a pack with one byte changed after signing', async () => {
    const key = await generateKeyPair(algorithm);
    const text = await signPackFile(payload, key);
    const tampered = text.replace('name: Acme', 'name: Acmf');
    expect(tampered).not.toBe(text);
    const result = await verifyPackFile(tampered, [key.publicKey], now);
    expect(result).toEqual({ error: expect.stringMatching(/signature does not match.*changed after it was signed/) });
  });

  it('rejects a tampered signature value', async () => {
    const key = await generateKeyPair(algorithm);
    const signed = JSON.parse(await signPackFile(payload, key));
    const bytes = Uint8Array.from(atob(signed.signature.value.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    bytes[5] = bytes[5]! ^ 1;
    signed.signature.value = toBase64Url(bytes);
    expect(await verifyPackFile(JSON.stringify(signed), [key.publicKey], now)).toEqual({ error: expect.stringMatching(/signature does not match/) });
  });

  it('rejects a pack signed with a key that is not trusted', async () => {
    const [signer, trusted] = [await generateKeyPair(algorithm), await generateKeyPair(algorithm)];
    const text = await signPackFile(payload, signer);
    expect(await verifyPackFile(text, [trusted.publicKey], now)).toEqual({ error: `signed with a key that is not trusted (${algorithm} key id ${signer.keyId})` });
  });

  it('rejects a pack that claims a trusted key id but was signed by another key', async () => {
    const [signer, trusted] = [await generateKeyPair(algorithm), await generateKeyPair(algorithm)];
    const signed = JSON.parse(await signPackFile(payload, signer));
    signed.signature.keyId = trusted.keyId;
    expect(await verifyPackFile(JSON.stringify(signed), [trusted.publicKey], now)).toEqual({ error: expect.stringMatching(/signature does not match/) });
  });

  it('rejects an expired signature', async () => {
    const key = await generateKeyPair(algorithm);
    const text = await signPackFile({ ...payload, expires: '2026-11-28T11:59:59Z' }, key);
    expect(await verifyPackFile(text, [key.publicKey], now)).toEqual({ error: 'the signature expired on 2026-11-28: sign the pack again' });
    expect(await verifyPackFile(text, [key.publicKey], new Date('2026-11-28T11:00:00Z'))).toHaveProperty('payload');
  });
});

describe('keys', () => {
  it('refuses unknown key formats with a reason', async () => {
    expect(await parsePublicKey('rsa:AAAA')).toEqual({ error: expect.stringMatching(/^unknown key format/) });
    expect(await parsePublicKey('MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE')).toEqual({ error: expect.stringMatching(/^unknown key format/) });
    expect(await parsePublicKey('ecdsa-p256:not base64!')).toEqual({ error: expect.stringMatching(/not base64url/) });
    const ed = await generateKeyPair('ed25519');
    // An Ed25519 key labelled as P-256 is not a P-256 key.
    expect(await parsePublicKey(ed.publicKey.replace('ed25519:', 'ecdsa-p256:'))).toEqual({ error: expect.stringMatching(/not a valid ecdsa-p256/) });
  });

  it('a pack is not verified when no trusted key is usable', async () => {
    const key = await generateKeyPair('ecdsa-p256');
    const text = await signPackFile(payload, key);
    expect(await verifyPackFile(text, ['rsa:xyz'], now)).toEqual({ error: expect.stringMatching(/no trusted signing key/) });
  });

  it('an unsigned pack is not accepted as a remote pack', async () => {
    const key = await generateKeyPair('ecdsa-p256');
    expect(await verifyPackFile(writePackFile('acme', '1.0.0', files), [key.publicKey], now)).toEqual({ error: expect.stringMatching(/not signed/) });
  });
});

describe('pack files', () => {
  it('reads what it writes, and YAML as well as JSON', () => {
    const text = writePackFile('acme', '1.0.0', files);
    expect(readPackFile(text)).toEqual({ payload: { format: 'crm-coach-pack', formatVersion: 1, pack: 'acme', version: '1.0.0', files } });
    expect(readPackFile('format: crm-coach-pack\nformatVersion: 1\npack: acme\nversion: 1.0.0\nfiles:\n  - { path: pack.yaml, text: "x" }\n')).toHaveProperty('payload.pack', 'acme');
  });

  it('says what is wrong with a file that is not a pack', () => {
    expect(readPackFile('{}')).toEqual({ error: expect.stringMatching(/"format" must be "crm-coach-pack"/) });
    expect(readPackFile('{"format":"crm-coach-pack","formatVersion":2}')).toEqual({ error: expect.stringMatching(/formatVersion 2 is not supported/) });
    expect(readPackFile(writePackFile('acme', '1', [{ path: '../evil.yaml', text: '' }]))).toEqual({ error: expect.stringMatching(/files\.0\.path/) });
    expect(readPackFile('\u0000')).toHaveProperty('error');
  });

  it('compares versions numerically', () => {
    expect(compareVersions('1.10.0', '1.9.3')).toBe(1);
    expect(compareVersions('1.0.0', '1.0.0')).toBe(0);
    expect(compareVersions('0.9', '1.0.0')).toBe(-1);
    expect(compareVersions('2.0.0', '2.0')).toBe(0);
  });
});
