//! Every relative link of the documentation resolves: README.md, the guide's pages, ARCHITECTURE.md,
//! TESTING.md and BENCHMARKS.md point at files that exist, and at headings that exist where a link
//! names one. Pages move and headings change (README's sections became guide pages); GitHub shows
//! a broken link only to the reader who follows it, so this test finds it first.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// The documents whose links are checked, relative to the repository's root.
fn documents(root: &Path) -> Vec<PathBuf> {
    let mut docs: Vec<PathBuf> = [
        "README.md",
        "ARCHITECTURE.md",
        "TESTING.md",
        "BENCHMARKS.md",
    ]
    .iter()
    .map(|name| root.join(name))
    .collect();
    let guide = root.join("docs/guide");
    let mut pages: Vec<PathBuf> = fs::read_dir(&guide)
        .unwrap_or_else(|e| panic!("{}: {e}", guide.display()))
        .map(|entry| entry.expect("a readable directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    pages.sort();
    docs.extend(pages);
    docs
}

/// The text outside fenced code blocks and inline code spans, with each code span replaced by
/// `code` so that link text made of code (`` [`x.rs`](x.rs) ``) still parses as a link.
fn prose(markdown: &str) -> String {
    let mut out = String::new();
    let mut fenced = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            out.push('\n');
            continue;
        }
        if fenced {
            out.push('\n');
            continue;
        }
        let mut in_code = false;
        for c in line.chars() {
            match (c, in_code) {
                ('`', false) => {
                    in_code = true;
                    out.push_str("code");
                }
                ('`', true) => in_code = false,
                (_, true) => {}
                (c, false) => out.push(c),
            }
        }
        out.push('\n');
    }
    out
}

/// The targets of inline links and images (`[text](target)`, `![alt](target)`, link text across
/// lines included) and of reference definitions (`[name]: target`).
fn link_targets(markdown: &str) -> Vec<String> {
    let text = prose(markdown);
    let mut targets = Vec::new();
    let mut rest = text.as_str();
    while let Some(at) = rest.find("](") {
        let after = &rest[at + 2..];
        match after.find(')') {
            Some(end) => {
                // `[a](b "title")`: the target is the first word.
                let target = after[..end].split_whitespace().next().unwrap_or("");
                targets.push(target.trim_matches(['<', '>']).to_string());
                rest = &after[end..];
            }
            None => break,
        }
    }
    for line in text.lines() {
        let line = line.trim_start();
        if line.starts_with('[')
            && let Some(close) = line.find("]: ")
            && let Some(target) = line[close + 3..].split_whitespace().next()
        {
            targets.push(target.to_string());
        }
    }
    targets
}

/// GitHub's anchor for each heading: its text without code marks, lower case, punctuation other
/// than `-` and `_` dropped, spaces made hyphens; a repeated heading gets `-1`, `-2`, ….
fn anchors(markdown: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut fenced = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        let heading = line.trim_start_matches('#');
        if fenced || heading.len() == line.len() || !heading.starts_with(' ') {
            continue;
        }
        let slug: String = heading
            .trim()
            .chars()
            .filter_map(|c| {
                if c.is_alphanumeric() || c == '-' || c == '_' {
                    Some(c.to_lowercase().collect::<String>())
                } else if c == ' ' {
                    Some("-".to_string())
                } else {
                    None
                }
            })
            .collect();
        let mut unique = slug.clone();
        let mut n = 0;
        while seen.contains(&unique) {
            n += 1;
            unique = format!("{slug}-{n}");
        }
        seen.insert(unique);
    }
    seen
}

/// The broken links of one document, as `file: target (why)`.
fn broken_links(document: &Path, markdown: &str) -> Vec<String> {
    let dir = document.parent().unwrap_or(Path::new("."));
    let mut broken = Vec::new();
    for target in link_targets(markdown) {
        if target.is_empty() || target.contains("://") || target.starts_with("mailto:") {
            continue;
        }
        let (path, anchor) = match target.split_once('#') {
            Some((path, anchor)) => (path, Some(anchor)),
            None => (target.as_str(), None),
        };
        let file = if path.is_empty() {
            document.to_path_buf()
        } else if path.starts_with('/') {
            broken.push(format!(
                "{}: {target} (absolute paths do not resolve on GitHub and crates.io)",
                document.display()
            ));
            continue;
        } else {
            dir.join(path)
        };
        if !path.is_empty() && !file.exists() {
            broken.push(format!("{}: {target} (no such file)", document.display()));
            continue;
        }
        if let Some(anchor) = anchor
            && file.extension().is_some_and(|ext| ext == "md")
        {
            let text = if path.is_empty() {
                markdown.to_string()
            } else {
                fs::read_to_string(&file).unwrap_or_default()
            };
            if !anchors(&text).contains(anchor) {
                broken.push(format!(
                    "{}: {target} (no such heading)",
                    document.display()
                ));
            }
        }
    }
    broken
}

#[test]
fn every_relative_link_resolves() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut broken = Vec::new();
    let mut links = 0;
    for document in documents(root) {
        let markdown =
            fs::read_to_string(&document).unwrap_or_else(|e| panic!("{}: {e}", document.display()));
        links += link_targets(&markdown).len();
        broken.extend(broken_links(&document, &markdown));
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    // README alone links to every guide page: finding none means the parser is broken.
    assert!(links > 20, "only {links} links found");
}

#[test]
fn every_guide_page_is_in_the_index_the_readme_and_the_doc_module() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let read =
        |name: &str| fs::read_to_string(root.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let index = link_targets(&read("docs/guide/README.md"));
    let readme = link_targets(&read("README.md"));
    let module = read("src/guide.rs");
    for page in documents(root) {
        let Ok(relative) = page.strip_prefix(root.join("docs/guide")) else {
            continue;
        };
        let name = relative.display().to_string();
        if name == "README.md" {
            continue;
        }
        assert!(
            index.contains(&name),
            "docs/guide/README.md does not list {name}"
        );
        assert!(
            readme.contains(&format!("docs/guide/{name}")),
            "README.md does not link to docs/guide/{name}"
        );
        assert!(
            // `build.rs` copies each page into OUT_DIR/guide with its links rewritten.
            module.contains(&format!("\"/guide/{name}\"))")),
            "src/guide.rs does not include docs/guide/{name}: its Rust blocks would not be tested"
        );
    }
}

#[test]
fn a_broken_link_or_anchor_is_found() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/guide");
    let page = dir.join("page.md");
    let markdown = "# A `code` title\n\n## Exit codes\n\n## Exit codes\n\n\
        [ok](#exit-codes) [ok](#exit-codes-1) [ok](#a-code-title) [ok](deploy.md)\n\
        [ok](../../README.md#vpcform) ![ok, across\nlines](../privatelink.svg)\n\
        [`missing.rs`](missing.rs) [gone](#exit-codes-2) [gone](deploy.md#no-such-heading)\n\
        `[not a link](nowhere.md)`\n```text\n[not a link](nowhere.md)\n```\n\
        [web](https://example.com/missing.md) [abs](/README.md)\n[ref]: also-missing.md\n";
    let broken = broken_links(&page, markdown);
    let targets: Vec<&str> = broken
        .iter()
        .map(|line| line.split(": ").nth(1).unwrap_or(""))
        .map(|rest| rest.split(' ').next().unwrap_or(""))
        .collect();
    assert_eq!(
        targets,
        [
            "missing.rs",
            "#exit-codes-2",
            "deploy.md#no-such-heading",
            "/README.md",
            "also-missing.md"
        ],
        "{broken:#?}"
    );
}
