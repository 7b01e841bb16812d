/**
 * Global warming potentials, 100-year horizon, from IPCC AR5 (WG1 ch. 8, table 8.A.1) and
 * AR6 (WG1 ch. 7, table 7.SM.7), as listed in shared/REFERENCE.md §3. A study uses exactly one set;
 * the calculator refuses CO2e factors characterised under the other set unless per-gas values exist.
 */
export const GWP_SET_IDS = ["AR5", "AR6"] as const;
export type GwpSetId = (typeof GWP_SET_IDS)[number];

/**
 * Greenhouse gases the inventory can carry. CO2 and CH4 are split by origin because ISO 14067 /
 * GB/T 24067 require fossil and biogenic emissions to be reported separately, and AR6 gives
 * non-fossil methane its own GWP.
 */
export const GASES = [
  "co2_fossil",
  "co2_biogenic",
  "ch4_fossil",
  "ch4_non_fossil",
  "n2o",
  "SF6",
  "NF3",
  "HFC-23",
  "HFC-32",
  "HFC-125",
  "HFC-134a",
  "HFC-143a",
  "HFC-152a",
  "HFC-227ea",
  "CF4",
  "C2F6",
] as const;
export type Gas = (typeof GASES)[number];

/** Gases whose emissions count as biogenic in the fossil/biogenic split. */
export const BIOGENIC_GASES: ReadonlySet<Gas> = new Set<Gas>(["co2_biogenic", "ch4_non_fossil"]);

export const GAS_NAMES: Readonly<Record<Gas, { zh: string; en: string }>> = {
  co2_fossil: { zh: "化石源二氧化碳", en: "fossil CO2" },
  co2_biogenic: { zh: "生物源二氧化碳", en: "biogenic CO2" },
  ch4_fossil: { zh: "化石源甲烷", en: "fossil CH4" },
  ch4_non_fossil: { zh: "非化石源甲烷", en: "non-fossil CH4" },
  n2o: { zh: "氧化亚氮", en: "N2O" },
  SF6: { zh: "六氟化硫", en: "SF6" },
  NF3: { zh: "三氟化氮", en: "NF3" },
  "HFC-23": { zh: "HFC-23", en: "HFC-23" },
  "HFC-32": { zh: "HFC-32", en: "HFC-32" },
  "HFC-125": { zh: "HFC-125", en: "HFC-125" },
  "HFC-134a": { zh: "HFC-134a", en: "HFC-134a" },
  "HFC-143a": { zh: "HFC-143a", en: "HFC-143a" },
  "HFC-152a": { zh: "HFC-152a", en: "HFC-152a" },
  "HFC-227ea": { zh: "HFC-227ea", en: "HFC-227ea" },
  CF4: { zh: "四氟化碳", en: "CF4 (PFC-14)" },
  C2F6: { zh: "六氟乙烷", en: "C2F6 (PFC-116)" },
};

export interface GwpSet {
  readonly id: GwpSetId;
  readonly name: { readonly zh: string; readonly en: string };
  readonly horizonYears: 100;
  readonly source: string;
  /** kg CO2e per kg of gas. */
  readonly factors: Readonly<Record<Gas, number>>;
  /** Values a secondary source disagrees on; kept, and shown to users as "verify". */
  readonly verify: Readonly<Partial<Record<Gas, string>>>;
}

export const GWP_SETS: Readonly<Record<GwpSetId, GwpSet>> = Object.freeze({
  AR5: Object.freeze({
    id: "AR5",
    name: { zh: "IPCC 第五次评估报告 GWP100", en: "IPCC AR5 GWP100" },
    horizonYears: 100,
    source: "IPCC AR5 WG1 (2013), chapter 8, table 8.A.1 (without climate-carbon feedbacks); via shared/REFERENCE.md §3",
    factors: Object.freeze({
      co2_fossil: 1,
      co2_biogenic: 1,
      ch4_fossil: 30,
      ch4_non_fossil: 28,
      n2o: 265,
      SF6: 23_500,
      NF3: 16_100,
      "HFC-23": 12_400,
      "HFC-32": 677,
      "HFC-125": 3_170,
      "HFC-134a": 1_300,
      "HFC-143a": 4_800,
      "HFC-152a": 138,
      "HFC-227ea": 3_350,
      CF4: 6_630,
      C2F6: 11_100,
    }),
    verify: Object.freeze({}),
  }),
  AR6: Object.freeze({
    id: "AR6",
    name: { zh: "IPCC 第六次评估报告 GWP100", en: "IPCC AR6 GWP100" },
    horizonYears: 100,
    source: "IPCC AR6 WG1 (2021), chapter 7, table 7.SM.7; via shared/REFERENCE.md §3",
    factors: Object.freeze({
      co2_fossil: 1,
      co2_biogenic: 1,
      ch4_fossil: 29.8,
      ch4_non_fossil: 27.0,
      n2o: 273,
      SF6: 25_200,
      NF3: 17_400,
      "HFC-23": 14_600,
      "HFC-32": 771,
      "HFC-125": 3_740,
      "HFC-134a": 1_526,
      "HFC-143a": 5_810,
      "HFC-152a": 164,
      "HFC-227ea": 3_600,
      CF4: 7_380,
      C2F6: 12_400,
    }),
    verify: Object.freeze({
      SF6: "verify: one secondary source gives 24 300 for AR6 SF6; 25 200 is kept (REFERENCE.md §3)",
    }),
  }),
});

export function gwpSet(id: GwpSetId): GwpSet {
  return GWP_SETS[id];
}

/** Index of each gas in GASES, for array-backed accumulation in the calculator's hot loop. */
export const GAS_INDEX: Readonly<Record<Gas, number>> = Object.freeze(Object.fromEntries(GASES.map((g, i) => [g, i])) as Record<Gas, number>);

export function isGas(value: string): value is Gas {
  return (GASES as readonly string[]).includes(value);
}
