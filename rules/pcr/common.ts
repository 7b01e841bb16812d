import type { PcrInput } from "./schema.ts";

/**
 * Building blocks shared by the category PCRs. A PCR's content hash covers the assembled object,
 * so changing anything here changes every PCR that uses it and the immutability test fails: a
 * shared default can only change together with new PCR versions.
 */

export const PUBLISHED_ON_V1 = "2026-01-15";

export const SOURCES = {
  iso14067: {
    id: "ISO 14067:2018",
    title: "Greenhouse gases — Carbon footprint of products — Requirements and guidelines for quantification",
    publisher: "ISO",
    year: 2018,
  },
  gbt24067: {
    id: "GB/T 24067-2024",
    title: "温室气体 产品碳足迹 量化要求和指南 (GHG — carbon footprint of products — quantification)",
    publisher: "SAMR / SAC",
    year: 2024,
    note: "published 2024-08-23, in force 2025-03-01",
  },
  iso14044: {
    id: "ISO 14044:2006",
    title: "Environmental management — Life cycle assessment — Requirements and guidelines (4.3.4 allocation)",
    publisher: "ISO",
    year: 2006,
  },
  cncaRule2025: {
    id: "CNCA-CF-2025",
    title: "产品碳足迹标识认证通用实施规则 (general implementing rule for product carbon-footprint label certification)",
    publisher: "CNCA",
    year: 2025,
    note: "2025-03-17; certificate validity 2 years",
  },
  cncaCatalogue2025: {
    id: "CNCA-CATALOGUE-2025",
    title: "第一批产品碳足迹标识认证目录 (first product catalogue, 17 products)",
    publisher: "CNCA",
    year: 2025,
    note: "2025-07-09",
  },
  samrPilot2024: {
    id: "国市监认证发〔2024〕85号",
    title: "关于开展产品碳足迹标识认证试点工作的通知 (pilot of product carbon-footprint label certification)",
    publisher: "SAMR et al.",
    year: 2024,
  },
  lowCarbonRule2013: {
    id: "发改气候〔2013〕279号",
    title: "低碳产品认证管理暂行办法 (interim measures for low-carbon product certification)",
    publisher: "NDRC / CNCA",
    year: 2013,
    note: "certificate validity 3 years",
  },
  nea2023GreenCertificates: {
    id: "NDRC/MOF/NEA 2023 green certificates",
    title: "关于做好可再生能源绿色电力证书全覆盖工作 促进可再生能源电力消费的通知 (green certificates: 1 certificate = 1 000 kWh)",
    publisher: "NDRC, MOF, NEA",
    year: 2023,
  },
  meeLifeCycleElectricity2025: {
    id: "MEE-LC-ELECTRICITY-2023",
    title: "2023年电力碳足迹因子 (life-cycle electricity factors, 2023 data)",
    publisher: "MEE, NBS, NEA",
    year: 2025,
  },
  euBattery2023: {
    id: "EU 2023/1542 art. 7",
    title: "Regulation (EU) 2023/1542 on batteries, article 7 (carbon footprint of EV, LMT and industrial batteries)",
    publisher: "European Union",
    year: 2023,
  },
  gbt51366: {
    id: "GB/T 51366-2019",
    title: "建筑碳排放计算标准 (building carbon emission calculation; annex D materials, annex E transport)",
    publisher: "MOHURD",
    year: 2019,
  },
  seed004: {
    id: "seed 004",
    title: "产品碳足迹管理体系、碳标识认证制度 (training deck: four label types, RC case 11.00 %)",
    publisher: "training material (shared/seeds/004)",
    year: 2024,
  },
} as const;

export const BASE_SOURCES = [SOURCES.iso14067, SOURCES.gbt24067, SOURCES.iso14044, SOURCES.cncaRule2025];

export const STAGES_CRADLE_TO_GATE = {
  required: ["raw_material_acquisition", "raw_material_transport", "production"],
  allowed: ["raw_material_acquisition", "raw_material_transport", "production"],
} as const satisfies PcrInput["stages"];

export const STAGES_CRADLE_TO_GRAVE = {
  required: ["raw_material_acquisition", "raw_material_transport", "production", "distribution", "use", "end_of_life"],
  allowed: ["raw_material_acquisition", "raw_material_transport", "production", "distribution", "use", "end_of_life"],
} as const satisfies PcrInput["stages"];

