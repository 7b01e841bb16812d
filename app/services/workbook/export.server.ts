/**
 * An inventory and its result as an Excel workbook: the template's sheets with every line filled
 * in (so the file can be edited and imported again), then the result — total per declared unit,
 * by stage, by gas, each line's contribution — and the PCR conformance checks, stamped with the
 * PCR, factor-dataset and calculator versions and the SHA-256 of the calculator's input.
 */
import type ExcelJS from "exceljs";
import type { Kysely } from "kysely";
import type { DB } from "../../../db/schema.ts";
import type { FootprintResult } from "../../../rules/calculator/index.ts";
import type { ConformanceReport } from "../../../rules/conformance/index.ts";
import { STAGE_NAMES, type Stage } from "../../../rules/stages.ts";
import type { MessageKey } from "../../i18n/index.ts";
import { inventoryFootprint, inventoryLines, type InventoryRow, type LineRow } from "../inventories.server.ts";
import { EN, SHEETS, ZH } from "./layout.server.ts";
import { templateWorkbook, type LineCells, type WorkbookSubject } from "./template.server.ts";

const BOLD: Partial<ExcelJS.Font> = { bold: true };
const HEADER_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE3F1E7" } };

function bilingual(key: MessageKey): string {
  return `${ZH(key)} ${EN(key)}`;
}

/** A stored decimal as a spreadsheet number when that is exact, else as the decimal text. */
function decimalCell(value: string): number | string {
  const n = Number(value);
  const trim = (s: string) => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s).replace(/^(-?)0+(?=\d)/, "$1");
  return Number.isFinite(n) && trim(String(n)) === trim(value) ? n : value;
}

/** One stored line as workbook cells: the inverse of what the importer builds. */
export function lineCells(line: LineRow, products: WorkbookSubject["products"]): LineCells {
  const d = line.details as Record<string, unknown>;
  const cells: LineCells = { stage: line.stage, kind: line.kind, name: line.name, dataType: line.data_type };
  const q = line.data_quality as Record<string, number> | null;
  if (q)
    for (const key of ["reliability", "completeness", "temporal", "geographical", "technological"] as const)
      if (q[key] !== undefined) cells[key] = q[key];
  if (line.note) cells.note = line.note;
  if (line.excluded) cells.excluded = "yes";
  if (typeof d.estimatedShare === "number") cells.estimatedShare = d.estimatedShare;
  if (line.amount !== null) cells.amount = decimalCell(line.amount);
  if (line.unit !== null) cells.unit = line.unit;
  if (line.factor_code !== null) cells.factorCode = line.factor_code;
  switch (line.kind) {
    case "electricity": {
      const supply = (d.supply ?? {}) as {
        type?: string;
        technology?: string;
        certificateIds?: string[];
        periodKWh?: number;
        supplier?: string;
        factorCode?: string;
        factor?: { co2e?: { value: number }; year?: number };
      };
      if (supply.type) cells.supplyType = supply.type;
      if (supply.technology) cells.technology = supply.technology;
      if (supply.certificateIds) cells.certificateIds = supply.certificateIds.join(", ");
      if (supply.periodKWh !== undefined) cells.periodKWh = supply.periodKWh;
      if (supply.supplier) cells.supplierName = supply.supplier;
      if (supply.factor?.co2e) cells.supplierFactor = supply.factor.co2e.value;
      if (supply.factor?.year) cells.supplierFactorYear = supply.factor.year;
      // The supplier's own factor is unverified: secondary data, as the editor and an import take it.
      if (supply.type === "supplier") cells.dataType = "secondary";
      if (supply.type === "onsite" && supply.factorCode) cells.factorCode = supply.factorCode;
      break;
    }
    case "transport": {
      const mass = d.mass as { amount: number; unit: string } | undefined;
      const distance = d.distance as { amount: number; unit: string } | undefined;
      if (mass) {
        cells.mass = mass.amount;
        cells.massUnit = mass.unit;
      }
      if (distance) cells.distance = distance.amount;
      break;
    }
    case "process_emission":
      if (typeof d.gas === "string") cells.gas = d.gas;
      break;
    case "supplier_certificate": {
      const c = d.certificate as
        | {
            number?: string;
            issuer?: string;
            kgCO2ePerDeclaredUnit?: number;
            declaredUnit?: { quantity: number; unit: string };
            validUntil?: string;
            registry?: unknown;
          }
        | undefined;
      const declared = d.declared as
        { supplier?: string; kgCO2ePerDeclaredUnit?: number; declaredUnit?: { quantity: number; unit: string }; year?: number } | undefined;
      const figure = declared ?? c ?? {};
      if (c?.registry !== undefined) {
        // Cited and verified: written with the registry's figures, which an import checks against it.
        if (c.number) cells.certificateNumber = c.number;
        if (c.issuer) cells.certificateIssuer = c.issuer;
        if (c.validUntil) cells.certificateValidUntil = c.validUntil;
      } else {
        // A supplier's own figure, or a certificate never checked against the registry (stored before
        // it was), which is no more than the supplier's word: written as supplier-declared secondary
        // data, the cited number standing for the supplier until someone names it (as in the editor).
        const supplier = declared?.supplier ?? c?.number;
        if (supplier) cells.supplierName = supplier;
        if (declared?.year) cells.supplierFactorYear = declared.year;
        cells.dataType = "secondary";
      }
      if (figure.kgCO2ePerDeclaredUnit !== undefined) cells.certifiedValue = figure.kgCO2ePerDeclaredUnit;
      if (figure.declaredUnit) {
        cells.certifiedUnitQuantity = figure.declaredUnit.quantity;
        cells.certifiedUnit = figure.declaredUnit.unit;
      }
      break;
    }
    case "sub_product": {
      const product = products.find((p) => p.id === d.productId);
      cells.subProductId = product?.internal_code || String(d.productId ?? "");
      break;
    }
  }
  return cells;
}

