/**
 * The insights code the benchmark runs in an extension page (bundled by test/bench/insights.mjs,
 * evaluated with page.evaluate: extension pages' CSP refuses inline scripts): the page's own
 * compute over rows already in memory, and the proposed per-period cube store's read path.
 */
import { consecutivePeriods, insightsFromCubes } from '../../lib/insights/local';
import { periodCubes } from '../../lib/insights/period-cubes';
import { parsePeriod } from '../../lib/sync/payload';

(globalThis as unknown as { __insights: unknown }).__insights = { consecutivePeriods, insightsFromCubes, periodCubes, parsePeriod };
