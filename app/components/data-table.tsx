/**
 * Tables of rows under one header row, the way every list page and panel draws them: a header
 * cell per column (scope="col", so each cell is announced with its column), numbers right-aligned,
 * and for a list that may be empty its own message instead of an empty table.
 */
import type { ReactNode } from "react";

/** A column's header; a column of numbers is right-aligned, header and cells alike (class "num"). */
export type Column = ReactNode | { readonly numeric: ReactNode };

/** The header of a column of numbers. */
export const numeric = (label: ReactNode): Column => ({ numeric: label });

function isNumeric(column: Column): column is { readonly numeric: ReactNode } {
  return typeof column === "object" && column !== null && "numeric" in column;
}

export interface DataTableProps {
  readonly columns: readonly Column[];
  readonly className?: string;
  readonly testId?: string;
  /** Names the table for screen readers where no heading does. */
  readonly caption?: ReactNode;
}

/** A table: the header row from `columns`, the rows as children. */
export function DataTable({ columns, className, testId, caption, children }: DataTableProps & { children?: ReactNode }) {
  return (
    <table className={className} data-testid={testId}>
      {caption ? <caption className="sr-only">{caption}</caption> : null}
      <thead>
        <tr>
          {columns.map((column, i) => (
            <th key={i} scope="col" className={isNumeric(column) ? "num" : undefined}>
              {isNumeric(column) ? column.numeric : column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

/**
 * A list as a table in its scrolling wrapper (`table-wrap`, or `card table-wrap` on a page of its
 * own), one row per item; when the list is empty, the `empty` message alone.
 */
export function ListTable<T>({
  rows,
  row,
  empty,
  card = false,
  ...table
}: DataTableProps & {
  rows: readonly T[];
  row: (item: T, index: number) => ReactNode;
  empty: ReactNode;
  card?: boolean;
}) {
  if (rows.length === 0) return empty;
  return (
    <div className={card ? "card table-wrap" : "table-wrap"}>
      <DataTable {...table}>{rows.map(row)}</DataTable>
    </div>
  );
}
