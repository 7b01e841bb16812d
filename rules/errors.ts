import type { Bilingual } from "./i18n.ts";
import { STAGE_NAMES, type Stage } from "./stages.ts";

/**
 * Where in an inventory an error is: the modelled product, the line within it, and the member
 * (a dotted path within the line; within the product or the inventory when there is no line).
 * Clients place an error by these, not by parsing the text.
 */
export interface ErrorLocation {
  readonly productId?: string;
  readonly lineId?: string;
  readonly field?: string;
}

/** One error as clients receive it. */
export interface LocatedErrorJson {
  readonly code: string;
  readonly message: Bilingual;
  readonly location?: ErrorLocation;
}

/** A refusal as clients receive it: its own code and text, and every independent error it stands for. */
export interface RulesErrorJson extends LocatedErrorJson {
  readonly errors: readonly LocatedErrorJson[];
}

/**
 * Base of every error the rules raise. `code` is stable (clients switch on it), `detail` is
 * bilingual because these errors reach applicants through the API and the CLI unchanged; its
 * Chinese names codes and ids in 「」 and is otherwise Chinese. An error found inside a line is
 * located there (`locate`), and its text then starts by naming the product, line and field.
 */
export abstract class RulesError extends Error {
  abstract readonly code: string;
  readonly #text: Bilingual;
  #location: ErrorLocation | undefined;

  constructor(detail: Bilingual, location?: ErrorLocation) {
    super(detail.en);
    this.#text = detail;
    this.name = new.target.name;
    if (location) this.locate(location);
  }

  get location(): ErrorLocation | undefined {
    return this.#location;
  }

  /** The text, preceded by where the error is when that is known. */
  get detail(): Bilingual {
    return this.#location ? locatedText(this.#location, this.#text) : this.#text;
  }

