/** Lays out rows as aligned columns under a header, for terminals; `paint` sets off a cell after it is padded (its codes take no width). */
export function formatTable(header: string[], rows: string[][], paint?: (cell: string, row: number, column: number) => string): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: string[], row: number) =>
    cells.map((cell, column) => {
      const padded = column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0);
      if (paint === undefined || row < 0) return padded;
      // Only the text is painted, not the padding after it, so underlines and backgrounds stay tidy.
      return paint(cell, row, column) + padded.slice(cell.length);
    }).join("  ");
  return [line(header, -1), ...rows.map(line)].join("\n");
}
