//! `cargo xtask layers`: the modules of `vpcform-net` import only from their own layer and the
//! layers below it, in the order `crates/vpcform-net/LAYERS` declares.
//!
//! A text scan, not a parser (xtask builds in seconds): comments, string and char literals are
//! blanked first, then every `crate::` and `$crate::` path is mapped to the top-level module it
//! names. A path through a name the crate root re-exports (`crate::SynthError`) or an exported
//! macro (`crate::topology!`) is followed to the module that defines it, read off `lib.rs`'s
//! `pub use`s and the `#[macro_export]`s. A macro's body is checked where it is written: a
//! `$crate::` path counts against the defining module, whichever module expands it, so a macro
//! cannot carry an upward import into its callers. `#[cfg(test)] mod` bodies are not checked
//! (tests use the whole crate), and `super::`/`self::` never leave a top-level module (a
//! directory, such as `constructs/`, is one module).

use std::collections::HashMap;
use std::path::Path;

use crate::Result;

/// The declared order: layer names bottom to top, and each top-level module's layer.
#[derive(Debug)]
pub(crate) struct Layers {
    names: Vec<String>,
    of_module: HashMap<String, usize>,
}

impl Layers {
    /// Parses `layer: module module …` lines, bottom layer first; `#` starts a comment.
    pub(crate) fn parse(text: &str) -> Result<Layers> {
        let mut layers = Layers {
            names: Vec::new(),
            of_module: HashMap::new(),
        };
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let (name, modules) = line
                .split_once(':')
                .ok_or_else(|| format!("LAYERS line {}: expected `layer: modules…`", n + 1))?;
            let index = layers.names.len();
            layers.names.push(name.trim().to_string());
            for module in modules.split_whitespace() {
                if layers.of_module.insert(module.to_string(), index).is_some() {
                    return Err(format!("LAYERS line {}: `{module}` listed twice", n + 1));
                }
            }
        }
        Ok(layers)
    }
}

/// An import from a layer above the importing module's.
#[derive(Debug, PartialEq)]
pub(crate) struct Violation {
    pub(crate) file: String,
    pub(crate) line: usize,
    pub(crate) import: String,
    pub(crate) module: String,
    pub(crate) layer: String,
    pub(crate) target: String,
    pub(crate) target_layer: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: `{}` (layer {}) imports `{}` from `{}` (layer {}), a layer above its own",
            self.file,
            self.line,
            self.module,
            self.layer,
            self.import,
            self.target,
            self.target_layer
        )
    }
}

/// `cargo xtask layers`: checks `crates/vpcform-net/src` against `crates/vpcform-net/LAYERS`.
pub(crate) fn main() -> Result {
    let krate = crate::root().join("crates/vpcform-net");
    let layers_file = krate.join("LAYERS");
    let text = std::fs::read_to_string(&layers_file)
        .map_err(|e| format!("{}: {e}", layers_file.display()))?;
    let layers = Layers::parse(&text)?;
    let src = krate.join("src");
    let mut files = Vec::new();
    collect(&src, &src, &mut files)?;
    files.sort();
    let problems = check(&layers, &files)?;
    if problems.is_empty() {
        eprintln!(
            "layers: {} files of vpcform-net import only downwards ({})",
            files.len(),
            layers.names.join(" < ")
        );
        return Ok(());
    }
    for p in &problems {
        eprintln!("crates/vpcform-net/src/{p}");
    }
    Err(format!(
        "{} upward import(s) in vpcform-net (order: crates/vpcform-net/LAYERS)",
        problems.len()
    ))
}

/// Whether some file belongs to top-level module `module`.
fn files_have_module(files: &[(String, String)], module: &str) -> bool {
    files.iter().any(|(f, _)| module_of(f) == module)
}

/// Every `.rs` file under `dir`, as (path relative to `src`, text).
fn collect(src: &Path, dir: &Path, files: &mut Vec<(String, String)>) -> Result {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(src, &path, files)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text =
                std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let relative = path.strip_prefix(src).unwrap_or(&path);
            files.push((relative.to_string_lossy().replace('\\', "/"), text));
        }
    }
    Ok(())
}

