/**
 * The width a table needs for its columns (each at its `width`, else its `minWidth`, else 100 px), as
 * its `scroll-x`: the table fills the card when the columns fit and scrolls sideways only when they do
 * not, and no column is ever squeezed under its minimum (which would slide it under a fixed column).
 */
export function columnsWidth(columns: ReadonlyArray<{ width?: number | string; minWidth?: number | string }>): number {
  let total = 0;
  for (const column of columns) {
    const size = Number(column.width ?? column.minWidth ?? 100);
    total += Number.isFinite(size) ? size : 100;
  }
  return total;
}
