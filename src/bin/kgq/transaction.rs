//! `BEGIN`, `COMMIT` and `ROLLBACK` in scripts and the shell: statements of
//! their own (not part of the query language) that open, keep or undo a
//! multi-statement transaction of the session or store.

/// A transaction command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// `BEGIN` (also `BEGIN TRANSACTION`, `START TRANSACTION`).
    Begin,
    /// `COMMIT` (also `COMMIT TRANSACTION`).
    Commit,
    /// `ROLLBACK` (also `ROLLBACK TRANSACTION`).
    Rollback,
}

impl Command {
    /// The command `text` is (a statement without its `;`), if it is one;
    /// case and spacing do not matter.
    pub fn of(text: &str) -> Option<Command> {
        let words: Vec<String> = text
            .split_whitespace()
            .map(str::to_ascii_uppercase)
            .collect();
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        match words.as_slice() {
            ["BEGIN"] | ["BEGIN", "TRANSACTION"] | ["START", "TRANSACTION"] => Some(Command::Begin),
            ["COMMIT"] | ["COMMIT", "TRANSACTION"] => Some(Command::Commit),
            ["ROLLBACK"] | ["ROLLBACK", "TRANSACTION"] => Some(Command::Rollback),
            _ => None,
        }
    }

    /// What the shell and a table-format run say after it succeeded.
    pub fn done(self) -> &'static str {
        match self {
            Command::Begin => "Transaction open: COMMIT keeps its statements, ROLLBACK undoes them",
            Command::Commit => "Committed",
            Command::Rollback => "Rolled back: the transaction's statements are undone",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_the_commands_and_nothing_else() {
        assert_eq!(Command::of("begin"), Some(Command::Begin));
        assert_eq!(Command::of("  BEGIN\n TRANSACTION "), Some(Command::Begin));
        assert_eq!(Command::of("Commit"), Some(Command::Commit));
        assert_eq!(Command::of("ROLLBACK"), Some(Command::Rollback));
        assert_eq!(Command::of("RETURN 1"), None);
        assert_eq!(Command::of("BEGIN RETURN 1"), None);
        assert_eq!(Command::of(""), None);
    }
}
