//! The columns a batch segment reads and the order it reads them in.
//!
//! A label's nodes sit in every table whose label set holds the label.
//! The row engine scans them in ascending node id; [`Source`] lists runs
//! of consecutive rows of one table ([`Piece`]s) that, read one after the
//! other, visit the nodes in that same order. After a bulk load that is
//! one piece per table; deletions (rows moved by `swap_remove`) and nodes
//! in several label sets give more, shorter pieces.
//!
//! [`Source::new`] also checks the column types: grouping keys must be
//! `Str`, `Int` or `Bool` columns, and `sum`/`avg`/`min`/`max` read `Int`
//! or `Float` columns; any other column (an `Any` column, floats as keys)
//! makes the whole segment fall back to the row engine before it reads a
//! row. A column with no valid row counts as absent.

use super::accum::Kind;
use super::shape::{Arg, Pred, Shape};
use crate::exec::kernels::Bound;
use crate::graph::columns::{Bitmap, Column, ColumnData, Dictionary, Table};
use crate::graph::{Graph, KeyId};

/// A grouping key column of one table.
#[derive(Debug, Clone, Copy)]
pub enum KeyCol<'g> {
    /// No row has the key: every row is in the null group.
    Absent,
    /// Dictionary codes.
    Str(&'g [u32], &'g Bitmap),
    /// Integers.
    Int(&'g [i64], &'g Bitmap),
    /// Booleans.
    Bool(&'g Bitmap, &'g Bitmap),
}

/// What one aggregate reads in one table.
#[derive(Debug, Clone, Copy)]
pub enum ArgCol<'g> {
    /// Every row counts.
    Row,
    /// No row has the property.
    Absent,
    /// Integers.
    Int(&'g [i64], &'g Bitmap),
    /// Floats.
    Float(&'g [f64], &'g Bitmap),
    /// Only whether a value is there (`count(n.k)` over other types).
    Valid(&'g Bitmap),
}

/// One table as the segment reads it.
#[derive(Debug)]
pub struct TableView<'g> {
    /// The node id of each row.
    pub ids: &'g [u32],
    /// Whether the table says its rows are in ascending id order.
    pub in_id_order: bool,
    /// Whether its nodes have every label the segment requires up front.
    pub passes: bool,
    /// The grouping key column.
    pub key: KeyCol<'g>,
    /// One column per aggregate call.
    pub args: Vec<ArgCol<'g>>,
    /// Per test of the segment, its kernel bound to this table, or `None`
    /// where the test runs through the row evaluator.
    pub kernels: Vec<Option<Bound<'g>>>,
}

/// Consecutive rows `rows` of table `table`, in scan order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// Index into [`Source::tables`].
    pub table: usize,
    /// The rows.
    pub rows: std::ops::Range<usize>,
}

/// The tables of a segment and the pieces that visit their rows in the
/// row engine's scan order.
#[derive(Debug)]
pub struct Source<'g> {
    /// The tables holding the scanned label.
    pub tables: Vec<TableView<'g>>,
    /// Row runs in ascending node id.
    pub pieces: Vec<Piece>,
    /// How many nodes the scan visits.
    pub len: usize,
    /// The least and greatest dictionary code of valid key rows.
    pub code_range: Option<(u32, u32)>,
}

/// A column, unless it has no valid row.
fn present(column: Option<&Column>) -> Option<&Column> {
    column.filter(|c| c.validity().count_ones() > 0)
}

impl<'g> Source<'g> {
    /// The source of `shape` in `graph`, or `None` when a column has a
    /// type the batch path does not read (or the tables do not hold
    /// exactly the label's nodes).
    pub fn new(shape: &Shape<'_>, graph: &'g Graph, max_value_bytes: u64) -> Option<Source<'g>> {
        let store = graph.property_store();
        let dict = store.dictionary();
        let mut tables = Vec::new();
        let mut code_range: Option<(u32, u32)> = None;
        for (set, table) in store.node_tables(shape.label) {
            let passes = shape.labels.iter().all(|l| set.binary_search(l).is_ok());
            let key = match shape.key {
                None => KeyCol::Absent,
                Some(k) => match present(table.column(k)) {
                    None => KeyCol::Absent,
                    Some(c) => match c.data() {
                        ColumnData::Str(codes) => {
                            widen(&mut code_range, codes, c.validity());
                            KeyCol::Str(codes, c.validity())
                        }
                        ColumnData::Int(v) => KeyCol::Int(v, c.validity()),
                        ColumnData::Bool(v) => KeyCol::Bool(v, c.validity()),
                        ColumnData::Float(_)
                        | ColumnData::Date(_)
                        | ColumnData::LocalDateTime(_)
                        | ColumnData::Any(_) => return None,
                    },
                },
            };
            let args = shape
                .calls
                .iter()
                .map(|call| arg_col(call.kind, call.arg, table))
                .collect::<Option<Vec<_>>>()?;
            let kernels = bind_kernels(&shape.preds, table, dict, max_value_bytes);
            tables.push(TableView {
                ids: table.ids(),
                in_id_order: table.in_id_order(),
                passes,
                key,
                args,
                kernels,
            });
        }
        let len: usize = tables.iter().map(|t| t.ids.len()).sum();
        if len != graph.label_count(shape.label) {
            return None;
        }
        let pieces = pieces(&tables);
        Some(Source {
            tables,
            pieces,
            len,
            code_range,
        })
    }
}

