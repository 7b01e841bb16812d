/**
 * The certificate PDF: one A4 page, Chinese and English side by side, rendered from the signed
 * envelope alone. It is a snapshot of the signed content: status is not printed (it changes after
 * issue); the page points to the verification URL for it instead. The signed JSON travels inside
 * the file as an embedded attachment, so a PDF passed along can still be verified by upload.
 *
 * Deterministic: creation and modification dates are the issue date, the document ID derives from
 * them and the title, the attachment carries fixed dates, and nothing depends on the clock or on
 * randomness; identical input gives identical bytes, which the cache relies on.
 */
import { Document, Line, Page, Path, Rect, renderToBuffer, StyleSheet, Svg, Text, View } from "@react-pdf/renderer";
import { AFRelationship, PDFDocument } from "pdf-lib";
import type { ReactNode } from "react";
import { GAS_NAMES, type Gas } from "../../rules/gwp.ts";
import { STAGE_NAMES } from "../../rules/stages.ts";
import { translator, type MessageKey } from "../i18n/index.ts";
import { cacheKey, RenderCache } from "./cache.server.ts";
import { PDF_FONT_FAMILY, registerCertificateFonts } from "./fonts.server.ts";
import { LABEL_COLOURS, labelMark, type MarkShape } from "./label-mark.ts";
import type { CertificatePayload } from "../../workflows/certificates/payload.ts";
import { qrPath } from "./qr.ts";
import { shortFingerprint, signedCertificateJson, type SignedCertificate } from "../../workflows/certificates/signing.ts";

const zh = translator("zh-CN");
const en = translator("en");

/** Bump when the layout changes: it is part of the cache key, so old renders are not served. */
export const PDF_LAYOUT_VERSION = "1";

export interface RenderOptions {
  /** Public origin of the verification page, e.g. https://carbonlabel.example.cn (no trailing slash). */
  readonly baseUrl: string;
}

