//! Turns a pest failure into a positioned `SyntaxError: UnexpectedSyntax`
//! whose message says, in words, what was expected and what was found.

use pest::error::{ErrorVariant, InputLocation};

use crate::error::{Error, Span};
use crate::syntax::grammar::Rule;

/// Clause-starting alternatives are folded into one phrase when several
/// of them are expected at once.
const CLAUSE: &str = "a clause such as MATCH, WITH or RETURN";

/// The error for a failed parse of `text`.
pub(super) fn from_pest(text: &str, err: &pest::error::Error<Rule>) -> Error {
    let pos = match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let (found, span) = found_at(text, pos);
    let message = match &err.variant {
        ErrorVariant::ParsingError { positives, .. } => match expected_phrase(positives) {
            Some(expected) => format!("expected {expected}, found {found}"),
            None => format!("unexpected {found}"),
        },
        ErrorVariant::CustomError { message } => {
            let message = format!("the statement is nested too deeply to parse ({message})");
            return Error::syntax("NestingTooDeep", message).at(span);
        }
    };
    Error::syntax("UnexpectedSyntax", message).at(span)
}

/// "`)`, `,` or an expression" from the rules pest expected.
fn expected_phrase(positives: &[Rule]) -> Option<String> {
    let mut phrases: Vec<&'static str> = Vec::new();
    let mut clauses = 0;
    for rule in positives {
        let Some(phrase) = describe(*rule) else {
            continue;
        };
        if starts_clause(*rule) {
            clauses += 1;
        }
        if !phrases.contains(&phrase) {
            phrases.push(phrase);
        }
    }
    if clauses >= 3 {
        let clause_phrases: Vec<&str> = positives
            .iter()
            .filter(|r| starts_clause(**r))
            .filter_map(|r| describe(*r))
            .collect();
        phrases.retain(|p| !clause_phrases.contains(p));
        phrases.push(CLAUSE);
    }
    phrases.sort_by_key(|p| p.starts_with('`'));
    join_or(&phrases)
}

fn join_or(phrases: &[&str]) -> Option<String> {
    match phrases {
        [] => None,
        [one] => Some((*one).to_string()),
        [rest @ .., last] => Some(format!("{} or {last}", rest.join(", "))),
    }
}

/// What was found at `pos`: the word or character there, and its span.
fn found_at(text: &str, pos: usize) -> (String, Span) {
    let pos = pos.min(text.len());
    let Some(rest) = text.get(pos..) else {
        return ("the end of the input".to_string(), Span::new(pos, pos));
    };
    let Some(first) = rest.chars().next() else {
        return ("the end of the input".to_string(), Span::new(pos, pos));
    };
    let len = if first.is_alphanumeric() || first == '_' {
        rest.find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len())
    } else {
        first.len_utf8()
    };
    let token = &rest[..len];
    (format!("`{token}`"), Span::new(pos, pos + len))
}

fn starts_clause(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::match_clause
            | Rule::unwind_clause
            | Rule::with_clause
            | Rule::return_clause
            | Rule::create_clause
            | Rule::merge_clause
            | Rule::set_clause
            | Rule::remove_clause
            | Rule::delete_clause
            | Rule::call_clause
            | Rule::show_clause
            | Rule::kw_optional
            | Rule::kw_match
            | Rule::kw_unwind
            | Rule::kw_with
            | Rule::kw_return
            | Rule::kw_create
            | Rule::kw_merge
            | Rule::kw_set
            | Rule::kw_remove
            | Rule::kw_detach
            | Rule::kw_delete
            | Rule::kw_call
            | Rule::kw_show
    )
}

