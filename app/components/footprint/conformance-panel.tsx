/** Every PCR check with its clause, pass or fail, and what to do about a failure. */
import type { ConformanceReport } from "../../../rules/conformance/index.ts";
import { useLocale, useT } from "../../utils/i18n-react.ts";

export function ConformancePanel({ report }: { report: ConformanceReport }) {
  const t = useT();
  const locale = useLocale();
  const text = (b: { zh: string; en: string }) => (locale === "en" ? b.en : b.zh);
  const ordered = [...report.findings].sort((a, b) => Number(a.passed) - Number(b.passed));
  return (
    <section className="card" aria-labelledby="conformance-title" data-testid="conformance-panel">
      <h2 id="conformance-title">{t("conf.title")}</h2>
      <p className={report.passed ? "alert alert-success" : "alert alert-warn"}>
        {t("conf.summary", { checks: report.summary.checks, failed: report.summary.failed })}
      </p>
      <ul className="checks">
        {ordered.map((f) => (
          <li key={f.id} className={f.passed ? "check pass" : `check fail ${f.severity}`} data-check={f.check} data-passed={f.passed}>
            <span className="check-mark" aria-hidden="true">
              {f.passed ? "✓" : "✗"}
            </span>
            <span className="sr-only">{f.passed ? t("conf.passed") : t("conf.failed")}</span>
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
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
