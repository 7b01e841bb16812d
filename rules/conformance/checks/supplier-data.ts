import { formatPercent } from "../../format.ts";
import { bi } from "../../i18n.ts";
import { isSupplierDeclared } from "../../calculator/quality.ts";
import type { InventoryLine } from "../../calculator/schema.ts";
import type { ConformanceCheck } from "../types.ts";

/** Id of the check naming supplier-declared figures; its passing finding is informative, not a clean bill. */
export const SUPPLIER_DECLARED_CHECK = "supplier.declared";

/** Suppliers named in a finding's text at most. */
const LISTED_SUPPLIERS = 5;

function supplierOf(line: InventoryLine | undefined): string | undefined {
  if (line?.kind === "supplier_certificate") return line.declared?.supplier;
  if (line?.kind === "electricity" && line.supply.type === "supplier") return line.supply.supplier;
  return undefined;
}

/**
 * §8.1: every figure a supplier states without a certificate (a supplier line's declared figure,
 * electricity at the supplier's own factor) is named, with its share of the footprint: it may be
 * used, but nobody verified it, and the calculator counts it as secondary data. No PCR shipped
 * says more about such figures, so naming them is informative; the check fails only when the
 * inventory calls one of them primary data, which would overstate its data quality.
 */
export const supplierDeclaredFigures: ConformanceCheck = {
  id: SUPPLIER_DECLARED_CHECK,
  clause: "dataQualityRating",
  severity: "minor",
  remedyKey: "citeSupplierCertificates",
  run: ({ included, sourceOf, result }) => {
    const declared = included.filter((l) => {
      const line = sourceOf(l);
      return line !== undefined && isSupplierDeclared(line);
    });
    if (declared.length === 0) return [];
    const claimedPrimary = declared.filter((l) => sourceOf(l)?.dataType === "primary");
    const suppliers = [...new Set(declared.map((l) => supplierOf(sourceOf(l)) ?? l.lineId))];
    const named = suppliers.slice(0, LISTED_SUPPLIERS).join("; ") + (suppliers.length > LISTED_SUPPLIERS ? "; …" : "");
    const kg = declared.reduce((sum, l) => sum + l.kgCO2e, 0);
    const share = formatPercent(result.total !== 0 ? kg / result.total : 0);
    const lineIds = declared.map((l) => l.lineId);
    if (claimedPrimary.length > 0) {
      const message = bi(
        `${claimedPrimary.length} 条供应商自报、未经核验的数据被标为初级数据（${named}）；它们只能按次级数据计`,
        `${claimedPrimary.length} supplier-declared, unverified figure(s) are marked as primary data (${named}); they count as secondary data only`,
      );
      return [{ passed: false, message, lineIds: claimedPrimary.map((l) => l.lineId), values: { lines: declared.length, sharePercent: share } }];
    }
    const message = bi(
      `${declared.length} 条清单行使用供应商自报、未经核验的数据（${named}），按次级数据计，占足迹 ${share} %`,
      `${declared.length} line(s) use supplier-declared, unverified figures (${named}), counted as secondary data: ${share} % of the footprint`,
    );
    return [{ passed: true, message, lineIds, values: { lines: declared.length, sharePercent: share } }];
  },
};
