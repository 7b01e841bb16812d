/**
 * The product system has no unique supply vector: some process (column) cannot be scaled
 * independently of the others. `column` is the process index in the caller's numbering.
 */
export class SingularSystemError extends Error {
  readonly column: number;
  readonly kind: "structural" | "numerical";

  constructor(column: number, kind: "structural" | "numerical", detail: string) {
    super(`singular technosphere matrix (${kind}) at process column ${column}: ${detail}`);
    this.name = "SingularSystemError";
    this.column = column;
    this.kind = kind;
  }
}
