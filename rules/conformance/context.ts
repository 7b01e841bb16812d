import type { FootprintResult, LineResult } from "../calculator/result.ts";
import type { Inventory, InventoryLine } from "../calculator/schema.ts";
import { pcrKey, type Pcr } from "../pcr/schema.ts";
import type { ConformanceContext } from "./types.ts";

export function conformanceContext(pcr: Pcr, inventory: Inventory, result: FootprintResult): ConformanceContext {
  const linesByKey = new Map<string, InventoryLine>();
  for (const product of inventory.products) for (const line of product.lines) linesByKey.set(lineKey(product.id, line.id), line);
  const sourceOf = (l: LineResult) => linesByKey.get(lineKey(l.productId, l.lineId));
  const included = result.byLine.filter((l) => sourceOf(l)?.excluded !== true);
  return {
    pcr,
    key: pcrKey(pcr),
    inventory,
    result,
    referenceYear: Number(inventory.period.end.slice(0, 4)),
    location: inventory.location?.region ?? "CN",
    included,
    electricity: included.filter((l) => l.kind === "electricity"),
    greenCertificateLines: included.filter((l) => l.greenCertificates),
    sourceOf,
  };
}

function lineKey(productId: string, lineId: string): string {
  return `${productId}\u0000${lineId}`;
}

/** The distinct factors of some lines (code, region, year), the first five, for a finding's text. */
export function describeFactors(lines: readonly LineResult[]): string {
  const codes = [...new Set(lines.map((l) => (l.factor ? `${l.factor.code} ${l.factor.region} ${l.factor.year}` : l.lineId)))];
  return codes.slice(0, 5).join("; ") + (codes.length > 5 ? "; …" : "");
}
