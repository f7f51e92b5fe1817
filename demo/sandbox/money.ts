/** SAR (a JSON number) to integer halalas. */
export function toHalalas(sar: number): number {
  return Math.round(sar * 100);
}

/** Integer halalas to SAR as a JSON number (two decimals at most). */
export function toSar(halalas: number): number {
  return halalas / 100;
}

/** `1,234.50` — for pages. */
export function sarForPage(halalas: number): string {
  return (halalas / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

export function formatPoints(points: number): string {
  return points.toLocaleString('en-US');
}
