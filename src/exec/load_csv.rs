//! `LOAD CSV`: resolves a `file:///` URL inside the import directory
//! (never outside it, never over the network) and streams the records of
//! the file as rows: lists of strings, or maps keyed by the header with
//! `WITH HEADERS`. Empty fields are null.

use std::collections::BTreeMap;
use std::iter;
use std::path::{Component, Path, PathBuf};

use super::eval::eval;
use super::{Ctx, Row, Rows};
use crate::error::{Error, ErrorClass, Result};
use crate::plan::LoadCsvSpec;
use crate::value::Value;

/// The rows `LOAD CSV` gives for one input row.
pub fn rows<'a>(row: Row, spec: &'a LoadCsvSpec, ctx: &'a Ctx<'a>) -> Rows<'a> {
    match open(&row, spec, ctx) {
        Ok(records) => records,
        Err(e) => Box::new(iter::once(Err(e))),
    }
}

fn open<'a>(row: &Row, spec: &'a LoadCsvSpec, ctx: &'a Ctx<'a>) -> Result<Rows<'a>> {
    let url = match eval(&spec.url, row, ctx)? {
        Value::String(s) => s,
        other => {
            return Err(Error::invalid_type(format!(
                "LOAD CSV FROM needs a URL string, got {}",
                other.type_name()
            )));
        }
    };
    let base = match &spec.import_dir {
        Some(dir) => dir.clone(),
        None => std::env::current_dir().map_err(|e| Error::io(".", &e))?,
    };
    let path = resolve(&url, &base)?;
    let shown = path.display().to_string();
    let reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(spec.terminator)
        .from_path(&path)
        .map_err(|e| csv_error(&shown, &e))?;
    let mut records = reader.into_records();
    let header: Option<Vec<String>> = if spec.headers {
        match records.next() {
            Some(first) => Some(
                first
                    .map_err(|e| csv_error(&shown, &e))?
                    .iter()
                    .map(str::to_string)
                    .collect(),
            ),
            None => return Ok(Box::new(iter::empty())),
        }
    } else {
        None
    };
    let file = Value::string(&shown);
    let row = row.clone();
    Ok(Box::new(records.map(move |record| {
        ctx.check()?;
        let record = record.map_err(|e| csv_error(&shown, &e))?;
        let line = record.position().map_or(0, |p| p.line());
        let field = |s: &str| {
            if s.is_empty() {
                Value::Null
            } else {
                Value::string(s)
            }
        };
        let value = match &header {
            Some(names) => {
                let mut map = BTreeMap::new();
                for (i, name) in names.iter().enumerate() {
                    map.insert(name.clone(), record.get(i).map_or(Value::Null, field));
                }
                Value::Map(map)
            }
            None => Value::List(record.iter().map(field).collect()),
        };
        let mut out = row.clone();
        out[spec.slot] = value;
        out[spec.line_slot] = Value::Int(i64::try_from(line).unwrap_or(i64::MAX));
        out[spec.file_slot] = file.clone();
        Ok(out)
    })))
}

/// The file a `file:///…` URL names inside `base`; anything else, or a
/// path leaving `base` (by `..` or a symbolic link), is refused.
pub fn resolve(url: &str, base: &Path) -> Result<PathBuf> {
    let refused = |why: String| Error::new(ErrorClass::ArgumentError, "LoadCsvUrlRefused", why);
    let Some(rest) = url
        .get(..5)
        .filter(|scheme| scheme.eq_ignore_ascii_case("file:"))
        .map(|_| &url[5..])
    else {
        return Err(refused(if url.contains("://") {
            format!("LOAD CSV reads files of the import directory only; the URL '{url}' is refused")
        } else {
            format!("LOAD CSV needs a URL such as 'file:///data.csv', got '{url}'")
        }));
    };
    let relative = Path::new(rest.trim_start_matches('/'));
    if rest.starts_with("//") && !rest.starts_with("///") {
        return Err(refused(format!(
            "'{url}' names another host; use file:///path"
        )));
    }
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
        || relative.as_os_str().is_empty()
    {
        return Err(refused(format!(
            "'{url}' must name a file inside the import directory (no `..`)"
        )));
    }
    let base = base
        .canonicalize()
        .map_err(|e| Error::io(&base.display().to_string(), &e))?;
    let full = base.join(relative);
    let canonical = full
        .canonicalize()
        .map_err(|e| Error::io(&full.display().to_string(), &e))?;
    if !canonical.starts_with(&base) {
        return Err(refused(format!(
            "'{url}' leads outside the import directory {}",
            base.display()
        )));
    }
    Ok(canonical)
}

fn csv_error(path: &str, e: &csv::Error) -> Error {
    Error::new(
        ErrorClass::FormatError,
        "InvalidCsv",
        format!("LOAD CSV could not read {path}: {e}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_stay_inside_the_import_directory() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.csv"), "x\n").unwrap();
        assert!(resolve("file:///a.csv", dir.path()).is_ok());
        assert!(resolve("FILE:///a.csv", dir.path()).is_ok());
        for bad in [
            "file:///../a.csv",
            "file:///sub/../../a.csv",
            "https://example.com/a.csv",
            "a.csv",
            "file://host/a.csv",
            "file:///",
        ] {
            let err = resolve(bad, dir.path()).unwrap_err();
            assert_eq!(err.code, "LoadCsvUrlRefused", "{bad}: {err}");
        }
        assert_eq!(
            resolve("file:///missing.csv", dir.path())
                .unwrap_err()
                .class,
            ErrorClass::IoError
        );
    }
}
