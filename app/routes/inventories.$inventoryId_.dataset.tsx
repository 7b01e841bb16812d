/**
 * /inventories/:id/dataset — moving an inventory to a newer version of its factor dataset
 * (docs/decisions/0018). The manufacturer picks one of the newer versions (built in or published
 * by the platform admin) and sees what it does to every line and to the total, with the factor
 * each line uses and its value in both versions, and any line the newer version cannot calculate;
 * then makes a new inventory version on it. The inventory itself never changes its dataset.
 * Another organization's inventory answers 404.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { Message } from "../i18n/index.ts";
import { chosenVersion, libraryOf, movePreview, moveToVersion, newerVersions } from "../services/inventory-dataset.server.ts";
import { findInventory } from "../services/inventories.server.ts";
import { formatPercent, roundToSignificant } from "../../rules/format.ts";
import { STAGE_NAMES } from "../../rules/stages.ts";
import { requirePermission } from "../utils/auth.server.ts";
import { notFound } from "../utils/http.server.ts";
import { refuseNulBytes } from "../utils/nul-bytes.server.ts";
import { readForm } from "../utils/read-form.server.ts";
import { useLocale, useMessage, useT } from "../utils/i18n-react.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, organizationId, locale } = await requirePermission(request, "product:read:own");
  refuseNulBytes(request, locale, { params });
  const inventory = await findInventory(db, organizationId, params.inventoryId);
  if (!inventory) throw notFound();
  const current = { id: inventory.factor_dataset_id, version: inventory.factor_dataset_version };
  const choices = newerVersions(await libraryOf(db), current);
  const wanted = new URL(request.url).searchParams.get("to");
  const to = chosenVersion(choices, wanted) ?? null;
  return {
    inventory: {
      id: inventory.id,
      version: inventory.version,
      product: { zh: inventory.product_name_zh, en: inventory.product_name_en },
      period: `${inventory.period_start} – ${inventory.period_end}`,
    },
    current,
    choices,
    badChoice: wanted !== null && to === null,
    preview: to ? await movePreview(db, organizationId, inventory, to) : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, organizationId, user } = await requirePermission(request, "product:write:own");
  const inventory = await findInventory(db, organizationId, params.inventoryId);
  if (!inventory) throw notFound();
  const form = await readForm(request);
  const choices = newerVersions(await libraryOf(db), { id: inventory.factor_dataset_id, version: inventory.factor_dataset_version });
  const to = chosenVersion(choices, String(form.get("to") ?? ""));
  if (!to) return data<{ error: Message }>({ error: { key: "invds.badChoice" } }, { status: 400 });
  const id = await moveToVersion(db, { organizationId, userId: user.id }, inventory, to);
  throw redirect(`/inventories/${id}`);
}

const kg = (value: number | null) => (value === null ? "—" : roundToSignificant(value, 4));

function signed(relative: number | null): string {
  if (relative === null) return "—";
  const text = `${formatPercent(relative, 2)} %`;
  return relative > 0 ? `+${text}` : text;
}

export default function InventoryDataset() {
  const { inventory, current, choices, badChoice, preview } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const message = useMessage();
  const navigation = useNavigation();
  const pick = (b: { zh: string; en: string }) => (locale === "en" ? b.en : b.zh);
  const factorText = (f: { code: string; value: number | null; unit: string } | null) =>
    f ? `${f.code} ${f.value === null ? "—" : roundToSignificant(f.value, 4)}${f.unit ? ` / ${f.unit}` : ""}` : "—";
  return (
    <>
      <p className="small">
        <Link to={`/inventories/${inventory.id}`}>{t("invds.back")}</Link>
      </p>
      <h1>{t("invds.title")}</h1>
      <p>
        {pick(inventory.product)} · {inventory.period} · v{inventory.version}
      </p>
      <p className="muted small">{t("invds.lead")}</p>
      {answer?.error || badChoice ? (
        <div className="alert alert-error" role="alert">
          {message(answer?.error ?? { key: "invds.badChoice" })}
        </div>
      ) : null}
      <section className="card">
        <dl className="facts">
          <dt>{t("invds.current")}</dt>
          <dd data-testid="inventory-dataset">
            {current.id} {current.version}
          </dd>
        </dl>
        {choices.length === 0 ? (
          <p className="muted">{t("invds.none")}</p>
        ) : (
          <Form method="get" className="inline-form">
            <div className="field">
              <label htmlFor="field-to">{t("invds.choose")}</label>
              <select id="field-to" name="to" defaultValue={preview?.to.key ?? choices[0]!.key}>
                {choices.map((c) => (
                  <option key={c.key} value={c.key}>
                    {c.id} {c.version} · {pick(c.name)} ({c.publishedOn})
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className="secondary">
              {t("invds.preview")}
            </button>
          </Form>
        )}
      </section>
      {preview ? (
        <section className="card" data-testid="dataset-preview">
          <h2>{t("invds.previewTitle", { dataset: `${preview.to.id} ${preview.to.version}` })}</h2>
          {preview.currentError ? (
            <p className="alert alert-warn">
              {t("invds.currentError")} {pick(preview.currentError)}
            </p>
          ) : null}
          {preview.nextErrors.length > 0 ? (
            <div className="alert alert-warn" data-testid="preview-errors">
              <p>{t("invds.nextErrors")}</p>
              <ul className="small">
                {preview.nextErrors.map((e, i) => (
                  <li key={i}>{pick(e)}</li>
                ))}
              </ul>
            </div>
          ) : null}
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{t("invds.col.line")}</th>
                  <th>{t("invds.col.stage")}</th>
                  <th>{t("invds.col.factor")}</th>
                  <th className="num">{t("invds.col.now")}</th>
                  <th className="num">{t("invds.col.next")}</th>
                  <th className="num">{t("invds.col.change")}</th>
                </tr>
              </thead>
              <tbody>
                {preview.lines.map((l) => (
                  <tr key={`${l.productId}/${l.lineId}`} data-testid="preview-line" data-line={l.lineId}>
                    <td>
                      {l.name}
                      {l.error ? (
                        <p className="field-error small" data-testid="preview-line-error">
                          {t("invds.lineError")} {pick(l.error)}
                        </p>
                      ) : null}
                    </td>
                    <td>{pick(STAGE_NAMES[l.stage])}</td>
                    <td className="small">
                      {factorText(l.factor.current)}
                      {l.factor.next && (l.factor.next.code !== l.factor.current?.code || l.factor.next.value !== l.factor.current?.value)
                        ? ` → ${factorText(l.factor.next)}`
                        : ""}
                    </td>
                    <td className="num">{kg(l.current)}</td>
                    <td className="num">{l.next === null && l.error ? t("invds.notCalculable") : kg(l.next)}</td>
                    <td className="num">{signed(l.relative)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr data-testid="preview-total">
                  <th colSpan={3}>{t("invds.total", { unit: preview.declaredUnit ?? "—" })}</th>
                  <td className="num">{kg(preview.total.current)}</td>
                  <td className="num">{preview.total.next === null ? t("invds.notCalculable") : kg(preview.total.next)}</td>
                  <td className="num">{signed(preview.total.relative)}</td>
                </tr>
              </tfoot>
            </table>
          </div>
          <Form method="post" className="stack">
            <input type="hidden" name="to" value={preview.to.key} />
            <p className="small muted">{t("invds.createHint")}</p>
            <div>
              <button type="submit" disabled={navigation.state === "submitting"}>
                {t("invds.create", { dataset: `${preview.to.id} ${preview.to.version}` })}
              </button>
            </div>
          </Form>
        </section>
      ) : null}
    </>
  );
}
