/**
 * The case's history as its append-only log recorded it: each event with who sent it (name and
 * role, or the platform process), when, the state it moved the case from and to, and what it
 * carried. The hash of each entry is shown shortened: it chains the log, so a changed past shows.
 */
import type { MessageKey, Translate } from "../../i18n/index.ts";
import { useLocale, useT } from "../../utils/i18n-react.ts";
import { eventLabelKey } from "./event-forms.tsx";
import { ROLE_KEYS } from "./waiting.ts";
import { When } from "./when.tsx";

export interface HistoryEntry {
  seq: number;
  event_type: string;
  actor_user_id: string | null;
  actor_system: string | null;
  actor_roles: string[];
  actor_name: string | null;
  payload: Record<string, unknown>;
  state_before: string | null;
  state_after: string;
  at: Date | string;
  hash: string;
}

const str = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : null);
const clip = (s: string, n = 160) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** What an event carried, as label/value pairs for people (ids of people become names). */
function details(payload: Record<string, unknown>, people: Record<string, string>, per: string, t: Translate): [MessageKey, string][] {
  const out: [MessageKey, string][] = [];
  const p = payload;
  const person = (id: unknown) => (typeof id === "string" ? (people[id] ?? id) : null);
  const finding = p.finding as { id?: string; severity?: string; clause?: string; text?: string } | undefined;
  const severity = finding?.severity === "major" ? t("case.severity.major") : t("case.severity.minor");
  if (finding?.id) out.push(["case.h.finding", `${finding.id} · ${severity} · ${finding.clause ?? ""} · ${clip(finding.text ?? "")}`]);
  if (str(p.findingId)) out.push(["case.h.finding", str(p.findingId)!]);
  if (str(p.text)) out.push(["case.h.text", clip(str(p.text)!)]);
  if (Array.isArray(p.attachmentIds) && p.attachmentIds.length > 0) out.push(["case.h.files", String(p.attachmentIds.length)]);
  const attachment = p.attachment as { name?: string; kind?: string } | undefined;
  if (attachment?.name) out.push(["case.h.file", attachment.name]);
  for (const seat of ["reviewer", "inspector", "verifier", "decider"] as const) {
    const name = person(p[seat]);
    if (name) out.push([`case.f.${seat}` as MessageKey, name]);
  }
  const inspection = p.inspection as { date?: string; site?: string; attendees?: string[] } | undefined;
  if (inspection?.date)
    out.push([
      "case.h.inspection",
      `${inspection.date} · ${inspection.site ?? ""}${inspection.attendees?.length ? ` · ${inspection.attendees.join("、")}` : ""}`,
    ]);
  if (str(p.kgCO2ePerDeclaredUnit)) out.push(["case.h.verified", `${str(p.kgCO2ePerDeclaredUnit)} kgCO₂e / ${per}`]);
  const claim = p.claim as { period?: { start?: string; end?: string }; quantity?: number } | undefined;
  if (claim?.period) out.push(["case.h.claim", `${claim.period.start} – ${claim.period.end} · ${claim.quantity ?? ""} × ${per}`]);
  if (Array.isArray(p.credits)) out.push(["case.h.credits", String(p.credits.length)]);
  if (str(p.reason)) out.push(["case.f.reason", clip(str(p.reason)!)]);
  if (str(p.note)) out.push(["case.h.note", clip(str(p.note)!)]);
  return out;
}

export function Timeline({
  entries,
  people,
  stateLabels,
  per,
}: {
  entries: readonly HistoryEntry[];
  people: Record<string, string>;
  stateLabels: Record<string, { zh: string; en: string }>;
  per: string;
}) {
  const t = useT();
  const locale = useLocale();
  const stateName = (s: string | null) => (s ? ((locale === "en" ? stateLabels[s]?.en : stateLabels[s]?.zh) ?? s) : "—");
  return (
    <section className="card" aria-labelledby="timeline-title" data-testid="timeline">
      <h2 id="timeline-title">{t("case.timeline")}</h2>
      <ol className="timeline">
        {entries.map((e) => {
          const key = eventLabelKey(e.event_type);
          const actor = e.actor_system
            ? t("case.system", { process: e.actor_system })
            : `${e.actor_name ?? e.actor_user_id ?? ""} · ${e.actor_roles.map((r) => (ROLE_KEYS[r] ? t(ROLE_KEYS[r]!) : r)).join("、")}`;
          return (
            <li key={e.seq} data-seq={e.seq} data-event={e.event_type}>
              <p>
                <strong>{key ? t(key) : e.event_type}</strong> · <When at={e.at} /> · <span data-testid="timeline-actor">{actor}</span>
              </p>
              <p className="small muted">
                {e.state_before ? `${stateName(e.state_before)} → ` : ""}
                {stateName(e.state_after)} · #{e.seq} · <code className="digest">{e.hash.slice(0, 12)}</code>
              </p>
              {details(e.payload, people, per, t).map(([label, value], i) => (
                <p key={i} className="small">
                  {t(label)}: {value}
                </p>
              ))}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
