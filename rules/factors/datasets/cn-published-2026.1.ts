import type { EmissionFactor, FactorDataset, FuelFormula, TranscriptionStatus } from "../schema.ts";

/**
 * CN-PUBLISHED 2026.1 — emission factors published by the Chinese state, as real data.
 *
 * Every value is transcribed from docs/sources/FACTORS-CN.md, which records for each value its
 * document, table, data year and how far the transcription is checked ("confirmed": two or more
 * independent transcriptions agree; "single source": one). The official PDFs could not be read,
 * so each factor carries that status in `source.status`, and test/rules/factors-published.test.ts
 * compares every factor here with that file.
 *
 * Two families of electricity factors, never mixed in one figure (FACTORS-CN.md §1):
 * - carbon-footprint factors (MEE, NBS, NEA): life-cycle CO2e, the default for product
 *   footprints. The notices as transcribed do not state the GWP set; it is recorded as AR6 with
 *   `verify`, as CN-DEMO 2026.1 records the 2023 factors.
 * - CO2 emission factors (MEE, NBS): generation-side combustion CO2 only, for organisations'
 *   Scope-2 accounting. They stay available, per region and province, with boundary
 *   `scope2_co2_only` and "CO2 only" in their names; the grid choice for a life-cycle PCR never
 *   takes them.
 *
 * Fuel defaults (GB/T 32151.22—2024, table C.1) are combustion CO2 only, stored per gas so they
 * characterise under any GWP set, each with the four inputs of its formula.
 *
 * Accounting-year convention for every electricity series: year Y uses the latest published
 * factor whose data year is not after Y (`yearConvention`).
 */

const AR6_ASSUMED = "GWP basis not stated in the notice as transcribed; recorded as AR6, as CN-DEMO 2026.1 records the 2023 factors (verify).";

const FOOTPRINT_PUBLISHER = "生态环境部、国家统计局、国家能源局 (MEE, NBS, NEA)";
const FOOTPRINT_TABLE =
  "公告附件：全国电力平均及分电源碳足迹因子（转录来源未给出表号） / attachment: national average and generation-type factors (table number not in the transcriptions)";

/** The carbon-footprint notices by data year (FACTORS-CN.md §2). */
const FOOTPRINT_NOTICES: Readonly<Record<number, { document: string; year: number; note: string }>> = {
  2023: {
    document:
      "关于发布2023年电力碳足迹因子数据的公告，公告2025年第3号 (announcement on the 2023 electricity carbon-footprint factors, No. 3 of 2025)",
    year: 2025,
    note: "Reported 2025-01-30.",
  },
  2024: {
    document: "关于发布2024年电力碳足迹因子数据的公告 (announcement on the 2024 electricity carbon-footprint factors; number not found)",
    year: 2025,
    note: "Signed 2025-09-28, printed 2025-10-23.",
  },
};

type Kind = NonNullable<EmissionFactor["electricity"]>;

/** One row of FACTORS-CN.md §2: code part, kind, names, 2023 and 2024 values (null where none), status per year. */
interface FootprintRow {
  readonly code: string;
  readonly kind: Kind;
  readonly zh: string;
  readonly en: string;
  readonly values: readonly [number | null, number | null];
  readonly status: readonly [TranscriptionStatus, TranscriptionStatus];
  /** The status as FACTORS-CN.md words it, where it differs by year. */
  readonly statusNote?: string;
}

const C: TranscriptionStatus = "confirmed";
const S: TranscriptionStatus = "single_source";
const MIXED = "2023 confirmed, 2024 single source";

