//! `cargo xtask fn-length`: no hand-written function over [`LIMIT`] lines.
//!
//! A function is counted from the line of its `fn` keyword to the line of its closing brace
//! (attributes and doc comments above it do not count; a nested function counts within its
//! outer one too). The scan is a small lexer, not a parser: it skips comments (nested block
//! comments too), strings, raw strings, byte strings and char literals, so a brace in any of
//! them cannot end a body early.

use std::path::{Path, PathBuf};

use crate::{Result, root};

/// The longest a function may be, in lines.
const LIMIT: usize = 120;

/// Where the scanned code lives, relative to the workspace root.
const SOURCE_DIRS: [&str; 2] = ["src", "xtask/src"];

/// Every crate's `src` under this directory is scanned too.
const CRATES_DIR: &str = "crates";

/// Written by `cargo xtask catalogue`, not by hand.
const GENERATED: [&str; 1] = ["crates/vpcform-net/src/services/catalogue.rs"];

/// Functions still longer than [`LIMIT`], waiting for their split: `(path, function)`. Empty
/// since issue 23 split the last ones; it stays for a generated-looking function that cannot
/// be split, with its reason, and the check fails when an entry is [`LIMIT`] lines or fewer,
/// or gone, so it cannot go stale.
const ALLOWED: [(&str, &str); 1] = [
    // One arm per `SynthError` variant, its fix: a table, not logic. Kept whole because the
    // match is exhaustive, so a new variant without a fix does not compile; split by area, each
    // part would need a `_` arm and that guarantee would become a test's.
    ("crates/vpcform-net/src/error.rs", "SynthError::help"),
];

/// Scans the hand-written sources; fails naming each function over [`LIMIT`] lines and each
/// stale entry of [`ALLOWED`].
pub fn main(args: &[String]) -> Result {
    if let Some(arg) = args.first() {
        return Err(format!(
            "fn-length: unknown argument {arg:?}; usage: cargo xtask fn-length"
        ));
    }
    eprintln!("==> no function over {LIMIT} lines");
    let root = root();
    let mut files = Vec::new();
    for dir in crate_source_dirs(&root)?
        .into_iter()
        .chain(SOURCE_DIRS.iter().map(|d| root.join(d)))
    {
        rust_files(&dir, &mut files)?;
    }
    files.sort();
    let mut scanned = Vec::new();
    for file in &files {
        let path = relative(&root, file);
        if GENERATED.contains(&path.as_str()) {
            continue;
        }
        let source =
            std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        scanned.push((path, functions(&source)));
    }
    let count: usize = scanned.iter().map(|(_, f)| f.len()).sum();
    let problems = problems(&scanned, &ALLOWED);
    if problems.is_empty() {
        eprintln!(
            "fn-length: {count} functions in {} files, none over {LIMIT} lines but the {} allowed",
            scanned.len(),
            ALLOWED.len()
        );
        Ok(())
    } else {
        Err(format!("fn-length:\n  {}", problems.join("\n  ")))
    }
}

/// What is wrong in the scanned files: a function over [`LIMIT`] lines that `allowed` does
/// not name, and an entry of `allowed` that is not over [`LIMIT`] lines or not there at all.
fn problems(scanned: &[(String, Vec<Function>)], allowed: &[(&str, &str)]) -> Vec<String> {
    let mut problems = Vec::new();
    for (path, functions) in scanned {
        for function in functions {
            let listed = allowed.contains(&(path.as_str(), function.name.as_str()));
            if listed && function.lines <= LIMIT {
                problems.push(format!(
                    "{path}:{}: fn {} is {} lines now: take it off fn_length.rs's ALLOWED",
                    function.line, function.name, function.lines
                ));
            } else if !listed && function.lines > LIMIT {
                problems.push(format!(
                    "{path}:{}: fn {} is {} lines (limit {LIMIT}): split it",
                    function.line, function.name, function.lines
                ));
            }
        }
    }
    for (path, name) in allowed {
        let present = scanned
            .iter()
            .any(|(p, f)| p == path && f.iter().any(|f| f.name == *name));
        if !present {
            problems.push(format!(
                "{path}: fn {name} is in fn_length.rs's ALLOWED but not there: take it off"
            ));
        }
    }
    problems
}

