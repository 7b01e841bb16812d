import { z } from "zod";
import { GASES, GWP_SET_IDS } from "../gwp.ts";
import { STAGES } from "../stages.ts";

/**
 * The inventory a footprint is calculated from: plain JSON data. This schema is the public
 * contract of the calculator (published as JSON Schema by the API), so every field carries a
 * description and nothing relies on transforms that JSON Schema cannot express.
 *
 * Every object is strict: a member the schema does not define is an error at its path, never
 * dropped. A dropped typo ("exclude": true) would leave the line included and the input hash
 * unchanged without a word. Objects are made with `z.strictObject` throughout for that reason.
 */

const Id = z.string().min(1).max(200);
const Unit = z.string().min(1).describe('Unit code, e.g. "kg", "t", "kWh", "m3", "m2", "tkm", "piece"');
const Amount = z.number().finite();
const Quantity = z.strictObject({ amount: Amount, unit: Unit });
/** The rule of a supplier line: a certificate or a supplier-declared figure, exactly one (INVENTORY_RULES). */
const SUPPLIER_FIGURE_RULE = "supplier_figure";

export const DataQualitySchema = z
  .strictObject({
    reliability: z.number().int().min(1).max(5),
    completeness: z.number().int().min(1).max(5),
    temporal: z.number().int().min(1).max(5),
    geographical: z.number().int().min(1).max(5),
    technological: z.number().int().min(1).max(5),
  })
  .describe("Pedigree scores, 1 (best) to 5 (worst)");

const lineBase = {
  id: Id.describe("Unique within the inventory"),
  stage: z.enum(STAGES),
  dataType: z.enum(["primary", "secondary"]).describe("primary: measured at the applicant's sites; secondary: databases and literature"),
  dataQuality: DataQualitySchema.optional(),
  note: z.string().max(2000).optional(),
  /**
   * A flow left out under the PCR's cut-off rule. It is not counted in the total; its estimated
   * share is reported and checked against the cut-off limits.
   */
  excluded: z.boolean().optional(),
  estimatedShare: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe("For excluded lines without a computable factor: estimated share of the footprint (0.004 = 0.4 %)"),
};

const factorLine = {
  ...lineBase,
  amount: Amount,
  unit: Unit,
  factorCode: z.string().min(1).describe("Code of a factor in the inventory's factor dataset"),
};

export const MaterialLineSchema = z
  .strictObject({ ...factorLine, kind: z.literal("material") })
  .describe("Material or purchased input: amount × factor");
export const FuelLineSchema = z.strictObject({ ...factorLine, kind: z.literal("fuel") }).describe("Energy carrier or fuel burnt: amount × factor");
export const WasteLineSchema = z
  .strictObject({ ...factorLine, kind: z.literal("waste") })
  .describe("Waste sent to treatment: amount × treatment factor");

export const InlineFactorSchema = z
  .strictObject({
    co2e: z.strictObject({ value: z.number().finite(), gwpSet: z.enum(GWP_SET_IDS) }).optional(),
    gases: z.partialRecord(z.enum(GASES), z.number().finite()).optional(),
    year: z.number().int().min(1900).max(2100),
    source: z.string().min(1),
  })
  .describe("A supplier's own factor per kWh: CO2e with its GWP set, or per-gas values");

export const ElectricitySupplySchema = z.discriminatedUnion("type", [
  z
    .strictObject({
      type: z.literal("grid"),
      region: z.string().optional().describe("Region code (CN, CN-GRID-E, CN-JS …); default: the inventory's location"),
      year: z.number().int().optional().describe("Factor year wanted; default: the newest not after the reference year"),
      factorCode: z.string().optional().describe("Pin an exact factor instead of resolving by region and year"),
    })
    .describe("Grid average electricity"),
  z
    .strictObject({
      type: z.literal("supplier"),
      supplier: z.string().min(1),
      contractId: z.string().optional(),
      factor: InlineFactorSchema,
    })
    .describe("Supplier-specific electricity (direct line or contract) with its own factor"),
  z
    .strictObject({
      type: z.literal("green_certificate"),
      technology: z.enum(["wind", "pv", "biomass"]),
      certificateIds: z.array(z.string().min(1)).describe("China green certificate (绿证) ids; 1 certificate = 1 000 kWh"),
      periodKWh: z
        .number()
        .positive()
        .optional()
        .describe("Electricity of the reference period these certificates are claimed for; default: the line's amount"),
      factorCode: z.string().optional().describe("Renewable life-cycle factor; default: by technology"),
    })
    .describe("Electricity claimed renewable with green certificates"),
  z
    .strictObject({
      type: z.literal("onsite"),
      technology: z.string().min(1),
      factorCode: z.string().min(1),
    })
    .describe("On-site generation, e.g. rooftop PV"),
]);

