/**
 * Regions used by emission factors and inventories. Provinces use ISO 3166-2:CN codes; the seven
 * regional grids follow the division used by MEE/NBS for the 2021–2023 regional grid factors
 * (North, Northeast, East, Central, Northwest, South, Southwest).
 */
export type RegionLevel = "global" | "national" | "grid_region" | "province" | "foreign";

export interface Region {
  readonly code: string;
  readonly level: RegionLevel;
  readonly name: { readonly zh: string; readonly en: string };
  /** The enclosing region (province → grid region → national). */
  readonly parent?: string;
}

export const NATIONAL = "CN";

const grid = (code: string, zh: string, en: string): Region => ({ code, level: "grid_region", name: { zh, en }, parent: NATIONAL });
const prov = (code: string, zh: string, en: string, parent: string): Region => ({ code, level: "province", name: { zh, en }, parent });

/**
 * Province → grid membership. Inner Mongolia is split between the North and Northeast grids in
 * reality (west/east); at province granularity it is placed in the North grid, where most of its
 * generation sits. Tibet belongs to the Southwest grid. (verify against the MEE publication when
 * the regional division is revised.)
 */
export const REGIONS: readonly Region[] = Object.freeze([
  { code: "GLOBAL", level: "global", name: { zh: "全球", en: "global" } },
  { code: "GB", level: "foreign", name: { zh: "英国", en: "United Kingdom" } },
  { code: NATIONAL, level: "national", name: { zh: "全国", en: "China (national)" } },
  grid("CN-GRID-N", "华北电网", "North China grid"),
  grid("CN-GRID-NE", "东北电网", "Northeast China grid"),
  grid("CN-GRID-E", "华东电网", "East China grid"),
  grid("CN-GRID-C", "华中电网", "Central China grid"),
  grid("CN-GRID-NW", "西北电网", "Northwest China grid"),
  grid("CN-GRID-S", "南方电网", "China Southern grid"),
  grid("CN-GRID-SW", "西南电网", "Southwest China grid"),
  prov("CN-BJ", "北京", "Beijing", "CN-GRID-N"),
  prov("CN-TJ", "天津", "Tianjin", "CN-GRID-N"),
  prov("CN-HE", "河北", "Hebei", "CN-GRID-N"),
  prov("CN-SX", "山西", "Shanxi", "CN-GRID-N"),
  prov("CN-NM", "内蒙古", "Inner Mongolia", "CN-GRID-N"),
  prov("CN-SD", "山东", "Shandong", "CN-GRID-N"),
  prov("CN-LN", "辽宁", "Liaoning", "CN-GRID-NE"),
  prov("CN-JL", "吉林", "Jilin", "CN-GRID-NE"),
  prov("CN-HL", "黑龙江", "Heilongjiang", "CN-GRID-NE"),
  prov("CN-SH", "上海", "Shanghai", "CN-GRID-E"),
  prov("CN-JS", "江苏", "Jiangsu", "CN-GRID-E"),
  prov("CN-ZJ", "浙江", "Zhejiang", "CN-GRID-E"),
  prov("CN-AH", "安徽", "Anhui", "CN-GRID-E"),
  prov("CN-FJ", "福建", "Fujian", "CN-GRID-E"),
  prov("CN-JX", "江西", "Jiangxi", "CN-GRID-C"),
  prov("CN-HA", "河南", "Henan", "CN-GRID-C"),
  prov("CN-HB", "湖北", "Hubei", "CN-GRID-C"),
  prov("CN-HN", "湖南", "Hunan", "CN-GRID-C"),
  prov("CN-CQ", "重庆", "Chongqing", "CN-GRID-SW"),
  prov("CN-SC", "四川", "Sichuan", "CN-GRID-SW"),
  prov("CN-XZ", "西藏", "Tibet", "CN-GRID-SW"),
  prov("CN-GD", "广东", "Guangdong", "CN-GRID-S"),
  prov("CN-GX", "广西", "Guangxi", "CN-GRID-S"),
  prov("CN-HI", "海南", "Hainan", "CN-GRID-S"),
  prov("CN-GZ", "贵州", "Guizhou", "CN-GRID-S"),
  prov("CN-YN", "云南", "Yunnan", "CN-GRID-S"),
  prov("CN-SN", "陕西", "Shaanxi", "CN-GRID-NW"),
  prov("CN-GS", "甘肃", "Gansu", "CN-GRID-NW"),
  prov("CN-QH", "青海", "Qinghai", "CN-GRID-NW"),
  prov("CN-NX", "宁夏", "Ningxia", "CN-GRID-NW"),
  prov("CN-XJ", "新疆", "Xinjiang", "CN-GRID-NW"),
] satisfies Region[]);

const BY_CODE: ReadonlyMap<string, Region> = new Map(REGIONS.map((r) => [r.code, r]));

export function findRegion(code: string): Region | undefined {
  return BY_CODE.get(code);
}

export function isKnownRegion(code: string): boolean {
  return BY_CODE.has(code);
}

/** The region and its ancestors, nearest first: CN-SC → CN-GRID-SW → CN. */
export function regionChain(code: string): string[] {
  const chain: string[] = [];
  let current = BY_CODE.get(code);
  while (current) {
    chain.push(current.code);
    current = current.parent ? BY_CODE.get(current.parent) : undefined;
  }
  return chain;
}

/** True when `factorRegion` is the location itself or a region that encloses it. */
export function regionCovers(factorRegion: string, location: string): boolean {
  return regionChain(location).includes(factorRegion);
}

const LEVEL_RANK: Readonly<Record<RegionLevel, number>> = { global: 0, foreign: 0, national: 1, grid_region: 2, province: 3 };

/** True when `level` is at least as fine as `required` (province ⊂ grid region ⊂ national). */
export function isAtLeastAsFine(level: RegionLevel, required: RegionLevel): boolean {
  return LEVEL_RANK[level] >= LEVEL_RANK[required];
}
