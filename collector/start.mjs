#!/usr/bin/env node
// The collector's one command (Node 22, from the repository root):
//
//   node collector/start.mjs               start the server (configuration: environment, see README.md)
//   node collector/start.mjs new-token     print a new random token and its SHA-256 hash
//   node collector/start.mjs hash-token    read a token on stdin (or as the next argument), print its hash
//
// The TypeScript sources (collector/*.ts, lib/) are loaded with jiti, so imports stay
// extensionless like the rest of the repository and nothing has to be built first.
import { createHash, randomBytes } from 'node:crypto';
import { createJiti } from 'jiti';

// node:sqlite is still flagged experimental in Node 22: the warning is noise in a server log.
const emitWarning = process.emitWarning;
process.emitWarning = function (warning, ...rest) {
  if (String(warning).includes('SQLite')) return;
  return emitWarning.call(process, warning, ...rest);
};

const sha256 = (s) => createHash('sha256').update(s, 'utf8').digest('hex');
const command = process.argv[2];

if (command === 'new-token') {
  const token = randomBytes(32).toString('base64url');
  process.stdout.write(`token  ${token}\nsha256 ${sha256(token)}\n`);
  process.stdout.write('Give the token to its holders; configure only the sha256 (ORG_TOKENS / MANAGER_TOKENS).\n');
} else if (command === 'hash-token') {
  let token = process.argv[3];
  if (token === undefined) {
    const chunks = [];
    for await (const chunk of process.stdin) chunks.push(chunk);
    token = Buffer.concat(chunks).toString('utf8').trim();
  }
  if (!token) {
    process.stderr.write('usage: printf %s "$TOKEN" | node collector/start.mjs hash-token\n');
    process.exit(2);
  }
  process.stdout.write(`${sha256(token)}\n`);
} else if (command === undefined || command === 'serve') {
  const jiti = createJiti(import.meta.url);
  const { main } = await jiti.import('./main.ts');
  await main(process.env);
} else {
  process.stderr.write(`unknown command "${command}": use new-token, hash-token, or nothing to start the server\n`);
  process.exit(2);
}