/// The top-level module a file belongs to: `lib.rs` is `lib`, `a.rs` and `a/…` are `a`.
fn module_of(file: &str) -> String {
    let first = file.split('/').next().unwrap_or(file);
    first.strip_suffix(".rs").unwrap_or(first).to_string()
}

/// Checks `files` (path relative to `src`, text; `lib.rs` among them) against `layers`.
pub(crate) fn check(layers: &Layers, files: &[(String, String)]) -> Result<Vec<Violation>> {
    let blanked: Vec<(&str, String)> = files
        .iter()
        .map(|(file, text)| (file.as_str(), blank(text)))
        .collect();
    // Names reachable at the crate root: re-exports and exported macros, to their modules.
    let mut roots: HashMap<String, String> = HashMap::new();
    for (file, text) in &blanked {
        for name in exported_macros(text) {
            roots.insert(name, module_of(file));
        }
        if *file == "lib.rs" {
            // The first wins: the prelude re-exports names again through the root's own
            // modules (`crate::vpc::Az`), which lead nowhere new.
            for (name, module) in root_reexports(text) {
                roots.entry(name).or_insert(module);
            }
        }
    }
    let mut problems = Vec::new();
    for (file, text) in &blanked {
        let module = module_of(file);
        let Some(&own) = layers.of_module.get(&module) else {
            return Err(format!(
                "{file}: module `{module}` is in no layer of crates/vpcform-net/LAYERS"
            ));
        };
        let text = without_test_modules(text);
        let exported = exported_macro_bodies(&text);
        for (at, import) in crate_paths(&text) {
            // An exported macro expands in the user's crate, where only public paths (the root's
            // modules) resolve: its `$crate::` paths are the public API, not an import of ours.
            if import.starts_with("$crate::") && exported.iter().any(|r| r.contains(&at)) {
                continue;
            }
            let line = text[..at].matches('\n').count() + 1;
            for first in first_segments(&import) {
                let target = if layers.of_module.contains_key(&first) {
                    first.clone()
                } else if let Some(m) = roots.get(&first) {
                    if !layers.of_module.contains_key(m) && !files_have_module(files, m) {
                        // A re-export of another crate (`crate::Value`): no layer of ours.
                        continue;
                    }
                    m.clone()
                } else {
                    return Err(format!(
                        "{file}:{line}: `{import}`: `{first}` is neither a module nor a name \
                         the crate root re-exports"
                    ));
                };
                let Some(&theirs) = layers.of_module.get(&target) else {
                    return Err(format!(
                        "{file}:{line}: `{import}` leads to module `{target}`, in no layer"
                    ));
                };
                if theirs > own {
                    problems.push(Violation {
                        file: file.to_string(),
                        line,
                        import: import.clone(),
                        module: module.clone(),
                        layer: layers.names[own].clone(),
                        target,
                        target_layer: layers.names[theirs].clone(),
                    });
                }
            }
        }
    }
    Ok(problems)
}

