import { bi } from "../../i18n.ts";
import type { ConformanceCheck } from "../types.ts";

/** §9.4: green certificates are claimed only under a PCR that accepts them (no finding otherwise). */
export const greenCertificatesAllowed: ConformanceCheck = {
  id: "green_certificates.allowed",
  clause: "greenCertificates",
  severity: "major",
  remedyKey: "countAtGridFactor",
  run: ({ pcr, greenCertificateLines }) => {
    if (greenCertificateLines.length === 0 || pcr.electricity.greenCertificatesAllowed) return [];
    const message = bi("本规则不允许以绿证主张可再生电力", "This PCR does not accept green certificates for renewable claims");
    return [{ passed: false, message, lineIds: greenCertificateLines.map((l) => l.lineId) }];
  },
};

/** §9.4: each green-certificate line lists the certificates it claims. */
export const greenCertificateIds: ConformanceCheck = {
  id: "green_certificates.ids",
  clause: "greenCertificates",
  severity: "major",
  remedyKey: "listCertificateIds",
  group: "green certificate line",
  run: ({ greenCertificateLines }) =>
    greenCertificateLines.flatMap((l) => {
      const g = l.greenCertificates;
      if (!g) return [];
      const passed = g.ids > 0;
      const message = passed
        ? bi(`清单行 ${l.lineId} 列出 ${g.ids} 张绿证编号`, `Line ${l.lineId} lists ${g.ids} green certificate id(s)`)
        : bi(`清单行 ${l.lineId} 主张绿电但未列出绿证编号`, `Line ${l.lineId} claims green electricity without certificate ids`);
      return [{ subject: l.lineId, passed, message, lineIds: [l.lineId] }];
    }),
};

/** §9.4: each line's unique certificates cover the electricity it claims (kWhPerCertificate each). */
export const greenCertificateCoverage: ConformanceCheck = {
  id: "green_certificates.coverage",
  clause: "greenCertificates",
  severity: "major",
  remedyKey: "addCertificatesOrCountAsGrid",
  group: "green certificate line",
  run: ({ pcr, greenCertificateLines }) =>
    greenCertificateLines.flatMap((l) => {
      const g = l.greenCertificates;
      if (!g) return [];
      const capacity = g.uniqueIds * pcr.electricity.kWhPerCertificate;
      const passed = g.periodKWh <= capacity;
      const message = passed
        ? bi(
            `清单行 ${l.lineId}：${g.uniqueIds} 张绿证覆盖 ${capacity} kWh ≥ 主张的 ${g.periodKWh} kWh`,
            `Line ${l.lineId}: ${g.uniqueIds} certificate(s) cover ${capacity} kWh ≥ the ${g.periodKWh} kWh claimed`,
          )
        : bi(
            `清单行 ${l.lineId}：主张 ${g.periodKWh} kWh，但 ${g.uniqueIds} 张绿证只覆盖 ${capacity} kWh（每张 1 000 kWh）`,
            `Line ${l.lineId}: ${g.periodKWh} kWh claimed but ${g.uniqueIds} certificate(s) cover only ${capacity} kWh (1 000 kWh each)`,
          );
      return [{ subject: l.lineId, passed, message, lineIds: [l.lineId], values: { claimedKWh: g.periodKWh, coveredKWh: capacity } }];
    }),
};

/** §9.4: no certificate is counted twice, within a line or across the inventory's included lines. */
export const greenCertificatesUnique: ConformanceCheck = {
  id: "green_certificates.unique",
  clause: "greenCertificates",
  severity: "major",
  remedyKey: "removeDuplicateCertificates",
  run: ({ inventory, greenCertificateLines }) => {
    if (greenCertificateLines.length === 0) return [];
    const linesById = new Map<string, string[]>();
    for (const product of inventory.products) {
      for (const line of product.lines) {
        if (line.kind !== "electricity" || line.supply.type !== "green_certificate" || line.excluded) continue;
        for (const id of line.supply.certificateIds) linesById.set(id, [...(linesById.get(id) ?? []), line.id]);
      }
    }
    const reused = [...linesById.entries()].filter(([, lines]) => lines.length > 1).map(([id]) => id);
    const duplicatesInLine = greenCertificateLines
      .filter((l) => (l.greenCertificates?.uniqueIds ?? 0) < (l.greenCertificates?.ids ?? 0))
      .map((l) => l.lineId);
    const twice = [...reused, ...duplicatesInLine];
    const passed = twice.length === 0;
    const message = passed
      ? bi("每张绿证只使用一次", "Every green certificate is used once")
      : bi(`绿证重复使用：${twice.join("、")}`, `Green certificates counted twice: ${twice.join(", ")}`);
    return [{ passed, message }];
  },
};
