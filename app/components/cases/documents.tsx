/**
 * The files of a case: the documents the applicant gave it (and the files answering findings),
 * and the evidence files behind the inventory's lines, each with its SHA-256 so a reader can prove
 * a copy is the file that was assessed. Downloads go through the case, so the certification body
 * reads the applicant's evidence only for the cases it holds.
 */
import type { MessageKey } from "../../i18n/index.ts";
import { useT } from "../../utils/i18n-react.ts";
import { ListTable } from "../data-table.tsx";
import { ATTACHMENT_KIND_KEYS } from "./event-forms.tsx";
import { When } from "./when.tsx";

export interface CaseFile {
  id: string;
  kind: string;
  finding_id: string | null;
  file_name: string;
  size_bytes: number;
  sha256: string;
  created_at: Date | string;
  uploaded_by_name: string;
}

export interface EvidenceFile {
  id: string;
  file_name: string;
  size_bytes: number;
  sha256: string;
  created_at: Date | string;
  line_name: string;
  uploaded_by_name: string;
}

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function FileLink({ caseId, file }: { caseId: string; file: CaseFile }) {
  return (
    <>
      <a href={`/cases/${caseId}/files/${file.id}`} download>
        {file.file_name}
      </a>{" "}
      <span className="muted small">
        {fileSize(file.size_bytes)} · SHA-256 <code className="digest">{file.sha256}</code>
      </span>
    </>
  );
}

export function DocumentsPanel({ caseId, files, evidence }: { caseId: string; files: readonly CaseFile[]; evidence: readonly EvidenceFile[] }) {
  const t = useT();
  const kindKey = (kind: string): MessageKey => (ATTACHMENT_KIND_KEYS as Record<string, MessageKey>)[kind] ?? "case.kind.evidence";
  return (
    <section className="card" aria-labelledby="documents-title" data-testid="documents">
      <h2 id="documents-title">{t("case.documents")}</h2>
      <ListTable
        rows={files}
        empty={<p className="muted">{t("case.noDocuments")}</p>}
        columns={[t("case.f.kind"), t("ev.file"), t("ev.uploaded")]}
        row={(f) => (
          <tr key={f.id} data-kind={f.kind}>
            <td>
              {t(kindKey(f.kind))}
              {f.finding_id ? <span className="muted small"> · {f.finding_id}</span> : null}
            </td>
            <td>
              <FileLink caseId={caseId} file={f} />
            </td>
            <td className="small">
              {f.uploaded_by_name} · <When at={f.created_at} />
            </td>
          </tr>
        )}
      />
      <h3>{t("case.evidence")}</h3>
      <ListTable
        rows={evidence}
        empty={<p className="muted">{t("ev.none")}</p>}
        columns={[t("case.evidenceLine"), t("ev.file"), t("ev.uploaded")]}
        row={(e) => (
          <tr key={e.id}>
            <td>{e.line_name}</td>
            <td>
              <a href={`/cases/${caseId}/evidence/${e.id}`} download>
                {e.file_name}
              </a>{" "}
              <span className="muted small">
                {fileSize(e.size_bytes)} · SHA-256 <code className="digest">{e.sha256}</code>
              </span>
            </td>
            <td className="small">
              {e.uploaded_by_name} · <When at={e.created_at} />
            </td>
          </tr>
        )}
      />
    </section>
  );
}
