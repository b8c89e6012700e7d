//! `:help`: the meta-commands, and a page for each clause and function
//! with an example that runs on the bundled graph.

use kgq::exec::functions;

use super::commands::COMMANDS;

/// A clause or other piece of syntax `:help TOPIC` explains.
struct Clause {
    name: &'static str,
    summary: &'static str,
    example: &'static str,
}

#[rustfmt::skip]
const CLAUSES: &[Clause] = &[
    Clause { name: "MATCH", summary: "Finds the parts of the graph that fit a pattern of nodes and relationships.", example: "MATCH (c:Company)-[:HEADQUARTERED_IN]->(k:Country) RETURN c.name, k.name;" },
    Clause { name: "OPTIONAL MATCH", summary: "Like MATCH, but keeps the row (with nulls) when nothing fits.", example: "MATCH (c:Country) OPTIONAL MATCH (c)<-[r]-() RETURN c.name, count(r);" },
    Clause { name: "WHERE", summary: "Keeps the rows for which a condition is true (after MATCH or WITH).", example: "MATCH (c:Company) WHERE c.name STARTS WITH 'S' RETURN c.name;" },
    Clause { name: "RETURN", summary: "Chooses the columns of the result; aggregates group by the other columns.", example: "MATCH (n) RETURN labels(n) AS labels, count(*) AS n ORDER BY n DESC;" },
    Clause { name: "WITH", summary: "Passes chosen values on to the next part of the query (like RETURN, mid-query).", example: "MATCH (c:Company) WITH count(c) AS companies RETURN companies;" },
    Clause { name: "UNWIND", summary: "Turns a list into rows, one per element.", example: "UNWIND [1, 2, 3] AS x RETURN x * 10;" },
    Clause { name: "ORDER BY", summary: "Sorts the rows of RETURN or WITH (ASC by default, or DESC).", example: "MATCH (c:Company) RETURN c.name ORDER BY c.name DESC;" },
    Clause { name: "SKIP", summary: "Leaves out the first rows.", example: "UNWIND range(1, 10) AS x RETURN x SKIP 7;" },
    Clause { name: "LIMIT", summary: "Keeps at most this many rows.", example: "MATCH (n) RETURN n LIMIT 3;" },
    Clause { name: "DISTINCT", summary: "Drops duplicate rows from RETURN or WITH.", example: "MATCH (n) RETURN DISTINCT labels(n);" },
    Clause { name: "CREATE", summary: "Adds nodes and relationships.", example: "CREATE (:Country {name: 'Kazakhstan'});" },
    Clause { name: "MERGE", summary: "Finds a pattern, or creates it when it is missing (ON CREATE / ON MATCH SET).", example: "MERGE (c:Country {name: 'Russia'}) ON CREATE SET c.new = true RETURN c;" },
    Clause { name: "SET", summary: "Sets properties and labels.", example: "MATCH (c:Country {name: 'Russia'}) SET c.code = 'RU' RETURN c.code;" },
    Clause { name: "REMOVE", summary: "Removes properties and labels.", example: "MATCH (c:Country) REMOVE c.code;" },
    Clause { name: "DELETE", summary: "Deletes nodes and relationships (DETACH DELETE also deletes a node's relationships).", example: "MATCH (c:Country {name: 'Kazakhstan'}) DETACH DELETE c;" },
    Clause { name: "UNION", summary: "Joins the rows of two queries with the same columns (UNION ALL keeps duplicates).", example: "RETURN 1 AS x UNION RETURN 2 AS x;" },
    Clause { name: "CASE", summary: "Chooses a value by conditions.", example: "UNWIND [1, 2, 3] AS x RETURN CASE WHEN x > 1 THEN 'big' ELSE 'small' END;" },
    Clause { name: "EXISTS", summary: "Whether a pattern has a match: EXISTS { (a)-->(b) }.", example: "MATCH (c:Country) RETURN c.name, EXISTS { (c)<--() } AS linked;" },
    Clause { name: "EXPLAIN", summary: "Shows the plan of a statement without running it (also :explain).", example: "EXPLAIN MATCH (c:Company) RETURN c;" },
    Clause { name: "PROFILE", summary: "Runs a statement and shows its plan.", example: "PROFILE MATCH (c:Company) RETURN count(c);" },
];

/// Every topic `:help` knows: clauses, functions and meta-commands.
pub fn topics() -> Vec<String> {
    let mut out: Vec<String> = CLAUSES.iter().map(|c| c.name.to_string()).collect();
    out.extend(function_names());
    out.extend(COMMANDS.iter().map(|c| format!(":{}", c.name)));
    out
}

