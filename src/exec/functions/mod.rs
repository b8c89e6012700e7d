//! The built-in scalar functions of the language, kept in one static table
//! ([`all`]) that the planner resolves names against ([`lookup`]) and
//! `:help` lists, plus the language's operators ([`arith`]).
//!
//! Conventions every function follows:
//!
//! * a `null` argument gives `null` unless the function says otherwise
//!   (`coalesce`, the `…OrNull` conversions);
//! * an argument of the wrong type is a `TypeError: InvalidArgumentType`
//!   whose message names the function, what it expects and what it got;
//! * strings are measured and cut in characters (Unicode scalar values),
//!   never bytes;
//! * integer arithmetic is checked: overflow is an
//!   `ArithmeticError: IntegerOverflow`, never a wrap-around or a panic.
//!
//! The number of arguments is checked by [`Function::invoke`] (or by the
//! planner with [`Function::check_arity`]); the `call` functions themselves
//! treat a missing argument as `null` and never index out of bounds.

pub mod arith;
mod convert;
mod entity;
mod kg;
mod list;
mod math;
mod neo4j;
mod string;
mod temporal;
mod unicode;

pub use temporal::{parse_duration, start_statement_clock};
pub use unicode::IS_NORMALIZED;

thread_local! {
    /// How many times this thread read the clock or the random generator.
    static IMPURE_READS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// How many times functions run on this thread have read the clock
/// (`datetime()`, …) or the random generator (`rand()`, `randomUUID()`):
/// a plan whose constant folding changed it depends on the moment it was
/// bound and must not be reused (see [`crate::session::plan_cache`]).
pub fn impure_reads() -> u64 {
    IMPURE_READS.with(std::cell::Cell::get)
}

/// Counts one read of the clock or the random generator.
fn note_impure_read() {
    IMPURE_READS.with(|n| n.set(n.get().wrapping_add(1)));
}

use crate::error::{Error, ErrorClass, Result};
use crate::graph::Graph;
use crate::value::Value;

/// A built-in scalar function: its name, how many arguments it takes, the
/// code that computes it, and a line of help.
#[derive(Debug)]
pub struct Function {
    /// The canonical name, lower-case (`tointeger`, `date.truncate`);
    /// lookups ignore case.
    pub name: &'static str,
    /// The fewest arguments the function accepts.
    pub min_args: usize,
    /// The most arguments the function accepts; `usize::MAX` for variadic
    /// functions such as `coalesce`.
    pub max_args: usize,
    /// Computes the function from its evaluated arguments.
    pub call: fn(&[Value], &Graph) -> Result<Value>,
    /// One line describing the function, for `:help`.
    pub summary: &'static str,
    /// A statement showing the function in use.
    pub example: &'static str,
}

impl Function {
    /// Whether `n` arguments are acceptable.
    pub fn accepts(&self, n: usize) -> bool {
        (self.min_args..=self.max_args).contains(&n)
    }

    /// `SyntaxError: InvalidNumberOfArguments` unless `n` arguments are
    /// acceptable.
    pub fn check_arity(&self, n: usize) -> Result<()> {
        if self.accepts(n) {
            return Ok(());
        }
        let expected = if self.max_args == usize::MAX {
            format!("at least {}", self.min_args)
        } else if self.min_args == self.max_args {
            format!("{}", self.min_args)
        } else {
            format!("{} to {}", self.min_args, self.max_args)
        };
        Err(Error::syntax(
            "InvalidNumberOfArguments",
            format!("{}() takes {expected} argument(s), got {n}", self.name),
        ))
    }

    /// Checks the number of arguments, then calls the function.
    pub fn invoke(&self, args: &[Value], graph: &Graph) -> Result<Value> {
        self.check_arity(args.len())?;
        (self.call)(args, graph)
    }
}

/// The function called `name` (case-insensitive), if there is one.
pub fn lookup(name: &str) -> Option<&'static Function> {
    FUNCTIONS.iter().find(|f| f.name.eq_ignore_ascii_case(name))
}

/// Every built-in scalar function, in the order `:help` lists them
/// (grouped by family).
pub fn all() -> &'static [Function] {
    FUNCTIONS
}

const VARIADIC: usize = usize::MAX;