// kg CO2e/kWh, data years 2023 / 2024
const FOOTPRINT: readonly FootprintRow[] = [
  {
    code: "CN",
    kind: "grid_average",
    zh: "全国电力平均碳足迹因子",
    en: "national average electricity carbon-footprint factor",
    values: [0.6205, 0.5777],
    status: [C, C],
  },
  { code: "COAL", kind: "coal", zh: "煤电碳足迹因子", en: "coal power carbon-footprint factor", values: [0.944, 0.924], status: [S, S] },
  { code: "GAS", kind: "gas", zh: "气电碳足迹因子", en: "gas power carbon-footprint factor", values: [0.4792, 0.4503], status: [S, S] },
  { code: "HYDRO", kind: "hydro", zh: "水电碳足迹因子", en: "hydropower carbon-footprint factor", values: [0.0143, 0.0141], status: [S, S] },
  { code: "NUCLEAR", kind: "nuclear", zh: "核电碳足迹因子", en: "nuclear power carbon-footprint factor", values: [0.0065, 0.0065], status: [S, S] },
  {
    code: "WIND",
    kind: "wind",
    zh: "风电碳足迹因子",
    en: "wind power carbon-footprint factor",
    values: [0.0336, 0.0324],
    status: [C, S],
    statusNote: MIXED,
  },
  {
    code: "PV",
    kind: "pv",
    zh: "光伏发电碳足迹因子",
    en: "solar PV power carbon-footprint factor",
    values: [0.0545, 0.052],
    status: [C, S],
    statusNote: MIXED,
  },
  {
    code: "SOLAR-THERMAL",
    kind: "solar_thermal",
    zh: "光热发电碳足迹因子",
    en: "solar thermal power carbon-footprint factor",
    values: [0.0313, 0.0312],
    status: [S, S],
  },
  {
    code: "BIOMASS",
    kind: "biomass",
    zh: "生物质发电碳足迹因子",
    en: "biomass power carbon-footprint factor",
    values: [0.0457, 0.0404],
    status: [C, S],
    statusNote: MIXED,
  },
  {
    code: "TD",
    kind: "transmission_distribution",
    zh: "输配电碳足迹因子（不含线损）",
    en: "transmission and distribution carbon-footprint factor (without losses)",
    values: [0.0036, 0.0046],
    status: [S, S],
  },
  {
    code: "TD-LOSSES",
    kind: "transmission_distribution_with_losses",
    zh: "输配电碳足迹因子（含线损）",
    en: "transmission and distribution carbon-footprint factor (with losses)",
    values: [null, 0.0327],
    status: [S, S],
  },
];

const FOOTPRINT_YEARS = [2023, 2024] as const;

function footprintFactors(): EmissionFactor[] {
  const out: EmissionFactor[] = [];
  // Newest first: the picker lists a dataset in its own order.
  for (const i of [1, 0] as const) {
    const year = FOOTPRINT_YEARS[i];
    const notice = FOOTPRINT_NOTICES[year]!;
    for (const row of FOOTPRINT) {
      const value = row.values[i];
      if (value === null) continue;
      const status = row.status[i];
      out.push({
        code: `EL-LC-${row.code}-${year}`,
        name: { zh: `${row.zh} ${year}（生命周期，CO2e）`, en: `${capitalised(row.en)} ${year} (life cycle, CO2e)` },
        category: "electricity",
        activityUnit: "kWh",
        co2e: { value, gwpSet: "AR6" },
        boundary: "life_cycle",
        electricity: row.kind,
        region: "CN",
        year,
        source: {
          document: notice.document,
          publisher: FOOTPRINT_PUBLISHER,
          year: notice.year,
          table: FOOTPRINT_TABLE,
          dataYear: year,
          status,
          ...(row.statusNote ? { statusNote: row.statusNote } : {}),
          note: notice.note,
        },
        demonstration: false,
        verify: true,
        yearConvention: "latest_not_after",
        note: `${AR6_ASSUMED} Life-cycle CO2e, stated for product carbon footprints: the default grid factor for a product footprint.`,
      });
    }
  }
  return out;
}

