/** How many columns a grid of tiles uses, and how big each tile is. */
export interface GridFit {
  readonly columns: number;
  readonly rows: number;
  readonly tileWidth: number;
  readonly tileHeight: number;
}

/**
 * The column count that shows `count` tiles of one aspect ratio (width / height) the largest inside a
 * `width` × `height` box with `gap` between them. Pure, so the layout rule is tested without a browser layout.
 * Rows are filled left to right; the last row is centred by the stage, so no cell is ever left empty.
 */
export function fitGrid(count: number, width: number, height: number, gap: number, aspect = 16 / 9): GridFit {
  let best: GridFit = { columns: 1, rows: Math.max(count, 1), tileWidth: 0, tileHeight: 0 };
  for (let columns = 1; columns <= Math.max(count, 1); columns++) {
    const rows = Math.ceil(count / columns);
    const cellWidth = (width - gap * (columns - 1)) / columns;
    const cellHeight = (height - gap * (rows - 1)) / rows;
    const tileWidth = Math.max(0, Math.min(cellWidth, cellHeight * aspect));
    // Ties go to fewer columns: rows read more naturally than a wide, sparse grid.
    if (tileWidth > best.tileWidth + 0.5) best = { columns, rows, tileWidth, tileHeight: tileWidth / aspect };
  }
  return best;
}