export interface ExportInput {
  db: Kysely<DB>;
  organizationId: string;
  inventory: InventoryRow;
  products: WorkbookSubject["products"];
}

export async function buildExport({ db, organizationId, inventory, products }: ExportInput): Promise<Uint8Array<ArrayBuffer>> {
  const lines = await inventoryLines(db, inventory.id);
  const workbook = templateWorkbook(
    { inventory, products },
    lines.map((line) => lineCells(line, products)),
  );
  const { result, conformance, error, lineLabels } = await inventoryFootprint(db, organizationId, inventory, lines);
  const names = new Map(lineLabels.map((l) => [l.id, l.name]));
  addResultSheet(workbook, inventory, lines.length, result, error);
  if (result) addContributionsSheet(workbook, result, names);
  if (conformance) addConformanceSheet(workbook, conformance);
  // The result first after the lines: it is what most readers open the export for.
  const resultSheet = workbook.getWorksheet(SHEETS.result);
  if (resultSheet) (resultSheet as unknown as { orderNo: number }).orderNo = 1.5;
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** A header row: dictionary keys in both languages, `{ text }` as it is (units). */
function headerRow(sheet: ExcelJS.Worksheet, cells: (MessageKey | { text: string })[]) {
  const row = sheet.addRow(cells.map((c) => (typeof c === "string" ? bilingual(c) : c.text)));
  row.font = BOLD;
  row.fill = HEADER_FILL;
}

function addResultSheet(
  workbook: ExcelJS.Workbook,
  inventory: InventoryRow,
  lineCount: number,
  result: FootprintResult | null,
  error: { zh: string; en: string } | null,
) {
  const sheet = workbook.addWorksheet(SHEETS.result);
  sheet.columns = [{ width: 34 }, { width: 22 }, { width: 22 }, { width: 16 }, { width: 40 }];
  const fact = (key: MessageKey, value: string | number, unit = "") => {
    const row = sheet.addRow([bilingual(key), value, unit]);
    row.getCell(1).font = BOLD;
  };
  const title = sheet.addRow([`${inventory.product_name_zh} · ${inventory.product_name_en}`]);
  title.font = { bold: true, size: 14 };
  fact(
    "wb.x.inventory",
    `${inventory.period_start} – ${inventory.period_end} · v${inventory.version}${inventory.locked_at ? ` · ${EN("inv.locked")}` : ""}`,
  );
  fact("inv.production", decimalCell(inventory.production_quantity), inventory.production_unit);
  fact("wb.x.lines", lineCount);
  fact("wb.x.exportedAt", new Date().toISOString());
  sheet.addRow([]);
  if (!result) {
    sheet.addRow([error ? `${ZH("res.error")}: ${error.zh}` : ZH("wb.x.noResult")]);
    sheet.addRow([error ? `${EN("res.error")}: ${error.en}` : EN("wb.x.noResult")]);
    return;
  }
  const per = `${result.declaredUnit.quantity} ${result.declaredUnit.unit}`;
  const unit = `${result.unit} / ${per}`;
  const total = sheet.addRow([bilingual("res.total"), result.total, unit]);
  total.font = BOLD;
  fact("res.fossil", result.fossilKgCO2e, unit);
  fact("res.biogenic", result.biogenicKgCO2e, unit);
  fact("res.primaryShare", result.primaryDataShare, "0–1");
  fact("res.dqr", result.dataQuality.dqr, `${ZH(`dq.${result.dataQuality.rating}`)} / ${EN(`dq.${result.dataQuality.rating}`)}`);
  sheet.addRow([]);

  sheet.addRow([bilingual("res.versions")]).font = BOLD;
  const stamp = result.stamp;
  fact("inv.pcr", `${stamp.pcr.code} v${stamp.pcr.version}`);
  fact("wb.x.pcrSha", stamp.pcr.contentSha256);
  fact(
    "inv.dataset",
    `${stamp.factorDataset.id} ${stamp.factorDataset.version}`,
    stamp.factorDataset.demonstration ? `${ZH("res.demoDataset")} ${EN("res.demoDataset")}` : "",
  );
  fact("inv.gwp", stamp.gwpSet);
  fact("res.calculator", `${stamp.calculator.name} ${stamp.calculator.version}`);
  fact("res.inputHash", stamp.inputSha256);
  sheet.addRow([]);

  sheet.addRow([bilingual("res.byStage")]).font = BOLD;
  headerRow(sheet, ["wb.x.code", "wb.x.nameZh", "wb.x.nameEn", { text: `kgCO2e / ${per}` }, "res.share"]);
  for (const s of result.byStage) sheet.addRow([s.stage, STAGE_NAMES[s.stage as Stage].zh, STAGE_NAMES[s.stage as Stage].en, s.kgCO2e, s.share]);
  sheet.addRow([]);

  sheet.addRow([bilingual("res.byGas")]).font = BOLD;
  headerRow(sheet, ["inv.gas", "wb.x.massKg", { text: `kgCO2e / ${per}` }]);
  for (const g of result.byGas) sheet.addRow([g.gas, g.massKg, g.kgCO2e]);

  if (result.warnings.length > 0) {
    sheet.addRow([]);
    sheet.addRow([bilingual("wb.x.warnings")]).font = BOLD;
    for (const w of result.warnings) sheet.addRow([w.code, w.message.zh, w.message.en]);
  }
}

function addContributionsSheet(workbook: ExcelJS.Workbook, result: FootprintResult, names: Map<string, string>) {
  const sheet = workbook.addWorksheet(SHEETS.contributions, { views: [{ state: "frozen", ySplit: 1 }] });
  const per = `${result.declaredUnit.quantity} ${result.declaredUnit.unit}`;
  sheet.columns = [
    { width: 30 },
    { width: 22 },
    { width: 20 },
    { width: 14 },
    { width: 12 },
    { width: 26 },
    { width: 10 },
    { width: 8 },
    { width: 16 },
    { width: 10 },
    { width: 8 },
    { width: 12 },
  ];
  headerRow(sheet, [
    "wb.x.line",
    "inv.stage",
    "inv.kind",
    "wb.x.activity",
    "wb.x.unit",
    "inv.factor",
    "wb.x.region",
    "wb.x.year",
    { text: `kgCO2e / ${per}` },
    "res.share",
    "res.dqr",
    "inv.dataType",
  ]);
  const productName = new Map(result.byProduct.map((p) => [p.productId, p.name ?? p.productId]));
  const reference = result.byProduct[0]?.productId;
  for (const l of result.byLine) {
    const name = names.get(l.lineId) ?? l.lineId;
    sheet.addRow([
      l.productId === reference ? name : `${productName.get(l.productId) ?? l.productId} › ${name}`,
      l.stage,
      l.kind,
      l.activity,
      l.activityUnit,
      l.factor?.code ?? "",
      l.factor?.region ?? "",
      l.factor?.year ?? "",
      l.kgCO2e,
      l.share,
      l.dqr,
      l.dataType,
    ]);
  }
}

function addConformanceSheet(workbook: ExcelJS.Workbook, report: ConformanceReport) {
  const sheet = workbook.addWorksheet(SHEETS.conformance, { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = [{ width: 24 }, { width: 18 }, { width: 10 }, { width: 60 }, { width: 60 }, { width: 50 }];
  headerRow(sheet, ["wb.x.code", "wb.x.clause", "wb.x.passed", "wb.x.nameZh", "wb.x.nameEn", "wb.x.remedy"]);
  for (const f of report.findings) {
    sheet.addRow([
      f.check,
      `${f.clause.pcr} ${f.clause.section}`,
      f.passed ? bilingual("wb.x.yes") : bilingual("wb.x.no"),
      f.message.zh,
      f.message.en,
      f.action ? `${f.action.zh} / ${f.action.en}` : "",
    ]);
  }
}
