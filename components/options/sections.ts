/**
 * The options page's sections, in order. Each feature owns its section component (its own file
 * under components/options/) and adds one entry here.
 */
import { InsightsSection } from '../insights/InsightsLink';
import type { ComponentType } from 'react';
import { PolicySection } from './PolicySection';
import { PacksSection } from './PacksSection';
import { SyncSection } from './SyncSection';
import { EditorSection } from './EditorSection';

/** Sends a message to the background; our pages' prefixes are routed in entrypoints/background.ts. */
export type Send = (message: { type: string; [key: string]: unknown }) => Promise<unknown>;

export interface OptionsSection {
  /** URL hash of the section: options.html#sync. */
  id: string;
  title: string;
  Component: ComponentType<{ send: Send }>;
  /** Shown only while admin mode is on (policy "adminMode"; on when no policy says otherwise). */
  adminOnly?: boolean;
}

export const SECTIONS: OptionsSection[] = [
  { id: 'packs', title: 'Packs', Component: PacksSection },
  { id: 'editor', title: 'Editor', Component: EditorSection, adminOnly: true },
  { id: 'sync', title: 'Sync', Component: SyncSection },
  { id: 'insights', title: 'Insights', Component: InsightsSection },
  { id: 'policy', title: 'Policy', Component: PolicySection },
];