export const ElectricityLineSchema = z
  .strictObject({ ...lineBase, kind: z.literal("electricity"), amount: Amount, unit: Unit, supply: ElectricitySupplySchema })
  .describe("Electricity consumed");

export const TransportLineSchema = z
  .strictObject({
    ...lineBase,
    kind: z.literal("transport"),
    factorCode: z.string().min(1).describe("Transport mode factor per t·km"),
    amount: Amount.optional().describe("Transport work, with unit tkm or kgkm; or give mass and distance"),
    unit: Unit.optional(),
    mass: Quantity.optional(),
    distance: Quantity.optional(),
  })
  .describe("Transport: t·km by mode, or mass × distance");

export const ProcessEmissionLineSchema = z
  .strictObject({ ...lineBase, kind: z.literal("process_emission"), gas: z.enum(GASES), amount: Amount, unit: Unit })
  .describe("Direct emission of one gas from the process (calcination CO2, refrigerant leaks, anode effects …)");

/**
 * A certificate cited by number and what it certifies. The app fills every member from the
 * registry's signed payload (nothing is typed by hand) and keeps what it verified beside it
 * (`registry`, set apart below). Rows stored before the PCR and the holder were recorded lack
 * them, so both stay optional.
 */
const CitedCertificateSchema = z
  .strictObject({
    number: z.string().min(1).describe("Footprint certificate number, e.g. CQC-CF-2025-000123"),
    issuer: z.string().optional(),
    kgCO2ePerDeclaredUnit: z.number().finite(),
    declaredUnit: z.strictObject({ quantity: z.number().positive(), unit: Unit }),
    gwpSet: z.enum(GWP_SET_IDS),
    validUntil: z.iso.date().optional(),
    pcr: z
      .strictObject({ code: z.string().min(1), version: z.string().min(1) })
      .optional()
      .describe("The PCR the certificate was issued under"),
    holder: z
      .strictObject({ zh: z.string().min(1), en: z.string().min(1) })
      .optional()
      .describe("The certificate's holder, as certified"),
  })
  .describe("A supplier's footprint certificate: its number and what it certifies");

/**
 * A supplier's own figure that no certificate backs: allowed, but unverified, so it counts as
 * secondary data whatever the line says and the conformance report names the line.
 */
const SupplierDeclaredFigureSchema = z
  .strictObject({
    supplier: z.string().min(1).max(200),
    kgCO2ePerDeclaredUnit: z.number().finite(),
    declaredUnit: z.strictObject({ quantity: z.number().positive(), unit: Unit }),
    gwpSet: z.enum(GWP_SET_IDS),
    year: z.number().int().min(1900).max(2100).optional().describe("Year the figure refers to"),
  })
  .describe("A supplier-declared, unverified figure per its declared unit; counted as secondary data");

export const SupplierCertificateLineSchema = z
  .strictObject({
    ...lineBase,
    kind: z.literal("supplier_certificate"),
    amount: Amount,
    unit: Unit,
    certificate: CitedCertificateSchema.optional(),
    declared: SupplierDeclaredFigureSchema.optional(),
  })
  .superRefine((line, ctx) => {
    // Exactly one source of the figure: a line with both would be verified and unverified at once.
    if ((line.certificate === undefined) === (line.declared === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: [line.certificate === undefined ? "certificate" : "declared"],
        message: "a supplier line either cites a certificate or states a supplier-declared figure, exactly one of them",
        params: { rule: SUPPLIER_FIGURE_RULE },
      });
    }
  })
  .describe("An input from a supplier: amount × the certified value of its certificate, or × the supplier's own declared figure");

export const SubProductLineSchema = z
  .strictObject({ ...lineBase, kind: z.literal("sub_product"), productId: Id, amount: Amount, unit: Unit })
  .describe("An input that is another product modelled in this system (systems may nest and loop)");

