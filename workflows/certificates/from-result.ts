/**
 * The footprint part of a certificate payload, taken from a calculator result: the value per
 * declared unit, the stage and gas breakdowns, the data-quality rating and the versions the
 * result is stamped with. Values are rounded here, once, to the stated number of significant
 * digits, so what is signed is exactly what the certificate and the label print.
 */
import type { FootprintResult } from "../../rules/calculator/result.ts";
import { formatPercent, roundToDecimals, roundToSignificant, toDecimalString } from "../../rules/format.ts";
import type { CertificatePayload } from "./payload.ts";

export type FootprintFacts = Pick<CertificatePayload, "declaredUnit" | "footprint" | "stages" | "gases" | "dataQuality"> & {
  readonly versions: CertificatePayload["versions"];
  readonly pcrContentSha256: string;
};

/** Significant digits certificates state by default (the calculator's presentation default). */
export const CERTIFICATE_SIGNIFICANT_DIGITS = 4;

/**
 * Rounds to significant digits and drops padding zeros ("97.33", not "97.330"): the payload's
 * decimals are canonical, so one value has one spelling.
 */
export function certificateDecimal(value: number, significantDigits = CERTIFICATE_SIGNIFICANT_DIGITS): string {
  return toDecimalString(Number(roundToSignificant(value, significantDigits)));
}

export function footprintFactsFromResult(result: FootprintResult, significantDigits = CERTIFICATE_SIGNIFICANT_DIGITS): FootprintFacts {
  const d = (v: number) => certificateDecimal(v, significantDigits);
  return {
    declaredUnit: { quantity: toDecimalString(result.declaredUnit.quantity), unit: result.declaredUnit.unit },
    footprint: { value: d(result.total), unit: "kgCO2e" },
    stages: result.byStage.map((s) => ({ stage: s.stage, value: d(s.kgCO2e), sharePercent: formatPercent(s.share) })),
    gases: result.byGas.map((g) => ({ gas: g.gas, value: d(g.kgCO2e), massKg: g.massKg === null ? null : d(g.massKg) })),
    dataQuality: {
      rating: result.dataQuality.rating,
      dqr: roundToDecimals(result.dataQuality.dqr, 2),
      primaryDataSharePercent: formatPercent(result.primaryDataShare),
    },
    versions: {
      factorDataset: { ...result.stamp.factorDataset },
      gwpSet: result.stamp.gwpSet,
      calculator: { ...result.stamp.calculator },
      inputSha256: result.stamp.inputSha256,
    },
    pcrContentSha256: result.stamp.pcr.contentSha256,
  };
}