  /**
   * Adds what the code that raised the error did not know (the calculator adds the product and
   * line around a unit conversion); members already known stay as they are.
   */
  locate(location: ErrorLocation): this {
    const merged: { productId?: string; lineId?: string; field?: string } = { ...this.#location };
    if (merged.productId === undefined && location.productId !== undefined) merged.productId = location.productId;
    if (merged.lineId === undefined && location.lineId !== undefined) merged.lineId = location.lineId;
    if (merged.field === undefined && location.field !== undefined) merged.field = location.field;
    if (Object.keys(merged).length > 0) {
      this.#location = merged;
      this.message = this.detail.en;
    }
    return this;
  }

  /** Every independent error this one stands for: itself, or each error a refusal of several holds. */
  get errors(): readonly RulesError[] {
    return [this];
  }

  /** This error alone: code, located text and location. */
  describe(): LocatedErrorJson {
    return { code: this.code, message: this.detail, ...(this.#location ? { location: this.#location } : {}) };
  }

  /** The refusal with the list of its errors (a single error lists itself), so clients read `errors` alike. */
  toJSON(): RulesErrorJson {
    return { ...this.describe(), errors: this.errors.map((e) => e.describe()) };
  }
}

/**
 * Several independent errors found at once (four faults in a file are four errors). Its code is
 * the code its errors share, or "InventoryRefused" when they differ; its text lists them.
 */
export class InventoryRefusedError extends RulesError {
  readonly code: string;
  readonly #members: readonly RulesError[];

  constructor(errors: readonly RulesError[]) {
    const members = errors.flatMap((e) => e.errors);
    super(listText(members));
    this.#members = members;
    const codes = new Set(members.map((e) => e.code));
    this.code = codes.size === 1 ? [...codes][0]! : "InventoryRefused";
  }

  override get errors(): readonly RulesError[] {
    return this.#members;
  }
}

/** The refusal for a list of errors: the error itself when there is one, all of them together otherwise. */
export function refusal(errors: readonly RulesError[]): RulesError {
  if (errors.length === 0) throw new RangeError("a refusal needs at least one error");
  return errors.length === 1 ? errors[0]! : new InventoryRefusedError(errors);
}

/** Throws the refusal of `errors` when there is any. */
export function refuseIfAny(errors: readonly RulesError[]): void {
  if (errors.length > 0) throw refusal(errors);
}

/** Errors listed in a text are capped; the JSON always carries every one. */
const LISTED_ERRORS = 10;

function listText(errors: readonly RulesError[]): Bilingual {
  const listed = errors.slice(0, LISTED_ERRORS);
  const more = errors.length - listed.length;
  return {
    zh: `清单有 ${errors.length} 处错误：${listed.map((e, i) => `（${i + 1}）${e.detail.zh}`).join("；")}${more > 0 ? `；另有 ${more} 处未列出` : ""}`,
    en: `The inventory has ${errors.length} errors: ${listed.map((e, i) => `(${i + 1}) ${e.detail.en}`).join("; ")}${more > 0 ? `; ${more} more not listed` : ""}`,
  };
}

/**
 * Names of the members an error can be located at, longest path first found. Paths are those of
 * the published inventory schema, relative to the line, the product or the inventory.
 */
const FIELD_NAMES: Readonly<Record<string, Bilingual>> = {
  id: { zh: "编号", en: "id" },
  name: { zh: "名称", en: "name" },
  stage: { zh: "生命周期阶段", en: "stage" },
  kind: { zh: "行类型", en: "kind" },
  dataType: { zh: "数据类型", en: "data type" },
  dataQuality: { zh: "数据质量评分", en: "data-quality scores" },
  note: { zh: "备注", en: "note" },
  excluded: { zh: "排除标记", en: "exclusion flag" },
  estimatedShare: { zh: "估计占比", en: "estimated share" },
  amount: { zh: "数量", en: "amount" },
  unit: { zh: "单位", en: "unit" },
  factorCode: { zh: "排放因子代码", en: "factor code" },
  gas: { zh: "温室气体", en: "gas" },
  productId: { zh: "子产品", en: "sub-product" },
  mass: { zh: "运输质量", en: "mass" },
  "mass.amount": { zh: "运输质量", en: "mass" },
  "mass.unit": { zh: "运输质量单位", en: "mass unit" },
  distance: { zh: "运输距离", en: "distance" },
  "distance.amount": { zh: "运输距离", en: "distance" },
  "distance.unit": { zh: "运输距离单位", en: "distance unit" },
  supply: { zh: "电力来源", en: "electricity supply" },
  "supply.type": { zh: "电力来源类型", en: "supply type" },
  "supply.region": { zh: "电网地区", en: "grid region" },
  "supply.year": { zh: "电网因子年份", en: "grid factor year" },
  "supply.factorCode": { zh: "电力排放因子代码", en: "electricity factor code" },
  "supply.factor": { zh: "供应商电力因子", en: "supplier factor" },
  "supply.certificateIds": { zh: "绿证编号", en: "green certificate ids" },
  "supply.periodKWh": { zh: "绿证申报电量", en: "claimed electricity" },
  "supply.technology": { zh: "发电技术", en: "technology" },
  certificate: { zh: "供应商碳足迹证书", en: "supplier certificate" },
  "certificate.kgCO2ePerDeclaredUnit": { zh: "证书碳足迹值", en: "certified value" },
  "certificate.gwpSet": { zh: "证书的全球变暖潜势集", en: "certificate GWP set" },
  output: { zh: "产出", en: "output" },
  "output.amount": { zh: "产出数量", en: "output amount" },
  "output.unit": { zh: "产出单位", en: "output unit" },
  lines: { zh: "清单行", en: "lines" },
  pcr: { zh: "产品种类规则", en: "product category rule" },
  factorDataset: { zh: "排放因子库", en: "factor dataset" },
  gwpSet: { zh: "全球变暖潜势集", en: "GWP set" },
  declaredUnit: { zh: "声明单位", en: "declared unit" },
  period: { zh: "核算期", en: "reference period" },
  "period.start": { zh: "核算期开始日期", en: "period start" },
  "period.end": { zh: "核算期结束日期", en: "period end" },
  location: { zh: "生产地区", en: "location" },
  "location.region": { zh: "生产地区", en: "location" },
  referenceProduct: { zh: "参考产品", en: "reference product" },
  products: { zh: "产品", en: "products" },
  total: { zh: "碳足迹总量", en: "total" },
};

/** A member's name: its own, or its nearest named parent's with the rest of the path quoted. */
export function fieldName(field: string): Bilingual {
  const parts = field.split(".");
  for (let length = parts.length; length > 0; length--) {
    const named = FIELD_NAMES[parts.slice(0, length).join(".")];
    if (!named) continue;
    let rest = parts.slice(length);
    if (rest.length === 0) return named;
    let item = named;
    if (/^\d+$/.test(rest[0]!)) {
      // An array member: "lines.2.id" is the id of the third line.
      const n = Number(rest[0]) + 1;
      item = { zh: `${named.zh}第 ${n} 项`, en: `${named.en}, item ${n}` };
      rest = rest.slice(1);
      if (rest.length === 0) return item;
    }
    return { zh: `${item.zh}中的「${rest.join(".")}」`, en: `"${rest.join(".")}" in ${item.en}` };
  }
  return { zh: `成员「${field}」`, en: `member "${field}"` };
}

function locatedText(location: ErrorLocation, text: Bilingual): Bilingual {
  const zhWhere = `${location.productId !== undefined ? `产品「${location.productId}」` : ""}${location.lineId !== undefined ? `清单行「${location.lineId}」` : ""}`;
  const enWhere = [
    ...(location.productId !== undefined ? [`Product "${location.productId}"`] : []),
    ...(location.lineId !== undefined ? [`line "${location.lineId}"`] : []),
  ];
  const field = location.field !== undefined ? fieldName(location.field) : undefined;
  const zh = field ? (zhWhere ? `${zhWhere}的${field.zh}` : field.zh) : zhWhere;
  const en = [...enWhere, ...(field ? [field.en] : [])].join(", ");
  return { zh: `${zh}：${text.zh}`, en: `${en.charAt(0).toUpperCase()}${en.slice(1)}: ${text.en}` };
}

export class UnknownUnitError extends RulesError {
  readonly code = "UnknownUnit";
  constructor(readonly unit: string) {
    super({ zh: `未知计量单位「${unit}」`, en: `Unknown unit "${unit}"` });
  }
}

/** Names of the dimensions of units (rules/units.ts), for messages. */
const DIMENSION_NAMES: Readonly<Record<string, Bilingual>> = {
  mass: { zh: "质量", en: "mass" },
  energy: { zh: "能量", en: "energy" },
  electricity: { zh: "电量", en: "electricity" },
  volume: { zh: "体积", en: "volume" },
  area: { zh: "面积", en: "area" },
  length: { zh: "长度", en: "length" },
  count: { zh: "数目", en: "count" },
  mass_distance: { zh: "货物周转量", en: "mass × distance" },
  time: { zh: "时间", en: "time" },
  power: { zh: "功率", en: "power" },
};

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
    const zhOf = (d: string) => DIMENSION_NAMES[d]?.zh ?? `「${d}」`;
    super({
      // The context is an English note for logs; where the error is travels as its location.
      zh: `单位不匹配：「${from}」（${zhOf(fromDimension)}）不能换算为「${to}」（${zhOf(toDimension)}）`,
      en: `Unit mismatch: "${from}" (${fromDimension}) cannot be converted to "${to}" (${toDimension})${where}`,
    });
  }
}

export class MissingEmissionFactorError extends RulesError {
  readonly code = "MissingEmissionFactor";
  /**
   * `factorCode` is the code asked for; a factor chosen by rule rather than by code (grid or
   * renewable electricity) is described by `wanted` instead.
   */
  constructor(
    readonly factorCode: string,
    readonly datasetKey: string,
    readonly lineId?: string,
    wanted?: Bilingual,
  ) {
    super(
      {
        zh: `排放因子库「${datasetKey}」中没有${wanted ? wanted.zh : `因子「${factorCode}」`}`,
        en: `${wanted ? `No ${wanted.en}` : `Emission factor "${factorCode}" is not`} in dataset ${datasetKey}`,
      },
      lineId ? { lineId } : undefined,
    );
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
      zh: `因子「${factorCode}」仅以「${factorSet}」的 CO2e 给出且无分气体数值，不能用于「${studySet}」研究（同一研究不得混用全球变暖潜势集）`,
      en: `Factor "${factorCode}" is given only as CO2e under ${factorSet} with no per-gas values; it cannot be used in a ${studySet} study (GWP sets are never mixed)`,
    });
  }
}

