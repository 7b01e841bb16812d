/** Life-cycle stages of a product as seed 004 names them (原料获取 … 回收利用/废弃处置). */
export const STAGES = ["raw_material_acquisition", "raw_material_transport", "production", "distribution", "use", "end_of_life"] as const;
export type Stage = (typeof STAGES)[number];

export const STAGE_NAMES: Readonly<Record<Stage, { zh: string; en: string }>> = {
  raw_material_acquisition: { zh: "原料获取", en: "raw material acquisition" },
  raw_material_transport: { zh: "原料运输", en: "raw material transport" },
  production: { zh: "生产制造", en: "production" },
  distribution: { zh: "销售运输", en: "distribution" },
  use: { zh: "产品使用", en: "use" },
  end_of_life: { zh: "回收利用/废弃处置", en: "end of life (recycling/disposal)" },
};

export const STAGE_INDEX: Readonly<Record<Stage, number>> = Object.freeze(Object.fromEntries(STAGES.map((s, i) => [s, i])) as Record<Stage, number>);
