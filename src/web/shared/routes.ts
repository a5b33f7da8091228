import type { ComponentType } from 'react';
import type { WebRole } from './session';

/**
 * One page of the app. Each module lists its pages in `modules/<module>/routes.ts` (found by app.tsx),
 * so a new module adds pages without editing a shared file.
 */
export type WebRoute = {
  /** `/agent`, `/agent/cases/:id`; a trailing `/*` matches deeper paths too. */
  path: string;
  /** Who may open it: roles, or 'public' (sign-in, the widget's frame page). */
  access: readonly WebRole[] | 'public';
  page: ComponentType<{ params: Record<string, string> }>;
  /** Shown in the layout's navigation for these roles, in `order`; `label` is `namespace:key`. */
  nav?: { label: string; order: number };
  /** Pages without the layout's header (the widget's frame). */
  bare?: boolean;
};