/** A line in a stage the PCR's system boundary leaves out, refused under the enforcing stage policy. */
export class StageNotAllowedError extends RulesError {
  readonly code = "StageNotAllowed";
  constructor(
    readonly stage: string,
    readonly pcrKey: string,
    readonly lineId: string,
  ) {
    const name = (STAGE_NAMES as Readonly<Record<string, { zh: string; en: string }>>)[stage as Stage];
    super(
      {
        zh: `生命周期阶段「${name?.zh ?? stage}」不在「${pcrKey}」的系统边界内`,
        en: `life-cycle stage "${stage}" is outside the system boundary of ${pcrKey}`,
      },
      { lineId, field: "stage" },
    );
  }
}

export class SingularProductSystemError extends RulesError {
  readonly code = "SingularSystem";
  constructor(readonly productId: string) {
    super(
      {
        zh: `产品系统不可解：产品「${productId}」的净产出为零（例如它自身消耗了全部产出），技术圈矩阵奇异`,
        en: `The product system cannot be solved: product "${productId}" has no net output (for example it consumes all it makes), so the technosphere matrix is singular`,
      },
      { productId },
    );
  }
}

export class UnknownProductError extends RulesError {
  readonly code = "UnknownProduct";
  constructor(
    readonly productId: string,
    readonly lineId?: string,
  ) {
    super(
      {
        zh: `产品系统中没有产品「${productId}」`,
        en: `Product "${productId}" is not modelled in this product system`,
      },
      lineId ? { lineId, field: "productId" } : { field: "referenceProduct" },
    );
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
    super({ zh: `产品种类规则「${key}」不存在或未发布`, en: `Product category rule ${key} does not exist or is not published` });
  }
}

