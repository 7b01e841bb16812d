import type { Bilingual } from "./i18n.ts";

/**
 * Base of every error the rules raise. `code` is stable (clients switch on it), `detail` is
 * bilingual because these errors reach applicants through the API and the CLI unchanged.
 */
export abstract class RulesError extends Error {
  abstract readonly code: string;
  readonly detail: Bilingual;

  constructor(detail: Bilingual) {
    super(detail.en);
    this.detail = detail;
    this.name = new.target.name;
  }

  toJSON(): { code: string; message: Bilingual } {
    return { code: this.code, message: this.detail };
  }
}

export class UnknownUnitError extends RulesError {
  readonly code = "UnknownUnit";
  constructor(readonly unit: string) {
    super({ zh: `未知计量单位「${unit}」`, en: `Unknown unit "${unit}"` });
  }
}

export class UnitMismatchError extends RulesError {
  readonly code = "UnitMismatch";
  constructor(
    readonly from: string,
    readonly to: string,
    readonly fromDimension: string,
    readonly toDimension: string,
    context?: string,
  ) {
    const where = context ? ` (${context})` : "";
    super({
      zh: `单位不匹配：「${from}」（${fromDimension}）不能换算为「${to}」（${toDimension}）${where}`,
      en: `Unit mismatch: "${from}" (${fromDimension}) cannot be converted to "${to}" (${toDimension})${where}`,
    });
  }
}

export class MissingEmissionFactorError extends RulesError {
  readonly code = "MissingEmissionFactor";
  constructor(
    readonly factorCode: string,
    readonly datasetKey: string,
    readonly lineId?: string,
  ) {
    const where = lineId ? ` (line ${lineId})` : "";
    super({
      zh: `排放因子库 ${datasetKey} 中没有因子「${factorCode}」${lineId ? `（清单行 ${lineId}）` : ""}`,
      en: `Emission factor "${factorCode}" is not in dataset ${datasetKey}${where}`,
    });
  }
}

export class GwpSetMismatchError extends RulesError {
  readonly code = "GwpSetMismatch";
  constructor(
    readonly factorCode: string,
    readonly factorSet: string,
    readonly studySet: string,
  ) {
    super({
      zh: `因子「${factorCode}」仅以 ${factorSet} 的 CO2e 给出且无分气体数值，不能用于 ${studySet} 研究（同一研究不得混用 GWP 集）`,
      en: `Factor "${factorCode}" is given only as CO2e under ${factorSet} with no per-gas values; it cannot be used in a ${studySet} study (GWP sets are never mixed)`,
    });
  }
}

export class StageNotAllowedError extends RulesError {
  readonly code = "StageNotAllowed";
  constructor(
    readonly stage: string,
    readonly pcrKey: string,
    readonly lineId: string,
  ) {
    super({
      zh: `清单行 ${lineId} 的生命周期阶段「${stage}」不在 ${pcrKey} 的系统边界内`,
      en: `Line ${lineId}: life-cycle stage "${stage}" is outside the system boundary of ${pcrKey}`,
    });
  }
}

export class SingularProductSystemError extends RulesError {
  readonly code = "SingularSystem";
  constructor(readonly productId: string) {
    super({
      zh: `产品系统不可解：产品「${productId}」的净产出为零（例如它自身消耗了全部产出），技术圈矩阵奇异`,
      en: `The product system cannot be solved: product "${productId}" has no net output (for example it consumes all it makes), so the technosphere matrix is singular`,
    });
  }
}

export class UnknownProductError extends RulesError {
  readonly code = "UnknownProduct";
  constructor(
    readonly productId: string,
    readonly lineId?: string,
  ) {
    super({
      zh: `产品系统中没有产品「${productId}」${lineId ? `（清单行 ${lineId} 引用）` : ""}`,
      en: `Product "${productId}" is not modelled in this product system${lineId ? ` (referenced by line ${lineId})` : ""}`,
    });
  }
}

export class DuplicateIdError extends RulesError {
  readonly code = "DuplicateId";
  constructor(
    readonly kind: "product" | "line",
    readonly id: string,
  ) {
    super({
      zh: `${kind === "product" ? "产品" : "清单行"}编号「${id}」重复`,
      en: `Duplicate ${kind} id "${id}"`,
    });
  }
}

export class UnknownPcrError extends RulesError {
  readonly code = "UnknownPcr";
  constructor(
    readonly pcrCode: string,
    readonly version?: string,
  ) {
    const key = version ? `${pcrCode}@${version}` : pcrCode;
    super({ zh: `产品种类规则 ${key} 不存在或未发布`, en: `Product category rule ${key} does not exist or is not published` });
  }
}

export class UnknownFactorDatasetError extends RulesError {
  readonly code = "UnknownFactorDataset";
  constructor(readonly datasetKey: string) {
    super({ zh: `排放因子库 ${datasetKey} 不存在`, en: `Emission-factor dataset ${datasetKey} does not exist` });
  }
}

export class DatasetVersionConflictError extends RulesError {
  readonly code = "DatasetVersionConflict";
  constructor(readonly datasetKey: string) {
    super({
      zh: `排放因子库 ${datasetKey} 已存在且内容不同：已发布版本不可修改，请使用新的版本号`,
      en: `Emission-factor dataset ${datasetKey} already exists with different content: a published version never changes, use a new version`,
    });
  }
}

export class InvalidInventoryError extends RulesError {
  readonly code = "InvalidInventory";
  constructor(
    readonly issues: ReadonlyArray<{
      readonly path: string;
      readonly message: string;
      readonly key?: string;
      readonly params?: Readonly<Record<string, string | number>>;
    }>,
  ) {
    const first = issues
      .slice(0, 5)
      .map((i) => `${i.path || "(root)"}: ${i.message}`)
      .join("; ");
    super({
      zh: `清单数据不符合格式（${issues.length} 处）：${first}`,
      en: `The inventory is not valid (${issues.length} issue${issues.length === 1 ? "" : "s"}): ${first}`,
    });
  }

  /** With every issue, so a client can show each one (by its key) beside the field it concerns. */
  override toJSON(): { code: string; message: Bilingual; issues: InvalidInventoryError["issues"] } {
    return { ...super.toJSON(), issues: this.issues };
  }
}

export class NonFiniteNumberError extends RulesError {
  readonly code = "NonFiniteNumber";
  constructor(readonly path: string) {
    super({ zh: `${path} 不是有限数值`, en: `${path} is not a finite number` });
  }
}

export class UnknownRegionError extends RulesError {
  readonly code = "UnknownRegion";
  constructor(readonly region: string) {
    super({ zh: `未知地区代码「${region}」`, en: `Unknown region code "${region}"` });
  }
}
