/**
 * The options page's sections, in order. Each feature owns its section component (its own file
 * under components/options/) and adds one entry here.
 */
import type { ComponentType } from 'react';
import { PolicySection } from './PolicySection';

/** Sends a message to the background; our pages' prefixes are routed in entrypoints/background.ts. */
export type Send = (message: { type: string; [key: string]: unknown }) => Promise<unknown>;

export interface OptionsSection {
  /** URL hash of the section: options.html#sync. */
  id: string;
  title: string;
  Component: ComponentType<{ send: Send }>;
}

export const SECTIONS: OptionsSection[] = [{ id: 'policy', title: 'Policy', Component: PolicySection }];
