import { createOverlay } from '../components/overlay/create-overlay';
import { setOverlayFactory } from '../lib/content/overlay-handshake';

/** Unlisted: injected by the background only when a page has something to show. */
export default defineUnlistedScript(() => {
  setOverlayFactory(createOverlay);
});
