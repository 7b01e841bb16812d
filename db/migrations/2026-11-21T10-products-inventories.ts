/**
 * Products, their life-cycle inventories (versioned; read-only once an application uses one),
 * inventory lines, and evidence files. Quantities are `numeric` (exact decimals).
 */
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("products")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("organization_id", "uuid", (c) => c.notNull().references("organizations.id"))
    .addColumn("name_zh", "text", (c) => c.notNull())
    .addColumn("name_en", "text", (c) => c.notNull())
    .addColumn("model", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("pcr_code", "text", (c) => c.notNull())
    .addColumn("site_region", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("gtin", "text", (c) => c.check(sql`gtin ~ '^[0-9]{8}$|^[0-9]{12,14}$'`))
    .addColumn("internal_code", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("products_organization_idx").on("products").columns(["organization_id", "name_zh"]).execute();

  await db.schema
    .createTable("inventories")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("organization_id", "uuid", (c) => c.notNull().references("organizations.id"))
    .addColumn("product_id", "uuid", (c) => c.notNull().references("products.id"))
    // Version n of this product's inventory for this period; a copy is made to edit a locked one.
    .addColumn("version", "integer", (c) =>
      c
        .notNull()
        .defaultTo(1)
        .check(sql`version >= 1`),
    )
    .addColumn("previous_version_id", "uuid", (c) => c.references("inventories.id"))
    .addColumn("pcr_code", "text", (c) => c.notNull())
    .addColumn("pcr_version", "text", (c) => c.notNull())
    .addColumn("factor_dataset_id", "text", (c) => c.notNull())
    .addColumn("factor_dataset_version", "text", (c) => c.notNull())
    .addColumn("gwp_set", "text", (c) => c.notNull())
    .addColumn("period_start", "date", (c) => c.notNull())
    .addColumn("period_end", "date", (c) => c.notNull())
    .addColumn("production_quantity", "numeric", (c) => c.notNull().check(sql`production_quantity > 0`))
    .addColumn("production_unit", "text", (c) => c.notNull())
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    // Set when an application uses this version; from then on its lines never change.
    .addColumn("locked_at", "timestamptz")
    .addColumn("created_by", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("inventories_period", sql`period_end >= period_start`)
    .execute();
  await db.schema.createIndex("inventories_product_idx").on("inventories").columns(["product_id", "version"]).execute();

  await db.schema
    .createTable("inventory_lines")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("inventory_id", "uuid", (c) => c.notNull().references("inventories.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("stage", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("amount", "numeric")
    .addColumn("unit", "text")
    .addColumn("factor_code", "text")
    .addColumn("data_type", "text", (c) => c.notNull().check(sql`data_type in ('primary', 'secondary')`))
    .addColumn("data_quality", "jsonb")
    .addColumn("excluded", "boolean", (c) => c.notNull().defaultTo(false))
    // Kind-specific fields (electricity supply, transport legs, gas, cited certificate…) as the calculator takes them.
    .addColumn("details", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    .execute();
  await db.schema.createIndex("inventory_lines_inventory_idx").on("inventory_lines").columns(["inventory_id", "position"]).execute();

  await db.schema
    .createTable("evidence_files")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("organization_id", "uuid", (c) => c.notNull().references("organizations.id"))
    .addColumn("inventory_line_id", "uuid", (c) => c.notNull().references("inventory_lines.id").onDelete("cascade"))
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("content_type", "text", (c) => c.notNull())
    .addColumn("size_bytes", "integer", (c) => c.notNull())
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("content", "bytea", (c) => c.notNull())
    .addColumn("uploaded_by", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("evidence_files_line_idx").on("evidence_files").column("inventory_line_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["evidence_files", "inventory_lines", "inventories", "products"]) {
    await db.schema.dropTable(table).execute();
  }
}
