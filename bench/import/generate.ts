/**
 * A deterministic inventory workbook of any size, made the way users get one: the template of the
 * inventory (drop-downs, factors, codes, instructions) with the Lines sheet filled in. The rows
 * cycle through the line kinds a cement plant reports — materials, fuels, grid electricity,
 * transport by mass × distance and by t·km, waste, direct process CO2 — with data-quality scores.
 */
import type { LineCells, WorkbookSubject } from "../../app/services/workbook/template.server.ts";
import { templateWorkbook } from "../../app/services/workbook/template.server.ts";
import { xorshift32 } from "../xorshift.ts";

export function generateRows(count: number): LineCells[] {
  const rand = xorshift32(0x2545f491);
  const amount = (scale: number) => Math.round(rand() * scale * 1000) / 1000 + 0.001;
  const rows: LineCells[] = [];
  for (let i = 0; i < count; i++) {
    const quality = {
      dataType: i % 3 === 0 ? "secondary" : "primary",
      reliability: 1 + (i % 3),
      completeness: 2,
      temporal: 1 + (i % 2),
      geographical: 2,
      technological: 1 + (i % 4),
    };
    const name = `line ${i + 1}`;
    switch (i % 10) {
      case 0:
        rows.push({ stage: "production", kind: "electricity", name, amount: amount(500), unit: "kWh", supplyType: "grid", ...quality });
        break;
      case 1:
        rows.push({
          stage: "raw_material_transport",
          kind: "transport",
          name,
          factorCode: "TR-ROAD-HDT-30T-DEMO",
          mass: amount(2),
          massUnit: "t",
          distance: amount(300),
          ...quality,
        });
        break;
      case 2:
        rows.push({ stage: "production", kind: "process_emission", name, amount: amount(50), unit: "kg", gas: "co2_fossil", ...quality });
        break;
      case 3:
        rows.push({ stage: "production", kind: "fuel", name, amount: amount(30), unit: "kg", factorCode: "FUEL-RAW-COAL", ...quality });
        break;
      case 4:
        rows.push({ stage: "production", kind: "fuel", name, amount: amount(5), unit: "m3", factorCode: "FUEL-NATURAL-GAS", ...quality });
        break;
      case 5:
        rows.push({
          stage: "production",
          kind: "waste",
          name,
          amount: amount(100),
          unit: "L",
          factorCode: "WST-TEXTILE-WASTEWATER-DEMO",
          ...quality,
        });
        break;
      case 6:
        rows.push({
          stage: "raw_material_transport",
          kind: "transport",
          name,
          factorCode: "TR-RAIL-FREIGHT-DEMO",
          amount: amount(400),
          unit: "tkm",
          ...quality,
        });
        break;
      default: {
        const [code, unit] = i % 10 === 7 ? ["MAT-LIMESTONE-DEMO", "t"] : i % 10 === 8 ? ["MAT-GYPSUM-DEMO", "kg"] : ["MAT-GGBS-DEMO", "t"];
        rows.push({
          stage: "raw_material_acquisition",
          kind: "material",
          name,
          amount: amount(unit === "kg" ? 50 : 0.2),
          unit,
          factorCode: code,
          ...quality,
        });
      }
    }
  }
  return rows;
}

export async function generateWorkbook(subject: WorkbookSubject, count: number): Promise<Uint8Array> {
  return new Uint8Array(await templateWorkbook(subject, generateRows(count)).xlsx.writeBuffer());
}
