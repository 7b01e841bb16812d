/**
 * /admin/datasets/{id}/{version} — one factor dataset version (docs/decisions/0018): what it is
 * (status, content hash, file, who imported and published it, the versions it includes), its
 * difference from the version before it (added, removed and changed factors, each changed value
 * with old, new and %), and for a draft: publish it (the content hash is recorded, the version is
 * immutable from then on, and the drift watch recalculates the valid certificates on earlier
 * versions) or discard it. A published version shows what the drift watch found.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Notice } from "../components/form.tsx";
import type { Message } from "../i18n/index.ts";
import { datasetVersionPage, discardDraft, driftCountsOf, publishAndWatch, refusalMessage, rerunDriftWatch } from "../services/datasets.server.ts";
import { GAS_NAMES, type Gas } from "../../rules/gwp.ts";
import { formatPercent, roundToSignificant } from "../../rules/format.ts";
import { requirePermission } from "../utils/auth.server.ts";
import { notFound } from "../utils/http.server.ts";
import { refuseNulBytes } from "../utils/nul-bytes.server.ts";
import { readForm } from "../utils/read-form.server.ts";
import { useLocale, useMessage, useT } from "../utils/i18n-react.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, locale } = await requirePermission(request, "datasets:manage");
  refuseNulBytes(request, locale, { params });
  const page = await datasetVersionPage(db, params.datasetId ?? "", params.version ?? "");
  if (!page) throw notFound();
  const { item, dataset, diff, blocked } = page;
  const url = new URL(request.url);
  return {
    item: { ...item, importedAt: item.importedAt?.toISOString() ?? null, publishedAt: item.publishedAt?.toISOString() ?? null },
    includes: dataset.includes ?? [],
    publishedOn: dataset.publishedOn,
    demonstration: dataset.demonstration,
    note: dataset.note ?? null,
    diff,
    blocked: blocked ? refusalMessage(blocked) : null,
    drift: item.status === "draft" ? null : await driftCountsOf(db, { id: item.id, version: item.version }),
    imported: url.searchParams.get("imported"),
  };
}

type ActionAnswer =
  | { done: "published"; sha256: string; drift: { evaluated: number; flagged: number; failed: number; ms: number } }
  | { done: "rerun"; drift: { evaluated: number; flagged: number; failed: number; ms: number } }
  | { error: Message };

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user } = await requirePermission(request, "datasets:manage");
  const target = { datasetId: params.datasetId ?? "", version: params.version ?? "" };
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  if (intent === "publish") {
    const outcome = await publishAndWatch(db, { ...target, userId: user.id });
    if (!outcome.ok) return data<ActionAnswer>({ error: outcome.message }, { status: outcome.status });
    return data<ActionAnswer>({ done: "published", sha256: outcome.sha256, drift: outcome.drift });
  }
  if (intent === "discard") {
    if (!(await discardDraft(db, target.datasetId, target.version))) return data<ActionAnswer>({ error: { key: "ds.err.noDraft" } }, { status: 409 });
    throw redirect(`/admin/datasets?discarded=${encodeURIComponent(`${target.datasetId}@${target.version}`)}`);
  }
  if (intent === "rerun-drift") {
    const drift = await rerunDriftWatch(db, { id: target.datasetId, version: target.version });
    if (!drift) return data<ActionAnswer>({ error: { key: "ds.err.noDraft" } }, { status: 409 });
    return data<ActionAnswer>({ done: "rerun", drift });
  }
  return data<ActionAnswer>({ error: { key: "v.invalid" } }, { status: 400 });
}

function signed(relative: number | null): string {
  if (relative === null) return "—";
  const text = `${formatPercent(relative, 2)} %`;
  return relative > 0 ? `+${text}` : text;
}

const figure = (value: number | null) => (value === null ? "—" : roundToSignificant(value, 6));

export default function DatasetVersion() {
  const { item, includes, publishedOn, demonstration, note, diff, blocked, drift, imported } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const message = useMessage();
  const navigation = useNavigation();
  const name = (n: { zh: string; en: string }) => (locale === "en" ? n.en : n.zh);
  const member = (m: string) => (m === "co2e" ? "CO₂e" : name(GAS_NAMES[m as Gas] ?? { zh: m, en: m }));
  const when = (iso: string | null) => (iso ? iso.slice(0, 16).replace("T", " ") : "—");
  const key = `${item.id}@${item.version}`;
  const busy = navigation.state === "submitting";
  return (
    <>
      <p className="small">
        <Link to="/admin/datasets">{t("ds.back")}</Link>
      </p>
      <h1>
        {item.id} {item.version}
      </h1>
      {imported ? <Notice>{t("ds.imported", { key, count: imported })}</Notice> : null}
      {answer && "error" in answer ? (
        <div className="alert alert-error" role="alert">
          {message(answer.error)}
        </div>
      ) : null}
      {answer && "done" in answer ? (
        <div className="alert alert-success" role="status" data-testid="dataset-published">
          {answer.done === "published" ? <p>{t("ds.published", { key, hash: answer.sha256 })}</p> : null}
          <p>{t("ds.drift.summary", answer.drift)}</p>
        </div>
      ) : null}
      <section className="card">
        <dl className="facts">
          <dt>{t("ds.meta.name")}</dt>
          <dd>{name(item.name)}</dd>
          <dt>{t("ds.meta.status")}</dt>
          <dd data-testid="dataset-status">{t(`ds.status.${item.status}`)}</dd>
          <dt>{t("ds.meta.publishedOn")}</dt>
          <dd>
            {publishedOn}
            {demonstration ? ` · ${t("ds.field.demonstration")}` : ""}
          </dd>
          <dt>{t("ds.meta.factors")}</dt>
          <dd>{item.factors}</dd>
          <dt>{t("ds.meta.hash")}</dt>
          <dd>
            <code data-testid="dataset-hash">{item.sha256 ?? t("ds.meta.hashPending")}</code>
          </dd>
          {includes.length > 0 ? (
            <>
              <dt>{t("ds.meta.includes")}</dt>
              <dd>
                {includes.map((i) => (
                  <span key={`${i.id}@${i.version}`} className="small">
                    {i.id} {i.version} <code>{i.sha256.slice(0, 12)}…</code>{" "}
                  </span>
                ))}
              </dd>
            </>
          ) : null}
          {item.fileName ? (
            <>
              <dt>{t("ds.meta.file")}</dt>
              <dd>{item.fileName}</dd>
              <dt>{t("ds.meta.imported")}</dt>
              <dd>
                {item.importedBy} · {when(item.importedAt)}
              </dd>
            </>
          ) : null}
          {item.publishedAt ? (
            <>
              <dt>{t("ds.meta.published")}</dt>
              <dd>{when(item.publishedAt)}</dd>
            </>
          ) : null}
          {note ? (
            <>
              <dt>{t("ds.field.note")}</dt>
              <dd>{note}</dd>
            </>
          ) : null}
        </dl>
        <p className="small">
          <a href={`/admin/datasets/${encodeURIComponent(item.id)}/${encodeURIComponent(item.version)}/csv`} download>
            {t("ds.downloadCsv")}
          </a>
        </p>
      </section>

      {item.status === "draft" ? (
        <section className="card" data-testid="dataset-publish">
          <h2>{t("ds.publish")}</h2>
          <p className="small muted">{t("ds.publishLead")}</p>
          {blocked ? (
            <div className="alert alert-warn" role="status">
              {t("ds.blocked", { message: message(blocked) ?? "" })}
            </div>
          ) : null}
          <div className="button-row">
            <Form method="post">
              <input type="hidden" name="intent" value="publish" />
              <button type="submit" disabled={busy || blocked !== null}>
                {t("ds.publish")}
              </button>
            </Form>
            <Form method="post">
              <input type="hidden" name="intent" value="discard" />
              <button type="submit" className="secondary" disabled={busy}>
                {t("ds.discard")}
              </button>
            </Form>
          </div>
        </section>
      ) : null}

      {drift ? (
        <section className="card" data-testid="dataset-drift">
          <h2>{t("ds.drift.title")}</h2>
          <p>{t("ds.drift.counts", drift)}</p>
          <Form method="post">
            <input type="hidden" name="intent" value="rerun-drift" />
            <button type="submit" className="secondary" disabled={busy}>
              {t("ds.drift.rerun")}
            </button>
          </Form>
        </section>
      ) : null}

      <section className="card" data-testid="dataset-diff">
        <h2>{diff.previous ? t("ds.diff.title", { previous: `${diff.previous.id} ${diff.previous.version}` }) : t("ds.diff.first")}</h2>
        {diff.previous ? (
          <p data-testid="dataset-diff-summary">
            {t("ds.diff.summary", {
              added: diff.added.length,
              removed: diff.removed.length,
              changed: diff.changed.length,
              unchanged: diff.unchanged,
            })}
          </p>
        ) : null}
        {diff.changed.length > 0 ? (
          <div className="table-wrap">
            <h3>{t("ds.diff.changed")}</h3>
            <table data-testid="dataset-diff-changed">
              <thead>
                <tr>
                  <th>{t("ds.diff.col.code")}</th>
                  <th>{t("ds.diff.col.name")}</th>
                  <th>{t("ds.diff.col.member")}</th>
                  <th className="num">{t("ds.diff.col.old")}</th>
                  <th className="num">{t("ds.diff.col.new")}</th>
                  <th className="num">{t("ds.diff.col.change")}</th>
                  <th>{t("ds.diff.col.other")}</th>
                </tr>
              </thead>
              <tbody>
                {diff.changed.flatMap((f) => {
                  const rows = f.changes.length > 0 ? f.changes : [null];
                  return rows.map((c, i) => (
                    <tr key={`${f.code}-${i}`} data-testid="dataset-diff-change" data-code={f.code}>
                      <td>{i === 0 ? f.code : ""}</td>
                      <td>{i === 0 ? name(f.name) : ""}</td>
                      <td>{c ? `${member(c.member)} (kg / ${f.activityUnit})` : t("ds.diff.valueUnchanged")}</td>
                      <td className="num">{c ? figure(c.old) : ""}</td>
                      <td className="num">{c ? figure(c.new) : ""}</td>
                      <td className="num" data-testid="dataset-diff-relative">
                        {c ? signed(c.relative) : ""}
                      </td>
                      <td className="small">{i === 0 ? f.otherMembers.join(", ") : ""}</td>
                    </tr>
                  ));
                })}
              </tbody>
            </table>
          </div>
        ) : null}
        {(
          [
            ["ds.diff.added", diff.added, "dataset-diff-added"],
            ["ds.diff.removed", diff.removed, "dataset-diff-removed"],
          ] as const
        ).map(([title, list, testId]) =>
          list.length > 0 ? (
            <div className="table-wrap" key={title}>
              <h3>{t(title)}</h3>
              <table data-testid={testId}>
                <thead>
                  <tr>
                    <th>{t("ds.diff.col.code")}</th>
                    <th>{t("ds.diff.col.name")}</th>
                    <th>{t("ds.diff.col.value")}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((f) => (
                    <tr key={f.code} data-code={f.code}>
                      <td>{f.code}</td>
                      <td>{name(f.name)}</td>
                      <td className="small">
                        {f.values.map((v) => `${member(v.member)} ${figure(v.value)} kg / ${f.activityUnit}`).join("; ")}
                        {f.gwpSet ? ` (${f.gwpSet})` : ""}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null,
        )}
      </section>
    </>
  );
}
