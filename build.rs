//! Rewrites the user guide's links for rustdoc.
//!
//! `docs/guide/*.md` are written for GitHub: a page links another as `deploy.md#anchor` and the
//! rest of the repository as `../../TESTING.md`. `src/guide.rs` includes each page as a module's
//! documentation, where those relative links would point nowhere (docs.rs serves
//! `guide/deploy/index.html`, not `deploy.md`). So each page is copied into `OUT_DIR` with a
//! link to another page made an intra-doc link (`crate::guide::deploy#anchor`, which rustdoc
//! checks) and a link elsewhere in the repository made absolute on the repository's web page.
//! Only link targets change: the text, and so every doctest, is the page as written.

use std::path::{Component, Path, PathBuf};

fn main() {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    let repository = std::env::var("CARGO_PKG_REPOSITORY").unwrap_or_default();
    let guide = manifest_dir.join("docs/guide");
    println!("cargo:rerun-if-changed=docs/guide");
    let Ok(entries) = std::fs::read_dir(&guide) else {
        // A package without the guide (it ships with it) has nothing to rewrite: `src/guide.rs`
        // then fails to compile with the missing file named, which says more than a panic here.
        return;
    };
    let mut pages: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    pages.sort();
    let target = out_dir.join("guide");
    if let Err(error) = std::fs::create_dir_all(&target) {
        println!("cargo::error=cannot create {}: {error}", target.display());
        return;
    }
    for page in pages {
        println!("cargo:rerun-if-changed={}", page.display());
        let text = match std::fs::read_to_string(&page) {
            Ok(text) => text,
            Err(error) => {
                println!("cargo::error=cannot read {}: {error}", page.display());
                return;
            }
        };
        let rewritten = rewrite_links(&text, &repository);
        let name = page.file_name().unwrap_or_default();
        if let Err(error) = std::fs::write(target.join(name), rewritten) {
            println!("cargo::error=cannot write the guide page {name:?}: {error}");
            return;
        }
    }
}

/// Every inline link target `](…)` of a page, rewritten (see the module doc). Code spans and
/// fenced blocks are left alone: a `](` inside code is not a link.
fn rewrite_links(text: &str, repository: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_fence = false;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        if in_fence {
            out.push_str(line);
        } else {
            out.push_str(&rewrite_line(line, repository));
        }
    }
    out
}

fn rewrite_line(line: &str, repository: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    let mut in_code = false;
    while let Some(i) = rest.find(['`', ']']) {
        let (before, from) = rest.split_at(i);
        out.push_str(before);
        if let Some(after) = from.strip_prefix('`') {
            in_code = !in_code;
            out.push('`');
            rest = after;
            continue;
        }
        let target_end = from.starts_with("](").then(|| from.find(')')).flatten();
        match target_end {
            Some(end) if !in_code => {
                out.push_str("](");
                out.push_str(&rewrite_target(&from[2..end], repository));
                out.push(')');
                rest = &from[end + 1..];
            }
            _ => {
                out.push(']');
                rest = &from[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `deploy.md#a` → `crate::guide::deploy#a`; `../../TESTING.md` → the repository's page of it;
/// an absolute URL or an anchor of the same page stays as written.
fn rewrite_target(target: &str, repository: &str) -> String {
    if target.contains("://") || target.starts_with('#') || target.starts_with("mailto:") {
        return target.to_string();
    }
    let (path, anchor) = match target.split_once('#') {
        Some((path, anchor)) => (path, format!("#{anchor}")),
        None => (target, String::new()),
    };
    if !path.contains('/') && path.ends_with(".md") && path != "README.md" {
        let module = path.trim_end_matches(".md").replace('-', "_");
        return format!("crate::guide::{module}{anchor}");
    }
    if path == "README.md" {
        return format!("crate::guide{anchor}");
    }
    // Elsewhere in the repository: resolve against `docs/guide/` and link the web page.
    let mut resolved: Vec<&str> = vec!["docs", "guide"];
    for part in Path::new(path).components() {
        match part {
            Component::ParentDir => {
                resolved.pop();
            }
            Component::Normal(name) => resolved.push(name.to_str().unwrap_or_default()),
            _ => {}
        }
    }
    let kind = if path.ends_with(".svg") || path.ends_with(".png") {
        "raw"
    } else if Path::new(path).extension().is_some() {
        "blob"
    } else {
        "tree"
    };
    format!(
        "{}/{kind}/main/{}{anchor}",
        repository.trim_end_matches('/'),
        resolved.join("/")
    )
}
