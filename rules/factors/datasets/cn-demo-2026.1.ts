import type { EmissionFactor, FactorDataset } from "../schema.ts";

/**
 * CN-DEMO 2026.1 — the demonstration emission-factor dataset.
 *
 * Every value sourced from shared/REFERENCE.md §4 is copied exactly and names its source document.
 * Values the demo products need that REFERENCE.md does not hold are flagged `demonstration: true`
 * with a note: they are illustrative orders of magnitude, not citable data.
 *
 * GWP basis of aggregated CO2e values: the secondary sources do not state it. GB/T 51366-2019
 * characterises with IPCC AR5 values (recorded as AR5, verify); the 2023 life-cycle electricity
 * factors (published 2025) are recorded as AR6 (verify). Because the calculator never mixes GWP
 * sets, an AR6 study cannot use the AR5 factors; the demo products therefore use AR6 demonstration
 * re-statements where they need transport (see the notes on those factors).
 */

const MEE_NBS_SCOPE2 = (dataYear: number, publicationYear: number) => ({
  document: `${dataYear}年电力二氧化碳排放因子 (electricity CO2 emission factors, data year ${dataYear})`,
  publisher: "生态环境部、国家统计局 (MEE, NBS)",
  year: publicationYear,
  note: "Scope-2 accounting factor: CO2 from generation only, not a life-cycle factor. Publication year per public secondary sources (verify).",
});

const MEE_LIFE_CYCLE = {
  document: "2023年电力碳足迹因子 (life-cycle electricity carbon-footprint factors, data year 2023)",
  publisher: "生态环境部、国家统计局、国家能源局 (MEE, NBS, NEA)",
  year: 2025,
  clause: "announcement of 2025-01-17",
};

const FUEL_DEFAULTS = {
  document:
    "中国化石燃料缺省参数：低位发热量 × 单位热值含碳量 × 碳氧化率 × 44/12 (China default fuel parameters: NCV × carbon content × oxidation × 44/12)",
  publisher: "国家发展改革委/生态环境部 温室气体排放核算指南与 GB/T 32150-2015 (as quoted by public secondary sources)",
  year: 2015,
  note: "Combustion CO2 only (direct); upstream fuel supply not included.",
};

const GBT_51366 = (annex: "D" | "E") => ({
  document: "GB/T 51366-2019 建筑碳排放计算标准 (Standard for building carbon emission calculation)",
  publisher: "住房和城乡建设部 (MOHURD)",
  year: 2019,
  clause: `附录 ${annex} (annex ${annex})`,
});

const DEMO_SOURCE = {
  document: "CarbonLabel demonstration value",
  publisher: "CarbonLabel",
  year: 2026,
};

const AR5_VERIFY = "GWP basis not stated by the secondary source; AR5 assumed for GB/T 51366-2019 (verify).";

function scope2(
  code: string,
  region: string,
  year: number,
  value: number,
  kind: EmissionFactor["electricity"],
  zh: string,
  en: string,
  publicationYear: number,
): EmissionFactor {
  return {
    code,
    name: { zh, en },
    category: "electricity",
    activityUnit: "kWh",
    gases: { co2_fossil: value },
    boundary: "scope2_co2_only",
    electricity: kind,
    region,
    year,
    source: MEE_NBS_SCOPE2(year, publicationYear),
    demonstration: false,
  };
}

/** Publication years of the MEE/NBS Scope-2 factors by data year (verify, see MEE_NBS_SCOPE2). */
const SCOPE2_PUBLISHED: Readonly<Record<number, number>> = { 2021: 2024, 2022: 2024, 2023: 2025 };

const NATIONAL_SCOPE2: ReadonlyArray<readonly [number, number, number, number]> = [
  // year, national average, excluding market-traded non-fossil, fossil power — kgCO2/kWh
  [2021, 0.5568, 0.5942, 0.8426],
  [2022, 0.5366, 0.5856, 0.8325],
  [2023, 0.5306, 0.6096, 0.8273],
];