/**
 * Batteries follow EU 2023/1542 art. 7's split (raw material acquisition and pre-processing, main
 * production, distribution, end of life and recycling): the use stage is outside the boundary.
 */
export const STAGES_BATTERY = {
  required: ["raw_material_acquisition", "raw_material_transport", "production", "distribution", "end_of_life"],
  allowed: ["raw_material_acquisition", "raw_material_transport", "production", "distribution", "end_of_life"],
} as const satisfies PcrInput["stages"];

/** What a declared or functional unit says in words: what it measures, and the reference flow. */
type UnitText = Pick<PcrInput["declaredUnit"], "description" | "referenceFlow">;

/**
 * A declared unit of one `unit` (1 t, 1 m², 1 kW …): what it measures, and the reference flow that
 * says how a product leaving the plant scales to it.
 */
export function declaredPer(unit: PcrInput["declaredUnit"]["unit"], { description, referenceFlow }: UnitText): PcrInput["declaredUnit"] {
  return { kind: "declared", quantity: 1, unit, description, referenceFlow };
}

/** An assembled product's functional unit: one piece used over its reference service life. */
export function functionalPiece({ description, referenceFlow }: UnitText): PcrInput["declaredUnit"] {
  return { kind: "functional", quantity: 1, unit: "piece", description, referenceFlow };
}

export const CUT_OFF_DEFAULT = {
  perFlowMaxShare: 0.01,
  cumulativeMaxShare: 0.05,
  basis: ["mass", "energy", "ghg"],
  demonstration: true,
  note: "Common practice (ISO 14067 sets no number): a flow under 1 % by mass, energy or GHG may be cut, cumulative cap 5 % (verify per PCR; shared/REFERENCE.md §1).",
} as const satisfies PcrInput["cutOff"];

export function allocation(physicalBasis: PcrInput["allocation"]["physicalBasis"], note: string): PcrInput["allocation"] {
  return { hierarchy: ["avoid", "physical", "economic"], physicalBasis, note };
}

export const DATA_QUALITY_DEFAULT = {
  minimumRating: "good",
  maxDqr: 3,
  maxSecondaryFactorAgeYears: 10,
  demonstration: true,
  note: "Platform default: DQR ≤ 3 (good) on the EU PEF-style scale (verify), background factors at most 10 years older than the reference year.",
} as const satisfies PcrInput["dataQuality"];

export const ELECTRICITY_DEFAULT = {
  gridFactorBasis: "life_cycle",
  regionLevel: "national",
  greenCertificatesAllowed: true,
  kWhPerCertificate: 1000,
  maxFactorAgeYears: 3,
  sameMarketRequired: true,
  note: "PCF uses the life-cycle grid factor (MEE/NBS/NEA 2025, national), never the Scope-2 CO2-only factor. Renewable attributes only through China green certificates (1 certificate = 1 000 kWh), cancelled for this consumption, same market.",
} as const satisfies PcrInput["electricity"];

export const RC_DEFAULT = {
  minimumReduction: 0.11,
  demonstration: true,
  note: "Seed 004 case (warp-knitted jacquard mesh, 2022 vs 2021 per kg: −11.00 %); no official minimum found, used as the demonstration threshold.",
} as const satisfies PcrInput["labels"]["reducedCarbon"];

export const NO_LOW_CARBON_BENCHMARK = null;

export function demoBands(note: string, ...limits: readonly [string, number][]): NonNullable<PcrInput["labels"]["gradeBands"]> {
  const labels: Record<string, { zh: string; en: string }> = {
    A: { zh: "A 级（领先）", en: "grade A (leading)" },
    B: { zh: "B 级（先进）", en: "grade B (advanced)" },
    C: { zh: "C 级（一般）", en: "grade C (typical)" },
    D: { zh: "D 级（待改进）", en: "grade D (to improve)" },
  };
  return {
    bands: limits.map(([grade, maxKgCO2e]) => ({ grade, maxKgCO2e, label: labels[grade] ?? { zh: `${grade} 级`, en: `grade ${grade}` } })),
    demonstration: true,
    note,
  };
}

export function demoBenchmark(kgCO2ePerDeclaredUnit: number, note: string): NonNullable<PcrInput["labels"]["lowCarbonBenchmark"]> {
  return {
    kgCO2ePerDeclaredUnit,
    demonstration: true,
    note: `Official low-carbon threshold not found (shared/REFERENCE.md §2); demonstration value. ${note}`,
  };
}

