/**
 * A line's evidence files: name, type, size, SHA-256, who uploaded it and when, a download link,
 * and (while the inventory is editable) an upload form and a delete button per file.
 */
import { Form, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { useMessage, useT } from "../../utils/i18n-react.ts";
import { FieldShell, FormErrors, type FormState } from "../form.tsx";
import { DeleteButton } from "./delete-button.tsx";

export interface EvidenceFile {
  id: string;
  file_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  created_at: string | Date;
  uploaded_by_name: string;
}

/** Bytes as people read them: 1 KB = 1 024 bytes, one decimal above a kilobyte. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function typeLabel(contentType: string): string {
  if (contentType.startsWith("application/pdf")) return "PDF";
  if (contentType.startsWith("image/png")) return "PNG";
  if (contentType.startsWith("image/jpeg")) return "JPEG";
  if (contentType.startsWith("text/csv")) return "CSV";
  if (contentType.includes("spreadsheetml")) return "XLSX";
  return contentType;
}

export function EvidenceList({
  lineId,
  lineName,
  files,
  locked,
  state,
  accept,
  maxBytes,
}: {
  lineId: string;
  lineName: string;
  files: EvidenceFile[];
  locked: boolean;
  state?: FormState;
  accept: string;
  maxBytes: number;
}) {
  const t = useT();
  const message = useMessage();
  const navigation = useNavigation();
  const [tooLarge, setTooLarge] = useState(false);
  const fileError = tooLarge ? t("v.fileTooLarge", { max: formatBytes(maxBytes) }) : message(state?.errors?.file);
  return (
    <section className="card" aria-labelledby="evidence-title" id="evidence" data-testid="evidence">
      <h2 id="evidence-title">{t("ev.title", { name: lineName })}</h2>
      {files.length === 0 ? (
        <p className="muted small">{t("ev.none")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t("ev.file")}</th>
                <th>{t("ev.type")}</th>
                <th className="num">{t("ev.size")}</th>
                <th>SHA-256</th>
                <th>{t("ev.uploaded")}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {files.map((f) => (
                <tr key={f.id} data-evidence={f.file_name}>
                  <td>
                    {/* A plain link: the file is a download, not a page of the app. */}
                    <a href={`/evidence/${f.id}`} download={f.file_name}>
                      {f.file_name}
                    </a>
                  </td>
                  <td>{typeLabel(f.content_type)}</td>
                  <td className="num">{formatBytes(f.size_bytes)}</td>
                  <td>
                    <code className="digest" data-testid="evidence-sha256">
                      {f.sha256}
                    </code>
                  </td>
                  <td className="small">
                    {f.uploaded_by_name}
                    <div className="muted">{new Date(f.created_at).toISOString().slice(0, 16).replace("T", " ")} UTC</div>
                  </td>
                  <td>{locked ? null : <DeleteButton intent="delete-evidence" field="evidenceId" id={f.id} name={f.file_name} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {locked ? (
        <p className="muted small">{t("ev.lockedNote")}</p>
      ) : (
        <>
          <FormErrors state={state} />
          <Form method="post" encType="multipart/form-data" className="stack" preventScrollReset>
            <input type="hidden" name="intent" value="upload-evidence" />
            <input type="hidden" name="line" value={lineId} />
            <FieldShell id="field-file" label={t("ev.upload")} error={fileError} hint={t("ev.limits", { max: formatBytes(maxBytes) })}>
              <input
                id="field-file"
                name="file"
                type="file"
                accept={accept}
                aria-invalid={fileError ? true : undefined}
                aria-describedby={fileError ? "field-file-error" : "field-file-hint"}
                onChange={(e) => setTooLarge((e.target.files?.[0]?.size ?? 0) > maxBytes)}
              />
            </FieldShell>
            <div>
              <button type="submit" disabled={tooLarge || navigation.state === "submitting"}>
                {t("ev.uploadButton")}
              </button>
            </div>
          </Form>
        </>
      )}
    </section>
  );
}