const GRID_SCOPE2: ReadonlyArray<readonly [string, string, string, string, readonly [number, number, number]]> = [
  // code suffix, region, zh, en, 2021 / 2022 / 2023 kgCO2/kWh
  ["N", "CN-GRID-N", "华北电网", "North China grid", [0.712, 0.6776, 0.6361]],
  ["NE", "CN-GRID-NE", "东北电网", "Northeast China grid", [0.6012, 0.5564, 0.5122]],
  ["E", "CN-GRID-E", "华东电网", "East China grid", [0.5992, 0.5617, 0.55]],
  ["C", "CN-GRID-C", "华中电网", "Central China grid", [0.5354, 0.5395, 0.5271]],
  ["NW", "CN-GRID-NW", "西北电网", "Northwest China grid", [0.5951, 0.5857, 0.5543]],
  ["S", "CN-GRID-S", "南方电网", "China Southern grid", [0.4326, 0.3869, 0.4042]],
  ["SW", "CN-GRID-SW", "西南电网", "Southwest China grid", [0.2113, 0.2268, 0.2472]],
];

const PROVINCE_SCOPE2: ReadonlyArray<readonly [string, string, string, number, number]> = [
  // ISO 3166-2 suffix, zh, en, 2021, 2022 kgCO2/kWh
  ["BJ", "北京", "Beijing", 0.5688, 0.558],
  ["TJ", "天津", "Tianjin", 0.7355, 0.7041],
  ["HE", "河北", "Hebei", 0.7901, 0.7252],
  ["SX", "山西", "Shanxi", 0.7222, 0.7096],
  ["NM", "内蒙古", "Inner Mongolia", 0.7025, 0.6849],
  ["LN", "辽宁", "Liaoning", 0.5876, 0.5626],
  ["JL", "吉林", "Jilin", 0.5629, 0.4932],
  ["HL", "黑龙江", "Heilongjiang", 0.6342, 0.5368],
  ["SH", "上海", "Shanghai", 0.5834, 0.5849],
  ["JS", "江苏", "Jiangsu", 0.6451, 0.5978],
  ["ZJ", "浙江", "Zhejiang", 0.5422, 0.5153],
  ["AH", "安徽", "Anhui", 0.7075, 0.6782],
  ["FJ", "福建", "Fujian", 0.4711, 0.4092],
  ["JX", "江西", "Jiangxi", 0.5835, 0.5752],
  ["SD", "山东", "Shandong", 0.6838, 0.641],
  ["HA", "河南", "Henan", 0.6369, 0.6058],
  ["HB", "湖北", "Hubei", 0.3672, 0.4364],
  ["HN", "湖南", "Hunan", 0.5138, 0.49],
  ["GD", "广东", "Guangdong", 0.4715, 0.4403],
  ["GX", "广西", "Guangxi", 0.5154, 0.4044],
  ["HI", "海南", "Hainan", 0.4524, 0.4184],
  ["CQ", "重庆", "Chongqing", 0.4743, 0.5227],
  ["SC", "四川", "Sichuan", 0.1255, 0.1404],
  ["GZ", "贵州", "Guizhou", 0.5182, 0.4989],
  ["YN", "云南", "Yunnan", 0.1235, 0.1073],
  ["SN", "陕西", "Shaanxi", 0.6336, 0.6558],
  ["GS", "甘肃", "Gansu", 0.4955, 0.4772],
  ["QH", "青海", "Qinghai", 0.1326, 0.1567],
  ["NX", "宁夏", "Ningxia", 0.6546, 0.6423],
  ["XJ", "新疆", "Xinjiang", 0.6577, 0.6231],
];

