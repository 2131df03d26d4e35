//! A CSV reader for RFC 4180 text: quoted fields with doubled quotes, delimiters and
//! line breaks inside quotes, CRLF or LF line ends, an optional UTF-8 byte-order mark,
//! and any one-character delimiter.

// Input from files and from JS reaches this module: it must return errors, never panic.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

use crate::error::{Error, Result};

/// One data row with the 1-based line on which it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvRow {
    /// Line number in the file, counting the header.
    pub line: usize,
    /// The fields, unquoted.
    pub fields: Vec<String>,
}

/// Parses `text` into rows; blank lines are skipped. `file` names the input in errors.
pub fn parse(file: &str, text: &str, delimiter: char) -> Result<Vec<CsvRow>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rows = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut in_quotes = false;
    let mut quoted = false;
    let mut line = 1;
    let mut row_line = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                '\n' => {
                    line += 1;
                    field.push(c);
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() && !quoted => {
                in_quotes = true;
                quoted = true;
            }
            c if c == delimiter => {
                fields.push(std::mem::take(&mut field));
                quoted = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                fields.push(std::mem::take(&mut field));
                quoted = false;
                push_row(&mut rows, &mut fields, row_line);
                line += 1;
                row_line = line;
            }
            _ => field.push(c),
        }
    }
    if in_quotes {
        return Err(Error::InvalidData {
            file: file.to_string(),
            line: row_line,
            column: None,
            message: "unterminated quoted field: a quote opened here is never closed".to_string(),
        });
    }
    if !field.is_empty() || !fields.is_empty() || quoted {
        fields.push(field);
        push_row(&mut rows, &mut fields, row_line);
    }
    Ok(rows)
}

fn push_row(rows: &mut Vec<CsvRow>, fields: &mut Vec<String>, line: usize) {
    let row = std::mem::take(fields);
    if row.len() == 1 && row.first().is_some_and(|field| field.is_empty()) {
        return;
    }
    rows.push(CsvRow { line, fields: row });
}

/// Decodes file bytes as UTF-8, or as Latin-1 (ISO-8859-1) when they are not valid
/// UTF-8, since every byte sequence is valid Latin-1.
pub fn decode(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => bytes.iter().map(|&b| b as char).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(rows: &[CsvRow]) -> Vec<Vec<&str>> {
        rows.iter()
            .map(|r| r.fields.iter().map(String::as_str).collect())
            .collect()
    }

    #[test]
    fn quotes_commas_and_newlines() {
        let text = "\u{feff}a,b,c\r\n1,\"x, \"\"y\"\"\",\"two\nlines\"\r\n\r\n2,,last";
        let rows = parse("t.csv", text, ',').unwrap();
        assert_eq!(
            fields(&rows),
            vec![
                vec!["a", "b", "c"],
                vec!["1", "x, \"y\"", "two\nlines"],
                vec!["2", "", "last"]
            ]
        );
        assert_eq!(
            rows.iter().map(|r| r.line).collect::<Vec<_>>(),
            vec![1, 2, 5]
        );
    }

    #[test]
    fn tab_and_pipe_delimiters() {
        assert_eq!(
            fields(&parse("u.data", "196\t242\t3\n", '\t').unwrap()),
            vec![vec!["196", "242", "3"]]
        );
        assert_eq!(
            fields(&parse("u.item", "1|Toy Story||x\n", '|').unwrap()),
            vec![vec!["1", "Toy Story", "", "x"]]
        );
    }

    #[test]
    fn unterminated_quote_names_the_line() {
        let err = parse("events.csv", "a,b\n1,\"open\n2,3\n", ',').unwrap_err();
        assert_eq!(
            err.to_string(),
            "events.csv line 2: unterminated quoted field: a quote opened here is never closed"
        );
    }

    #[test]
    fn latin1_fallback() {
        assert_eq!(decode(b"caf\xe9"), "café");
        assert_eq!(decode("café".as_bytes()), "café");
    }
}