export function verificationUrl(baseUrl: string, number: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/verify/${encodeURIComponent(number)}`;
}

export function attachmentName(number: string): string {
  return `${number}.json`;
}

/** Midnight at the start of the issue date in China Standard Time. */
function issueInstant(isoDate: string): Date {
  return new Date(`${isoDate}T00:00:00+08:00`);
}

const GREY = "#5F6368";
const RULE = "#D5D9DD";

/** Height kept free at the foot of every page for the verification footer. */
const FOOTER_HEIGHT = 86;
const PAGE_PADDING = { top: 28, bottom: 22, side: 34 };

function styles(payload: CertificatePayload) {
  const c = LABEL_COLOURS[payload.labelType];
  // A unitless lineHeight on the page would be resolved against the page's font size and then
  // inherited as an absolute height, so large type sets its own.
  return StyleSheet.create({
    page: {
      fontFamily: PDF_FONT_FAMILY,
      fontSize: 8.5,
      lineHeight: 1.3,
      color: "#202124",
      paddingTop: PAGE_PADDING.top,
      paddingBottom: PAGE_PADDING.bottom + FOOTER_HEIGHT + 8,
      paddingHorizontal: PAGE_PADDING.side,
    },
    header: {
      flexDirection: "row",
      justifyContent: "space-between",
      alignItems: "center",
      backgroundColor: c.main,
      color: "#FFFFFF",
      paddingVertical: 9,
      paddingHorizontal: 14,
      borderRadius: 4,
    },
    titleZh: { fontSize: 18, lineHeight: 1.3, fontWeight: 700 },
    titleEn: { fontSize: 10, lineHeight: 1.3 },
    headerRight: { alignItems: "flex-end" },
    numberLabel: { fontSize: 7.5 },
    number: { fontSize: 13, lineHeight: 1.3, fontWeight: 700 },
    dates: { fontSize: 7.5, marginTop: 1 },
    top: { flexDirection: "row", marginTop: 9 },
    fields: { flexGrow: 1, flexBasis: 0, marginRight: 14 },
    field: { flexDirection: "row", borderBottomWidth: 0.4, borderBottomColor: RULE, paddingVertical: 2.2 },
    fieldLabel: { width: 112, paddingRight: 6 },
    labelZh: { fontSize: 8, color: "#3C4043" },
    labelEn: { fontSize: 6.5, color: GREY },
    fieldValue: { flexGrow: 1, flexBasis: 0 },
    strong: { fontWeight: 700 },
    small: { fontSize: 7, color: GREY },
    mono: { fontSize: 6.8, letterSpacing: 0.1 },
    headline: {
      flexDirection: "row",
      alignItems: "center",
      marginTop: 9,
      backgroundColor: c.tint,
      borderLeftWidth: 3,
      borderLeftColor: c.main,
      paddingVertical: 6,
      paddingHorizontal: 10,
    },
    headlineValue: { fontSize: 24, lineHeight: 1.15, fontWeight: 700, color: c.dark },
    headlineUnit: { fontSize: 10, lineHeight: 1.3, color: c.dark, marginLeft: 4, marginBottom: 3 },
    headlineCell: { flexGrow: 1, flexBasis: 0, paddingLeft: 12 },
    section: {
      fontSize: 9,
      lineHeight: 1.3,
      fontWeight: 700,
      color: c.dark,
      borderBottomWidth: 0.8,
      borderBottomColor: c.main,
      marginTop: 7,
      marginBottom: 1,
      paddingBottom: 1,
    },
    sectionEn: { fontSize: 7.5, fontWeight: 400, color: GREY },
    columns: { flexDirection: "row" },
    column: { flexGrow: 1, flexBasis: 0 },
    row: { flexDirection: "row", borderBottomWidth: 0.4, borderBottomColor: RULE, paddingVertical: 1.6 },
    headRow: { flexDirection: "row", alignItems: "flex-end", paddingVertical: 1 },
    cellName: { flexGrow: 1, flexBasis: 0, paddingRight: 4 },
    cellNumber: { width: 54, textAlign: "right" },
    cellShare: { width: 44, textAlign: "right" },
    grid: { flexDirection: "row", flexWrap: "wrap" },
    gridItem: { width: "50%", paddingVertical: 1.8, paddingRight: 8, borderBottomWidth: 0.4, borderBottomColor: RULE },
    quarter: { width: "25%" },
    headCell: { fontSize: 6.5, color: GREY, textAlign: "right" },
    statement: { marginTop: 8 },
    footer: {
      position: "absolute",
      left: PAGE_PADDING.side,
      right: PAGE_PADDING.side,
      bottom: PAGE_PADDING.bottom,
      height: FOOTER_HEIGHT,
      flexDirection: "row",
      borderTopWidth: 0.8,
      borderTopColor: c.main,
      paddingTop: 6,
    },
    footerText: { flexGrow: 1, flexBasis: 0, marginLeft: 10 },
    url: { fontSize: 8.5, fontWeight: 700, color: c.dark, marginVertical: 1 },
  });
}
type Styles = ReturnType<typeof styles>;

/** A field label: Chinese, then English in smaller grey type. */
function Label({ k, s }: { k: MessageKey; s: Styles }) {
  return (
    <View style={s.fieldLabel}>
      <Text style={s.labelZh}>{zh(k)}</Text>
      <Text style={s.labelEn}>{en(k)}</Text>
    </View>
  );
}

function Field({ k, s, children }: { k: MessageKey; s: Styles; children: ReactNode }) {
  return (
    <View style={s.field} wrap={false}>
      <Label k={k} s={s} />
      <View style={s.fieldValue}>{children}</View>
    </View>
  );
}

function Section({ k, s }: { k: MessageKey; s: Styles }) {
  return (
    <Text style={s.section}>
      {zh(k)} <Text style={s.sectionEn}>{en(k)}</Text>
    </Text>
  );
}

function Party({ party, s }: { party: CertificatePayload["holder"]; s: Styles }) {
  return (
    <>
      <Text style={s.strong}>{party.name.zh}</Text>
      <Text>{party.name.en}</Text>
      {party.creditCode ? (
        <Text style={s.small}>
          {zh("cert.creditCode")} {en("cert.creditCode")}: {party.creditCode}
        </Text>
      ) : null}
    </>
  );
}

function MarkSvg({ payload, width }: { payload: CertificatePayload; width: number }) {
  const mark = labelMark(payload);
  const draw = (shape: MarkShape, i: number) => {
    switch (shape.kind) {
      case "rect":
        return (
          <Rect
            key={i}
            x={shape.x}
            y={shape.y}
            width={shape.width}
            height={shape.height}
            rx={shape.rx}
            fill={shape.fill}
            stroke={shape.stroke}
            strokeWidth={shape.strokeWidth}
          />
        );
      case "path":
        return <Path key={i} d={shape.d} fill={shape.fill} />;
      case "line":
        return <Line key={i} x1={shape.x1} y1={shape.y1} x2={shape.x2} y2={shape.y2} stroke={shape.stroke} strokeWidth={shape.strokeWidth} />;
      case "text": {
        // The SVG text of the PDF renderer takes font attributes as props (not typed in its declarations).
        const font = { fontFamily: PDF_FONT_FAMILY, fontSize: shape.size, fontWeight: shape.weight } as object;
        return (
          <Text key={i} x={shape.x} y={shape.y} fill={shape.fill} textAnchor={shape.anchor} {...font}>
            {shape.text}
          </Text>
        );
      }
    }
  };
  return (
    <Svg width={width} height={(width * mark.height) / mark.width} viewBox={`0 0 ${mark.width} ${mark.height}`}>
      {mark.shapes.map(draw)}
    </Svg>
  );
}

function QrCode({ text, size }: { text: string; size: number }) {
  const qr = qrPath(text);
  const quiet = 4;
  return (
    <Svg width={size} height={size} viewBox={`${-quiet} ${-quiet} ${qr.size + 2 * quiet} ${qr.size + 2 * quiet}`}>
      <Rect x={-quiet} y={-quiet} width={qr.size + 2 * quiet} height={qr.size + 2 * quiet} fill="#FFFFFF" />
      <Path d={qr.d} fill="#000000" />
    </Svg>
  );
}

function gasName(gas: CertificatePayload["gases"][number]["gas"]): { zh: string; en: string } {
  return gas === "co2e_aggregated" ? { zh: zh("cert.gas.co2e_aggregated"), en: en("cert.gas.co2e_aggregated") } : GAS_NAMES[gas as Gas];
}

function Demo({ demonstration, s }: { demonstration: boolean; s: Styles }) {
  return demonstration ? (
    <Text style={s.small}>
      （{zh("cert.demonstration")} {en("cert.demonstration")}）
    </Text>
  ) : null;
}

/** A compact cell of a two-column grid: bilingual label on one line, the value below. */
function GridItem({ k, s, quarter = false, children }: { k: MessageKey; s: Styles; quarter?: boolean; children: ReactNode }) {
  return (
    <View style={quarter ? [s.gridItem, s.quarter] : s.gridItem} wrap={false}>
      <Text style={s.labelZh}>
        {zh(k)} <Text style={s.labelEn}>{en(k)}</Text>
      </Text>
      {children}
    </View>
  );
}

function LabelFactsSection({ payload, s }: { payload: CertificatePayload; s: Styles }) {
  const facts = payload.labelFacts;
  if (facts.type === "CF") return null;
  const unit = payload.footprint.unit;
  return (
    <View wrap={false}>
      <Section k="cert.facts" s={s} />
      <View style={s.grid}>
        {facts.type === "LC" ? (
          <GridItem k="cert.facts.benchmark" s={s}>
            <Text>
              {payload.footprint.value} ≤ <Text style={s.strong}>{facts.benchmark.value}</Text> {facts.benchmark.unit} /{" "}
              {payload.declaredUnit.quantity} {payload.declaredUnit.unit}
            </Text>
            <Demo demonstration={facts.benchmark.demonstration} s={s} />
          </GridItem>
        ) : null}
        {facts.type === "RC" ? (
          <>
            <GridItem k="cert.facts.reduction" s={s}>
              <Text style={s.strong}>{facts.reductionPercent} %</Text>
            </GridItem>
            <GridItem k="cert.facts.minimumReduction" s={s}>
              <Text>{facts.minimumReductionPercent} %</Text>
              <Demo demonstration={facts.demonstrationMinimum} s={s} />
            </GridItem>
            <View style={[s.gridItem, { width: "100%" }]}>
              <Text style={s.labelZh}>
                {zh("cert.facts.baselines")} <Text style={s.labelEn}>{en("cert.facts.baselines")}</Text>
              </Text>
              {facts.baselineCertificates.map((b) => (
                <Text key={b.number}>
                  {b.number} · {b.issuedOn} · {b.value} {unit} / {payload.declaredUnit.quantity} {payload.declaredUnit.unit}
                </Text>
              ))}
            </View>
          </>
        ) : null}
        {facts.type === "CN" ? (
          <>
            <GridItem k="cert.facts.period" s={s} quarter>
              <Text>
                {facts.period.start} – {facts.period.end}
              </Text>
            </GridItem>
            <GridItem k="cert.facts.quantity" s={s} quarter>
              <Text>
                {facts.quantity.value} {facts.quantity.unit}
              </Text>
            </GridItem>
            <GridItem k="cert.facts.emissions" s={s} quarter>
              <Text>
                {facts.emissions.value} {facts.emissions.unit}
              </Text>
            </GridItem>
            <GridItem k="cert.facts.creditsRetired" s={s} quarter>
              <Text style={s.strong}>
                {facts.creditsRetired.value} {facts.creditsRetired.unit}
              </Text>
            </GridItem>
            <View style={[s.gridItem, { width: "100%" }]}>
              <Text style={s.labelZh}>
                {zh("cert.facts.credits")} <Text style={s.labelEn}>{en("cert.facts.credits")}</Text>
              </Text>
              {facts.credits.map((b, i) => (
                <Text key={i}>
                  {b.registry} · {b.programme} · {b.serialPrefix}
                  {b.first}–{b.serialPrefix}
                  {b.last} · {b.quantity} tCO2e · {b.vintage} · {b.retiredOn}
                </Text>
              ))}
            </View>
          </>
        ) : null}
      </View>
    </View>
  );
}

export function CertificateDocument({ certificate, baseUrl }: { certificate: SignedCertificate; baseUrl: string }) {
  const payload = certificate.payload;
  const s = styles(payload);
  const url = verificationUrl(baseUrl, payload.number);
  const type = payload.labelType;
  const unit = payload.footprint.unit;
  const per = `${payload.declaredUnit.quantity} ${payload.declaredUnit.unit}`;
  const instant = issueInstant(payload.issuedOn);
  const pcrRef = `${payload.pcr.code}@${payload.pcr.version}`;
  const file = attachmentName(payload.number);
  const sameParty = JSON.stringify(payload.holder) === JSON.stringify(payload.producer);
  const { factorDataset, gwpSet, calculator, inputSha256 } = payload.versions;
  return (
    <Document
      title={`${payload.number} ${zh(`cert.title.${type}`)} ${en(`cert.title.${type}`)}`}
      author={`${payload.issuer.name.zh} ${payload.issuer.name.en}`}
      subject={`${payload.product.name.zh} ${payload.product.name.en}`}
      keywords={`${payload.number} ${certificate.signature.keyId}`}
      creator="CarbonLabel"
      producer="CarbonLabel"
      language="zh-CN"
      creationDate={instant}
      modificationDate={instant}
    >
      <Page size="A4" style={s.page}>
        <View style={s.header}>
          <View>
            <Text style={s.titleZh}>{zh(`cert.title.${type}`)}</Text>
            <Text style={s.titleEn}>{en(`cert.title.${type}`)}</Text>
          </View>
          <View style={s.headerRight}>
            <Text style={s.numberLabel}>
              {zh("cert.number")} {en("cert.number")}
            </Text>
            <Text style={s.number}>{payload.number}</Text>
            <Text style={s.dates}>
              {zh("cert.issuedOn")} {en("cert.issuedOn")} {payload.issuedOn} · {zh("cert.validUntil")} {en("cert.validUntil")} {payload.validUntil}
            </Text>
          </View>
        </View>

        <View style={s.top}>
          <View style={s.fields}>
            <Field k="cert.holder" s={s}>
              <Party party={payload.holder} s={s} />
            </Field>
            {sameParty ? null : (
              <Field k="cert.producer" s={s}>
                <Party party={payload.producer} s={s} />
              </Field>
            )}
            <Field k="cert.product" s={s}>
              <Text style={s.strong}>{payload.product.name.zh}</Text>
              <Text>{payload.product.name.en}</Text>
              {payload.product.model ? (
                <Text style={s.small}>
                  {zh("cert.model")} {en("cert.model")}: {payload.product.model}
                </Text>
              ) : null}
              {payload.product.identifiers.map((id) => (
                <Text key={`${id.scheme}:${id.value}`} style={s.small}>
                  {zh(`cert.identifier.${id.scheme}`)} {en(`cert.identifier.${id.scheme}`)}: {id.value}
                </Text>
              ))}
            </Field>
            <Field k="cert.pcr" s={s}>
              <Text>{payload.pcr.name.zh}</Text>
              <Text>{payload.pcr.name.en}</Text>
              <Text style={s.small}>
                {pcrRef} · {zh("cert.declaredUnit")} {en("cert.declaredUnit")}: {per}
              </Text>
            </Field>
            <Field k="cert.issuer" s={s}>
              <Text style={s.strong}>{payload.issuer.name.zh}</Text>
              <Text>{payload.issuer.name.en}</Text>
              <Text style={s.small}>
                {zh("cert.approvalNumber")} {en("cert.approvalNumber")}: {payload.issuer.approvalNumber}
              </Text>
            </Field>
          </View>
          <MarkSvg payload={payload} width={146} />
        </View>

        <View style={s.headline} wrap={false}>
          <View>
            <Text style={s.labelZh}>
              {zh("cert.footprint")} <Text style={s.labelEn}>{en("cert.footprint")}</Text>
            </Text>
            <View style={{ flexDirection: "row", alignItems: "flex-end" }}>
              <Text style={s.headlineValue}>{payload.footprint.value}</Text>
              <Text style={s.headlineUnit}>
                {unit} / {per}
              </Text>
            </View>
          </View>
          <View style={s.headlineCell}>
            <Text style={s.labelZh}>
              {zh("cert.grade")} <Text style={s.labelEn}>{en("cert.grade")}</Text>
            </Text>
            {payload.grade ? (
              <>
                <Text>
                  <Text style={s.strong}>{payload.grade.label.zh}</Text> {payload.grade.label.en}
                </Text>
                <Demo demonstration={payload.grade.demonstration} s={s} />
              </>
            ) : (
              <Text>—</Text>
            )}
          </View>
          <View style={s.headlineCell}>
            <Text style={s.labelZh}>
              {zh("cert.dataQuality")} <Text style={s.labelEn}>{en("cert.dataQuality")}</Text>
            </Text>
            <Text>
              <Text style={s.strong}>{zh(`dq.${payload.dataQuality.rating}`)}</Text> {en(`dq.${payload.dataQuality.rating}`)} · DQR{" "}
              {payload.dataQuality.dqr}
            </Text>
            <Text style={s.small}>
              {zh("cert.primaryShare")} {en("cert.primaryShare")} {payload.dataQuality.primaryDataSharePercent} %
            </Text>
          </View>
        </View>

        <View style={s.columns}>
          <View style={[s.column, { marginRight: 14 }]}>
            <Section k="cert.stages" s={s} />
            <View style={s.headRow}>
              <Text style={s.cellName}> </Text>
              <Text style={[s.cellNumber, s.headCell]}>{unit}</Text>
              <View style={s.cellShare}>
                <Text style={s.headCell}>{zh("cert.share")}</Text>
                <Text style={s.headCell}>{en("cert.share")}</Text>
              </View>
            </View>
            {payload.stages.map((row) => (
              <View key={row.stage} style={s.row}>
                <Text style={s.cellName}>
                  {STAGE_NAMES[row.stage].zh} <Text style={s.small}>{STAGE_NAMES[row.stage].en}</Text>
                </Text>
                <Text style={s.cellNumber}>{row.value}</Text>
                <Text style={s.cellShare}>{row.sharePercent} %</Text>
              </View>
            ))}
          </View>
          <View style={s.column}>
            <Section k="cert.gases" s={s} />
            <View style={s.headRow}>
              <Text style={s.cellName}> </Text>
              <Text style={[s.cellNumber, s.headCell]}>{unit}</Text>
              <View style={s.cellNumber}>
                <Text style={s.headCell}>{zh("cert.mass")} kg</Text>
                <Text style={s.headCell}>{en("cert.mass")} kg</Text>
              </View>
            </View>
            {payload.gases.map((row) => (
              <View key={row.gas} style={s.row}>
                <Text style={s.cellName}>
                  {gasName(row.gas).zh} <Text style={s.small}>{gasName(row.gas).en}</Text>
                </Text>
                <Text style={s.cellNumber}>{row.value}</Text>
                <Text style={s.cellNumber}>{row.massKg ?? "—"}</Text>
              </View>
            ))}
          </View>
        </View>

        <LabelFactsSection payload={payload} s={s} />

        <View wrap={false}>
          <Section k="cert.basis" s={s} />
          <View style={s.grid}>
            <GridItem k="cert.pcr" s={s}>
              <Text>{pcrRef}</Text>
            </GridItem>
            <GridItem k="cert.factorDataset" s={s}>
              <Text>
                {factorDataset.id} {factorDataset.version}
                {factorDataset.demonstration ? (
                  <Text style={s.small}>
                    （{zh("cert.demonstration")} {en("cert.demonstration")}）
                  </Text>
                ) : null}
              </Text>
            </GridItem>
            <GridItem k="cert.gwpSet" s={s}>
              <Text>IPCC {gwpSet} GWP100</Text>
            </GridItem>
            <GridItem k="cert.calculator" s={s}>
              <Text>
                {calculator.name} {calculator.version}
              </Text>
            </GridItem>
            <View style={[s.gridItem, { width: "100%" }]} wrap={false}>
              <Text style={s.mono}>
                <Text style={s.labelZh}>{zh("cert.pcr")} SHA-256 </Text>
                {payload.pcr.contentSha256}
              </Text>
              <Text style={s.mono}>
                <Text style={s.labelZh}>
                  {zh("cert.inputSha256")} {en("cert.inputSha256")}{" "}
                </Text>
                {inputSha256}
              </Text>
            </View>
          </View>
        </View>

        {/* The attestation sits just above the footer, whatever the length of the content. */}
        <View style={{ flexGrow: 1 }} />
        <View style={s.statement} wrap={false}>
          <Text>{zh("cert.statement", { pcr: pcrRef })}</Text>
          <Text style={s.small}>{en("cert.statement", { pcr: pcrRef })}</Text>
        </View>

        <View style={s.footer} fixed>
          <QrCode text={url} size={78} />
          <View style={s.footerText}>
            <Text>
              {zh("cert.verify")} <Text style={s.small}>{en("cert.verify")}</Text>
            </Text>
            <Text style={s.url}>{url}</Text>
            <Text>{zh("cert.statusNote")}</Text>
            <Text style={s.small}>{en("cert.statusNote")}</Text>
            <Text style={{ marginTop: 3 }}>
              {zh("cert.signature")} {en("cert.signature")} {certificate.signature.alg} · {zh("cert.keyId")} {en("cert.keyId")}{" "}
              <Text style={s.strong}>{certificate.signature.keyId}</Text>
            </Text>
            <Text>
              {zh("cert.fingerprint")} {en("cert.fingerprint")} (SHA-256) {/* No-break spaces: the four groups stay on one line. */}
              <Text style={s.strong}>{shortFingerprint(payload).replaceAll(" ", "\u00a0")}</Text>
            </Text>
            <Text style={s.small}>
              {zh("cert.attachment", { file })} {en("cert.attachment", { file })}
            </Text>
          </View>
        </View>
      </Page>
    </Document>
  );
}

/** Renders the PDF (uncached): react-pdf for the page, then the signed JSON attached with fixed dates. */
export async function renderCertificatePdf(certificate: SignedCertificate, options: RenderOptions): Promise<Uint8Array> {
  registerCertificateFonts();
  const page = await renderToBuffer(<CertificateDocument certificate={certificate} baseUrl={options.baseUrl} />);
  const pdf = await PDFDocument.load(page, { updateMetadata: false });
  const instant = issueInstant(certificate.payload.issuedOn);
  await pdf.attach(new TextEncoder().encode(signedCertificateJson(certificate)), attachmentName(certificate.payload.number), {
    mimeType: "application/json",
    description: `${certificate.payload.schema}, ${certificate.signature.alg} ${certificate.signature.keyId}`,
    creationDate: instant,
    modificationDate: instant,
    afRelationship: AFRelationship.Source,
  });
  return pdf.save({ addDefaultPage: false });
}

// ---- cache ----

/**
 * Rendered PDFs by content hash (canonical envelope, base URL, layout version), 64 per process:
 * a render costs tens of milliseconds and a PDF tens of kilobytes, so memory is the right place.
 */
const pdfCache = new RenderCache<Uint8Array>(64);

export function certificatePdfCacheKey(certificate: SignedCertificate, options: RenderOptions): string {
  return cacheKey("pdf", PDF_LAYOUT_VERSION, options.baseUrl, signedCertificateJson(certificate));
}

/** The certificate PDF, rendered on first request and then served from the cache. */
export function certificatePdf(certificate: SignedCertificate, options: RenderOptions): Promise<Uint8Array> {
  return pdfCache.get(certificatePdfCacheKey(certificate, options), () => renderCertificatePdf(certificate, options));
}

export function clearCertificatePdfCache(): void {
  pdfCache.clear();
}
