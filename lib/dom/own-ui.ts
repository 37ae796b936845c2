/**
 * Our own UI in the page: the overlay (<crm-coach-overlay>) and the element picker
 * (<crm-coach-picker>), each a host element with a shadow root. The engine never searches them
 * for targets, never watches them, and never counts clicks on them as friction.
 */
export const OWN_UI_PREFIX = 'crm-coach-';

export const isOwnUiHost = (el: Element): boolean => el.localName.startsWith(OWN_UI_PREFIX);
