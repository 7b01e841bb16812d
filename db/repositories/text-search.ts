/**
 * Searching text a person typed with `ilike`: the word matches as a substring anywhere, and `%`,
 * `_` and `\` in it match themselves (backslash is PostgreSQL's default escape in LIKE), so a
 * search for "100%" does not match everything.
 */
import { sql, type Expression, type ExpressionBuilder, type SqlBool, type StringReference } from "kysely";

/** The `ilike` pattern of a word typed by a person: the word anywhere, its wildcards escaped. */
export function containsPattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Whether any of these text columns contains the word, ignoring case. */
export function anyContains<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  columns: readonly StringReference<DB, TB>[],
  word: string,
): Expression<SqlBool> {
  const pattern = containsPattern(word);
  return eb.or(columns.map((column) => sql<SqlBool>`${eb.ref(column)} ilike ${pattern}`));
}