/// `crates/<crate>/src` for each crate.
fn crate_source_dirs(root: &Path) -> Result<Vec<PathBuf>> {
    let crates = root.join(CRATES_DIR);
    Ok(std::fs::read_dir(&crates)
        .map_err(|e| format!("{}: {e}", crates.display()))?
        .flatten()
        .map(|e| e.path().join("src"))
        .filter(|p| p.is_dir())
        .collect())
}

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) -> Result {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, files)?;
        } else if path.extension().is_some_and(|x| x == "rs") {
            files.push(path);
        }
    }
    Ok(())
}

/// `file` relative to `root`, with `/` separators (the form [`ALLOWED`] uses).
fn relative(root: &Path, file: &Path) -> String {
    file.strip_prefix(root)
        .unwrap_or(file)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// A function with a body.
#[derive(Debug, PartialEq)]
struct Function {
    /// `name`, or `Type::name` for a function in an `impl` or `trait` block.
    name: String,
    /// The line of its `fn` keyword, from 1.
    line: usize,
    /// From the `fn` line to the closing brace's, both included.
    lines: usize,
}

/// What the lexer keeps of the code: names, lifetimes and punctuation, each with its line.
#[derive(Clone, Debug, PartialEq)]
enum Token {
    Ident(String),
    Lifetime,
    Punct(char),
}

/// The tokens of `source` that matter for finding functions, with their lines; comments and
/// literals are dropped whole.
fn tokens(source: &str) -> Vec<(Token, usize)> {
    let chars: Vec<char> = source.chars().collect();
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    // Advances over chars[from..to], counting the newlines passed.
    let skip = |from: usize, to: usize, line: &mut usize| -> usize {
        let to = to.min(chars.len());
        *line += chars[from.min(to)..to]
            .iter()
            .filter(|c| **c == '\n')
            .count();
        to
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            let end = chars[i..]
                .iter()
                .position(|c| *c == '\n')
                .map_or(chars.len(), |p| i + p);
            i = skip(i, end, &mut line);
        } else if c == '/' && next == Some('*') {
            let end = block_comment_end(&chars, i);
            i = skip(i, end, &mut line);
        } else if c == '"' {
            let end = string_end(&chars, i + 1);
            i = skip(i, end, &mut line);
        } else if c == '\'' {
            match char_literal_end(&chars, i) {
                Some(end) => i = skip(i, end, &mut line),
                None => {
                    out.push((Token::Lifetime, line));
                    i += 1;
                    while chars.get(i).is_some_and(|c| is_ident_char(*c)) {
                        i += 1;
                    }
                }
            }
        } else if is_ident_char(c) {
            let start = i;
            while chars.get(i).is_some_and(|c| is_ident_char(*c)) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            match literal_after_prefix(&chars, &word, i) {
                Some(end) => i = skip(i, end, &mut line),
                None => out.push((Token::Ident(word), line)),
            }
        } else {
            if c == '\n' {
                line += 1;
            } else if !c.is_whitespace() {
                out.push((Token::Punct(c), line));
            }
            i += 1;
        }
    }
    out
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Past the end of the block comment opening at `start`; block comments nest.
fn block_comment_end(chars: &[char], start: usize) -> usize {
    let mut depth = 0;
    let mut i = start;
    while i < chars.len() {
        match (chars[i], chars.get(i + 1)) {
            ('/', Some('*')) => {
                depth += 1;
                i += 2;
            }
            ('*', Some('/')) => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return i;
                }
            }
            _ => i += 1,
        }
    }
    chars.len()
}

/// Past the closing quote of a string whose text starts at `from`, escapes honoured.
fn string_end(chars: &[char], from: usize) -> usize {
    let mut i = from;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '"' => return i + 1,
            _ => i += 1,
        }
    }
    chars.len()
}

/// Past a char literal opening at `start` (`'{'`, `'\''`, `'\u{7b}'`), or `None` for a
/// lifetime or loop label (`'a`, `'pages:`).
fn char_literal_end(chars: &[char], start: usize) -> Option<usize> {
    match (chars.get(start + 1), chars.get(start + 2)) {
        (Some('\\'), _) => {
            let close = chars[start + 3..].iter().position(|c| *c == '\'')?;
            Some(start + 3 + close + 1)
        }
        (Some(_), Some('\'')) => Some(start + 3),
        _ => None,
    }
}