/** The CO2 emission-factor notices by data year (FACTORS-CN.md §3). */
const CO2_NOTICES: Readonly<Record<number, { document: string; year: number; note: string }>> = {
  2021: {
    document:
      "生态环境部、国家统计局公告2024年第12号（2021年电力二氧化碳排放因子） (MEE/NBS announcement No. 12 of 2024: 2021 electricity CO2 factors)",
    year: 2024,
    note: "Dated 2024-04-12.",
  },
  2022: {
    document:
      "生态环境部、国家统计局公告2024年第33号（2022年电力二氧化碳排放因子） (MEE/NBS announcement No. 33 of 2024: 2022 electricity CO2 factors)",
    year: 2024,
    note: "Signed 2024-12-20.",
  },
  2023: {
    document:
      "生态环境部、国家统计局公告2025年第47号（2023年电力二氧化碳排放因子） (MEE/NBS announcement No. 47 of 2025: 2023 electricity CO2 factors)",
    year: 2025,
    note: "Dated 2025-12-31; attachment of 5 tables, 40 rows (national 1, regions 7, provinces 30 with none for 西藏, tables 4 and 5 one each).",
  },
};

/** The notices' tables, numbered in the order FACTORS-CN.md §1 lists them. */
const CO2_TABLES = {
  national: "表1 全国电力平均二氧化碳排放因子 / table 1, national average",
  regional: "表2 区域电力平均二氧化碳排放因子 / table 2, regional grids",
  provincial: "表3 省级电力平均二氧化碳排放因子 / table 3, provinces",
  excludingMarket:
    "表4 全国电力平均二氧化碳排放因子（不包括市场化交易的非化石能源电量） / table 4, national excluding market-traded non-fossil power",
  fossil: "表5 全国化石能源电力二氧化碳排放因子 / table 5, national fossil-fuel power",
} as const;

const CO2_ONLY_NOTE =
  "CO2 only, from generation (combustion), for organisations' Scope-2 accounting; not a life-cycle factor. A PCR whose grid basis is life cycle never takes it, and conformance names any line that does.";

const CO2_YEARS = [2021, 2022, 2023] as const;
type Triple<T> = readonly [T, T, T];

interface Co2Row {
  readonly code: string;
  readonly region: string;
  readonly kind: Kind;
  readonly table: string;
  readonly zh: string;
  readonly en: string;
  readonly values: Triple<number>;
  /** Status per data year; confirmed where FACTORS-CN.md marks nothing. */
  readonly status?: Triple<TranscriptionStatus>;
}

// kg CO2/kWh, data years 2021 / 2022 / 2023
const NATIONAL_CO2: readonly Co2Row[] = [
  {
    code: "CN",
    region: "CN",
    kind: "grid_average",
    table: CO2_TABLES.national,
    zh: "全国电力平均二氧化碳排放因子",
    en: "national average electricity CO2 factor",
    values: [0.5568, 0.5366, 0.5306],
  },
  {
    code: "CN-XMNF",
    region: "CN",
    kind: "grid_excluding_market_non_fossil",
    table: CO2_TABLES.excludingMarket,
    zh: "全国电力平均二氧化碳排放因子（不包括市场化交易的非化石能源电量）",
    en: "national electricity CO2 factor excluding market-traded non-fossil power",
    values: [0.5942, 0.5856, 0.6096],
    status: [S, C, C],
  },
  {
    code: "CN-FOSSIL",
    region: "CN",
    kind: "grid_fossil",
    table: CO2_TABLES.fossil,
    zh: "全国化石能源电力二氧化碳排放因子",
    en: "national fossil-fuel power CO2 factor",
    values: [0.8426, 0.8325, 0.8273],
  },
];

const grid = (code: string, zh: string, en: string, values: Triple<number>, status?: Triple<TranscriptionStatus>): Co2Row => ({
  code,
  region: `CN-GRID-${code}`,
  kind: "grid_average",
  table: CO2_TABLES.regional,
  zh: `${zh}区域电网平均二氧化碳排放因子`,
  en: `${en} regional grid average CO2 factor`,
  values,
  ...(status ? { status } : {}),
});

const REGIONAL_CO2: readonly Co2Row[] = [
  grid("N", "华北", "North China", [0.712, 0.6776, 0.6361]),
  grid("NE", "东北", "Northeast China", [0.6012, 0.5564, 0.5122]),
  grid("E", "华东", "East China", [0.5992, 0.5617, 0.55]),
  grid("C", "华中", "Central China", [0.5354, 0.5395, 0.5271]),
  grid("NW", "西北", "Northwest China", [0.5951, 0.5857, 0.5543]),
  grid("S", "南方", "China Southern", [0.4326, 0.3869, 0.4042]),
  grid("SW", "西南", "Southwest China", [0.2113, 0.2268, 0.2472], [C, C, S]),
];