/// A phrase for a rule, or `None` for rules that only guide the parser.
fn describe(rule: Rule) -> Option<&'static str> {
    use Rule::*;
    Some(match rule {
        expression
        | xor_expr
        | and_expr
        | not_expr
        | comparison
        | predicate_expr
        | add_expr
        | mul_expr
        | pow_expr
        | unary_expr
        | postfix_expr
        | slice_from
        | slice_to
        | case_operand
        | comprehension_where
        | comprehension_projection
        | property_target
        | projection_item
        | sort_item
        | number
        | string
        | paren_expr
        | function_call
        | list_literal
        | list_comprehension
        | pattern_comprehension
        | case_expr
        | count_star
        | quantified
        | reduce_expr
        | exists_subquery
        | unary_op => "an expression",
        map_literal | properties => "a map such as `{key: value}`",
        parameter => "a parameter such as `$name`",
        variable => "a variable name",
        schema_name | yield_item => "a name",
        function_name => "a function name",
        procedure_name => "a procedure name",
        pattern | pattern_part | pattern_element | shortest_path | all_shortest_paths => {
            "a pattern such as `(n)-[r]->(m)`"
        }
        node_pattern => "a node pattern such as `(n)`",
        rel_pattern | left_arrow | pattern_predicate => "a relationship pattern such as `-[r]->`",
        rel_detail => "`[`",
        right_arrow => "`>`",
        range | range_min | range_max | range_exact => "a length such as `*1..3`",
        node_labels
        | label
        | label_predicate
        | label_expression
        | label_expression_in_expr
        | label_or
        | label_or_in_expr
        | label_and
        | label_not
        | label_atom
        | label_wildcard => "a label such as `:Person`",
        comp_op | add_op | mul_op | pow_op | kw_and | kw_or | kw_xor | starts_with | ends_with
        | contains | regex_match | in_list | is_null | is_not_null | is_normalized
        | property_lookup | subscript | kw_starts | kw_ends | kw_contains | kw_is => "an operator",
        set_labels | set_merge | set_replace | set_property => "a SET item such as `n.key = value`",
        remove_labels => "a REMOVE item such as `n.key` or `n:Label`",
        match_clause => "`MATCH`",
        unwind_clause => "`UNWIND`",
        with_clause => "`WITH`",
        return_clause => "`RETURN`",
        create_clause => "`CREATE`",
        merge_clause => "`MERGE`",
        set_clause => "`SET`",
        remove_clause => "`REMOVE`",
        delete_clause => "`DELETE`",
        call_clause => "`CALL`",
        show_clause => "`SHOW`",
        show_what => "`PROCEDURES`, `FUNCTIONS`, `INDEXES` or `CONSTRAINTS`",
        yield_clause => "`YIELD`",
        call_args => "`(`",
        where_clause | kw_where => "`WHERE`",
        as_of => "`AS OF`",
        order_by | kw_order => "`ORDER BY`",
        skip | kw_skip => "`SKIP`",
        limit | kw_limit => "`LIMIT`",
        union_part | kw_union => "`UNION`",
        merge_action | kw_on => "`ON CREATE SET` or `ON MATCH SET`",
        case_alternative | kw_when => "`WHEN`",
        case_default | kw_else => "`ELSE`",
        EOI => "the end of the statement",
        _ => return keyword(rule).or_else(|| punctuation(rule)),
    })
}

fn keyword(rule: Rule) -> Option<&'static str> {
    use Rule::*;
    Some(match rule {
        kw_all => "`ALL`",
        kw_as => "`AS`",
        kw_asc => "`ASC`",
        kw_by => "`BY`",
        kw_call => "`CALL`",
        kw_case => "`CASE`",
        kw_count => "`count`",
        kw_create => "`CREATE`",
        kw_delete => "`DELETE`",
        kw_desc => "`DESC`",
        kw_detach => "`DETACH`",
        kw_distinct => "`DISTINCT`",
        kw_end => "`END`",
        kw_exists => "`EXISTS`",
        kw_explain => "`EXPLAIN`",
        kw_false => "`false`",
        kw_in => "`IN`",
        kw_match => "`MATCH`",
        kw_merge => "`MERGE`",
        kw_not => "`NOT`",
        kw_null => "`null`",
        kw_normalized => "`NORMALIZED`",
        normal_form => "a normal form (`NFC`, `NFD`, `NFKC` or `NFKD`)",
        kw_of => "`OF`",
        kw_optional => "`OPTIONAL`",
        kw_profile => "`PROFILE`",
        kw_reduce => "`reduce`",
        kw_remove => "`REMOVE`",
        kw_return => "`RETURN`",
        kw_set => "`SET`",
        kw_then => "`THEN`",
        kw_true => "`true`",
        kw_unwind => "`UNWIND`",
        kw_with => "`WITH`",
        kw_yield => "`YIELD`",
        kw_show => "`SHOW`",
        kw_procedures => "`PROCEDURES`",
        kw_functions => "`FUNCTIONS`",
        kw_indexes => "`INDEXES`",
        kw_constraints => "`CONSTRAINTS`",
        kw_shortest => "`shortestPath`",
        kw_all_shortest => "`allShortestPaths`",
        kw_quantifier => "`all`, `any`, `none` or `single`",
        _ => return None,
    })
}

fn punctuation(rule: Rule) -> Option<&'static str> {
    use Rule::*;
    Some(match rule {
        LPAREN => "`(`",
        RPAREN => "`)`",
        LBRACKET => "`[`",
        RBRACKET => "`]`",
        LBRACE => "`{`",
        RBRACE => "`}`",
        COMMA => "`,`",
        COLON => "`:`",
        EQ => "`=`",
        PIPE => "`|`",
        SEMI => "`;`",
        DOTDOT => "`..`",
        DASH => "`-`",
        PLUS_EQ => "`+=`",
        AMP => "`&`",
        BANG => "`!`",
        star => "`*`",
        _ => return None,
    })
}
