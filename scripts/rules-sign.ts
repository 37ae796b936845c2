/**
 * npm run rules:sign -- <pack folder> --key <private key file> [--out <file>] [--expires-days <n>]
 *
 * Signs one pack folder (content-rules/<pack>/) into the signed single-file format that remote
 * packs are served in (lib/packs/pack-file.ts). The pack must compile without errors; every
 * problem is printed as `file:line:column  path  message`, like rules:check. The signature
 * expires after --expires-days (default 180): re-sign and re-publish before then.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { compilePack } from '../lib/packs/compile-pack';
import { packFileName, signPackFile } from '../lib/packs/pack-file';
import type { PrivateKeyFile } from '../lib/packs/signing';
import { formatDiagnostic } from '../lib/rules/diagnostics';
import { readRuleFiles } from '../lib/rules/read-rule-files';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { key: { type: 'string' }, out: { type: 'string' }, 'expires-days': { type: 'string', default: '180' } },
});
const fail = (message: string): never => {
  console.error(`rules:sign: ${message}`);
  process.exit(1);
};
if (positionals.length !== 1 || !values.key) {
  fail('usage: npm run rules:sign -- <pack folder> --key <private key file> [--out <file>] [--expires-days <n>]');
}
const folder = resolve(positionals[0]!);
const packId = basename(folder);
const files = readRuleFiles(folder).filter((f) => !f.path.includes('/'));
if (files.length === 0) fail(`no .yaml files in ${folder}`);

const key = JSON.parse(readFileSync(resolve(values.key!), 'utf8')) as PrivateKeyFile;
if (key.format !== 'crm-coach-signing-key') fail(`${values.key} is not a key file from npm run rules:keygen`);

const result = compilePack(packId, files);
for (const d of result.diagnostics) console.log(formatDiagnostic(d));
if ('error' in result) fail(`not signed: ${result.error}`);
const { version } = (result as { pack: { version: string } }).pack;

const days = Number(values['expires-days']);
if (!Number.isFinite(days) || days <= 0) fail('--expires-days must be a positive number');
const now = new Date();
const text = await signPackFile(
  { pack: packId, version, files, signedAt: now.toISOString(), expires: new Date(now.getTime() + days * 86_400_000).toISOString() },
  key,
);
const out = resolve(values.out ?? packFileName(packId, version));
writeFileSync(out, text);
console.log(`rules:sign: ${packId} ${version} (${files.length} file(s)) signed with ${key.algorithm} key ${key.keyId}, expires in ${days} days -> ${out}`);
