/**
 * Calls back when the page's URL changes: pushState, replaceState, popstate, hashchange.
 * Uses the Navigation API's `currententrychange` (fires after the URL changed, for same-document
 * navigations made by the page's own scripts too) and popstate/hashchange as a fallback. Where
 * the Navigation API is missing (Firefox before 2025), the caller keeps its DOM watcher running
 * and compares `location.href` on each pass instead: SPAs re-render when they navigate.
 */
export function onNavigate(win: Window, signal: AbortSignal, callback: () => void): { hasNavigationApi: boolean } {
  let last = win.location.href;
  const check = () => {
    if (win.location.href === last) return;
    last = win.location.href;
    callback();
  };
  const navigation = (win as Window & { navigation?: EventTarget }).navigation;
  navigation?.addEventListener('currententrychange', check, { signal });
  win.addEventListener('popstate', check, { signal });
  win.addEventListener('hashchange', check, { signal });
  return { hasNavigationApi: navigation !== undefined };
}
