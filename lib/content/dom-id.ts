/** DOM-safe ids derived from rule and step ids (aria-labelledby targets, test hooks). */
export const domIdFor = (ruleId: string) => `crm-coach-${ruleId.replace(/[^a-zA-Z0-9]+/g, '-')}`;
