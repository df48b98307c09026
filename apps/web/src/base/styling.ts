import { type FactEventType, type Pillar, PILLAR_LABELS, PILLARS } from '@timeline/shared-types';

/**
 * Closed mappings from domain values to CSS classes and labels. A class name is never built from an
 * event's raw strings: an unknown value falls back to a fixed class, so data cannot inject styling.
 */

export const TYPE_STYLE: Record<FactEventType, { className: string; label: string; glyph: string }> = {
  RoadmapAdopted: { className: 'type-roadmap', label: 'Roadmap adopted', glyph: '◆' },
  GovernmentTookOffice: { className: 'type-government', label: 'Government took office', glyph: '▲' },
  VisitStarted: { className: 'type-visit', label: 'Visit started', glyph: '✈' },
  MeetingHeld: { className: 'type-meeting', label: 'Meeting held', glyph: '●' },
  InitiativeLaunched: { className: 'type-initiative', label: 'Initiative launched', glyph: '★' },
  PillarIdentified: { className: 'type-scope', label: 'Pillar identified', glyph: '▢' },
  PillarScopeDefined: { className: 'type-scope', label: 'Pillar scope defined', glyph: '▣' },
  FundingCallAnnounced: { className: 'type-funding', label: 'Funding call announced', glyph: '£' },
  StatementIssued: { className: 'type-statement', label: 'Statement issued', glyph: '❝' },
  NegotiationProgressNoted: {
    className: 'type-negotiation',
    label: 'Negotiation progress noted',
    glyph: '⇄',
  },
  ConcernRaised: { className: 'type-concern', label: 'Concern raised', glyph: '!' },
  CooperationDiscussed: { className: 'type-cooperation', label: 'Cooperation discussed', glyph: '⊕' },
  AgreementReached: { className: 'type-agreement', label: 'Agreement reached', glyph: '✓' },
  IssuesDiscussed: { className: 'type-issues', label: 'Issues discussed', glyph: '◎' },
  FactNoted: { className: 'type-fact', label: 'Fact noted', glyph: '•' },
  EraMarked: { className: 'type-era', label: 'Era', glyph: '▭' },
};

const UNKNOWN_TYPE = { className: 'type-other', label: 'Other event', glyph: '•' };

export function typeStyle(type: string): { className: string; label: string; glyph: string } {
  return Object.hasOwn(TYPE_STYLE, type)
    ? TYPE_STYLE[type as FactEventType]
    : { ...UNKNOWN_TYPE, label: type };
}

export function isPillar(value: string): value is Pillar {
  return (PILLARS as readonly string[]).includes(value);
}

/** Each pillar's colour lives in styles/base.css under its class; the classes are the only link. */
export const PILLAR_STYLE: Record<Pillar, { className: string }> = {
  telecom: { className: 'pillar-telecom' },
  'critical-minerals': { className: 'pillar-critical-minerals' },
  semiconductors: { className: 'pillar-semiconductors' },
  ai: { className: 'pillar-ai' },
  quantum: { className: 'pillar-quantum' },
  'biotech-health': { className: 'pillar-biotech-health' },
  'advanced-materials': { className: 'pillar-advanced-materials' },
};

export const NO_PILLAR = { className: 'pillar-none', label: 'Other (no pillar)' } as const;

export function pillarClass(value: string | undefined): string {
  return value !== undefined && isPillar(value) ? PILLAR_STYLE[value].className : NO_PILLAR.className;
}

export function pillarLabel(value: string): string {
  return isPillar(value) ? PILLAR_LABELS[value] : value;
}

export const PRECISION_CLASS = {
  year: 'precision-year',
  month: 'precision-month',
  day: 'precision-day',
  minute: 'precision-minute',
} as const;

export type DiffKind = 'added' | 'changed' | 'retracted';
export const DIFF_CLASS: Record<DiffKind, string> = {
  added: 'diff-added',
  changed: 'diff-changed',
  retracted: 'diff-retracted',
};