/**
 * A category's label rules: its low-carbon benchmark and grade bands where it has them (none
 * otherwise), the default reduced-carbon threshold and the label types' own validity.
 */
export function labelRules(given: Partial<Pick<PcrInput["labels"], "lowCarbonBenchmark" | "gradeBands">> = {}): PcrInput["labels"] {
  return { lowCarbonBenchmark: null, gradeBands: null, reducedCarbon: RC_DEFAULT, validityYears: {}, ...given };
}

/**
 * What every version 1.0.0 PCR published on PUBLISHED_ON_V1 shares: the default cut-off, data
 * quality and electricity rules under AR6. A PCR spreads it first and states what differs after.
 */
export const PUBLISHED_V1 = {
  version: "1.0.0",
  status: "published",
  publishedOn: PUBLISHED_ON_V1,
  cutOff: CUT_OFF_DEFAULT,
  dataQuality: DATA_QUALITY_DEFAULT,
  gwpSet: "AR6",
  electricity: ELECTRICITY_DEFAULT,
} as const satisfies Partial<PcrInput>;

/**
 * What the published electronics and appliance PCRs share: cradle to grave, units allocated per
 * piece, AR6, no low-carbon benchmark yet.
 */
export const ASSEMBLED_PRODUCT_V1 = {
  ...PUBLISHED_V1,
  boundary: "cradle_to_grave",
  stages: STAGES_CRADLE_TO_GRAVE,
  allocation: allocation("count", "Shared assembly burdens allocated per unit produced."),
  labels: labelRules(),
  sources: [...BASE_SOURCES, SOURCES.cncaCatalogue2025, SOURCES.samrPilot2024],
} as const satisfies Partial<PcrInput>;

/** What the published material and component PCRs share: cradle to gate under the version 1.0.0 defaults. */
export const CRADLE_TO_GATE_V1 = {
  ...PUBLISHED_V1,
  boundary: "cradle_to_gate",
  stages: STAGES_CRADLE_TO_GATE,
} as const satisfies Partial<PcrInput>;

/** One lithium-ion battery category: what differs between consumer, power and storage batteries. */
export interface LithiumIonBatteryCategory {
  readonly code: string;
  readonly category: string;
  readonly name: PcrInput["name"];
  readonly coveredProducts: PcrInput["coveredProducts"];
  /** The category's entries in the CNCA catalogue. */
  readonly catalogueEntries: { zh: string; en: string }[];
  /** How one battery scales to the declared kWh of rated energy. */
  readonly referenceFlow: PcrInput["declaredUnit"]["referenceFlow"];
  readonly allocationNote: string;
  readonly gradeBands?: PcrInput["labels"]["gradeBands"];
  /** Batteries whose carbon footprint EU 2023/1542 art. 7 regulates (EV, LMT, industrial) cite it. */
  readonly euBatteryRegulation: boolean;
}

/**
 * The lithium-ion battery PCRs: one industry class, pilot name and HS heading (the catalogue
 * entries differ by use), declared per kWh of rated energy, cradle to grave within the battery
 * stages, shared cell production allocated by rated energy, renewable electricity through green
 * certificates.
 */
export function lithiumIonBatteryPcr(battery: LithiumIonBatteryCategory): PcrInput {
  return {
    ...PUBLISHED_V1,
    code: battery.code,
    category: battery.category,
    name: battery.name,
    coveredProducts: battery.coveredProducts,
    classification: {
      gbt4754: [{ code: "3841", name: "锂离子电池制造" }],
      cncaCatalogue2025: { entries: battery.catalogueEntries },
      pilot2024: "锂电池",
      hs: ["8507.60"],
    },
    declaredUnit: declaredPer("kWh", {
      description: { zh: "1 kWh 电池额定能量", en: "1 kWh of rated battery energy" },
      referenceFlow: battery.referenceFlow,
    }),
    boundary: "cradle_to_grave",
    stages: STAGES_BATTERY,
    allocation: allocation("rated_capacity", battery.allocationNote),
    labels: labelRules(battery.gradeBands ? { gradeBands: battery.gradeBands } : {}),
    sources: [
      ...BASE_SOURCES,
      SOURCES.cncaCatalogue2025,
      SOURCES.samrPilot2024,
      ...(battery.euBatteryRegulation ? [SOURCES.euBattery2023] : []),
      SOURCES.nea2023GreenCertificates,
    ],
  };
}
