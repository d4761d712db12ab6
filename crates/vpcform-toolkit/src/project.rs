//! `vpcform.toml`: the project file, as CDK's `cdk.json` — the command that runs the program,
//! and where its assembly goes.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The project file's name, in the directory `vpcform` runs in.
///
/// ```
/// assert_eq!(vpcform_toolkit::PROJECT_FILE, "vpcform.toml");
/// ```
pub const PROJECT_FILE: &str = "vpcform.toml";

/// A project: `vpcform.toml` read (or `--app` given), in the directory the paths are relative to.
///
/// ```
/// let project = vpcform_toolkit::Project::parse(
///     std::path::Path::new("."),
///     "app = \"cargo run -q --example privatelink --\"\noutput = \"out\"\n",
/// )?;
/// assert_eq!(project.app.as_deref(), Some("cargo run -q --example privatelink --"));
/// assert_eq!(project.output, std::path::Path::new("./out"));
/// # Ok::<(), String>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Project {
    /// The directory of the project file (or the working directory without one).
    pub dir: PathBuf,
    /// The command that runs the program, `synth --out DIR` appended.
    pub app: Option<String>,
    /// Where the program writes its assembly. Default: `vpcform.out`.
    pub output: PathBuf,
}

/// The file's fields: unknown ones are refused (a misspelt `app` would otherwise be ignored).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProjectFile {
    app: Option<String>,
    output: Option<PathBuf>,
}

impl Project {
    /// Reads `dir/vpcform.toml`; without one, a project of defaults (no `app`).
    ///
    /// # Errors
    /// A file that cannot be read or is not a project file: one line naming it, where and why.
    ///
    /// ```
    /// let project = vpcform_toolkit::Project::read(&std::env::temp_dir().join("vpcform-none"))?;
    /// assert_eq!(project.app, None);
    /// # Ok::<(), String>(())
    /// ```
    pub fn read(dir: &Path) -> Result<Project, String> {
        let path = dir.join(PROJECT_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => Project::parse(dir, &text).map_err(|e| format!("{}: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Project {
                dir: dir.to_path_buf(),
                app: None,
                output: dir.join("vpcform.out"),
            }),
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }

    /// Parses a project file's text, relative to `dir`.
    ///
    /// # Errors
    /// TOML that does not parse, a field of the wrong type, an unknown field, an empty `app`:
    /// one line (TOML's own message has a drawing of the line; the drawing is left out).
    ///
    /// ```
    /// let error = vpcform_toolkit::Project::parse(std::path::Path::new("."), "ap = \"x\"").unwrap_err();
    /// assert!(error.contains("unknown field `ap`"), "{error}");
    /// ```
    pub fn parse(dir: &Path, text: &str) -> Result<Project, String> {
        let file: ProjectFile = toml::from_str(text).map_err(|e| one_line(&e, text))?;
        if file.app.as_deref().is_some_and(|app| app.trim().is_empty()) {
            return Err(
                "`app` is empty: give the command that runs the program, e.g. \
                        app = \"cargo run -q --example privatelink --\""
                    .to_string(),
            );
        }
        Ok(Project {
            dir: dir.to_path_buf(),
            app: file.app,
            output: dir.join(file.output.unwrap_or_else(|| PathBuf::from("vpcform.out"))),
        })
    }

    /// The context file of the project: `vpcform.context.json` beside the project file.
    ///
    /// ```
    /// let project = vpcform_toolkit::Project::parse(std::path::Path::new("net"), "")?;
    /// assert_eq!(project.context_file(), std::path::Path::new("net/vpcform.context.json"));
    /// # Ok::<(), String>(())
    /// ```
    pub fn context_file(&self) -> PathBuf {
        self.dir.join(vpcform_assembly::CONTEXT_FILE)
    }
}

/// TOML's error on one line: its line, column and message, without the drawing of the line.
fn one_line(error: &toml::de::Error, text: &str) -> String {
    let message = error.message().trim().replace('\n', " ");
    match error.span() {
        Some(span) => {
            let before = text.get(..span.start).unwrap_or(text);
            let line = before.matches('\n').count() + 1;
            let column = before.len() - before.rfind('\n').map_or(0, |at| at + 1) + 1;
            format!("not a vpcform project file: line {line}, column {column}: {message}")
        }
        None => format!("not a vpcform project file: {message}"),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::Project;

    #[test]
    fn defaults_and_refusals_are_one_line() {
        let project = Project::parse(Path::new("p"), "").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(project.output, Path::new("p/vpcform.out"));
        assert_eq!(project.app, None);
        for (text, expected) in [
            ("app = ", "not a vpcform project file: line 1, column 7"),
            ("app = 3", "invalid type"),
            ("app = \"  \"", "`app` is empty"),
            ("[app]\nx = 1", "invalid type"),
            ("output = \"o\"\nextra = true", "unknown field `extra`"),
        ] {
            let error = Project::parse(Path::new("p"), text).expect_err(text);
            assert!(error.contains(expected), "{text:?}: {error}");
            assert!(!error.contains('\n'), "{text:?}: {error}");
        }
    }
}