/** The published line: the one definition of an inventory line, strict like every object here. */
export const PublishedInventoryLineSchema = z.discriminatedUnion("kind", [
  MaterialLineSchema,
  FuelLineSchema,
  ElectricityLineSchema,
  TransportLineSchema,
  WasteLineSchema,
  ProcessEmissionLineSchema,
  SupplierCertificateLineSchema,
  SubProductLineSchema,
]);

/**
 * The app keeps a few members beside a stored line for the record, not for calculation: what the
 * certificate registry held for a cited supplier certificate (`certificate.registry`). They are
 * set apart here, by name, before the line is checked; any other member is still an error.
 */
function withoutRecordMembers(input: unknown): unknown {
  if (typeof input !== "object" || input === null || (input as { kind?: unknown }).kind !== "supplier_certificate") return input;
  const certificate = (input as { certificate?: unknown }).certificate;
  if (typeof certificate !== "object" || certificate === null || !("registry" in certificate)) return input;
  const { registry: _registry, ...rest } = certificate as Record<string, unknown>;
  return { ...input, certificate: rest };
}

/**
 * A line as the app reads and edits it (the inventory editor, the workbook import, a stored row):
 * the published line, once the members kept for the record are set apart. Same definition, same
 * output type, same issue paths.
 */
export const InventoryLineSchema = z.preprocess(withoutRecordMembers, PublishedInventoryLineSchema);

export const ModelledProductSchema = z.strictObject({
  id: Id,
  name: z.string().optional(),
  output: Quantity.describe("What one run of this product's lines makes, e.g. 1 t or 60 kWh"),
  lines: z.array(PublishedInventoryLineSchema),
});

/** Refinement issues say which rule they apply (`params.rule`), so they can be worded in both languages. */
export const INVENTORY_RULES = {
  transportQuantity: "transport_quantity",
  periodOrder: "period_order",
  supplierFigure: SUPPLIER_FIGURE_RULE,
} as const;

export const InventorySchema = z
  .strictObject({
    id: z.string().optional(),
    pcr: z.strictObject({ code: z.string().min(1), version: z.string().min(1) }),
    factorDataset: z.strictObject({ id: z.string().min(1), version: z.string().min(1) }),
    gwpSet: z.enum(GWP_SET_IDS),
    declaredUnit: z.strictObject({ quantity: z.number().positive(), unit: Unit }),
    period: z.strictObject({ start: z.iso.date(), end: z.iso.date() }).describe("Reference period of the primary data"),
    location: z
      .strictObject({ region: z.string().min(1) })
      .optional()
      .describe("Where the reference product is made; default region for grid electricity"),
    referenceProduct: Id.describe("Id of the product the declared unit refers to"),
    products: z.array(ModelledProductSchema).min(1),
  })
  .superRefine((inv, ctx) => {
    inv.products.forEach((p, pi) => {
      p.lines.forEach((line, li) => {
        if (line.kind !== "transport") return;
        const work = line.amount !== undefined && line.unit !== undefined;
        const legs = line.mass !== undefined && line.distance !== undefined;
        if (work === legs) {
          ctx.addIssue({
            code: "custom",
            path: ["products", pi, "lines", li],
            message: "a transport line gives either amount+unit (t·km) or mass+distance, exactly one of them",
            params: { rule: INVENTORY_RULES.transportQuantity },
          });
        }
      });
    });
    if (inv.period.end < inv.period.start) {
      ctx.addIssue({
        code: "custom",
        path: ["period", "end"],
        message: "the period ends before it starts",
        params: { rule: INVENTORY_RULES.periodOrder },
      });
    }
  });

export type Inventory = z.infer<typeof InventorySchema>;
export type InventoryLine = z.infer<typeof PublishedInventoryLineSchema>;
export type ModelledProduct = z.infer<typeof ModelledProductSchema>;
export type DataQuality = z.infer<typeof DataQualitySchema>;
export type LineKind = InventoryLine["kind"];

/** JSON Schema of the inventory, for the API to publish: every object with `additionalProperties: false`. */
export function inventoryJsonSchema(): unknown {
  return z.toJSONSchema(InventorySchema, { target: "draft-2020-12", io: "input" });
}
