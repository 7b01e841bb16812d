import { bi, type Bilingual } from "../i18n.ts";
import type { CalculationWarning } from "./result.ts";

/**
 * What the calculation noticed, as data: the steps emit these codes with their parameters, and
 * this module alone turns them into the bilingual warnings a result carries, so the wording can
 * change without touching a calculation step.
 */
export type CalculationNotice =
  | { readonly code: "supplier_certificate_expired"; readonly lineId: string; readonly certificate: string; readonly validUntil: string }
  | {
      readonly code: "green_certificates_insufficient";
      readonly lineId: string;
      readonly uniqueIds: number;
      readonly coveredKWh: number;
      readonly periodKWh: number;
    }
  | { readonly code: "stage_outside_boundary"; readonly pcr: string; readonly lineIds: readonly string[] }
  | { readonly code: "grid_factor_fallback"; readonly requestedRegion: string; readonly usedRegion: string; readonly lineIds: readonly string[] }
  | { readonly code: "green_certificate_reused"; readonly certificate: string; readonly lineIds: readonly string[] }
  | { readonly code: "missing_data_quality"; readonly lineIds: readonly string[] }
  | { readonly code: "demonstration_factors"; readonly lineIds: readonly string[] }
  | { readonly code: "lines_unusable"; readonly lineIds: readonly string[] }
  | { readonly code: "other_gwp_set_factors"; readonly lineIds: readonly string[] }
  | { readonly code: "negative_supply"; readonly productIds: readonly string[] };

export type CalculationWarningCode = CalculationNotice["code"];

type NoticeOf<C extends CalculationWarningCode> = Extract<CalculationNotice, { code: C }>;

/** Warnings about many lines list the first ones and give the count, so a result stays small. */
export const MAX_LISTED_LINES = 50;

const WARNING_TEXT: { readonly [C in CalculationWarningCode]: (notice: NoticeOf<C>) => Bilingual } = {
  supplier_certificate_expired: ({ certificate, validUntil }) =>
    bi(
      `供应商证书 ${certificate} 的有效期（${validUntil}）早于核算期结束`,
      `Supplier certificate ${certificate} expired (${validUntil}) before the reference period ended`,
    ),
  green_certificates_insufficient: ({ lineId, uniqueIds, coveredKWh, periodKWh }) =>
    bi(
      `清单行 ${lineId}：${uniqueIds} 张绿证仅覆盖 ${coveredKWh} kWh，申报 ${periodKWh} kWh；未覆盖部分按电网因子计算`,
      `Line ${lineId}: ${uniqueIds} green certificates cover ${coveredKWh} kWh of the ${periodKWh} kWh claimed; the rest is counted at the grid factor`,
    ),
  stage_outside_boundary: ({ pcr, lineIds }) =>
    bi(`${lineIds.length} 条清单行的阶段不在 ${pcr} 的系统边界内`, `${lineIds.length} line(s) sit in stages outside the boundary of ${pcr}`),
  grid_factor_fallback: ({ requestedRegion, usedRegion }) =>
    bi(
      `因子库中没有「${requestedRegion}」的生命周期电网因子，使用了上级区域「${usedRegion}」的因子`,
      `No life-cycle grid factor for "${requestedRegion}" in the dataset; the enclosing region "${usedRegion}" was used`,
    ),
  green_certificate_reused: ({ certificate }) =>
    bi(`绿证 ${certificate} 在多条清单行中使用`, `Green certificate ${certificate} is claimed on more than one line`),
  missing_data_quality: ({ lineIds }) =>
    bi(
      `${lineIds.length} 条清单行没有数据质量评分，按最差（5）计`,
      `${lineIds.length} line(s) have no data-quality scores and count as the worst score (5)`,
    ),
  demonstration_factors: ({ lineIds }) =>
    bi(
      `${lineIds.length} 条清单行使用了演示因子，结果不可用于认证`,
      `${lineIds.length} line(s) use demonstration factors; the result cannot be certified`,
    ),
  lines_unusable: ({ lineIds }) =>
    bi(
      `${lineIds.length} 条清单行无法计算，未计入结果：结果不完整（原因见各行）`,
      `${lineIds.length} line(s) cannot be calculated and are left out: the result is incomplete (each line says why)`,
    ),
  other_gwp_set_factors: ({ lineIds }) =>
    bi(
      `${lineIds.length} 条清单行的因子仅有其他全球变暖潜势集的 CO2e 汇总值，按原值计入，作为偏差披露`,
      `${lineIds.length} line(s) use factors given only as CO2e under another GWP set, counted as given and disclosed as a deviation`,
    ),
  negative_supply: ({ productIds }) =>
    bi(
      `产品 ${productIds.join("、")} 的需求量为负，请检查循环中的用量`,
      `Product(s) ${productIds.join(", ")} have negative supply; check the amounts in loops`,
    ),
};

/** The bilingual text of a notice. */
export function warningMessage(notice: CalculationNotice): Bilingual {
  // The table is keyed by code, so the entry taken always accepts this notice's parameters.
  const text = WARNING_TEXT[notice.code] as (n: CalculationNotice) => Bilingual;
  return text(notice);
}

/** The warning a result carries for a notice: its code, its text and the lines it concerns. */
export function calculationWarning(notice: CalculationNotice): CalculationWarning {
  const message = warningMessage(notice);
  switch (notice.code) {
    case "supplier_certificate_expired":
    case "green_certificates_insufficient":
      return { code: notice.code, message, lineIds: [notice.lineId] };
    case "green_certificate_reused":
      return { code: notice.code, message, lineIds: notice.lineIds };
    case "negative_supply":
      return { code: notice.code, message };
    default:
      return { code: notice.code, message, lineIds: notice.lineIds.slice(0, MAX_LISTED_LINES), count: notice.lineIds.length };
  }
}
