import { readFileSync } from "node:fs";

export interface Triplets {
  n: number;
  rows: Int32Array;
  cols: Int32Array;
  values: Float64Array;
}

/** Reads a square Matrix Market "coordinate real general" file into 0-based triplets. */
export function readMatrixMarket(path: string): Triplets {
  const text = readFileSync(path, "utf8");
  const lines = text.split("\n");
  const header = lines[0] ?? "";
  if (!/^%%MatrixMarket\s+matrix\s+coordinate\s+real\s+general/i.test(header)) {
    throw new Error(`${path}: only "matrix coordinate real general" is supported, found "${header}"`);
  }
  let k = 1;
  while (k < lines.length && (lines[k]!.startsWith("%") || lines[k]!.trim() === "")) k++;
  const [m, n, nz] = lines[k++]!.trim().split(/\s+/).map(Number);
  if (m !== n || n === undefined || nz === undefined) throw new Error(`${path}: matrix is not square`);
  const rows = new Int32Array(nz);
  const cols = new Int32Array(nz);
  const values = new Float64Array(nz);
  for (let t = 0; t < nz; t++, k++) {
    const line = lines[k]!;
    const a = line.indexOf(" ");
    const b = line.indexOf(" ", a + 1);
    rows[t] = Number(line.slice(0, a)) - 1;
    cols[t] = Number(line.slice(a + 1, b)) - 1;
    values[t] = Number(line.slice(b + 1));
  }
  return { n, rows, cols, values };
}