function gridScope2Factors(): EmissionFactor[] {
  const out: EmissionFactor[] = [];
  for (const [year, average, excludingMarket, fossil] of NATIONAL_SCOPE2) {
    const published = SCOPE2_PUBLISHED[year] ?? year + 2;
    out.push(
      scope2(
        `EL-S2-CN-${year}`,
        "CN",
        year,
        average,
        "grid_average",
        `全国电网平均二氧化碳排放因子 ${year}`,
        `National grid average CO2 factor ${year}`,
        published,
      ),
      scope2(
        `EL-S2-CN-XMNF-${year}`,
        "CN",
        year,
        excludingMarket,
        "grid_excluding_market_non_fossil",
        `全国电力平均二氧化碳排放因子（不包括市场化交易的非化石能源电量）${year}`,
        `National electricity CO2 factor excluding market-traded non-fossil power ${year}`,
        published,
      ),
      scope2(
        `EL-S2-CN-FOSSIL-${year}`,
        "CN",
        year,
        fossil,
        "grid_fossil",
        `全国化石能源电力二氧化碳排放因子 ${year}`,
        `National fossil-power CO2 factor ${year}`,
        published,
      ),
    );
  }
  GRID_SCOPE2.forEach(([suffix, region, zh, en, values]) => {
    values.forEach((value, i) => {
      const year = 2021 + i;
      out.push(
        scope2(
          `EL-S2-${suffix}-${year}`,
          region,
          year,
          value,
          "grid_average",
          `${zh}平均二氧化碳排放因子 ${year}`,
          `${en} average CO2 factor ${year}`,
          SCOPE2_PUBLISHED[year] ?? year + 2,
        ),
      );
    });
  });
  for (const [suffix, zh, en, y2021, y2022] of PROVINCE_SCOPE2) {
    out.push(
      scope2(
        `EL-S2-${suffix}-2021`,
        `CN-${suffix}`,
        2021,
        y2021,
        "grid_average",
        `${zh}电力平均二氧化碳排放因子 2021`,
        `${en} electricity CO2 factor 2021`,
        2024,
      ),
      scope2(
        `EL-S2-${suffix}-2022`,
        `CN-${suffix}`,
        2022,
        y2022,
        "grid_average",
        `${zh}电力平均二氧化碳排放因子 2022`,
        `${en} electricity CO2 factor 2022`,
        2024,
      ),
    );
  }
  return out;
}

function lifeCycle(code: string, kind: EmissionFactor["electricity"], value: number, zh: string, en: string): EmissionFactor {
  return {
    code,
    name: { zh, en },
    category: "electricity",
    activityUnit: "kWh",
    co2e: { value, gwpSet: "AR6" },
    boundary: "life_cycle",
    electricity: kind,
    region: "CN",
    year: 2023,
    source: MEE_LIFE_CYCLE,
    demonstration: false,
    verify: true,
    note: "GWP basis not stated by the secondary source; AR6 assumed (verify).",
  };
}

function fuel(code: string, zh: string, en: string, kgCo2PerUnit: number, unit: "kg" | "m3"): EmissionFactor {
  return {
    code,
    name: { zh, en },
    category: "fuel",
    activityUnit: unit,
    gases: { co2_fossil: kgCo2PerUnit },
    boundary: "combustion",
    region: "CN",
    year: 2015,
    source: FUEL_DEFAULTS,
    demonstration: false,
  };
}

function gbMaterial(code: string, zh: string, en: string, kgCo2ePerUnit: number, unit: "t" | "m3"): EmissionFactor {
  return {
    code,
    name: { zh, en },
    category: "material",
    activityUnit: unit,
    co2e: { value: kgCo2ePerUnit, gwpSet: "AR5" },
    boundary: "cradle_to_gate",
    region: "CN",
    year: 2019,
    source: GBT_51366("D"),
    demonstration: false,
    verify: true,
    note: AR5_VERIFY,
  };
}

