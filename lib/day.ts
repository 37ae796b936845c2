/** The UTC day, "2026-11-28": the finest time anything is kept at. No dependencies (content script). */
export const dayOf = (now: Date): string => now.toISOString().slice(0, 10);
