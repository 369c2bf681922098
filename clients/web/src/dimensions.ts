// The six national dimensions and their elements (mirrors kernel/model/src/dimensions.cpp;
// ids are stable). Plugin pillars come from the `coverage` view when it exists, otherwise
// from the ids the programs use.

export interface ElementInfo {
  id: string;
  id_name: string;
  en_name: string;
}

export interface PillarInfo {
  id: string;
  id_name: string;
  en_name: string;
  color: string;
  elements: ElementInfo[];
  plugin?: string;
}

export const NATIONAL_DIMENSIONS: PillarInfo[] = [
  {
    id: 'governance',
    id_name: 'Smart Governance',
    en_name: 'Smart Governance',
    color: '#2563eb',
    elements: [
      { id: 'public_service', id_name: 'Pelayanan publik', en_name: 'Public services' },
      { id: 'bureaucracy_management', id_name: 'Manajemen birokrasi', en_name: 'Bureaucracy management' },
      { id: 'public_policy', id_name: 'Kebijakan publik', en_name: 'Public policy' },
    ],
  },
  {
    id: 'branding',
    id_name: 'Smart Branding',
    en_name: 'Smart Branding',
    color: '#db2777',
    elements: [
      { id: 'tourism_branding', id_name: 'Pemasaran pariwisata', en_name: 'Tourism branding' },
      { id: 'business_branding', id_name: 'Pemasaran bisnis', en_name: 'Business branding' },
      { id: 'city_appearance', id_name: 'Wajah kota', en_name: 'City appearance' },
    ],
  },
  {
    id: 'economy',
    id_name: 'Smart Economy',
    en_name: 'Smart Economy',
    color: '#d97706',
    elements: [
      { id: 'industry_ecosystem', id_name: 'Ekosistem industri', en_name: 'Industry ecosystem' },
      { id: 'people_welfare', id_name: 'Kesejahteraan rakyat', en_name: "People's welfare" },
      {
        id: 'financial_transaction_ecosystem',
        id_name: 'Ekosistem transaksi keuangan',
        en_name: 'Financial-transaction ecosystem',
      },
    ],
  },
  {
    id: 'living',
    id_name: 'Smart Living',
    en_name: 'Smart Living',
    color: '#0d9488',
    elements: [
      { id: 'spatial_harmony', id_name: 'Harmonisasi tata ruang', en_name: 'Spatial harmony and housing' },
      { id: 'health', id_name: 'Kesehatan', en_name: 'Health' },
      { id: 'transport', id_name: 'Transportasi', en_name: 'Transport' },
    ],
  },
  {
    id: 'society',
    id_name: 'Smart Society',
    en_name: 'Smart Society',
    color: '#7c3aed',
    elements: [
      { id: 'community_interaction', id_name: 'Interaksi komunitas', en_name: 'Community interaction' },
      { id: 'learning_ecosystem', id_name: 'Ekosistem belajar', en_name: 'Learning ecosystem' },
      { id: 'public_safety', id_name: 'Keamanan', en_name: 'Public safety' },
    ],
  },
  {
    id: 'environment',
    id_name: 'Smart Environment',
    en_name: 'Smart Environment',
    color: '#65a30d',
    elements: [
      { id: 'environmental_protection', id_name: 'Proteksi lingkungan', en_name: 'Environmental protection' },
      { id: 'waste_management', id_name: 'Tata kelola sampah dan limbah', en_name: 'Waste management' },
      { id: 'energy_management', id_name: 'Tata kelola energi', en_name: 'Energy management' },
    ],
  },
];

const PILLAR_COLORS = ['#b45309', '#be123c', '#4338ca', '#0369a1', '#475569'];

/** Turns `adat_nagari` into `Adat Nagari` for a pillar we know only by id. */
export function humanize(id: string): string {
  return id
    .split(/[_\-.:]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(' ');
}

interface CoveragePillar {
  id?: string;
  dimension?: string;
  nameId?: string;
  nameEn?: string;
  name_id?: string;
  name_en?: string;
  plugin?: string;
  elements?: { id?: string; element?: string; nameId?: string; nameEn?: string; name_id?: string; name_en?: string }[];
}

/**
 * The six dimensions plus plugin pillars: from the coverage view's pillar list when it has
 * one, else from program dimension ids the six do not know (their elements from the programs).
 */
export function pillarsFor(
  programs: { dimension: string; element: string }[],
  coverage: unknown,
): PillarInfo[] {
  const result = NATIONAL_DIMENSIONS.map((d) => ({ ...d }));
  const known = new Set(result.map((d) => d.id));
  const fromCoverage =
    coverage && typeof coverage === 'object'
      ? ((coverage as { pillars?: CoveragePillar[]; dimensions?: CoveragePillar[] }).pillars ??
        (coverage as { dimensions?: CoveragePillar[] }).dimensions)
      : undefined;
  let colorIndex = 0;
  if (Array.isArray(fromCoverage)) {
    for (const raw of fromCoverage) {
      const pillar = { ...raw, id: raw.id ?? raw.dimension };
      if (!pillar.id || known.has(pillar.id)) continue;
      known.add(pillar.id);
      result.push({
        id: pillar.id,
        id_name: pillar.nameId ?? pillar.name_id ?? humanize(pillar.id),
        en_name: pillar.nameEn ?? pillar.name_en ?? humanize(pillar.id),
        color: PILLAR_COLORS[colorIndex++ % PILLAR_COLORS.length],
        plugin: pillar.plugin ?? '?',
        elements: (pillar.elements ?? [])
          .map((e) => ({ ...e, id: e.id ?? e.element }))
          .filter((e) => e.id)
          .map((e) => ({
            id: e.id!,
            id_name: e.nameId ?? e.name_id ?? humanize(e.id!),
            en_name: e.nameEn ?? e.name_en ?? humanize(e.id!),
          })),
      });
    }
  }
  for (const program of programs) {
    if (known.has(program.dimension)) {
      const pillar = result.find((p) => p.id === program.dimension)!;
      if (pillar.plugin !== undefined || !NATIONAL_DIMENSIONS.some((d) => d.id === pillar.id)) {
        if (!pillar.elements.some((e) => e.id === program.element)) {
          pillar.elements.push({ id: program.element, id_name: humanize(program.element), en_name: humanize(program.element) });
        }
      }
      continue;
    }
    known.add(program.dimension);
    result.push({
      id: program.dimension,
      id_name: humanize(program.dimension),
      en_name: humanize(program.dimension),
      color: PILLAR_COLORS[colorIndex++ % PILLAR_COLORS.length],
      plugin: '?',
      elements: [{ id: program.element, id_name: humanize(program.element), en_name: humanize(program.element) }],
    });
  }
  return result;
}
