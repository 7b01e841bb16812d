/**
 * A moment as China reads it (UTC+8, no daylight saving), computed without the reader's time zone
 * so the server's page and the browser's agree; the exact instant is in the element's dateTime.
 */
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

export function chinaTime(at: Date | string): string {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return String(at);
  return new Date(d.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace("T", " ");
}

export function When({ at }: { at: Date | string }) {
  const iso = new Date(at).toISOString();
  return (
    <time dateTime={iso} title={`${iso} (UTC)`}>
      {chinaTime(at)}
    </time>
  );
}