macro_rules! function {
    ($name:literal, $min:expr, $max:expr, $call:path, $summary:literal, $example:literal) => {
        Function {
            name: $name,
            min_args: $min,
            max_args: $max,
            call: $call,
            summary: $summary,
            example: $example,
        }
    };
}

// One line per function reads as a table; rustfmt would spread each over
// eight lines.
#[rustfmt::skip]
static FUNCTIONS: &[Function] = &[
    // ----- graph entities -----
    function!("id", 1, 1, entity::id, "The internal id of a node or relationship.", "MATCH (n) RETURN id(n)"),
    function!("db.namefromelementid", 1, 1, neo4j::name_from_element_id, "The database an element id belongs to (`kgq`).", "RETURN db.nameFromElementId('4:kgq:0')"),
    function!("elementid", 1, 1, neo4j::element_id, "The element id of a node or relationship (`4:kgq:N` / `5:kgq:N`, as Bolt and HTTP give out).", "MATCH (n) RETURN elementId(n)"),
    function!("valuetype", 1, 1, neo4j::value_type, "The type of a value as Neo4j 5 names it, e.g. 'INTEGER NOT NULL'.", "RETURN valueType([1, 2])"),
    function!("nullif", 2, 2, neo4j::null_if, "null when both arguments are equal, else the first.", "RETURN nullIf('', '')"),
    function!("randomuuid", 0, 0, neo4j::random_uuid, "A random UUID (version 4) as a string.", "RETURN randomUUID()"),
    function!("timestamp", 0, 0, neo4j::timestamp, "Milliseconds since 1970-01-01T00:00Z when the statement started.", "RETURN timestamp()"),
    function!("char_length", 1, 1, neo4j::char_length, "The number of characters of a string.", "RETURN char_length('kgq')"),
    function!("character_length", 1, 1, neo4j::char_length, "The number of characters of a string.", "RETURN character_length('kgq')"),
    function!("btrim", 1, 2, neo4j::btrim, "A string without leading and trailing whitespace (or characters of the second argument).", "RETURN btrim('xxkgqxx', 'x')"),
    function!("lower", 1, 1, string::to_lower, "A string in lower case (as toLower).", "RETURN lower('KGQ')"),
    function!("upper", 1, 1, string::to_upper, "A string in upper case (as toUpper).", "RETURN upper('kgq')"),
    function!("vector.similarity.cosine", 2, 2, neo4j::cosine, "Cosine similarity of two vectors, scaled to [0, 1] as (1 + cos) / 2.", "RETURN vector.similarity.cosine([1, 0], [1, 1])"),
    function!("vector.similarity.euclidean", 2, 2, neo4j::euclidean, "Similarity 1 / (1 + d^2) of two vectors at Euclidean distance d.", "RETURN vector.similarity.euclidean([0, 0], [3, 4])"),
    function!("labels", 1, 1, entity::labels, "The labels of a node, as a list of strings.", "MATCH (n) RETURN labels(n)"),
    function!("type", 1, 1, entity::rel_type, "The type of a relationship, as a string.", "MATCH ()-[r]->() RETURN type(r)"),
    function!("keys", 1, 1, entity::keys, "The property keys of a node, relationship or map, sorted by name.", "RETURN keys({b: 1, a: 2})"),
    function!("properties", 1, 1, entity::properties, "The properties of a node or relationship as a map (a map is returned as is).", "MATCH (n) RETURN properties(n)"),
    function!("startnode", 1, 1, entity::start_node, "The node a relationship starts at.", "MATCH ()-[r]->() RETURN startNode(r)"),
    function!("endnode", 1, 1, entity::end_node, "The node a relationship ends at.", "MATCH ()-[r]->() RETURN endNode(r)"),
    // ----- knowledge graph -----
    function!("validat", 2, 2, kg::valid_at, "Whether a node, relationship or path is valid at an instant: valid_from <= t < valid_to, a missing bound is open.", "MATCH ()-[r:CERTIFIED_IN]->() RETURN validAt(r, date('2025-02-09'))"),
    function!("matchesname", 2, 2, kg::matches_name, "Whether a node's name or one of its aliases equals a text once both are normalised (what MERGE … ON ALIAS matches on).", "MATCH (c:Company) WHERE matchesName(c, 'SHACMAN Co., Ltd.') RETURN c.name"),
    function!("sources", 1, 1, kg::sources, "The source entities a relationship (node, path) names in its `source` property, as nodes: Media/Source nodes with that name first.", "MATCH ()-[r:CANCELLED_CERTIFICATION_OF]->() RETURN [s IN sources(r) | s.name]"),
    function!("resolve", 1, 2, kg::resolve, "The nodes a name stands for, best first: equal names or aliases after normalising (case, accents, punctuation, Co./Ltd./Group, other scripts), else the closest fuzzy matches; optionally only nodes with a label.", "RETURN [n IN resolve('shacman') | n.name]"),
    // ----- lists and paths -----
    function!("size", 1, 1, list::size, "The number of elements of a list, or of characters of a string.", "RETURN size([1, 2, 3])"),
    function!("length", 1, 1, list::length, "The number of relationships of a path (of characters, for a string).", "MATCH p = ()-->() RETURN length(p)"),
    function!("isempty", 1, 1, list::is_empty, "Whether a list, string or map has no elements.", "RETURN isEmpty([])"),
    function!("nodes", 1, 1, list::nodes, "The nodes of a path, in order.", "MATCH p = ()-->() RETURN nodes(p)"),
    function!("relationships", 1, 1, list::relationships, "The relationships of a path, in order.", "MATCH p = ()-->() RETURN relationships(p)"),
    function!("head", 1, 1, list::head, "The first element of a list (null when empty).", "RETURN head([1, 2, 3])"),
    function!("last", 1, 1, list::last, "The last element of a list (null when empty).", "RETURN last([1, 2, 3])"),
    function!("tail", 1, 1, list::tail, "A list without its first element.", "RETURN tail([1, 2, 3])"),
    function!("range", 2, 3, list::range, "The integers from start to end inclusive, by step (default 1).", "RETURN range(0, 10, 2)"),
    function!("reverse", 1, 1, list::reverse, "A list or string in reverse order.", "RETURN reverse('kgq')"),
    function!("coalesce", 1, VARIADIC, list::coalesce, "The first argument that is not null (null if all are).", "RETURN coalesce(null, 'default')"),
    // ----- conversion -----
    function!("tointeger", 1, 1, convert::to_integer, "Converts a number, boolean or string to an integer (null for unparsable strings).", "RETURN toInteger('42')"),
    function!("tointegerornull", 1, 1, convert::to_integer_or_null, "Like toInteger, but null instead of an error.", "RETURN toIntegerOrNull([])"),
    function!("tofloat", 1, 1, convert::to_float, "Converts a number or string to a float (null for unparsable strings).", "RETURN toFloat('4.5')"),
    function!("tofloatornull", 1, 1, convert::to_float_or_null, "Like toFloat, but null instead of an error.", "RETURN toFloatOrNull(true)"),
    function!("tostring", 1, 1, convert::to_string, "Converts a number, boolean, string or temporal value to a string.", "RETURN toString(1.0)"),
    function!("tostringornull", 1, 1, convert::to_string_or_null, "Like toString, but null instead of an error.", "RETURN toStringOrNull([1])"),
    function!("toboolean", 1, 1, convert::to_boolean, "Converts 'true'/'false' (any case), a boolean or an integer to a boolean.", "RETURN toBoolean('TRUE')"),
    function!("tobooleanornull", 1, 1, convert::to_boolean_or_null, "Like toBoolean, but null instead of an error.", "RETURN toBooleanOrNull(1.5)"),
    function!("tointegerlist", 1, 1, convert::to_integer_list, "Converts each element of a list with toIntegerOrNull.", "RETURN toIntegerList(['1', 'x'])"),
    function!("tofloatlist", 1, 1, convert::to_float_list, "Converts each element of a list with toFloatOrNull.", "RETURN toFloatList(['1.5', 2])"),
    function!("tostringlist", 1, 1, convert::to_string_list, "Converts each element of a list with toStringOrNull.", "RETURN toStringList([1, 2.5, true])"),
    function!("tobooleanlist", 1, 1, convert::to_boolean_list, "Converts each element of a list with toBooleanOrNull.", "RETURN toBooleanList(['true', 0])"),
    // ----- strings -----
    function!("tolower", 1, 1, string::to_lower, "A string in lower case.", "RETURN toLower('KGQ')"),
    function!("toupper", 1, 1, string::to_upper, "A string in upper case.", "RETURN toUpper('kgq')"),
    function!("trim", 1, 1, string::trim, "A string without leading and trailing whitespace.", "RETURN trim('  kgq  ')"),
    function!("ltrim", 1, 1, string::ltrim, "A string without leading whitespace.", "RETURN ltrim('  kgq')"),
    function!("rtrim", 1, 1, string::rtrim, "A string without trailing whitespace.", "RETURN rtrim('kgq  ')"),
    function!("substring", 2, 3, string::substring, "The characters of a string from a 0-based start, optionally at most length of them.", "RETURN substring('graph', 1, 3)"),
    function!("left", 2, 2, string::left, "The first n characters of a string.", "RETURN left('graph', 2)"),
    function!("right", 2, 2, string::right, "The last n characters of a string.", "RETURN right('graph', 2)"),
    function!("replace", 3, 3, string::replace, "A string with every occurrence of search replaced.", "RETURN replace('a-b-c', '-', '+')"),
    function!("normalize", 1, 2, unicode::normalize, "A string in a Unicode normal form: NFC (the default), NFD, NFKC or NFKD, written as a bare word.", "RETURN normalize('\\u212B', NFD)"),
    function!("split", 2, 2, string::split, "A string split at a delimiter (or any of a list of delimiters).", "RETURN split('a,b,c', ',')"),
    // ----- numbers -----
    function!("abs", 1, 1, math::abs, "The absolute value of a number.", "RETURN abs(-3)"),
    function!("ceil", 1, 1, math::ceil, "The smallest integral float not below a number.", "RETURN ceil(0.1)"),
    function!("floor", 1, 1, math::floor, "The largest integral float not above a number.", "RETURN floor(0.9)"),
    function!("round", 1, 3, neo4j::round, "A number rounded to the nearest integral float (ties toward positive infinity); with a precision, to that many decimals by a mode (default HALF_UP; also UP, DOWN, CEILING, FLOOR, HALF_DOWN, HALF_EVEN).", "RETURN round(3.14159, 2)"),
    function!("sign", 1, 1, math::sign, "-1, 0 or 1 by the sign of a number.", "RETURN sign(-4.2)"),
    function!("sqrt", 1, 1, math::sqrt, "The square root of a number (NaN for negatives).", "RETURN sqrt(16)"),
    function!("exp", 1, 1, math::exp, "e raised to a number.", "RETURN exp(1)"),
    function!("log", 1, 1, math::log, "The natural logarithm of a number.", "RETURN log(e())"),
    function!("log10", 1, 1, math::log10, "The base-10 logarithm of a number.", "RETURN log10(1000)"),
    function!("e", 0, 0, math::e, "Euler's number.", "RETURN e()"),
    function!("pi", 0, 0, math::pi, "The ratio of a circle's circumference to its diameter.", "RETURN pi()"),
    function!("sin", 1, 1, math::sin, "The sine of an angle in radians.", "RETURN sin(pi() / 2)"),
    function!("cos", 1, 1, math::cos, "The cosine of an angle in radians.", "RETURN cos(0)"),
    function!("tan", 1, 1, math::tan, "The tangent of an angle in radians.", "RETURN tan(pi() / 4)"),
    function!("cot", 1, 1, math::cot, "The cotangent of an angle in radians.", "RETURN cot(pi() / 4)"),
    function!("asin", 1, 1, math::asin, "The arcsine of a number, in radians.", "RETURN asin(1)"),
    function!("acos", 1, 1, math::acos, "The arccosine of a number, in radians.", "RETURN acos(1)"),
    function!("atan", 1, 1, math::atan, "The arctangent of a number, in radians.", "RETURN atan(1)"),
    function!("atan2", 2, 2, math::atan2, "The angle of the point (x, y) from atan2(y, x), in radians.", "RETURN atan2(1, 1)"),
    function!("haversin", 1, 1, math::haversin, "Half the versine of an angle in radians.", "RETURN haversin(pi())"),
    function!("degrees", 1, 1, math::degrees, "Radians converted to degrees.", "RETURN degrees(pi())"),
    function!("radians", 1, 1, math::radians, "Degrees converted to radians.", "RETURN radians(180)"),
    function!("rand", 0, 0, math::rand, "A random float in [0, 1).", "RETURN rand()"),
    function!("isnan", 1, 1, math::is_nan, "Whether a number is NaN.", "RETURN isNaN(0.0 / 0.0)"),
    // ----- temporal -----
    function!("date", 0, 1, temporal::date, "Today, or a date from a string, a map {year, month, day} or a temporal value.", "RETURN date('2025-02-10')"),
    function!("localtime", 0, 1, temporal::local_time, "Now, or a local time of day from a string, a map {hour, minute, …} or a temporal value.", "RETURN localtime('12:30')"),
    function!("time", 0, 1, temporal::time, "Now, or a time of day with offset from a string, a map {hour, …, timezone} or a temporal value.", "RETURN time('12:30+01:00')"),
    function!("localdatetime", 0, 1, temporal::local_datetime, "Now, or a local date-time from a string, a map or a temporal value.", "RETURN localdatetime('2025-02-10T12:30')"),
    function!("datetime", 0, 1, temporal::datetime, "Now, or a date-time with time zone from a string, a map {…, timezone} or a temporal value (UTC by default).", "RETURN datetime('2025-02-10T12:30:00+01:00')"),
    function!("date.realtime", 0, 1, temporal::date_realtime, "Today, in UTC or the given time zone.", "RETURN date.realtime('Europe/Stockholm')"),
    function!("date.statement", 0, 1, temporal::date_clock, "Today (as of the start of the statement), in UTC or the given time zone.", "RETURN date.statement()"),
    function!("date.transaction", 0, 1, temporal::date_clock, "Today, in UTC or the given time zone.", "RETURN date.transaction()"),
    function!("localtime.realtime", 0, 1, temporal::local_time_realtime, "The local time now, in UTC or the given time zone.", "RETURN localtime.realtime()"),
    function!("localtime.statement", 0, 1, temporal::local_time_clock, "The local time now, in UTC or the given time zone.", "RETURN localtime.statement()"),
    function!("localtime.transaction", 0, 1, temporal::local_time_clock, "The local time now, in UTC or the given time zone.", "RETURN localtime.transaction()"),
    function!("time.realtime", 0, 1, temporal::time_realtime, "The time now, in UTC or the given time zone.", "RETURN time.realtime()"),
    function!("time.statement", 0, 1, temporal::time_clock, "The time now, in UTC or the given time zone.", "RETURN time.statement()"),
    function!("time.transaction", 0, 1, temporal::time_clock, "The time now, in UTC or the given time zone.", "RETURN time.transaction()"),
    function!("localdatetime.realtime", 0, 1, temporal::local_datetime_realtime, "The local date-time now, in UTC or the given time zone.", "RETURN localdatetime.realtime()"),
    function!("localdatetime.statement", 0, 1, temporal::local_datetime_clock, "The local date-time now, in UTC or the given time zone.", "RETURN localdatetime.statement()"),
    function!("localdatetime.transaction", 0, 1, temporal::local_datetime_clock, "The local date-time now, in UTC or the given time zone.", "RETURN localdatetime.transaction()"),
    function!("datetime.fromepoch", 2, 2, temporal::datetime_from_epoch, "The UTC date-time a number of seconds and nanoseconds after the Unix epoch.", "RETURN datetime.fromepoch(1739190600, 0)"),
    function!("datetime.fromepochmillis", 1, 1, temporal::datetime_from_epoch_millis, "The UTC date-time a number of milliseconds after the Unix epoch.", "RETURN datetime.fromepochmillis(1739190600000)"),
    function!("datetime.realtime", 0, 1, temporal::datetime_realtime, "The date-time now, in UTC or the given time zone.", "RETURN datetime.realtime('Europe/Stockholm')"),
    function!("datetime.statement", 0, 1, temporal::datetime_clock, "The date-time now, in UTC or the given time zone.", "RETURN datetime.statement()"),
    function!("datetime.transaction", 0, 1, temporal::datetime_clock, "The date-time now, in UTC or the given time zone.", "RETURN datetime.transaction()"),
    function!("duration", 1, 1, temporal::duration, "A duration from an ISO 8601 string or a map {years, months, weeks, days, hours, minutes, seconds, …}.", "RETURN duration('P1Y2M3DT4H')"),
    function!("date.truncate", 2, 3, temporal::date_truncate, "A date cut down to a unit (millennium … day), adjusted by an optional map of fields.", "RETURN date.truncate('month', date('2025-02-10'))"),
    function!("localtime.truncate", 2, 3, temporal::local_time_truncate, "A local time cut down to a unit (day … microsecond), adjusted by an optional map.", "RETURN localtime.truncate('hour', localtime('12:34'))"),
    function!("time.truncate", 2, 3, temporal::time_truncate, "A time cut down to a unit (day … microsecond), adjusted by an optional map.", "RETURN time.truncate('hour', time('12:34+01:00'))"),
    function!("localdatetime.truncate", 2, 3, temporal::local_datetime_truncate, "A local date-time cut down to a unit (millennium … microsecond), adjusted by an optional map.", "RETURN localdatetime.truncate('day', localdatetime())"),
    function!("datetime.truncate", 2, 3, temporal::datetime_truncate, "A date-time cut down to a unit (millennium … microsecond), adjusted by an optional map (with timezone).", "RETURN datetime.truncate('day', datetime())"),
    function!("duration.between", 2, 2, temporal::duration_between, "The duration from one temporal value to another, in months, days and seconds.", "RETURN duration.between(date('2025-01-01'), date('2025-03-15'))"),
    function!("duration.inmonths", 2, 2, temporal::duration_in_months, "The whole months from one temporal value to another.", "RETURN duration.inMonths(date('2025-01-01'), date('2025-03-15'))"),
    function!("duration.indays", 2, 2, temporal::duration_in_days, "The whole days from one temporal value to another.", "RETURN duration.inDays(date('2025-01-01'), date('2025-03-15'))"),
    function!("duration.inseconds", 2, 2, temporal::duration_in_seconds, "The exact time from one temporal value to another, in seconds.", "RETURN duration.inSeconds(localtime('12:00'), localtime('13:30'))"),
];

