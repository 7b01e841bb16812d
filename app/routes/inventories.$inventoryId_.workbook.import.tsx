/**
 * POST /inventories/:id/workbook/import — the upload page's script sends the file here (multipart,
 * fields `file` and `mode`) and reads the answer as it streams: newline-delimited JSON, one
 * `{"type":"progress",…}` per step (rows checked so far while checking) and a final
 * `{"type":"result","outcome":…}`. Refusals known before the import starts (no file, too large,
 * locked, unpacks too large, too much for the parser) come as that single result line with a 4xx
 * status; a server busy with other imports answers 503 with Retry-After. Without JavaScript the form posts to
 * the page itself, which runs the same import.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { findInventory } from "../services/inventories.server.ts";
import {
  importInventoryFile,
  preRead,
  readRefusal,
  refusedLocked,
  type ImportOutcome,
  type ImportProgress,
  type ImportRefusal,
} from "../services/workbook/import.server.ts";
import { readImportUpload } from "../services/workbook/upload.server.ts";
import { requirePermission } from "../utils/auth.server.ts";
import { notFound } from "../utils/http.server.ts";

export type ImportStreamEvent = ({ type: "progress" } & ImportProgress) | { type: "result"; outcome: ImportOutcome };

const HEADERS = { "Content-Type": "application/x-ndjson; charset=utf-8", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" };
const line = (event: ImportStreamEvent) => `${JSON.stringify(event)}\n`;

function single(outcome: ImportRefusal): Response {
  const headers = outcome.retryAfterSeconds ? { ...HEADERS, "Retry-After": String(outcome.retryAfterSeconds) } : HEADERS;
  return new Response(line({ type: "result", outcome }), { status: outcome.httpStatus, headers });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, organizationId } = await requirePermission(request, "product:write:own");
  const inventory = await findInventory(db, organizationId, params.inventoryId);
  if (!inventory) throw notFound();
  const upload = await readImportUpload(request);
  if (!upload.ok) return single(upload.outcome);
  if (inventory.locked_at) return single(refusedLocked());
  // The file is read (in a worker thread, see read.server.ts) before the stream starts, so a file
  // refused for what reading it costs, or a busy server, is answered with its own status.
  const read = await preRead(upload.bytes, upload.name);
  const refused = readRefusal(read.read);
  if (refused) return single(refused);

  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (event: ImportStreamEvent) => controller.enqueue(encoder.encode(line(event)));
      try {
        const outcome = await importInventoryFile({ db, organizationId, inventory }, read, upload.mode, async (progress) => {
          send({ type: "progress", ...progress });
          // Let the event loop write the chunk before the next stretch of work.
          await new Promise((resolve) => setImmediate(resolve));
        });
        send({ type: "result", outcome });
      } catch (error) {
        console.error("workbook import failed:", error);
        send({ type: "result", outcome: { status: "refused", message: { key: "wb.err.server" }, httpStatus: 500 } });
      }
      controller.close();
    },
  });
  return new Response(body, { status: 200, headers: HEADERS });
}