function demo(
  code: string,
  category: EmissionFactor["category"],
  zh: string,
  en: string,
  unit: string,
  kgCo2ePerUnit: number,
  note: string,
  boundary: EmissionFactor["boundary"] = "cradle_to_gate",
): EmissionFactor {
  return {
    code,
    name: { zh, en },
    category,
    activityUnit: unit,
    co2e: { value: kgCo2ePerUnit, gwpSet: "AR6" },
    boundary,
    region: "CN",
    year: 2025,
    source: DEMO_SOURCE,
    demonstration: true,
    note,
  };
}

const DEMO_MATERIAL_NOTE = "Demonstration value for the demo products; order of magnitude from public LCA literature, not a citable factor.";

const FACTORS: EmissionFactor[] = [
  ...gridScope2Factors(),

  lifeCycle("EL-LC-CN-2023", "grid_average", 0.6205, "全国电网平均电力碳足迹因子 2023", "National grid electricity life-cycle factor 2023"),
  lifeCycle("EL-LC-WIND-2023", "wind", 0.0336, "风电碳足迹因子 2023", "Wind power life-cycle factor 2023"),
  lifeCycle("EL-LC-PV-2023", "pv", 0.0545, "光伏发电碳足迹因子 2023", "Solar PV power life-cycle factor 2023"),
  lifeCycle("EL-LC-BIOMASS-2023", "biomass", 0.0457, "生物质发电碳足迹因子 2023", "Biomass power life-cycle factor 2023"),

  fuel("FUEL-RAW-COAL", "原煤", "raw coal", 1.9003, "kg"),
  fuel("FUEL-COKE", "焦炭", "coke", 2.8604, "kg"),
  fuel("FUEL-CRUDE-OIL", "原油", "crude oil", 3.0202, "kg"),
  fuel("FUEL-FUEL-OIL", "燃料油", "fuel oil", 3.1705, "kg"),
  fuel("FUEL-GASOLINE", "汽油", "gasoline", 2.9251, "kg"),
  fuel("FUEL-KEROSENE", "煤油", "kerosene", 3.0179, "kg"),
  fuel("FUEL-DIESEL", "柴油", "diesel", 3.0959, "kg"),
  fuel("FUEL-LPG", "液化石油气", "liquefied petroleum gas", 3.1013, "kg"),
  fuel("FUEL-REFINERY-GAS", "炼厂干气", "refinery gas", 3.0119, "kg"),
  fuel("FUEL-NATURAL-GAS", "天然气", "natural gas", 2.1622, "m3"),
  {
    code: "FUEL-COAL-TCE",
    name: { zh: "煤炭（按标准煤计）", en: "coal, per tonne of coal equivalent" },
    category: "fuel",
    activityUnit: "tce",
    gases: { co2_fossil: 2493.3 },
    boundary: "combustion",
    region: "CN",
    year: 2015,
    source: {
      document: "0.68 tC/tce × 44/12 (carbon content of standard coal)",
      publisher: "shared/REFERENCE.md §4 (note on seed 003)",
      year: 2015,
      note: "Seed 003 quotes 2.492 t CO2 per t of raw coal; that matches tonnes of coal equivalent, not physical tonnes.",
    },
    demonstration: false,
    verify: true,
    note: "Use only with quantities in tce (标准煤); for physical coal use FUEL-RAW-COAL.",
  },

  gbMaterial("MAT-PORTLAND-CEMENT", "硅酸盐水泥", "Portland cement", 735, "t"),
  gbMaterial("MAT-QUICKLIME", "生石灰", "quicklime", 1190, "t"),
  gbMaterial("MAT-FLAT-GLASS", "平板玻璃", "flat glass", 1130, "t"),
  gbMaterial("MAT-CARBON-STEEL", "碳钢", "carbon steel", 2050, "t"),
  gbMaterial("MAT-REBAR-HR", "热轧带肋钢筋", "hot-rolled ribbed rebar", 2340, "t"),
  gbMaterial("MAT-SEAMLESS-STEEL-PIPE", "无缝钢管", "seamless steel pipe", 3150, "t"),
  gbMaterial("MAT-ALU-ELECTROLYTIC", "电解铝", "electrolytic aluminium", 20300, "t"),
  gbMaterial("MAT-CONCRETE-C30", "C30 混凝土", "C30 concrete", 295, "m3"),
  gbMaterial("MAT-CONCRETE-C50", "C50 混凝土", "C50 concrete", 385, "m3"),

  {
    code: "TR-ROAD-HDT-30T",
    name: { zh: "重型柴油货车运输（载重 30 t）", en: "heavy diesel truck, 30 t payload" },
    category: "transport",
    activityUnit: "tkm",
    co2e: { value: 0.078, gwpSet: "AR5" },
    boundary: "life_cycle",
    region: "CN",
    year: 2019,
    source: GBT_51366("E"),
    demonstration: false,
    verify: true,
    note: AR5_VERIFY,
  },
  {
    code: "TR-ROAD-MDT-8T",
    name: { zh: "中型柴油货车运输（载重 8 t）", en: "medium diesel truck, 8 t payload" },
    category: "transport",
    activityUnit: "tkm",
    co2e: { value: 0.179, gwpSet: "AR5" },
    boundary: "life_cycle",
    region: "CN",
    year: 2019,
    source: GBT_51366("E"),
    demonstration: false,
    verify: true,
    note: AR5_VERIFY,
  },
  {
    code: "TR-RAIL-FREIGHT",
    name: { zh: "铁路货运", en: "rail freight" },
    category: "transport",
    activityUnit: "tkm",
    co2e: { value: 0.02782, gwpSet: "AR5" },
    boundary: "life_cycle",
    region: "GB",
    year: 2023,
    source: { document: "UK Government GHG conversion factors for company reporting (freight, rail)", publisher: "UK DEFRA / DESNZ", year: 2023 },
    demonstration: false,
    verify: true,
    note: "UK factor used for lack of a Chinese one; edition year and GWP basis (AR5) not stated by the secondary source (verify).",
  },

  // Demonstration AR6 re-statements of the transport factors above, so AR6 demo studies can
  // include transport without mixing GWP sets. Diesel-truck and rail factors are almost entirely
  // CO2, so the AR5→AR6 change of the small CH4/N2O part is negligible for a demonstration.
  demo(
    "TR-ROAD-HDT-30T-DEMO",
    "transport",
    "重型柴油货车运输（载重 30 t，AR6 演示）",
    "heavy diesel truck, 30 t payload (AR6 demonstration)",
    "tkm",
    0.078,
    "Demonstration: the GB/T 51366-2019 annex E value 0.078 kgCO2e/t·km re-stated under AR6 without recharacterisation (CH4/N2O share assumed negligible).",
    "life_cycle",
  ),
  demo(
    "TR-RAIL-FREIGHT-DEMO",
    "transport",
    "铁路货运（AR6 演示）",
    "rail freight (AR6 demonstration)",
    "tkm",
    0.02782,
    "Demonstration: the UK DEFRA rail freight value 0.02782 kgCO2e/t·km re-stated under AR6 for China without recharacterisation.",
    "life_cycle",
  ),

  // Battery (PCR-CN-LIB-EV demo)
  demo("MAT-NCM811-PCAM-DEMO", "material", "NCM811 三元前驱体", "NCM811 precursor (Ni0.8Co0.1Mn0.1(OH)2)", "kg", 9.8, DEMO_MATERIAL_NOTE),
  demo("MAT-LIOH-DEMO", "material", "单水氢氧化锂", "lithium hydroxide monohydrate", "kg", 14.0, DEMO_MATERIAL_NOTE),
  demo("MAT-GRAPHITE-DEMO", "material", "人造石墨负极材料", "synthetic graphite anode material", "kg", 4.9, DEMO_MATERIAL_NOTE),
  demo("MAT-ELECTROLYTE-DEMO", "material", "锂电池电解液（LiPF6）", "Li-ion electrolyte (LiPF6 in carbonates)", "kg", 7.2, DEMO_MATERIAL_NOTE),
  demo("MAT-CU-FOIL-DEMO", "material", "锂电铜箔", "copper foil for Li-ion cells", "kg", 8.1, DEMO_MATERIAL_NOTE),
  demo("MAT-AL-FOIL-DEMO", "material", "电池铝箔", "aluminium foil for Li-ion cells", "kg", 13.5, DEMO_MATERIAL_NOTE),
  demo("MAT-SEPARATOR-DEMO", "material", "聚乙烯隔膜", "polyethylene separator", "kg", 5.6, DEMO_MATERIAL_NOTE),
  demo("MAT-AL-SHEET-DEMO", "material", "铝合金板（电池箱体）", "aluminium alloy sheet (battery enclosure)", "kg", 12.9, DEMO_MATERIAL_NOTE),
  demo(
    "WST-LIB-RECYCLING-DEMO",
    "waste",
    "废锂电池湿法回收处理",
    "hydrometallurgical recycling of spent Li-ion batteries",
    "kg",
    1.1,
    "Demonstration value: treatment burden only, no credit for recovered metals (cut-off approach).",
    "treatment",
  ),

  // Cement (PCR-CN-CEMENT demo)
  demo("MAT-LIMESTONE-DEMO", "material", "石灰石（开采、破碎）", "limestone, quarried and crushed", "t", 2.6, DEMO_MATERIAL_NOTE),
  demo("MAT-SHALE-DEMO", "material", "页岩（校正原料）", "shale (corrective raw material)", "t", 2.4, DEMO_MATERIAL_NOTE),
  demo("MAT-GYPSUM-DEMO", "material", "天然石膏", "natural gypsum", "t", 8.0, DEMO_MATERIAL_NOTE),
  demo(
    "MAT-GGBS-DEMO",
    "material",
    "粒化高炉矿渣（烘干）",
    "granulated blast-furnace slag, dried",
    "t",
    15.0,
    "Demonstration value: slag treated as a burden-free residue of iron making; covers drying and handling only.",
  ),

  // Textile (PCR-CN-TEXTILE-FABRIC demo)
  demo("MAT-PET-FDY-DEMO", "material", "原生涤纶长丝（FDY）", "virgin polyester filament yarn (FDY)", "kg", 6.4, DEMO_MATERIAL_NOTE),
  demo(
    "MAT-RPET-FDY-DEMO",
    "material",
    "再生涤纶长丝（瓶片再生）",
    "recycled polyester filament yarn (bottle-to-fibre)",
    "kg",
    3.1,
    "Demonstration value: recycled input burden-free at collection (cut-off approach); covers sorting, washing, re-melting and spinning.",
  ),
  demo("MAT-DYE-AUX-DEMO", "material", "染料及助剂", "dyes and auxiliaries", "kg", 6.0, DEMO_MATERIAL_NOTE),
  demo("MAT-CARTON-DEMO", "material", "瓦楞纸箱", "corrugated board box", "kg", 1.1, DEMO_MATERIAL_NOTE),
  demo(
    "WST-TEXTILE-WASTEWATER-DEMO",
    "waste",
    "印染废水处理",
    "dyeing wastewater treatment",
    "m3",
    0.62,
    "Demonstration value: municipal-type activated-sludge treatment including its electricity and CH4/N2O.",
    "treatment",
  ),
];

export const CN_DEMO_2026_1: FactorDataset = {
  id: "CN-DEMO",
  version: "2026.1",
  name: { zh: "中国演示排放因子库 2026.1", en: "China demonstration emission-factor dataset 2026.1" },
  publishedOn: "2026-01-15",
  demonstration: true,
  note: "Sourced values copied from shared/REFERENCE.md §4 with their sources; values flagged demonstration are illustrative only.",
  factors: FACTORS,
};