const province = (code: string, zh: string, en: string, values: Triple<number>): Co2Row => ({
  code,
  region: `CN-${code}`,
  kind: "grid_average",
  table: CO2_TABLES.provincial,
  zh: `${zh}电力平均二氧化碳排放因子`,
  en: `${en} average electricity CO2 factor`,
  values,
});

// 30 provinces, all confirmed; 西藏 has no value in any year (its grid's 2022 value is not its own).
const PROVINCIAL_CO2: readonly Co2Row[] = [
  province("BJ", "北京", "Beijing", [0.5688, 0.558, 0.5554]),
  province("TJ", "天津", "Tianjin", [0.7355, 0.7041, 0.6796]),
  province("HE", "河北", "Hebei", [0.7901, 0.7252, 0.6516]),
  province("SX", "山西", "Shanxi", [0.7222, 0.7096, 0.6634]),
  province("NM", "内蒙古", "Inner Mongolia", [0.7025, 0.6849, 0.6479]),
  province("LN", "辽宁", "Liaoning", [0.5876, 0.5626, 0.4878]),
  province("JL", "吉林", "Jilin", [0.5629, 0.4932, 0.4671]),
  province("HL", "黑龙江", "Heilongjiang", [0.6342, 0.5368, 0.5229]),
  province("SH", "上海", "Shanghai", [0.5834, 0.5849, 0.5737]),
  province("JS", "江苏", "Jiangsu", [0.6451, 0.5978, 0.5827]),
  province("ZJ", "浙江", "Zhejiang", [0.5422, 0.5153, 0.4974]),
  province("AH", "安徽", "Anhui", [0.7075, 0.6782, 0.6553]),
  province("FJ", "福建", "Fujian", [0.4711, 0.4092, 0.4211]),
  province("JX", "江西", "Jiangxi", [0.5835, 0.5752, 0.5836]),
  province("SD", "山东", "Shandong", [0.6838, 0.641, 0.6191]),
  province("HA", "河南", "Henan", [0.6369, 0.6058, 0.5897]),
  province("HB", "湖北", "Hubei", [0.3672, 0.4364, 0.4044]),
  province("HN", "湖南", "Hunan", [0.5138, 0.49, 0.4976]),
  province("GD", "广东", "Guangdong", [0.4715, 0.4403, 0.4419]),
  province("GX", "广西", "Guangxi", [0.5154, 0.4044, 0.4476]),
  province("HI", "海南", "Hainan", [0.4524, 0.4184, 0.3648]),
  province("CQ", "重庆", "Chongqing", [0.4743, 0.5227, 0.5581]),
  province("SC", "四川", "Sichuan", [0.1255, 0.1404, 0.1564]),
  province("GZ", "贵州", "Guizhou", [0.5182, 0.4989, 0.5683]),
  province("YN", "云南", "Yunnan", [0.1235, 0.1073, 0.1333]),
  province("SN", "陕西", "Shaanxi", [0.6336, 0.6558, 0.6335]),
  province("GS", "甘肃", "Gansu", [0.4955, 0.4772, 0.4471]),
  province("QH", "青海", "Qinghai", [0.1326, 0.1567, 0.1796]),
  province("NX", "宁夏", "Ningxia", [0.6546, 0.6423, 0.6187]),
  province("XJ", "新疆", "Xinjiang", [0.6577, 0.6231, 0.6021]),
];