/// When `word` (ending at `at`) is a literal's prefix — `b"…"`, `b'…'`, `c"…"`, `r"…"`,
/// `r#"…"#`, `br#"…"#` —, past the end of the literal.
fn literal_after_prefix(chars: &[char], word: &str, at: usize) -> Option<usize> {
    match (word, chars.get(at)) {
        ("b" | "c", Some('"')) => Some(string_end(chars, at + 1)),
        ("b", Some('\'')) => char_literal_end(chars, at),
        ("r" | "br" | "cr", Some('"' | '#')) => {
            let hashes = chars[at..].iter().take_while(|c| **c == '#').count();
            if chars.get(at + hashes) != Some(&'"') {
                return None; // a raw identifier, `r#fn`
            }
            let mut i = at + hashes + 1;
            while i < chars.len() {
                if chars[i] == '"'
                    && chars[i + 1..].iter().take_while(|c| **c == '#').count() >= hashes
                {
                    return Some(i + 1 + hashes);
                }
                i += 1;
            }
            Some(chars.len())
        }
        _ => None,
    }
}

/// The functions with bodies in `source`, in order; a function inside an `impl` or `trait`
/// block is named after the block's type.
fn functions(source: &str) -> Vec<Function> {
    let tokens = tokens(source);
    let mut found = Vec::new();
    // (brace depth inside the block, its type) for each open impl or trait block.
    let mut blocks: Vec<(usize, String)> = Vec::new();
    let mut pending_block: Option<String> = None;
    let mut depth = 0;
    for (i, (token, line)) in tokens.iter().enumerate() {
        match token {
            Token::Punct('{') => {
                depth += 1;
                if let Some(name) = pending_block.take() {
                    blocks.push((depth, name));
                }
            }
            Token::Punct('}') => {
                if blocks.last().is_some_and(|(d, _)| *d == depth) {
                    blocks.pop();
                }
                depth = depth.saturating_sub(1);
            }
            Token::Ident(word) if word == "impl" && at_item_start(&tokens, i) => {
                pending_block = Some(impl_type(&tokens[i + 1..]));
            }
            Token::Ident(word) if word == "trait" && at_item_start(&tokens, i) => {
                if let Some((Token::Ident(name), _)) = tokens.get(i + 1) {
                    pending_block = Some(name.clone());
                }
            }
            Token::Ident(word) if word == "fn" => {
                let Some((Token::Ident(name), _)) = tokens.get(i + 1) else {
                    continue; // a function pointer type, `fn(u8) -> u8`
                };
                if let Some(end) = body_end(&tokens, i + 2) {
                    let name = match blocks.last() {
                        Some((_, block)) => format!("{block}::{name}"),
                        None => name.clone(),
                    };
                    found.push(Function {
                        name,
                        line: *line,
                        lines: end - line + 1,
                    });
                }
            }
            _ => {}
        }
    }
    found
}

/// Whether the keyword at `i` starts an item (`impl Trait for T {`), not a type
/// (`-> impl Iterator`, `x: impl Fn()`).
fn at_item_start(tokens: &[(Token, usize)], i: usize) -> bool {
    match i.checked_sub(1).map(|p| &tokens[p].0) {
        None => true,
        Some(Token::Punct(c)) => matches!(c, '{' | '}' | ';' | ']'),
        Some(Token::Ident(word)) => matches!(word.as_str(), "unsafe" | "default" | "pub"),
        Some(Token::Lifetime) => false,
    }
}

/// The self type's name of an impl block, from the tokens after `impl`: the last path
/// segment after `for` if there is one, else the first type.
fn impl_type(after_impl: &[(Token, usize)]) -> String {
    let mut angle = 0i32;
    let mut start = 0;
    let mut end = after_impl.len();
    for (i, (token, _)) in after_impl.iter().enumerate() {
        match token {
            Token::Punct('<') => angle += 1,
            Token::Punct('>') => angle -= 1,
            Token::Punct('{') | Token::Punct(';') if angle == 0 => {
                end = i;
                break;
            }
            Token::Ident(word) if word == "where" && angle == 0 => {
                end = i;
                break;
            }
            Token::Ident(word) if word == "for" && angle == 0 => start = i + 1,
            _ => {}
        }
    }
    // Skip the impl's own generics when there is no `for`.
    let mut tokens = after_impl[start..end].iter().map(|(t, _)| t).peekable();
    if start == 0 && tokens.peek() == Some(&&Token::Punct('<')) {
        let mut angle = 0;
        for token in tokens.by_ref() {
            match token {
                Token::Punct('<') => angle += 1,
                Token::Punct('>') => angle -= 1,
                _ => {}
            }
            if angle == 0 {
                break;
            }
        }
    }
    let mut name = String::new();
    for token in tokens {
        match token {
            Token::Ident(word) if !matches!(word.as_str(), "dyn" | "mut") => name = word.clone(),
            Token::Punct(':' | '&') | Token::Lifetime | Token::Ident(_) => {}
            _ => break,
        }
    }
    name
}

