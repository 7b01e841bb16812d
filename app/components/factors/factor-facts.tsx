/**
 * Pieces of a factor shown on both factor library pages: its status badge, its values with their
 * units, and its GWP basis. A number never appears without its unit, and a status never without
 * its words (the colour only repeats them).
 */
import type { MessageKey } from "../../i18n/index.ts";
import type { FactorStatus, FactorValue, GwpBasis } from "../../services/factor-library.server.ts";
import { useT } from "../../utils/i18n-react.ts";

/** The registry's status colours: confirmed green, single source amber, demonstration red, not recorded grey. */
const STATUS_CLASS: Record<FactorStatus, string> = {
  confirmed: "status-valid",
  single_source: "status-suspended",
  demonstration: "status-withdrawn",
  not_recorded: "status-expired",
};

export function StatusBadge({ status, verify }: { status: FactorStatus; verify?: boolean }) {
  const t = useT();
  return (
    <>
      <span className={`status-tag small nowrap ${STATUS_CLASS[status]}`} data-testid="factor-status" data-status={status}>
        {t(`factors.status.${status}` as MessageKey)}
      </span>
      {verify && status !== "single_source" && status !== "demonstration" ? <span className="muted small"> · {t("factors.verify")}</span> : null}
    </>
  );
}

export function FactorValues({ values }: { values: readonly FactorValue[] }) {
  return (
    <>
      {values.map((v, i) => (
        <span key={i} className="nowrap" data-testid="factor-value">
          {i > 0 ? <br /> : null}
          <strong>{v.amount}</strong> <span className="muted small">{v.unit}</span>
          {v.gas ? <span className="muted small"> {v.gas}</span> : null}
        </span>
      ))}
    </>
  );
}

export function GwpBasisText({ basis }: { basis: GwpBasis }) {
  const t = useT();
  return <>{basis.kind === "co2e" ? t("factors.basis.co2e", { set: basis.set }) : t("factors.basis.perGas")}</>;
}

/** A name as a heading or link shows it: some English names are written to follow other words ("kerosene (combustion, CO2 only)"). */
export function displayName(name: string): string {
  return name.charAt(0).toLocaleUpperCase("en") + name.slice(1);
}
