//! Reading a CSV header: which layout the file uses (the generator's plain
//! names or neo4j-admin's `:ID` / `:START_ID` markers), whether it holds
//! nodes or relationships, and what each column means.

use super::infer::ColumnType;

/// What one column of a file means.
#[derive(Debug, Clone, PartialEq)]
pub enum Role {
    /// The node's id within an id space; stored as property `name` too
    /// when the column is named.
    Id {
        /// The id space (`:ID(Company)`), empty for the global one.
        group: String,
        /// The property the id is also stored as.
        property: Option<String>,
        /// Declared type, or `None` to infer.
        ty: Option<ColumnType>,
    },
    /// Labels, separated by `;` (neo4j-admin `:LABEL`).
    Label,
    /// The relationship's start node id.
    Start {
        /// The id space.
        group: String,
    },
    /// The relationship's end node id.
    End {
        /// The id space.
        group: String,
    },
    /// The relationship type (neo4j-admin `:TYPE`).
    Type,
    /// A property; `ty` `None` = inferred; `array` = `;`-separated list.
    Property {
        /// The key.
        key: String,
        /// Declared type, or `None` to infer.
        ty: Option<ColumnType>,
        /// A list of values separated by `;` (`int[]`).
        array: bool,
    },
    /// Skipped (`:IGNORE`).
    Ignore,
}

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// One node per row.
    Nodes,
    /// One relationship per row.
    Relationships,
}

/// A parsed header.
#[derive(Debug, Clone)]
pub struct Header {
    /// Nodes or relationships.
    pub kind: FileKind,
    /// One role per column.
    pub roles: Vec<Role>,
}

/// Parses a header row; `Err` explains what is wrong with it.
pub fn parse(fields: &[&str]) -> Result<Header, String> {
    let neo4j = fields.iter().any(|f| f.contains(':'));
    let roles: Vec<Role> = if neo4j {
        fields
            .iter()
            .map(|f| neo4j_role(f))
            .collect::<Result<_, _>>()?
    } else {
        fields.iter().map(|f| plain_role(f)).collect()
    };
    let has = |pred: fn(&Role) -> bool| roles.iter().filter(|r| pred(r)).count();
    let ids = has(|r| matches!(r, Role::Id { .. }));
    let starts = has(|r| matches!(r, Role::Start { .. }));
    let ends = has(|r| matches!(r, Role::End { .. }));
    let kind = match (ids, starts, ends) {
        (0, 1, 1) => FileKind::Relationships,
        (1, 0, 0) => FileKind::Nodes,
        (0, 0, 0) if neo4j => FileKind::Nodes,
        _ => {
            return Err(if neo4j {
                "a header needs one :ID column (nodes) or one :START_ID and one :END_ID \
                 column (relationships)"
                    .to_string()
            } else {
                "a header needs an `id` column (nodes) or `from` and `to` columns \
                 (relationships)"
                    .to_string()
            });
        }
    };
    if has(|r| matches!(r, Role::Label)) > 1 || has(|r| matches!(r, Role::Type)) > 1 {
        return Err("a header has at most one :LABEL and one :TYPE column".to_string());
    }
    Ok(Header { kind, roles })
}

/// The generator's layout: `id`, `from`, `to`, everything else a property.
fn plain_role(field: &str) -> Role {
    match field.trim() {
        "id" => Role::Id {
            group: String::new(),
            property: Some("id".to_string()),
            ty: None,
        },
        "from" => Role::Start {
            group: String::new(),
        },
        "to" => Role::End {
            group: String::new(),
        },
        other => Role::Property {
            key: other.to_string(),
            ty: None,
            array: false,
        },
    }
}

/// neo4j-admin's layout: `name:type`, `:ID(group)`, `:LABEL`, ….
fn neo4j_role(field: &str) -> Result<Role, String> {
    let field = field.trim();
    let Some((name, spec)) = field.split_once(':') else {
        // An untyped column is a string, as neo4j-admin reads it.
        return Ok(Role::Property {
            key: field.to_string(),
            ty: Some(ColumnType::String),
            array: false,
        });
    };
    let (marker, group) = match spec.split_once('(') {
        Some((m, rest)) => (m, rest.trim_end_matches(')').to_string()),
        None => (spec, String::new()),
    };
    let named = (!name.is_empty()).then(|| name.to_string());
    Ok(match marker.to_ascii_uppercase().as_str() {
        "ID" => Role::Id {
            group,
            property: named,
            ty: None,
        },
        "START_ID" => Role::Start { group },
        "END_ID" => Role::End { group },
        "LABEL" => Role::Label,
        "TYPE" => Role::Type,
        "IGNORE" => Role::Ignore,
        _ => {
            let Some(key) = named else {
                return Err(format!("column `{field}` has a type but no name"));
            };
            let (base, array) = match spec.strip_suffix("[]") {
                Some(b) => (b, true),
                None => (spec, false),
            };
            let ty = ColumnType::from_header(base)
                .ok_or_else(|| format!("column `{field}`: unknown type `{spec}`"))?;
            Role::Property {
                key,
                ty: Some(ty),
                array,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generator_headers() {
        let h = parse(&["id", "name", "founded"]).unwrap();
        assert_eq!(h.kind, FileKind::Nodes);
        let h = parse(&["from", "to", "year"]).unwrap();
        assert_eq!(h.kind, FileKind::Relationships);
        assert!(parse(&["name", "founded"]).is_err());
    }

    #[test]
    fn neo4j_headers() {
        let h = parse(&["companyId:ID(Company)", "name", "founded:int", ":LABEL"]).unwrap();
        assert_eq!(h.kind, FileKind::Nodes);
        assert_eq!(
            h.roles[0],
            Role::Id {
                group: "Company".into(),
                property: Some("companyId".into()),
                ty: None
            }
        );
        assert_eq!(
            h.roles[2],
            Role::Property {
                key: "founded".into(),
                ty: Some(ColumnType::Int),
                array: false
            }
        );
        let h = parse(&[":START_ID", ":END_ID", ":TYPE", "years:int[]"]).unwrap();
        assert_eq!(h.kind, FileKind::Relationships);
        assert!(parse(&["x:widget"]).is_err());
    }
}
