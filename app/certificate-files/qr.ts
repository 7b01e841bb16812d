/**
 * QR codes as vector paths: one SVG path of module rectangles, drawn crisply at any size in the PDF
 * and in SVG, with no raster image to embed.
 */
import QRCode from "qrcode";

export interface QrPath {
  /** Modules per side, without the quiet zone. */
  readonly size: number;
  /** Path in module units (0…size): one rectangle per horizontal run of dark modules. */
  readonly d: string;
}

/** Error correction M (15 %): survives print wear on paper and packaging at a modest size. */
export function qrPath(text: string): QrPath {
  const qr = QRCode.create(text, { errorCorrectionLevel: "M" });
  const { size, data } = qr.modules;
  let d = "";
  for (let row = 0; row < size; row++) {
    let col = 0;
    while (col < size) {
      if (!data[row * size + col]) {
        col++;
        continue;
      }
      const start = col;
      while (col < size && data[row * size + col]) col++;
      d += `M${start} ${row}h${col - start}v1h${start - col}z`;
    }
  }
  return { size, d };
}
