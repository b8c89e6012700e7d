//! Tables that fit the terminal: columns share the width, and a cell too
//! long for its column is cut to one line ending in `…`, so the frame is
//! never broken by wrapping.

use comfy_table::{CellAlignment, ContentArrangement, Row, Table, presets};

/// The narrowest width a table is fitted to.
const MIN_WIDTH: u16 = 20;

/// A framed table of `header` and `rows`, at most `width` columns wide;
/// columns whose cells are all numbers are right-aligned.
pub fn fit(header: &[String], rows: &[Vec<String>], width: u16) -> String {
    let numeric: Vec<bool> = (0..header.len())
        .map(|i| {
            let mut cells = rows
                .iter()
                .filter_map(|r| r.get(i))
                .filter(|c| !c.is_empty());
            cells.clone().next().is_some() && cells.all(|c| c.parse::<f64>().is_ok())
        })
        .collect();
    fit_aligned(header, rows, width, &numeric)
}

/// Like [`fit`], right-aligning the columns `right` marks (numbers, as
/// the command line does).
pub fn fit_aligned(header: &[String], rows: &[Vec<String>], width: u16, right: &[bool]) -> String {
    let mut table = Table::new();
    table
        .load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width.max(MIN_WIDTH))
        .set_truncation_indicator("…");
    let mut head = Row::from(header.iter().map(|h| one_line(h)));
    head.max_height(1);
    table.set_header(head);
    for cells in rows {
        let mut row = Row::from(cells.iter().map(|c| one_line(c)));
        row.max_height(1);
        table.add_row(row);
    }
    for (column, right) in table.column_iter_mut().zip(right) {
        if *right {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    table.to_string()
}

/// Line breaks and tabs shown as spaces, so that a cell stays on one line.
fn one_line(text: &str) -> String {
    text.replace(['\n', '\r', '\t'], " ")
}

/// The terminal's width in columns (100 when it cannot be told).
pub fn terminal_width() -> u16 {
    terminal_size::terminal_size().map_or(100, |(w, _)| w.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_cells_are_cut_and_lines_keep_the_width() {
        let header = vec!["name".to_string(), "note".to_string()];
        let rows = vec![vec!["Shaanxi Heavy Truck".to_string(), "x".repeat(200)]];
        let text = fit(&header, &rows, 40);
        for line in text.lines() {
            assert!(line.chars().count() <= 40, "{line}");
        }
        assert!(text.contains('…'), "{text}");
        assert_eq!(text.lines().count(), 5, "{text}");
    }

    #[test]
    fn numbers_are_right_aligned() {
        let header = vec!["name".to_string(), "count".to_string()];
        let rows = vec![
            vec!["a".to_string(), "5".to_string()],
            vec!["b".to_string(), "1234".to_string()],
        ];
        let text = fit(&header, &rows, 80);
        assert!(text.contains("│ a    ┆     5 │"), "{text}");
    }

    #[test]
    fn short_tables_are_left_alone() {
        let text = fit(&["n".to_string()], &[vec!["1".to_string()]], 80);
        assert!(text.contains("│ 1 │"), "{text}");
    }
}