// ----- helpers shared by the families -----

static NULL: Value = Value::Null;

/// Argument `i`, or `null` when there are fewer arguments.
fn arg(args: &[Value], i: usize) -> &Value {
    args.get(i).unwrap_or(&NULL)
}

/// `TypeError: InvalidArgumentType` for function `name` that expected
/// `expected` and got `got`.
fn type_error(name: &str, expected: &str, got: &Value) -> Error {
    Error::invalid_type(format!(
        "{name}() expects {expected}, got {}",
        got.type_name()
    ))
}

/// `ArithmeticError: IntegerOverflow` for `what`.
fn overflow(what: &str) -> Error {
    Error::arithmetic("IntegerOverflow", format!("integer overflow in {what}"))
}

/// `ArgumentError: NumberOutOfRange`.
fn out_of_range(message: impl Into<String>) -> Error {
    Error::argument("NumberOutOfRange", message)
}

/// `ArgumentError: InvalidArgumentValue`.
fn invalid_value(message: impl Into<String>) -> Error {
    Error::argument("InvalidArgumentValue", message)
}

/// `EntityNotFound: DeletedEntityAccess` for an entity no longer in the graph.
fn deleted(what: &str, index: usize) -> Error {
    Error::new(
        ErrorClass::EntityNotFound,
        "DeletedEntityAccess",
        format!("{what} #{index} has been deleted"),
    )
}

/// The integer argument `i` of `name`: `Ok(None)` for null, a type error
/// for anything but an integer.
fn int_arg(name: &str, args: &[Value], i: usize) -> Result<Option<i64>> {
    match arg(args, i) {
        Value::Null => Ok(None),
        Value::Int(n) => Ok(Some(*n)),
        other => Err(type_error(name, "an integer", other)),
    }
}

#[cfg(test)]
mod tests;

/// Test helper: calls the function `name` on `args` against an empty graph.
#[cfg(test)]
fn call(name: &str, args: Vec<Value>) -> Result<Value> {
    let graph = Graph::new();
    match lookup(name) {
        Some(f) => f.invoke(&args, &graph),
        None => Err(Error::semantic(
            "UnknownFunction",
            format!("no function {name}"),
        )),
    }
}