/// The function names as people write them (`toUpper`, not `toupper`):
/// the spelling used in each function's own example.
pub fn function_names() -> Vec<String> {
    functions::all().iter().map(display_name).collect()
}

fn display_name(f: &functions::Function) -> String {
    let lower = f.example.to_lowercase();
    let needle = format!("{}(", f.name);
    match lower.find(&needle) {
        Some(i)
            if f.example.is_char_boundary(i) && f.example.is_char_boundary(i + f.name.len()) =>
        {
            f.example[i..i + f.name.len()].to_string()
        }
        _ => f.name.to_string(),
    }
}

/// The text of `:help` (no topic) or `:help TOPIC`.
pub fn help(topic: Option<&str>) -> String {
    let Some(topic) = topic.map(str::trim).filter(|t| !t.is_empty()) else {
        return overview();
    };
    let wanted = topic.trim_end_matches("()");
    if let Some(c) = CLAUSES.iter().find(|c| c.name.eq_ignore_ascii_case(wanted)) {
        return format!("{}\n  {}\n\nExample:\n  {}", c.name, c.summary, c.example);
    }
    if let Some(f) = functions::lookup(wanted) {
        let args = if f.max_args == usize::MAX {
            format!("{} or more arguments", f.min_args)
        } else if f.min_args == f.max_args {
            format!(
                "{} argument{}",
                f.min_args,
                if f.min_args == 1 { "" } else { "s" }
            )
        } else {
            format!("{} to {} arguments", f.min_args, f.max_args)
        };
        return format!(
            "{}() — {args}\n  {}\n\nExample:\n  {};",
            display_name(f),
            f.summary,
            f.example
        );
    }
    let command = wanted.trim_start_matches(':');
    if let Some(c) = COMMANDS.iter().find(|c| c.name == command) {
        return format!(":{} {}\n  {}", c.name, c.args, c.summary);
    }
    let all = topics();
    match nearest(wanted, all.iter().map(String::as_str)) {
        Some(near) => {
            format!("No help on `{topic}`. Did you mean `{near}`? (:help lists the topics)")
        }
        None => format!("No help on `{topic}`. :help lists the topics."),
    }
}

fn overview() -> String {
    let mut out = String::from(
        "Statements end with `;` and may span several lines. Tab completes, \
         Ctrl-R searches the history, Ctrl-C clears the input or cancels a running \
         query, Ctrl-D leaves.\n\nMeta-commands:\n",
    );
    let width = COMMANDS
        .iter()
        .map(|c| c.name.len() + c.args.len() + 2)
        .max()
        .unwrap_or(0);
    for c in COMMANDS {
        let head = format!(":{} {}", c.name, c.args);
        out.push_str(&format!("  {head:width$}  {}\n", c.summary));
    }
    out.push_str("\nClauses (:help NAME):\n  ");
    out.push_str(
        &CLAUSES
            .iter()
            .map(|c| c.name)
            .collect::<Vec<_>>()
            .join(", "),
    );
    out.push_str("\n\nFunctions (:help NAME):\n  ");
    out.push_str(&function_names().join(", "));
    out
}

/// The candidate closest to `word` (by edit distance, ignoring case), if
/// it is close enough to be a likely typo.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (distance(&word, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count().max(2) / 2).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance in characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let next = (row[j + 1] + 1).min(row[j] + 1).min(prev + cost);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_name() {
        let names = ["schema", "stats", "format", "help"];
        assert_eq!(nearest("shema", names), Some("schema"));
        assert_eq!(nearest("stat", names), Some("stats"));
        assert_eq!(nearest("xyzzy", names), None);
    }

    #[test]
    fn every_function_and_clause_has_a_page_with_an_example() {
        for topic in topics() {
            let page = help(Some(&topic));
            assert!(!page.starts_with("No help"), "{topic}: {page}");
        }
        assert!(help(Some("toUpper")).contains("Example"));
        assert!(help(Some("match")).contains("Example"));
    }

    #[test]
    fn function_names_keep_their_usual_spelling() {
        let names = function_names();
        assert!(names.iter().any(|n| n == "toUpper"), "{names:?}");
    }
}

#[cfg(test)]
mod examples {
    use super::CLAUSES;

    #[test]
    fn every_clause_example_runs_on_the_bundled_graph() {
        let Ok(graph) = kgq::bundled::graph() else {
            panic!("the bundled graph builds")
        };
        for clause in CLAUSES {
            let mut session = kgq::Session::with_graph(graph.clone());
            if let Err(e) = session.run(clause.example) {
                panic!("{}: {}", clause.name, e.render("", clause.example));
            }
        }
    }
}