export class UnknownFactorDatasetError extends RulesError {
  readonly code = "UnknownFactorDataset";
  constructor(readonly datasetKey: string) {
    super({ zh: `排放因子库「${datasetKey}」不存在`, en: `Emission-factor dataset ${datasetKey} does not exist` });
  }
}

export class DatasetVersionConflictError extends RulesError {
  readonly code = "DatasetVersionConflict";
  constructor(readonly datasetKey: string) {
    super({
      zh: `排放因子库「${datasetKey}」已存在且内容不同：已发布版本不可修改，请使用新的版本号`,
      en: `Emission-factor dataset ${datasetKey} already exists with different content: a published version never changes, use a new version`,
    });
  }
}

/**
 * One member of the input that breaks the published schema, with the rule it breaks: `key` and
 * `params` are the message the editor and the workbook show for the same rule (app/i18n "v.*").
 */
export class InvalidFieldError extends RulesError {
  readonly code = "InvalidField";
  constructor(
    /** Dotted path from the inventory's root. */
    readonly path: string,
    /** What is wrong, e.g. "required", "type", "choice", "too_small", "format" or a refinement's name. */
    readonly rule: string,
    text: Bilingual,
    location: ErrorLocation,
    readonly key?: string,
    readonly params?: Readonly<Record<string, string | number>>,
  ) {
    super(text, location);
  }
}

/**
 * A member the published schema does not define (a typo such as "exclude" for "excluded"). It is
 * refused instead of dropped: a dropped member would change nothing, the input hash included, and
 * the applicant would never learn that the line is not excluded.
 */
export class UnknownMemberError extends RulesError {
  readonly code = "UnknownMember";
  constructor(
    /** Dotted path from the inventory's root, ending with the member. */
    readonly path: string,
    readonly member: string,
    location: ErrorLocation,
  ) {
    super(
      {
        zh: "不是清单格式定义的成员，请检查拼写",
        en: "is not a member the inventory schema defines; check the spelling",
      },
      location,
    );
  }
}

export type InputError = InvalidFieldError | UnknownMemberError;

/** Input that does not match the published inventory schema: every member at fault, each located. */
export class InvalidInventoryError extends RulesError {
  readonly code = "InvalidInventory";
  readonly #members: readonly InputError[];
  /** Each fault by its path and message key, as the editor and the workbook read them. */
  readonly issues: ReadonlyArray<{
    readonly path: string;
    readonly message: Bilingual;
    readonly location?: ErrorLocation;
    readonly key?: string;
    readonly params?: Readonly<Record<string, string | number>>;
  }>;

  constructor(errors: readonly InputError[]) {
    const listed = errors.slice(0, 5);
    super({
      zh: `清单数据不符合格式（${errors.length} 处）：${listed.map((e) => e.detail.zh).join("；")}`,
      en: `The inventory is not valid (${errors.length} issue${errors.length === 1 ? "" : "s"}): ${listed.map((e) => e.detail.en).join("; ")}`,
    });
    this.#members = errors;
    this.issues = errors.map((e) => ({
      path: e.path,
      message: e.detail,
      ...(e.location ? { location: e.location } : {}),
      ...(e instanceof InvalidFieldError && e.key !== undefined ? { key: e.key } : { key: "v.invalid" }),
      ...(e instanceof InvalidFieldError && e.params !== undefined ? { params: e.params } : {}),
    }));
  }