function co2Factors(): EmissionFactor[] {
  const out: EmissionFactor[] = [];
  for (const row of [...NATIONAL_CO2, ...REGIONAL_CO2, ...PROVINCIAL_CO2]) {
    CO2_YEARS.forEach((year, i) => {
      const notice = CO2_NOTICES[year]!;
      out.push({
        code: `EL-S2-${row.code}-${year}`,
        name: { zh: `${row.zh} ${year}（仅二氧化碳）`, en: `${capitalised(row.en)} ${year} (CO2 only)` },
        category: "electricity",
        activityUnit: "kWh",
        gases: { co2_fossil: row.values[i]! },
        boundary: "scope2_co2_only",
        electricity: row.kind,
        region: row.region,
        year,
        source: {
          document: notice.document,
          publisher: "生态环境部、国家统计局 (MEE, NBS)",
          year: notice.year,
          table: row.table,
          dataYear: year,
          status: row.status?.[i] ?? C,
          note: notice.note,
        },
        demonstration: false,
        ...(row.status?.[i] === S ? { verify: true } : {}),
        yearConvention: "latest_not_after",
        note: CO2_ONLY_NOTE,
      });
    });
  }
  return out;
}

const FUEL_SOURCE = {
  document: "GB/T 32151.22—2024",
  publisher: "国家市场监督管理总局、国家标准化管理委员会 (SAMR, SAC)",
  year: 2024,
  table: "附录C 表C.1 / annex C, table C.1",
  dataYear: 2024,
} as const;

const COMBUSTION_ONLY = "Combustion CO2 only: CH4 and N2O of combustion and the upstream chain (extraction, processing, transport) are not included.";

/** One row of table C.1: code, names, NCV (GJ per t, or per 10⁴ Nm³ for gases), t C/GJ, oxidation %, tabulated t CO2. */
interface FuelRow {
  readonly code: string;
  readonly zh: string;
  readonly en: string;
  readonly gaseous: boolean;
  readonly ncv: string;
  readonly carbon: string;
  readonly oxidation: string;
  readonly tabulated: string;
  /** kg CO2 per kg (solids, liquids) or per Nm³ (gases): the tabulated value converted exactly (see fuelFactor). */
  readonly kgCo2: number;
  readonly status: TranscriptionStatus;
  readonly statusNote?: string;
  readonly note?: string;
}

const fuelRow = (
  code: string,
  zh: string,
  en: string,
  [ncv, carbon, oxidation, tabulated]: readonly [string, string, string, string],
  kgCo2: number,
  more: Partial<Pick<FuelRow, "gaseous" | "status" | "statusNote" | "note">> = {},
): FuelRow => ({ code, zh, en, ncv, carbon, oxidation, tabulated, kgCo2, gaseous: false, status: S, ...more });

const GAS: Partial<FuelRow> = { gaseous: true };

