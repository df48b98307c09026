/** The TSI's pillars: a closed list, so filters and groups can never drift apart. */
export const PILLARS = [
  'telecom',
  'critical-minerals',
  'semiconductors',
  'ai',
  'quantum',
  'biotech-health',
  'advanced-materials',
] as const;
export type Pillar = (typeof PILLARS)[number];

export const PILLAR_LABELS: Record<Pillar, string> = {
  telecom: 'Telecom',
  'critical-minerals': 'Critical minerals',
  semiconductors: 'Semiconductors',
  ai: 'Artificial intelligence',
  quantum: 'Quantum',
  'biotech-health': 'Biotech & health',
  'advanced-materials': 'Advanced materials',
};
