/**
 * Refusals made before any route runs, for requests no route could answer sensibly.
 */

const MESSAGE = {
  nul: "请求地址含有空字符（%00），已拒绝。\nThe address contains a NUL character (%00) and was refused.\n",
  encoding: "请求地址的百分号编码无效。\nThe address has an invalid percent-encoding.\n",
};

/**
 * A URL whose path or query carries a NUL byte, or whose percent-encoding does not decode to
 * UTF-8, gets 400 here. PostgreSQL text cannot hold NUL, and route code should never have to ask.
 * Returns the bilingual message to send, or null when the URL is fine.
 */
export function malformedUrlRefusal(rawUrl: string): string | null {
  if (rawUrl.includes("\0") || /%00/i.test(rawUrl)) return MESSAGE.nul;
  const question = rawUrl.indexOf("?");
  const path = question < 0 ? rawUrl : rawUrl.slice(0, question);
  try {
    decodeURIComponent(path);
  } catch {
    return MESSAGE.encoding;
  }
  if (question >= 0) {
    // Query values are decoded with "+" as space by URLSearchParams, which never throws; a broken
    // escape there is kept literally, so only the path must decode strictly.
    for (const part of rawUrl.slice(question + 1).split("&")) {
      try {
        decodeURIComponent(part.replace(/\+/g, " "));
      } catch {
        return MESSAGE.encoding;
      }
    }
  }
  return null;
}
