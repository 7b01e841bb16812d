/**
 * Searching text a person typed with `ilike`: the word matches as a substring anywhere, and `%`,
 * `_` and `\` in it match themselves (backslash is PostgreSQL's default escape in LIKE), so a
 * search for "100%" does not match everything.
 */
export function containsPattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
