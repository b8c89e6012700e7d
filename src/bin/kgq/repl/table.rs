//! Tables that fit the terminal: columns share the width, and a cell too
//! long for its column is cut to one line ending in `…`, so the frame is
//! never broken by wrapping.

use comfy_table::{ContentArrangement, Row, Table, presets};

/// The narrowest width a table is fitted to.
const MIN_WIDTH: u16 = 20;

/// A framed table of `header` and `rows`, at most `width` columns wide.
pub fn fit(header: &[String], rows: &[Vec<String>], width: u16) -> String {
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
    fn short_tables_are_left_alone() {
        let text = fit(&["n".to_string()], &[vec!["1".to_string()]], 80);
        assert!(text.contains("│ 1 │"), "{text}");
    }
}