  override get errors(): readonly RulesError[] {
    return this.#members;
  }

  /** With every issue, so a client can show each one (by its key) beside the field it concerns. */
  override toJSON(): RulesErrorJson & { issues: InvalidInventoryError["issues"] } {
    return { ...super.toJSON(), issues: this.issues };
  }
}

/**
 * A negative quantity on a line. Lines record what is consumed and emitted; a negative amount
 * would silently subtract from the footprint. No line kind is made for removals or credits (which
 * ISO 14067 wants reported apart from emissions), so none may be negative.
 */
export class NegativeAmountError extends RulesError {
  readonly code = "NegativeAmount";
  constructor(
    readonly value: number,
    location: ErrorLocation,
  ) {
    super(
      {
        zh: `不能为负数（${value}）。清单行只记录消耗与排放，负数会抵减碳足迹；清除量与抵扣没有可用的清单行类型`,
        en: `must not be negative (${value}): lines record consumption and emissions, and a negative amount would subtract from the footprint; there is no line kind for removals or credits`,
      },
      location,
    );
  }
}

/** A number that is not finite (NaN or ±Infinity) where the rules need one. */
export class NonFiniteNumberError extends RulesError {
  readonly code: string = "NonFiniteNumber";
  constructor(
    readonly path: string,
    location?: ErrorLocation,
    text?: Bilingual,
  ) {
    super(text ?? { zh: `「${path}」不是有限数值`, en: `${path} is not a finite number` }, location);
  }
}

/**
 * A footprint float64 cannot hold: every amount is finite, but a product or a sum of them is not
 * (1e308 t of coal times its factor is Infinity; Infinity minus a credit is NaN). Located at the
 * line whose figures overflow, or at the total when only the sum does.
 */
export class FootprintOutOfRangeError extends NonFiniteNumberError {
  override readonly code: string = "FootprintOutOfRange";
  constructor(location: ErrorLocation) {
    super(location.field ?? "total", location, {
      zh: "碳足迹超出可计算的数值范围，请检查数量是否过大",
      en: "the footprint is outside the range of numbers that can be calculated: check whether an amount is too large (such as 1e308)",
    });
  }
}

export class UnknownRegionError extends RulesError {
  readonly code = "UnknownRegion";
  constructor(readonly region: string) {
    super({ zh: `未知地区代码「${region}」`, en: `Unknown region code "${region}"` });
  }
}

/** A dataset version includes another that the library does not hold (yet): include it first. */
export class IncludedDatasetMissingError extends RulesError {
  readonly code = "IncludedDatasetMissing";
  constructor(
    readonly datasetKey: string,
    readonly includedKey: string,
  ) {
    super({
      zh: `排放因子库「${datasetKey}」包含的「${includedKey}」不在因子库集合中：须先加入被包含的版本`,
      en: `Emission-factor dataset ${datasetKey} includes ${includedKey}, which the library does not hold: add the included version first`,
    });
  }
}

/** A dataset version pins an included version by a content hash that version does not have. */
export class IncludedDatasetHashMismatchError extends RulesError {
  readonly code = "IncludedDatasetHashMismatch";
  constructor(
    readonly datasetKey: string,
    readonly includedKey: string,
    readonly pinned: string,
    readonly actual: string,
  ) {
    super({
      zh: `排放因子库「${datasetKey}」包含的「${includedKey}」内容散列为「${actual}」，与所固定的「${pinned}」不符`,
      en: `Emission-factor dataset ${datasetKey} pins ${includedKey} at content hash ${pinned}, but that version's hash is ${actual}`,
    });
  }
}

/** One factor code offered twice by a dataset and the versions it includes: which one a line means would be a guess. */
export class DuplicateFactorCodeError extends RulesError {
  readonly code = "DuplicateFactorCode";
  constructor(
    readonly factorCode: string,
    readonly datasetKey: string,
    readonly firstIn: string,
    readonly againIn: string,
  ) {
    super({
      zh: `排放因子库「${datasetKey}」中因子代码「${factorCode}」重复：「${firstIn}」与「${againIn}」均含此代码，一个代码在组合后的因子库中只能出现一次`,
      en: `Factor code "${factorCode}" appears twice in emission-factor dataset ${datasetKey}, in ${firstIn} and in ${againIn}: a code may exist only once across a dataset and the versions it includes`,
    });
  }
}