/// The text with comments, string literals and char literals replaced by spaces (newlines
/// kept, so byte offsets and line numbers stay those of the file).
fn blank(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let keep = |c: char| if c == '\n' { '\n' } else { ' ' };
    // Pushes `c` blanked, as many bytes wide as it is, so offsets match the original.
    let push_blank = |out: &mut String, c: char| {
        for _ in 0..c.len_utf8() {
            out.push(keep(c));
        }
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                push_blank(&mut out, chars[i]);
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    push_blank(&mut out, '/');
                    push_blank(&mut out, '*');
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    push_blank(&mut out, '*');
                    push_blank(&mut out, '/');
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    push_blank(&mut out, chars[i]);
                    i += 1;
                }
            }
        } else if c == 'r'
            && matches!(next, Some('"') | Some('#'))
            && (!prev_is_ident(&chars, i) || (chars[i - 1] == 'b' && !prev_is_ident(&chars, i - 1)))
            && raw_string_hashes(&chars, i + 1).is_some()
        {
            // r"…", r#"…"#: ends at a quote followed by as many hashes.
            let hashes = raw_string_hashes(&chars, i + 1).unwrap_or(0);
            let start = i;
            i += 2 + hashes;
            while i < chars.len() {
                if chars[i] == '"' && (1..=hashes).all(|k| chars.get(i + k) == Some(&'#')) {
                    i += 1 + hashes;
                    break;
                }
                i += 1;
            }
            for &ch in &chars[start..i.min(chars.len())] {
                push_blank(&mut out, ch);
            }
        } else if c == '"' {
            push_blank(&mut out, c);
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' && i + 1 < chars.len() {
                    push_blank(&mut out, chars[i]);
                    i += 1;
                }
                push_blank(&mut out, chars[i]);
                i += 1;
            }
            if i < chars.len() {
                push_blank(&mut out, chars[i]);
                i += 1;
            }
        } else if c == '\'' {
            // A char literal ('x', '\n', '\u{7f}'), not a lifetime ('a).
            let end = if next == Some('\\') {
                (i + 2..chars.len()).find(|&k| chars[k] == '\'' && k > i + 2)
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            match end {
                Some(end) => {
                    for &ch in &chars[i..=end] {
                        push_blank(&mut out, ch);
                    }
                    i = end + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn prev_is_ident(chars: &[char], i: usize) -> bool {
    i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')
}

/// After an `r`: the number of `#`s when a raw string starts here.
fn raw_string_hashes(chars: &[char], from: usize) -> Option<usize> {
    let hashes = chars[from..].iter().take_while(|&&c| c == '#').count();
    (chars.get(from + hashes) == Some(&'"')).then_some(hashes)
}

/// The (blanked) text with every `#[cfg(test)] mod name { … }` body blanked too.
fn without_test_modules(text: &str) -> String {
    let mut out = text.to_string();
    let mut from = 0;
    while let Some(found) = out[from..].find("#[cfg(test)]") {
        let start = from + found;
        let after = start + "#[cfg(test)]".len();
        let rest = out[after..].trim_start();
        let Some(open) = rest
            .strip_prefix("mod ")
            .and_then(|r| r.find(['{', ';']))
            .filter(|&k| rest[4 + k..].starts_with('{'))
        else {
            from = after;
            continue;
        };
        let open = after + (out[after..].len() - rest.len()) + 4 + open;
        let mut depth = 0;
        let mut end = out.len();
        for (k, c) in out[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + k + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        let blanked: String = out[start..end]
            .chars()
            .map(|c| if c == '\n' { '\n' } else { ' ' })
            .collect();
        out.replace_range(start..end, &blanked);
        from = end;
    }
    out
}

/// Every `crate::…` and `$crate::…` path: its offset and its text up to the end of the path
/// (a `{…}` group included).
fn crate_paths(text: &str) -> Vec<(usize, String)> {
    let bytes = text.as_bytes();
    let mut paths = Vec::new();
    let mut from = 0;
    while let Some(found) = text[from..].find("crate::") {
        let at = from + found;
        from = at + "crate::".len();
        let before = at.checked_sub(1).map(|k| bytes[k]);
        // `pub(crate)` is followed by a space, never `::`; `$crate` is a macro's crate.
        if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_') {
            continue;
        }
        let mut end = from;
        let mut depth = 0usize;
        while end < bytes.len() {
            let b = bytes[end];
            let path_char = b.is_ascii_alphanumeric() || b == b'_' || b == b':' || b == b'*';
            if b == b'{' {
                depth += 1;
            } else if b == b'}' {
                if depth == 0 {
                    break;
                }
                depth -= 1;
                if depth == 0 {
                    end += 1;
                    break;
                }
            } else if depth == 0 && !path_char {
                break;
            }
            end += 1;
        }
        let start = if before == Some(b'$') { at - 1 } else { at };
        paths.push((at, text[start..end].to_string()));
    }
    paths
}

/// The names right after `crate::`: one, or each of a root `{…}` group's.
fn first_segments(path: &str) -> Vec<String> {
    let rest = path.split_once("crate::").map_or("", |(_, r)| r).trim();
    let Some(group) = rest.strip_prefix('{') else {
        let first: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        return vec![first];
    };
    let group = group.strip_suffix('}').unwrap_or(group);
    let mut names = Vec::new();
    let mut depth = 0;
    let mut item = String::new();
    for c in group.chars().chain([',']) {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                let first: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !first.is_empty() && first != "self" {
                    names.push(first);
                }
                item.clear();
                continue;
            }
            _ => {}
        }
        item.push(c);
    }
    names
}

/// Names of `#[macro_export]` macros (reached as `crate::name!`).
fn exported_macros(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("#[macro_export]") {
        rest = &rest[at + "#[macro_export]".len()..];
        if let Some(r) = rest.trim_start().strip_prefix("macro_rules!") {
            let name: String = r
                .trim_start()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            names.push(name);
        }
    }
    names
}

/// The byte ranges of the bodies of `#[macro_export]` macros in (blanked) `text`.
fn exported_macro_bodies(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut bodies = Vec::new();
    let mut from = 0;
    while let Some(found) = text[from..].find("#[macro_export]") {
        let start = from + found;
        from = start + "#[macro_export]".len();
        let Some(open) = text[from..].find('{').map(|k| from + k) else {
            break;
        };
        let mut depth = 0;
        let mut end = text.len();
        for (k, c) in text[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + k + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        bodies.push(open..end);
        from = end;
    }
    bodies
}

/// `pub use module::…::{A, B as C};` at the crate root: each name (or alias) with the module.
fn root_reexports(lib: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for statement in lib.split(';') {
        // `pub use` and the crate-internal shorthands (`pub(crate) use`) alike.
        let Some((at, len)) = ["pub use ", "pub(crate) use "]
            .iter()
            .filter_map(|p| statement.find(p).map(|at| (at, p.len())))
            .min()
        else {
            continue;
        };
        let path = statement[at + len..].trim();
        let path = path.strip_prefix("crate::").unwrap_or(path);
        let module: String = path
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if module.is_empty() {
            // `pub use crate::{A, B}` (the prelude) re-exports root names: nothing new.
            continue;
        }
        // Each leaf's name (`X as Y` is named `Y`); the `module::` before a group has none.
        for leaf in path.split([',', '{', '}']) {
            let leaf = leaf.trim();
            let name = match leaf.split_once(" as ") {
                Some((_, alias)) => alias.trim(),
                None => leaf.rsplit("::").next().unwrap_or(leaf),
            };
            if !name.is_empty() && name != "*" && name != "self" {
                found.push((name.to_string(), module.clone()));
            }
        }
    }
    // Inline modules of the root (`pub mod prelude { … }`) are the root's.
    let mut rest = lib;
    while let Some(at) = rest.find("mod ") {
        let after = &rest[at + 4..];
        let name: String = after
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if after[name.len()..].trim_start().starts_with('{') {
            found.push((name, "lib".to_string()));
        }
        rest = after;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAYERS: &str = "# bottom first\nidentity: identity\nhandle: handle export\n\
                          model: model constructs\nroot: lib\n";

    fn files(extra: &[(&str, &str)]) -> Vec<(String, String)> {
        let lib = "mod handle;\npub use handle::Handle;\npub use model::{Node, Kind as K};\n\
                   pub use crate::constructs::vpc::{Vpc, VpcRef};\npub(crate) use model::Check;\n\
                   pub mod vpc {\n    pub use crate::constructs::vpc::Vpc;\n}\n\
                   pub mod prelude {\n    pub use crate::vpc::{Vpc, Check};\n}\n";
        let mut all = vec![("lib.rs".to_string(), lib.to_string())];
        all.extend(extra.iter().map(|(f, t)| (f.to_string(), t.to_string())));
        all
    }

    fn run(extra: &[(&str, &str)]) -> Vec<Violation> {
        let layers = Layers::parse(LAYERS).expect("layers parse");
        check(&layers, &files(extra)).expect("every module is in a layer")
    }

    #[test]
    fn an_upward_import_is_caught_with_file_line_and_both_layers() {
        let found = run(&[(
            "handle.rs",
            "use crate::identity::Key;\n\nuse crate::model::Check;\n",
        )]);
        assert_eq!(
            found,
            vec![Violation {
                file: "handle.rs".into(),
                line: 3,
                import: "crate::model::Check".into(),
                module: "handle".into(),
                layer: "handle".into(),
                target: "model".into(),
                target_layer: "model".into(),
            }]
        );
        let message = found[0].to_string();
        assert!(message.starts_with("handle.rs:3: "), "{message}");
        assert!(message.contains("(layer model)") && message.contains("(layer handle)"));
    }

    #[test]
    fn downward_and_same_layer_imports_pass() {
        let found = run(&[
            (
                "model.rs",
                "use crate::handle::{Handle, handle};\nuse crate::constructs::vpc::VpcNode;\n\
                 fn f() -> crate::identity::Kind { todo!() }\n",
            ),
            (
                "constructs/vpc.rs",
                "use crate::model::Node;\nuse super::subnet;\n",
            ),
            ("export.rs", "use crate::Handle;\n"),
        ]);
        assert_eq!(found, vec![]);
    }

    #[test]
    fn root_names_lead_to_their_module_even_in_groups_and_aliases() {
        let found = run(&[(
            "export.rs",
            "use crate::{Handle, K};\nfn f(_: crate::VpcRef<()>) {}\n",
        )]);
        let targets: Vec<(&str, usize)> =
            found.iter().map(|v| (v.target.as_str(), v.line)).collect();
        assert_eq!(targets, vec![("model", 1), ("constructs", 2)]);
    }

    #[test]
    fn crate_internal_shorthands_lead_to_their_module_whatever_the_prelude_says() {
        let found = run(&[("handle.rs", "use crate::Check;\nfn f(_: crate::Vpc) {}\n")]);
        let targets: Vec<(&str, usize)> =
            found.iter().map(|v| (v.target.as_str(), v.line)).collect();
        assert_eq!(targets, vec![("model", 1), ("constructs", 2)]);
    }

    #[test]
    fn an_exported_macro_names_public_paths_without_importing() {
        let found = run(&[(
            "handle.rs",
            "#[macro_export]\nmacro_rules! m {\n () => { impl $crate::vpc::Vpc for X {} };\n}\n\
             use crate::model::Node;\n",
        )]);
        let lines: Vec<usize> = found.iter().map(|v| v.line).collect();
        assert_eq!(lines, vec![5]);
    }

    #[test]
    fn a_macro_body_counts_against_the_module_that_writes_it() {
        let found = run(&[(
            "handle.rs",
            "macro_rules! handle {\n () => { impl $crate::model::Render for X {} };\n}\n",
        )]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].import, "$crate::model::Render");
        assert_eq!(found[0].line, 2);
    }

    #[test]
    fn comments_strings_and_test_modules_are_not_imports() {
        let found = run(&[(
            "identity.rs",
            "/// See [`Node`](crate::model::Node).\n// crate::model\n/* crate::model /* nested */ */\n\
             const A: &str = \"crate::model::Node\";\nconst B: &str = r#\"crate::model\"#;\nconst D: &[u8] = br\"crate::\\model\";\n\
             const C: char = '{';\nfn f<'a>(x: &'a str) {}\npub(crate) struct S;\n\
             #[cfg(test)]\nmod tests {\n    use crate::model::Node;\n    fn g() { let _ = '}'; }\n}\n",
        )]);
        assert_eq!(found, vec![]);
    }

    #[test]
    fn code_after_a_test_module_is_still_checked() {
        let found = run(&[(
            "identity.rs",
            "#[cfg(test)]\nmod tests {\n    fn f() {}\n}\nconst D: &[u8] = br\"x\\\";\nuse crate::model::Node;\n",
        )]);
        // The raw byte string ends at its first quote, backslash or not.
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].line, 6);
    }

    #[test]
    fn a_module_in_no_layer_and_an_unknown_root_name_are_errors() {
        let layers = Layers::parse(LAYERS).expect("layers parse");
        let unlisted = check(&layers, &files(&[("stray.rs", "")]));
        assert!(unlisted.is_err_and(|e| e.contains("`stray` is in no layer")));
        let unknown = check(&layers, &files(&[("handle.rs", "use crate::Nowhere;\n")]));
        assert!(unknown.is_err_and(|e| e.contains("`Nowhere`")));
        assert!(Layers::parse("a: x\nb: x\n").is_err());
    }
}
