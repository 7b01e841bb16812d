import { Link } from "@remix-run/react";
import { useT } from "../../utils/i18n-react.ts";

export interface SupplyFlagView {
  readonly number: string;
  readonly status: string;
  /** ISO date the cited certificate's status changed. */
  readonly since: string;
}

/**
 * Cited supplier certificates that were suspended, withdrawn or expired: shown on the inventory
 * that cites them and on every open case built on that inventory, for its owner and its CB.
 */
export function SupplyFlags({ flags }: { flags: readonly SupplyFlagView[] }) {
  const t = useT();
  if (flags.length === 0) return null;
  return (
    <section className="alert alert-error supply-flags" role="alert" data-testid="supply-flags">
      <strong>{t("supply.flagTitle")}</strong>
      {flags.map((f) => (
        <p key={f.number}>
          {t("supply.flag", { number: f.number, status: t(`certstatus.${f.status}` as Parameters<typeof t>[0]), date: f.since })}{" "}
          <Link to={`/verify/${encodeURIComponent(f.number)}`}>{t("nav.verify")}</Link>
        </p>
      ))}
    </section>
  );
}
