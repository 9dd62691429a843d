import type { ComponentType } from 'react';
import type { Language } from '../shared/i18n.ts';
import type { Permission } from './session.tsx';

/**
 * One page of the console. The router and the menu are both built from CONSOLE_PAGES: a new page
 * (governance, discovery…) is one more entry here and its file under pages/, nothing more.
 */
export interface ConsolePage {
  /** Below /console: '' for the dashboard, 'requests', 'requests/:id'… */
  path: string;
  /** The menu entry per language; pages without one (details) are reached by links only. */
  menu?: Record<Language, string>;
  /** What a role needs for the page; without it the page is neither in the menu nor reachable. */
  permission: Permission;
  /** The page module, loaded on its first visit; it exports `Page`. */
  load: () => Promise<{ Page: ComponentType }>;
}

export const CONSOLE_PAGES: ConsolePage[] = [
  {
    path: '',
    menu: { en: 'Dashboard', de: 'Übersicht', fr: 'Tableau de bord' },
    permission: 'profile:read',
    load: () => import('./pages/dashboard-page.tsx'),
  },
  {
    path: 'requests',
    menu: { en: 'Requests', de: 'Anfragen', fr: 'Demandes' },
    permission: 'dsr:read',
    load: () => import('./pages/requests-page.tsx'),
  },
  { path: 'requests/:id', permission: 'dsr:read', load: () => import('./pages/request-detail-page.tsx') },
  {
    path: 'datamap',
    menu: { en: 'Data map', de: 'Datenlandkarte', fr: 'Cartographie' },
    permission: 'datamap:read',
    load: () => import('./pages/datamap-page.tsx'),
  },
  {
    path: 'discovery',
    menu: { en: 'Discovery', de: 'Datenerkennung', fr: 'Découverte' },
    permission: 'datamap:read',
    load: () => import('./pages/discovery-page.tsx'),
  },
  {
    path: 'consent',
    menu: { en: 'Consent', de: 'Einwilligungen', fr: 'Consentements' },
    permission: 'consent:read',
    load: () => import('./pages/consent-page.tsx'),
  },
  {
    path: 'retention',
    menu: { en: 'Retention', de: 'Aufbewahrung', fr: 'Conservation' },
    permission: 'retention:read',
    load: () => import('./pages/retention-page.tsx'),
  },
  {
    path: 'retention/runs/:id',
    permission: 'retention:read',
    load: () => import('./pages/retention-run-page.tsx'),
  },
  {
    path: 'governance',
    menu: { en: 'Governance', de: 'Governance', fr: 'Gouvernance' },
    permission: 'governance:read',
    load: () => import('./pages/governance-page.tsx'),
  },
  {
    path: 'audit',
    menu: { en: 'Audit log', de: 'Audit-Log', fr: 'Journal d’audit' },
    permission: 'audit:read',
    load: () => import('./pages/audit-page.tsx'),
  },
  {
    path: 'events',
    menu: { en: 'Events', de: 'Ereignisse', fr: 'Événements' },
    permission: 'events:read',
    load: () => import('./pages/events-page.tsx'),
  },
  {
    path: 'access',
    menu: { en: 'Access', de: 'Zugriff', fr: 'Accès' },
    permission: 'users:manage',
    load: () => import('./pages/access-page.tsx'),
  },
];
