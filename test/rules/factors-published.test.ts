/**
 * CN-PUBLISHED against its source: docs/sources/FACTORS-CN.md is read as a person reads it (its
 * tables, its province list, its document lines, its notes) and every value, data year,
 * transcription status and document there is compared with the shipped factor; a shipped factor
 * the file does not list fails the test too.
 */
import { readFileSync } from "node:fs";
import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import {
  CN_PUBLISHED_2026_1,
  DEFAULT_FACTOR_LIBRARY,
  EmissionFactorSchema,
  FactorDatasetSchema,
  formulaProduct,
  type EmissionFactor,
  type TranscriptionStatus,
} from "../../rules/factors/index.ts";
import { REGIONS } from "../../rules/regions.ts";
import { conversionRatio, dimensionOf } from "../../rules/units.ts";

const markdown = readFileSync(new URL("../../docs/sources/FACTORS-CN.md", import.meta.url), "utf8");

/** The text of a numbered section ("## 2. …"), up to the next one. */
function section(n: number): string {
  const found = markdown.split(/^## /m).find((s) => s.startsWith(`${n}. `));
  if (!found) throw new Error(`FACTORS-CN.md has no section ${n}`);
  return found;
}

/** The body rows of the markdown table in a text, as trimmed cells. */
function tableRows(text: string): string[][] {
  const rows = text
    .split("\n")
    .filter((l) => l.startsWith("|"))
    .map((l) =>
      l
        .slice(1, -1)
        .split("|")
        .map((c) => c.trim()),
    );
  // The header, then the |---| rule, then the body.
  return rows.slice(2);
}

/** "2023 data — <designations> (" per year, from a section's "Documents:" paragraph. */
function documentsByYear(text: string): Map<number, string[]> {
  const paragraph = text.slice(text.indexOf("Documents:")).split("\n\n")[0]!.replace(/\n/g, " ");
  const out = new Map<number, string[]>();
  for (const m of paragraph.matchAll(/(\d{4}) data — ([^(]+?) \(/g)) out.set(Number(m[1]), m[2]!.split(", "));
  return out;
}

const statusOf = (text: string): TranscriptionStatus => {
  if (text === "confirmed") return "confirmed";
  if (text === "single source") return "single_source";
  throw new Error(`unknown status "${text}"`);
};

/** A status cell: one status for every year, or "2023 confirmed, 2024 single source". */
function statusByYear(cell: string, years: readonly number[]): Map<number, TranscriptionStatus> {
  const perYear = [...cell.matchAll(/(\d{4}) (confirmed|single source)/g)];
  if (perYear.length > 0) return new Map(perYear.map((m) => [Number(m[1]), statusOf(m[2]!)]));
  return new Map(years.map((y) => [y, statusOf(cell)]));
}

const published = DEFAULT_FACTOR_LIBRARY.get("CN-PUBLISHED", "2026.1");
const shipped = published.factors;
const matched = new Set<string>();

/** The one shipped factor that fits; it is marked as listed in the markdown. */
function theFactor(what: string, fits: (f: EmissionFactor) => boolean): EmissionFactor {
  const found = shipped.filter(fits);
  expect(
    found.map((f) => f.code),
    `${what}: exactly one shipped factor`,
  ).toHaveLength(1);
  const f = found[0]!;
  expect(matched.has(f.code), `${f.code} matched twice`).toBe(false);
  matched.add(f.code);
  return f;
}

function expectDocument(f: EmissionFactor, designations: readonly string[] | undefined): void {
  expect(designations, `${f.code}: a document for data year ${f.year}`).toBeDefined();
  for (const d of designations!) expect(f.source.document, f.code).toContain(d);
}

const FOOTPRINT_KINDS: Readonly<Record<string, EmissionFactor["electricity"]>> = {
  "national average": "grid_average",
  "coal power": "coal",
  "gas power": "gas",
  hydro: "hydro",
  nuclear: "nuclear",
  wind: "wind",
  PV: "pv",
  "solar thermal": "solar_thermal",
  biomass: "biomass",
  "transmission & distribution (without losses)": "transmission_distribution",
  "transmission & distribution (with losses)": "transmission_distribution_with_losses",
};

const NATIONAL_CO2_KINDS: Readonly<Record<string, EmissionFactor["electricity"]>> = {
  "national average": "grid_average",
  "national excl. market-traded non-fossil": "grid_excluding_market_non_fossil",
  "national fossil-fuel power": "grid_fossil",
};

describe("CN-PUBLISHED 2026.1 matches docs/sources/FACTORS-CN.md", () => {
  it("is a dataset of its own, not demonstration, and parses", () => {
    expect(FactorDatasetSchema.safeParse(CN_PUBLISHED_2026_1).success).toBe(true);
    expect(published.demonstration).toBe(false);
    expect(shipped.every((f) => !f.demonstration)).toBe(true);
    expect(markdown).toContain("# Published Chinese factors, with their sources");
  });

  it("§2: every electricity carbon-footprint factor, by item and data year, life-cycle CO2e", () => {
    const text = section(2);
    const years = [2023, 2024];
    const documents = documentsByYear(text);
    const rows = tableRows(text);
    expect(rows.length).toBe(11);
    let count = 0;
    for (const [item, v2023, v2024, status] of rows) {
      const kind = FOOTPRINT_KINDS[item!];
      expect(kind, `item "${item}"`).toBeDefined();
      const statuses = statusByYear(status!, years);
      [v2023, v2024].forEach((cell, i) => {
        const year = years[i]!;
        if (cell === "—") {
          expect(shipped.some((f) => f.boundary === "life_cycle" && f.electricity === kind && f.year === year)).toBe(false);
          return;
        }
        const f = theFactor(`${item} ${year}`, (x) => x.boundary === "life_cycle" && x.electricity === kind && x.region === "CN" && x.year === year);
        count++;
        expect(f.category).toBe("electricity");
        expect(f.activityUnit).toBe("kWh");
        expect(f.co2e?.value, f.code).toBe(Number(cell));
        expect(f.gases).toBeUndefined();
        expect(f.source.dataYear).toBe(year);
        expect(f.source.status, `${f.code} status`).toBe(statuses.get(year));
        if (status!.includes(",")) expect(f.source.statusNote).toBe(status);
        expect(f.source.table?.length).toBeGreaterThan(0);
        expectDocument(f, documents.get(year));
        // The GWP basis is not in the file: recorded as AR6, flagged for verification and said so.
        expect(f.co2e?.gwpSet).toBe("AR6");
        expect(f.verify).toBe(true);
        expect(f.note).toMatch(/GWP basis not stated.*AR6.*verify/);
        expect(f.yearConvention).toBe("latest_not_after");
      });
    }
    expect(count).toBe(21);
    expect(text).toContain("No regional or provincial footprint factors were found.");
    expect(shipped.filter((f) => f.boundary === "life_cycle" && f.region !== "CN")).toEqual([]);
  });

  it("§3: every electricity CO2 factor (national, the two other calibers, 7 regional grids, 30 provinces), CO2 only", () => {
    const text = section(3);
    const years = [2021, 2022, 2023];
    const documents = documentsByYear(text);
    const co2Only = (f: EmissionFactor) => {
      expect(f.boundary).toBe("scope2_co2_only");
      expect(Object.keys(f.gases ?? {})).toEqual(["co2_fossil"]);
      expect(f.co2e).toBeUndefined();
      expect(f.name.en).toContain("(CO2 only)");
      expect(f.name.zh).toContain("仅二氧化碳");
      expect(f.yearConvention).toBe("latest_not_after");
      expectDocument(f, documents.get(f.year));
    };

    const rows = tableRows(text);
    expect(rows.length).toBe(10);
    for (const [item, ...cells] of rows) {
      const national = NATIONAL_CO2_KINDS[item!];
      const grid = national ? undefined : REGIONS.find((r) => r.level === "grid_region" && r.name.zh.startsWith(item!.split(" ")[0]!));
      expect(national ?? grid, `item "${item}"`).toBeDefined();
      cells.forEach((cell, i) => {
        const year = years[i]!;
        const m = /^(\d\.\d+)( \(single source\))?$/.exec(cell);
        expect(m, `cell "${cell}"`).not.toBeNull();
        const f = theFactor(`${item} ${year}`, (x) =>
          national
            ? x.region === "CN" && x.boundary === "scope2_co2_only" && x.electricity === national && x.year === year
            : x.region === grid!.code && x.boundary === "scope2_co2_only" && x.year === year,
        );
        expect(f.gases?.co2_fossil, f.code).toBe(Number(m![1]));
        expect(f.source.dataYear).toBe(year);
        expect(f.source.status, `${f.code} status`).toBe(m![2] ? "single_source" : "confirmed");
        expect(f.source.table, f.code).toMatch(national === "grid_average" ? /^表1/ : national ? /^表[45]/ : /^表2/);
        co2Only(f);
      });
    }

    const provinces = [...text.matchAll(/([\u4e00-\u9fff]+) (\d\.\d+)\/(\d\.\d+)\/(\d\.\d+)/g)];
    expect(provinces.length).toBe(30);
    expect(text).toMatch(/Provinces \(30; no value for 西藏 in any year\), 2021 \/ 2022 \/ 2023, all confirmed/);
    for (const [, zh, ...values] of provinces) {
      const region = REGIONS.find((r) => r.level === "province" && r.name.zh === zh);
      expect(region, zh).toBeDefined();
      values.forEach((value, i) => {
        const year = years[i]!;
        const f = theFactor(`${zh} ${year}`, (x) => x.region === region!.code && x.year === year);
        expect(f.gases?.co2_fossil, f.code).toBe(Number(value));
        expect(f.source.status).toBe("confirmed");
        expect(f.source.table).toMatch(/^表3/);
        co2Only(f);
      });
    }
  });

  it("§3: none of the known errors in circulation", () => {
    const known = section(3).slice(section(3).indexOf("Known errors"));
    const unconfirmed = /(\d\.\d{4}) has no official document/.exec(known)?.[1];
    expect(unconfirmed).toBe("0.5703");
    const values = shipped.flatMap((f) => [f.gases?.co2_fossil, f.co2e?.value]);
    expect(values).not.toContain(Number(unconfirmed));
    // Swapped national 2021/2022: the values sit under their own years (also compared above).
    const national = (year: number) => shipped.find((f) => f.code === `EL-S2-CN-${year}`)?.gases?.co2_fossil;
    expect([national(2021), national(2022)]).toEqual([0.5568, 0.5366]);
    // "西藏 0.2268" is the 2022 Southwest regional value: Tibet has no factor at all.
    const tibet = /"西藏 (\d\.\d+)"/.exec(known)?.[1];
    expect(tibet).toBe("0.2268");
    const xz = REGIONS.find((r) => r.name.zh === "西藏")!.code;
    expect(shipped.filter((f) => f.region === xz)).toEqual([]);
    expect(shipped.find((f) => f.code === "EL-S2-SW-2022")?.region).toBe("CN-GRID-SW");
  });

  it("§4: the 18 fuel defaults of GB/T 32151.22—2024 table C.1, with their formula, CO2 per gas", () => {
    const text = section(4);
    const heading = text.split("\n")[0]!;
    const [, document, table] = /^4\. Fossil-fuel defaults: ([^,]+), 附录C (表C\.1)/.exec(heading)!;
    const confirmedFuel = /confirmed by a second standard for ([a-z ]+)\)/.exec(heading)![1];
    const otherTranscription = new Map([...text.matchAll(/([\u4e00-\u9fff]+) (\d+\.\d+)(?= and| tC\/TJ)/g)].map((m) => [m[1]!, m[2]!]));
    expect([...otherTranscription.keys()]).toEqual(["原油", "天然气"]);

    const rows = tableRows(text);
    expect(rows.length).toBe(18);
    for (const [fuel, ncv, carbon, oxidation, tabulated] of rows) {
      const [zh, ...enWords] = fuel!.split(" ");
      const en = enWords.join(" ");
      const f = theFactor(fuel!, (x) => x.category === "fuel" && x.name.zh.split("（")[0] === zh);
      expect(f.formula).toEqual({
        method: "ncv_x_carbon_x_oxidation_x_44_12",
        perUnit: /\bgas$/.test(en) ? "10^4m3" : "t",
        ncvGJ: ncv,
        carbonTPerGJ: carbon,
        oxidationPercent: oxidation!.replace(/ %$/, ""),
        tabulatedTCO2: tabulated,
      });
      // NCV × carbon content × oxidation × 44/12, rounded as printed, is the tabulated value.
      const product = new Decimal(ncv!).times(carbon!).times(oxidation!.replace(/ %$/, "")).dividedBy(100).times(44).dividedBy(12);
      const decimals = tabulated!.split(".")[1]!.length;
      expect(product.toDecimalPlaces(decimals, Decimal.ROUND_HALF_UP).toFixed(decimals), fuel).toBe(tabulated);
      expect(formulaProduct(f.formula!).rounded).toBe(tabulated);
      // The stored value is the tabulated t CO2 per t (or per 10⁴ Nm³) in kg per the activity unit, exactly.
      const [num, den] = conversionRatio(f.activityUnit, f.formula!.perUnit);
      expect(new Decimal(String(f.gases?.co2_fossil)).equals(new Decimal(tabulated!).times(1000).times(num).dividedBy(den)), f.code).toBe(true);
      expect(dimensionOf(f.activityUnit)).toBe(/\bgas$/.test(en) ? "volume" : "mass");
      expect(Object.keys(f.gases ?? {})).toEqual(["co2_fossil"]);
      expect(f.co2e).toBeUndefined();
      expect(f.boundary).toBe("combustion");
      expect(f.source.document).toContain(document);
      expect(f.source.table).toContain(table);
      expect(f.source.dataYear).toBe(2024);
      expect(f.source.status).toBe(en === confirmedFuel ? "confirmed" : "single_source");
      expect(f.note).toContain("CH4 and N2O");
      expect(f.note).toContain("upstream");
      const other = otherTranscription.get(zh!);
      if (other) expect(f.note).toContain(`${other} tC/TJ`);
    }
    expect(text).toContain("No row for 原煤 (raw coal) in this table");
    expect(shipped.some((f) => f.name.zh.startsWith("原煤"))).toBe(false);
  });

  it("ships nothing the markdown does not list", () => {
    const unlisted = shipped.filter((f) => !matched.has(f.code)).map((f) => f.code);
    expect(unlisted).toEqual([]);
    expect(matched.size).toBe(shipped.length);
  });
});

describe("the data of a factor carry their checks", () => {
  const diesel = CN_PUBLISHED_2026_1.factors.find((f) => f.code === "FUEL-DIESEL")!;

  it("refuses a formula whose product does not round to its tabulated value, naming the member and the rule", () => {
    const r = EmissionFactorSchema.safeParse({ ...diesel, formula: { ...diesel.formula!, tabulatedTCO2: "3.0960" } });
    expect(r.success).toBe(false);
    const issue = r.error!.issues.find((i) => i.path.join(".") === "formula.tabulatedTCO2");
    expect(issue?.message).toContain("3.0959");
    expect(issue?.message).toMatch(/修约.*rounds to/);
  });

  it("refuses a value that is not the tabulated one converted to the activity unit", () => {
    const perTonne = EmissionFactorSchema.safeParse({ ...diesel, activityUnit: "t" });
    expect(perTonne.success).toBe(false);
    expect(perTonne.error!.issues.map((i) => i.path.join("."))).toEqual(["gases"]);
    expect(EmissionFactorSchema.safeParse({ ...diesel, activityUnit: "t", gases: { co2_fossil: 3095.9 } }).success).toBe(true);
    const perVolume = EmissionFactorSchema.safeParse({ ...diesel, activityUnit: "m3" });
    expect(perVolume.error!.issues.map((i) => i.path.join("."))).toEqual(["formula.perUnit"]);
  });

  it("refuses a data year other than the factor's year", () => {
    const r = EmissionFactorSchema.safeParse({ ...diesel, source: { ...diesel.source, dataYear: 2023 } });
    expect(r.error!.issues.map((i) => i.path.join("."))).toEqual(["source.dataYear"]);
  });

  it("lets data without the new members parse as before", () => {
    const { formula: _formula, yearConvention: _convention, ...plain } = diesel;
    const { table: _t, dataYear: _d, status: _s, statusNote: _n, ...source } = plain.source;
    expect(EmissionFactorSchema.safeParse({ ...plain, source }).success).toBe(true);
  });
});
