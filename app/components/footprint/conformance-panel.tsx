/**
 * Every PCR check with its clause, pass or fail, and what to do about a failure. Given links, a
 * failure also points at its fix: a missing stage opens the add-line form in that stage, a check
 * about particular lines links to each of them (the lines an incomplete result leaves out among
 * them). A finding that only informs (the supplier-declared figures in use, a deviation from the
 * GWP set the PCR accepts when disclosed) is marked as such and links its lines too.
 */
import { Link } from "@remix-run/react";
import type { ConformanceReport, Finding } from "../../../rules/conformance/index.ts";
import { OTHER_GWP_SET_CHECK } from "../../../rules/conformance/checks/gwp-basis.ts";
import { SUPPLIER_DECLARED_CHECK } from "../../../rules/conformance/checks/supplier-data.ts";
import { useLocale, useT } from "../../utils/i18n-react.ts";

export interface ConformanceLinks {
  /** Where to add a line in a stage (a missing required stage). */
  addToStage?: (stage: string) => string;
  /** A line of this inventory by id, or null for lines of other inventories (sub-products). */
  line?: (lineId: string) => { href: string; label: string } | null;
}

const MAX_LINE_LINKS = 5;

/** Checks whose passing finding names lines for the reader to know of, not to fix. */
const INFORMATIVE_CHECKS: ReadonlySet<string> = new Set([SUPPLIER_DECLARED_CHECK, OTHER_GWP_SET_CHECK]);

/** A passed finding that names lines for the reader to know of, not to fix. */
const informative = (f: Finding) => f.passed && INFORMATIVE_CHECKS.has(f.check);

function FixLinks({ finding, links }: { finding: Finding; links: ConformanceLinks }) {
  const t = useT();
  if (finding.passed && !informative(finding)) return null;
  if (finding.check === "stage.required" && links.addToStage) {
    const stage = finding.id.slice("stage.required:".length);
    return (
      <Link className="fix-link" to={links.addToStage(stage)} preventScrollReset={false}>
        {t("conf.addLineHere")}
      </Link>
    );
  }
  const lines = (finding.lineIds ?? []).map((id) => links.line?.(id)).filter((l): l is { href: string; label: string } => Boolean(l));
  if (lines.length === 0) return null;
  return (
    <span className="fix-link">
      {t("conf.lines")}:{" "}
      {lines.slice(0, MAX_LINE_LINKS).map((l, i) => (
        <span key={l.href}>
          {i > 0 ? "、" : null}
          <Link to={l.href}>{l.label}</Link>
        </span>
      ))}
      {lines.length > MAX_LINE_LINKS ? ` … (+${lines.length - MAX_LINE_LINKS})` : null}
    </span>
  );
}

export function ConformancePanel({ report, links = {} }: { report: ConformanceReport; links?: ConformanceLinks }) {
  const t = useT();
  const locale = useLocale();
  const text = (b: { zh: string; en: string }) => (locale === "en" ? b.en : b.zh);
  // Failures first, then what is only for information, then the checks passed.
  const rank = (f: Finding) => (!f.passed ? 0 : informative(f) ? 1 : 2);
  const ordered = [...report.findings].sort((a, b) => rank(a) - rank(b));
  return (
    <section className="card" aria-labelledby="conformance-title" data-testid="conformance-panel">
      <h2 id="conformance-title">{t("conf.title")}</h2>
      <p className={report.passed ? "alert alert-success" : "alert alert-warn"}>
        {t("conf.summary", { checks: report.summary.checks, failed: report.summary.failed })}
      </p>
      <ul className="checks">
        {ordered.map((f) => (
          <li
            key={f.id}
            className={informative(f) ? "check pass info" : f.passed ? "check pass" : `check fail ${f.severity}`}
            data-check={f.check}
            data-finding={f.id}
            data-passed={f.passed}
          >
            <span className="check-mark" aria-hidden="true">
              {informative(f) ? "ℹ" : f.passed ? "✓" : "✗"}
            </span>
            <span className="sr-only">{informative(f) ? t("conf.informative") : f.passed ? t("conf.passed") : t("conf.failed")}</span>
            <span>
              {text(f.message)}{" "}
              <span className="muted small">
                {t("conf.clause")} {f.clause.pcr} {f.clause.section}
              </span>
              {f.action ? (
                <span className="remedy">
                  {t("conf.remedy")}: {text(f.action)}
                </span>
              ) : null}
              <FixLinks finding={f} links={links} />
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