/// The line of the closing brace of the body of the function whose signature starts at
/// `from`, or `None` for a function without one (`fn f();` in a trait).
fn body_end(tokens: &[(Token, usize)], from: usize) -> Option<usize> {
    let mut nesting = 0i32;
    let mut open = None;
    for (i, (token, _)) in tokens.iter().enumerate().skip(from) {
        match token {
            Token::Punct('(' | '[') => nesting += 1,
            Token::Punct(')' | ']') => nesting -= 1,
            Token::Punct(';') if nesting == 0 => return None,
            Token::Punct('{') if nesting == 0 => {
                open = Some(i);
                break;
            }
            _ => {}
        }
    }
    let mut depth = 0;
    for (token, line) in &tokens[open?..] {
        match token {
            Token::Punct('{') => depth += 1,
            Token::Punct('}') => {
                depth -= 1;
                if depth == 0 {
                    return Some(*line);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lengths(source: &str) -> Vec<(String, usize, usize)> {
        functions(source)
            .into_iter()
            .map(|f| (f.name, f.line, f.lines))
            .collect()
    }

    #[test]
    fn braces_in_strings_chars_and_comments_do_not_count() {
        let source = r####"
fn a() {
    let s = "}}} \" }";
    let r = r#"}" }"#;
    let rr = r##"}"# }"##;
    let b = b"}";
    let c = '}';
    let q = '\'';
    let u = '\u{7d}';
    let bc = b'}';
    // }
    /* } /* nested } */ } */
    'outer: loop { break 'outer; }
}
fn b<'x>(v: &'x str) -> &'x str {
    v
}
"####;
        assert_eq!(
            lengths(source),
            vec![("a".to_string(), 2, 13), ("b".to_string(), 15, 3)]
        );
    }

    #[test]
    fn nested_functions_and_methods_are_found_and_named() {
        let source = "\
impl<T: Clone> Thing for Wrapper<T> where T: Copy {
    fn outer(&self) -> impl Fn() {
        fn inner() {}
        || {}
    }
}
trait Shape {
    fn area(&self) -> f64;
    fn twice(&self) -> f64 {
        2.0 * self.area()
    }
}
impl Model {
    pub fn new(cells: [u8; 3], f: fn(u8) -> u8) -> Self {
        Model
    }
}
";
        assert_eq!(
            lengths(source),
            vec![
                ("Wrapper::outer".to_string(), 2, 4),
                ("Wrapper::inner".to_string(), 3, 1),
                ("Shape::twice".to_string(), 9, 3),
                ("Model::new".to_string(), 14, 3),
            ]
        );
    }

    #[test]
    fn a_long_function_is_measured_from_its_fn_line_to_its_closing_brace() {
        let body = "    let _ = 1;\n".repeat(LIMIT);
        let source = format!("/// Docs do not count.\n#[inline]\nfn long() {{\n{body}}}\n");
        let found = functions(&source);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].line, 3);
        assert_eq!(found[0].lines, LIMIT + 2);
        assert!(found[0].lines > LIMIT);
    }

    #[test]
    fn a_long_function_fails_unless_allowed_and_the_allowed_list_cannot_go_stale() {
        let function = |name: &str, lines| Function {
            name: name.to_string(),
            line: 7,
            lines,
        };
        let scanned = vec![(
            "crates/a/src/lib.rs".to_string(),
            vec![
                function("long", LIMIT + 1),
                function("T::still_long", LIMIT + 30),
                function("split", LIMIT),
                function("fine", 3),
            ],
        )];
        let allowed = [
            ("crates/a/src/lib.rs", "T::still_long"),
            ("crates/a/src/lib.rs", "split"),
            ("crates/a/src/moved.rs", "gone"),
        ];
        assert_eq!(
            problems(&scanned, &allowed),
            vec![
                format!("crates/a/src/lib.rs:7: fn long is {} lines (limit {LIMIT}): split it", LIMIT + 1),
                format!("crates/a/src/lib.rs:7: fn split is {LIMIT} lines now: take it off fn_length.rs's ALLOWED"),
                "crates/a/src/moved.rs: fn gone is in fn_length.rs's ALLOWED but not there: take it off".to_string(),
            ]
        );
        assert!(problems(&scanned[..0], &[]).is_empty());
    }

    #[test]
    fn the_allowed_list_names_only_long_functions_of_the_network_crate() {
        for (path, _) in ALLOWED {
            assert!(path.starts_with("crates/vpcform-net/src/"), "{path}");
        }
    }
}