/// The column an aggregate reads in a scanned node's `table`, if its
/// type suits (a call over the node the expansion reaches reads the far
/// node's table instead, see `super::far`: here it is `Row`, unread).
fn arg_col(kind: Kind, arg: Arg, table: &Table) -> Option<ArgCol<'_>> {
    match arg {
        Arg::Prop(key) => prop_col(kind, key, table),
        Arg::Row | Arg::Far(_) => Some(ArgCol::Row),
    }
}

/// The column of property `key` an aggregate of `kind` reads in `table`,
/// if its type suits.
pub fn prop_col(kind: Kind, key: KeyId, table: &Table) -> Option<ArgCol<'_>> {
    let Some(column) = present(table.column(key)) else {
        return Some(ArgCol::Absent);
    };
    let valid = column.validity();
    match column.data() {
        ColumnData::Int(v) => Some(ArgCol::Int(v, valid)),
        ColumnData::Float(v) => Some(ArgCol::Float(v, valid)),
        _ if kind == Kind::Count => Some(ArgCol::Valid(valid)),
        _ => None,
    }
}

/// Extends `range` by the codes of the valid rows of a `Str` column.
fn widen(range: &mut Option<(u32, u32)>, codes: &[u32], valid: &Bitmap) {
    for (row, code) in codes.iter().enumerate() {
        if valid.get(row) {
            let (lo, hi) = range.get_or_insert((*code, *code));
            *lo = (*lo).min(*code);
            *hi = (*hi).max(*code);
        }
    }
}

/// Row runs visiting every row of `tables` in ascending node id.
fn pieces(tables: &[TableView<'_>]) -> Vec<Piece> {
    let in_order = |t: &TableView<'_>| t.in_id_order || t.ids.windows(2).all(|w| w[0] < w[1]);
    match tables {
        [] => Vec::new(),
        [only] if in_order(only) => vec![Piece {
            table: 0,
            rows: 0..only.ids.len(),
        }],
        _ => {
            let mut all: Vec<(u32, usize, usize)> = tables
                .iter()
                .enumerate()
                .flat_map(|(t, view)| view.ids.iter().enumerate().map(move |(r, id)| (*id, t, r)))
                .collect();
            all.sort_unstable_by_key(|(id, _, _)| *id);
            let mut out: Vec<Piece> = Vec::new();
            for (_, t, r) in all {
                match out.last_mut() {
                    Some(p) if p.table == t && p.rows.end == r => p.rows.end += 1,
                    _ => out.push(Piece {
                        table: t,
                        rows: r..r + 1,
                    }),
                }
            }
            out
        }
    }
}

/// The kernel of each of `preds` bound to `table`'s columns (`None` for a
/// test that runs through the evaluator, or a kernel the table's columns
/// cannot serve).
pub(super) fn bind_kernels<'g>(
    preds: &[Pred<'_>],
    table: &'g Table,
    dict: &'g Dictionary,
    max_value_bytes: u64,
) -> Vec<Option<Bound<'g>>> {
    preds
        .iter()
        .map(|pred| match pred {
            Pred::Filter(_, Some(kernel)) => kernel.bind(table, dict, max_value_bytes),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(ids: &[u32]) -> TableView<'_> {
        TableView {
            ids,
            in_id_order: false,
            passes: true,
            key: KeyCol::Absent,
            args: Vec::new(),
            kernels: Vec::new(),
        }
    }

    #[test]
    fn one_ordered_table_is_one_piece() {
        let ids = [1, 4, 9];
        assert_eq!(
            pieces(&[view(&ids)]),
            vec![Piece {
                table: 0,
                rows: 0..3
            }]
        );
    }

    #[test]
    fn tables_merge_by_id_and_disordered_rows_are_reordered() {
        let a = [1, 2, 7, 3];
        let b = [4, 5, 0];
        let got: Vec<(usize, Vec<usize>)> = pieces(&[view(&a), view(&b)])
            .into_iter()
            .map(|p| (p.table, p.rows.collect()))
            .collect();
        // Ids 0 (b row 2), 1, 2 (a rows 0-1), 3 (a row 3), 4, 5 (b rows 0-1), 7 (a row 2).
        assert_eq!(
            got,
            vec![
                (1, vec![2]),
                (0, vec![0, 1]),
                (0, vec![3]),
                (1, vec![0, 1]),
                (0, vec![2]),
            ]
        );
    }
}
