// Run the insights figure alone (development): node test/bench/insights-run.mjs [extensionDir]
// (npm run bench runs it as part of scripts/bench.mjs).
import { measureInsights, printInsights } from './insights.mjs';
import { EXTENSION_DIR } from '../../scripts/lib/browser.mjs';

const r = await measureInsights({ extensionDir: process.argv[2] ?? EXTENSION_DIR, log: (...a) => console.error('[bench]', ...a) });
const out = [];
printInsights(r, (s = '') => out.push(s));
console.log(out.join('\n'));
console.log(`INSIGHTS ${JSON.stringify(r)}`);
