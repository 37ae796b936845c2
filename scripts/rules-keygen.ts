/**
 * npm run rules:keygen -- [--algorithm ecdsa-p256|ed25519] [--out <private key file>]
 *
 * Makes a signing key pair for remote packs. Writes the private key file (readable by you only;
 * keep it out of the repository, e.g. in the CI secret store) and prints the public key string
 * to put into policy `trustedKeys` (or the options page's trusted keys).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateKeyPair, KEY_ALGORITHMS, type KeyAlgorithm } from '../lib/packs/signing';

const { values } = parseArgs({ options: { algorithm: { type: 'string', default: 'ecdsa-p256' }, out: { type: 'string', default: 'crm-coach-signing-key.json' } } });
const algorithm = values.algorithm as KeyAlgorithm;
if (!KEY_ALGORITHMS.includes(algorithm)) {
  console.error(`rules:keygen: --algorithm must be one of ${KEY_ALGORITHMS.join(', ')}`);
  process.exit(1);
}
const out = resolve(values.out);
if (existsSync(out)) {
  console.error(`rules:keygen: ${out} exists; not overwriting a key (choose another --out)`);
  process.exit(1);
}
const key = await generateKeyPair(algorithm);
writeFileSync(out, `${JSON.stringify(key, null, 2)}\n`, { mode: 0o600 });
console.error(`rules:keygen: private key (${algorithm}, key id ${key.keyId}) written to ${out}; keep it secret.`);
console.error('Public key for policy trustedKeys:');
console.log(key.publicKey);
