/**
 * POST /api/v1/footprints/calculate — a signed-in user sends an inventory (JSON, see
 * /api/v1/schema/inventory.json) and gets the full footprint result, its presentation (decimal
 * strings with units) and the PCR conformance report. Nothing is stored.
 *
 * A refusal of the calculator is 422 with { error: { code, message: { zh, en }, errors } }:
 * `errors` lists every independent error found, each with its code, bilingual message and
 * location { productId?, lineId?, field? } (a schema fault also in `issues`, by path and message
 * key). Anything the rules raise is a refusal; nothing the input holds makes this a 500.
 *
 * `?stagePolicy=enforce|warn`, default enforce. The footprint this endpoint answers with is what
 * a caller may quote for the inventory, so by default it is the one certification would accept:
 * a line in a stage outside the PCR's system boundary is refused (StageNotAllowed), as it is when
 * the inventory is applied with, verified and certified. A caller building an editor of its own
 * asks for `warn` and gets what our editor shows: the line counted, a warning and a failed
 * conformance finding. The option is a query parameter because the body is the inventory, whose
 * published schema admits no other member.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { calculateFromData, presentFootprint, STAGE_POLICIES, type StagePolicy } from "../../rules/calculator/index.ts";
import { checkConformance } from "../../rules/conformance/index.ts";
import { RulesError } from "../../rules/errors.ts";
import { PCR_CATALOGUE } from "../../rules/pcr/index.ts";
import { apiError, json, readJsonBody, requireApiPermission } from "../utils/api.server.ts";

const MAX_BODY_BYTES = 32 * 1024 * 1024;

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return apiError(405, "MethodNotAllowed", "请使用 POST。", "Use POST.");
  await requireApiPermission(request, "footprint:calculate");
  const stagePolicy = stagePolicyOf(new URL(request.url));
  const body = await readJsonBody(request, MAX_BODY_BYTES);
  try {
    const { inventory, result } = calculateFromData(body, { stagePolicy });
    const pcr = PCR_CATALOGUE.get(inventory.pcr.code, inventory.pcr.version);
    const conformance = checkConformance(pcr, inventory, result);
    return json({ result, presentation: presentFootprint(result, 4), conformance });
  } catch (error) {
    if (error instanceof RulesError) return json({ error: error.toJSON() }, { status: 422 });
    throw error;
  }
}

/** The stage policy the caller asked for (enforce when none); any other value is a 400 naming the parameter. */
function stagePolicyOf(url: URL): StagePolicy {
  const asked = url.searchParams.get("stagePolicy");
  if (asked === null) return "enforce";
  if ((STAGE_POLICIES as readonly string[]).includes(asked)) return asked as StagePolicy;
  throw apiError(
    400,
    "InvalidParameter",
    `查询参数「stagePolicy」只能是 ${STAGE_POLICIES.map((p) => `「${p}」`).join("或")}。`,
    `The query parameter stagePolicy must be ${STAGE_POLICIES.join(" or ")}.`,
    { parameter: "stagePolicy" },
  );
}

export function loader() {
  return apiError(405, "MethodNotAllowed", "请使用 POST 提交清单。", "POST an inventory to this address.");
}
