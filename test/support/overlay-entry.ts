/**
 * Bundled (React included, in its production build) into an IIFE and injected into plain test
 * pages: the real overlay (components/overlay/create-overlay.tsx), not a copy, exposed as
 * `globalThis.createOverlay`. Used by test/e2e/overlay-xss.spec.ts.
 */
import { createOverlay } from '../../components/overlay/create-overlay';

(globalThis as Record<string, unknown>).createOverlay = createOverlay;
