import { bi, type Bilingual } from "../i18n.ts";
import { pcrKey, type Pcr } from "../pcr/schema.ts";
import { STAGE_NAMES, type Stage } from "../stages.ts";

/** What a remedy text may name: the PCR, and the subject of the finding (for a stage check, the stage). */
export interface RemedyParams {
  readonly pcr: Pcr;
  readonly subject: string | undefined;
}

/** What the applicant has to do when a check fails, in both languages, by key. */
const REMEDIES = {
  prepareUnderPcr: ({ pcr }: RemedyParams) =>
    bi(`按 ${pcrKey(pcr)} 重新编制清单并重新计算`, `Prepare the inventory under ${pcrKey(pcr)} and recalculate`),
  expressPerDeclaredUnit: ({ pcr }: RemedyParams) =>
    bi(`将结果换算为 ${pcr.declaredUnit.description.zh}`, `Express the result per ${pcr.declaredUnit.description.en}`),
  recalculateWithGwpSet: ({ pcr }: RemedyParams) => bi(`以 ${pcr.gwpSet} 重新计算`, `Recalculate with ${pcr.gwpSet}`),
  replaceOtherGwpSetFactors: ({ pcr }: RemedyParams) =>
    bi(
      `改用以 ${pcr.gwpSet} 给出或有分气体数值的因子（分气体因子可按任何全球变暖潜势集表征）`,
      `Use factors given under ${pcr.gwpSet} or per gas (a factor per gas can be characterised with any GWP set)`,
    ),
  fixUnusableLines: () =>
    bi(
      "为这些清单行选择可用的因子或更正其数据：在此之前结果不完整，不能申请认证",
      "Choose a usable factor for these lines or correct their data: until then the result is incomplete and cannot be certified",
    ),
  addStageData: ({ subject }: RemedyParams) => {
    const name = STAGE_NAMES[subject as Stage];
    return bi(`补充「${name.zh}」阶段的清单数据`, `Add inventory data for the "${name.en}" stage`);
  },
  moveLinesInsideBoundary: () => bi("删除这些清单行或将其归入边界内的阶段", "Remove these lines or assign them to a stage inside the boundary"),
  estimateExcludedFlow: () =>
    bi("给出该流的估算占比（estimatedShare）或可用的排放因子", "Give an estimated share (estimatedShare) or a usable factor for the flow"),
  includeFlow: () => bi("将该流纳入计算", "Include this flow in the calculation"),
  includeLargestExcludedFlows: () =>
    bi("将占比最大的排除流纳入计算，直至合计低于限值", "Include the largest excluded flows until the total is under the cap"),
  improveDataQuality: () =>
    bi(
      "以实测的初级数据替换贡献最大的次级数据，并补全数据质量评分",
      "Replace the largest secondary contributions with measured primary data and complete the pedigree scores",
    ),
  citeSupplierCertificates: () =>
    bi(
      "将这些行标为次级数据；供应商持有碳足迹证书的，改为引用证书编号，由登记册核验其数值",
      "Mark these lines as secondary data; where the supplier holds a footprint certificate, cite its number so the registry verifies the value",
    ),
  useNewerFactors: () => bi("改用更新的因子或供应商的实测数据", "Use newer factors or supplier-specific data"),
  useLatestElectricityFactor: () => bi("使用最新发布的电力碳足迹因子", "Use the latest published life-cycle electricity factor"),
  useRegionalFactors: () =>
    bi("改用本地区因子，或在报告中说明代表性", "Use factors for the region, or justify their representativeness in the report"),
  replaceDemonstrationData: () => bi("以有来源的因子或实测数据替换演示值", "Replace demonstration values with sourced factors or measured data"),
  useLifeCycleElectricityFactor: () => bi("改用电力碳足迹因子（生命周期）", "Use the life-cycle electricity carbon-footprint factor"),
  useConsumptionRegionGridFactor: () => bi("使用用电地所在地区的电网因子", "Use the grid factor of the region where the electricity is consumed"),
  countAtGridFactor: () => bi("按电网因子计算这些电量", "Count this electricity at the grid factor"),
  listCertificateIds: () => bi("列出已核销绿证的唯一编号", "List the unique ids of the cancelled green certificates"),
  addCertificatesOrCountAsGrid: () => bi("补充绿证或将超出部分按电网电力计", "Add certificates or count the excess as grid electricity"),
  removeDuplicateCertificates: () => bi("删除重复的绿证编号", "Remove the duplicated certificate ids"),
} as const satisfies Record<string, (params: RemedyParams) => Bilingual>;

export type RemedyKey = keyof typeof REMEDIES;

export const REMEDY_KEYS = Object.keys(REMEDIES) as RemedyKey[];

export function remedyText(key: RemedyKey, params: RemedyParams): Bilingual {
  return REMEDIES[key](params);
}
