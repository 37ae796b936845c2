import type { Placement } from '../rules/compiled';

/** What every popover the overlay draws (tooltip, tip, walkthrough step) has. */
export interface PopoverContent {
  /** The rule or step id. */
  id: string;
  /** DOM-safe id derived from it (for aria-labelledby and tests). */
  domId: string;
  /** null: shown centred (no target, or the target never came and the rule says `center`). */
  element: Element | null;
  title?: string;
  text: string;
  placement: Placement;
}

/** DOM-safe ids derived from rule and step ids (aria-labelledby targets, test hooks). */
export const domIdFor = (ruleId: string) => `crm-coach-${ruleId.replace(/[^a-zA-Z0-9]+/g, '-')}`;
