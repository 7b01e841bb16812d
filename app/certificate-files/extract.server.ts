/**
 * Reads the signed certificate data back out of a certificate PDF (its embedded `<number>.json`),
 * for verification of an uploaded file. Finding the JSON proves nothing by itself: the caller
 * verifies the envelope against the published keys like any uploaded JSON.
 */
import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRawStream, PDFString, type PDFObject } from "pdf-lib";

export interface EmbeddedFile {
  readonly name: string;
  readonly data: Uint8Array;
}

export type ExtractionResult =
  | { readonly found: true; readonly fileName: string; readonly envelope: unknown }
  | { readonly found: false; readonly reason: "not_pdf" | "no_signed_data" };

/** Limits for untrusted files: the name tree is walked at most this deep, and attachments this large are skipped. */
const MAX_TREE_DEPTH = 16;
const MAX_ATTACHMENT_BYTES = 1_000_000;

function text(value: PDFObject | undefined): string | null {
  return value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : null;
}

/** Every file in the document's EmbeddedFiles name tree (PDF 32000-1 §7.11.4). */
export function embeddedFiles(document: PDFDocument): EmbeddedFile[] {
  const out: EmbeddedFile[] = [];
  const names = document.catalog.lookupMaybe(PDFName.of("Names"), PDFDict);
  const root = names?.lookupMaybe(PDFName.of("EmbeddedFiles"), PDFDict);
  const seen = new Set<PDFDict>();
  const walk = (node: PDFDict, depth: number): void => {
    if (depth > MAX_TREE_DEPTH || seen.has(node)) return;
    seen.add(node);
    const pairs = node.lookupMaybe(PDFName.of("Names"), PDFArray);
    for (let i = 0; pairs && i + 1 < pairs.size(); i += 2) {
      const spec = pairs.lookup(i + 1);
      if (!(spec instanceof PDFDict)) continue;
      const files = spec.lookupMaybe(PDFName.of("EF"), PDFDict);
      const stream = files?.lookup(PDFName.of("UF")) ?? files?.lookup(PDFName.of("F"));
      if (!(stream instanceof PDFRawStream) || stream.contents.length > MAX_ATTACHMENT_BYTES) continue;
      const name = text(spec.lookup(PDFName.of("UF"))) ?? text(spec.lookup(PDFName.of("F"))) ?? text(pairs.lookup(i)) ?? "";
      const data = decodePDFRawStream(stream).decode();
      if (data.length <= MAX_ATTACHMENT_BYTES) out.push({ name, data });
    }
    const kids = node.lookupMaybe(PDFName.of("Kids"), PDFArray);
    for (let i = 0; kids && i < kids.size(); i++) {
      const kid = kids.lookup(i);
      if (kid instanceof PDFDict) walk(kid, depth + 1);
    }
  };
  if (root) walk(root, 0);
  return out;
}

function looksLikeEnvelope(value: unknown): boolean {
  return typeof value === "object" && value !== null && "payload" in value && "signature" in value;
}

/** The signed certificate envelope embedded in a PDF, parsed as JSON but not yet verified. */
export async function extractSignedCertificate(pdf: Uint8Array): Promise<ExtractionResult> {
  let document: PDFDocument;
  try {
    document = await PDFDocument.load(pdf, { updateMetadata: false, ignoreEncryption: true, throwOnInvalidObject: false });
  } catch {
    return { found: false, reason: "not_pdf" };
  }
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let files: EmbeddedFile[];
  try {
    // A damaged file can load without a catalogue or with broken objects: that is not a readable PDF.
    files = embeddedFiles(document);
  } catch {
    return { found: false, reason: "not_pdf" };
  }
  for (const file of files) {
    if (!file.name.toLowerCase().endsWith(".json")) continue;
    try {
      const envelope: unknown = JSON.parse(decoder.decode(file.data));
      if (looksLikeEnvelope(envelope)) return { found: true, fileName: file.name, envelope };
    } catch {
      // Not UTF-8 JSON: some other attachment; keep looking.
    }
  }
  return { found: false, reason: "no_signed_data" };
}