const FUELS: readonly FuelRow[] = [
  fuelRow("ANTHRACITE", "无烟煤", "anthracite", ["26.7", "0.0274", "94", "2.5215"], 2.5215),
  fuelRow("BITUMINOUS-COAL", "烟煤", "bituminous coal", ["19.570", "0.0261", "93", "1.7417"], 1.7417),
  fuelRow("LIGNITE", "褐煤", "lignite", ["11.9", "0.0280", "96", "1.1729"], 1.1729),
  fuelRow("WASHED-COAL", "洗精煤", "washed coal", ["26.334", "0.02541", "90", "2.2082"], 2.2082),
  fuelRow("OTHER-WASHED-COAL", "其他洗煤", "other washed coal", ["12.545", "0.02541", "90", "1.0519"], 1.0519),
  fuelRow("COKE", "焦炭", "coke", ["28.435", "0.0295", "93", "2.8604"], 2.8604),
  fuelRow("PETROLEUM-COKE", "石油焦", "petroleum coke", ["32.5", "0.0275", "98", "3.2115"], 3.2115),
  fuelRow("CRUDE-OIL", "原油", "crude oil", ["41.816", "0.0201", "98", "3.0202"], 3.0202, {
    note: "One other transcription gives a carbon content of 20.08 tC/TJ (0.02008 tC/GJ).",
  }),
  fuelRow("FUEL-OIL", "燃料油", "fuel oil", ["41.816", "0.0211", "98", "3.1705"], 3.1705),
  fuelRow("GASOLINE", "汽油", "gasoline", ["43.070", "0.0189", "98", "2.9251"], 2.9251),
  fuelRow("DIESEL", "柴油", "diesel", ["42.652", "0.0202", "98", "3.0959"], 3.0959),
  fuelRow("KEROSENE", "一般煤油", "kerosene", ["43.070", "0.0196", "98", "3.0334"], 3.0334),
  fuelRow("LNG", "液化天然气", "liquefied natural gas (LNG)", ["51.498", "0.0153", "98", "2.8313"], 2.8313),
  fuelRow("LPG", "液化石油气", "liquefied petroleum gas (LPG)", ["50.179", "0.0172", "98", "3.1013"], 3.1013),
  fuelRow("NATURAL-GAS", "天然气", "natural gas", ["389.31", "0.0153", "99", "21.6219"], 2.16219, {
    ...GAS,
    status: C,
    statusNote: "confirmed by a second standard",
    note: "One other transcription gives a carbon content of 15.32 tC/TJ (0.01532 tC/GJ).",
  }),
  fuelRow("COKE-OVEN-GAS", "焦炉煤气", "coke-oven gas", ["179.81", "0.01358", "99", "8.8638"], 0.88638, GAS),
  fuelRow("BLAST-FURNACE-GAS", "高炉煤气", "blast-furnace gas", ["33.00", "0.0708", "99", "8.4811"], 0.84811, GAS),
  fuelRow("CONVERTER-GAS", "转炉煤气", "converter gas", ["84.00", "0.0496", "99", "15.1240"], 1.5124, GAS),
];

/**
 * Units: table C.1 gives t CO2 per t of fuel, and per 10⁴ Nm³ for gases. Solids and liquids are
 * stored per kg (t CO2/t is kg CO2/kg, the same number); gases per m³ of gas at the table's
 * reference conditions, so t CO2 per 10⁴ Nm³ × 1 000 kg/t ÷ 10⁴ = the tabulated value ÷ 10, a
 * shift of the decimal point written out above. The schema checks each value against its formula's
 * tabulated result with exact decimals.
 */
function fuelFactor(row: FuelRow): EmissionFactor {
  const formula: FuelFormula = {
    method: "ncv_x_carbon_x_oxidation_x_44_12",
    perUnit: row.gaseous ? "10^4m3" : "t",
    ncvGJ: row.ncv,
    carbonTPerGJ: row.carbon,
    oxidationPercent: row.oxidation,
    tabulatedTCO2: row.tabulated,
  };
  const volume = row.gaseous ? " Per m³ of gas at the table's reference conditions (Nm³): enter volumes at those conditions." : "";
  return {
    code: `FUEL-${row.code}`,
    name: { zh: `${row.zh}（燃烧，仅二氧化碳）`, en: `${row.en} (combustion, CO2 only)` },
    category: "fuel",
    activityUnit: row.gaseous ? "m3" : "kg",
    gases: { co2_fossil: row.kgCo2 },
    boundary: "combustion",
    region: "CN",
    year: FUEL_SOURCE.dataYear,
    source: { ...FUEL_SOURCE, status: row.status, ...(row.statusNote ? { statusNote: row.statusNote } : {}) },
    demonstration: false,
    ...(row.status === S ? { verify: true } : {}),
    formula,
    note: [COMBUSTION_ONLY + volume, row.note].filter(Boolean).join(" "),
  };
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const CN_PUBLISHED_2026_1: FactorDataset = {
  id: "CN-PUBLISHED",
  version: "2026.1",
  name: { zh: "中国官方发布排放因子 2026.1", en: "Published Chinese emission factors 2026.1" },
  publishedOn: "2026-12-07",
  demonstration: false,
  note: "Electricity carbon-footprint factors 2023–2024, electricity CO2 factors 2021–2023 and the fossil-fuel defaults of GB/T 32151.22—2024, transcribed from public reprints of the official documents with each value's transcription status (docs/sources/FACTORS-CN.md).",
  factors: [...footprintFactors(), ...co2Factors(), ...FUELS.map(fuelFactor)],
};
