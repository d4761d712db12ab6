//! Reading an assembly directory back, and writing a manifest into one.
//!
//! Invariant: a manifest read is one this crate would write — this schema version, every
//! required field, template files inside the directory, every stack or step it names
//! (dependency, parameter import's producer, a step's input) present, a step's output named
//! only if the step gives it, and no dependency cycle — or an error naming the file, on one
//! line.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use crate::{MANIFEST_FILE, Manifest, ManifestStack, SCHEMA_VERSION};

/// A cloud assembly read from its directory: the manifest, and the templates beside it.
///
/// See the [crate documentation](crate) for an example.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CloudAssembly {
    dir: PathBuf,
    manifest: Manifest,
}

/// Why an assembly directory could not be read or written. Each renders as one line naming
/// the file.
///
/// ```
/// let dir = std::env::temp_dir().join("vpcform-assembly-doc-no-such-dir");
/// let error = vpcform_assembly::CloudAssembly::read(&dir).unwrap_err();
/// assert!(matches!(error, vpcform_assembly::AssemblyError::Missing { .. }));
/// assert!(error.to_string().contains("manifest.json"));
/// ```
#[derive(Debug)]
pub enum AssemblyError {
    /// No manifest: not an assembly directory, or not synthesized yet.
    Missing {
        /// The manifest's path.
        path: PathBuf,
    },
    /// A file that could not be read or written.
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: io::Error,
    },
    /// A manifest that is not JSON of this schema: a field missing or of the wrong type.
    Garbled {
        /// The manifest's path.
        path: PathBuf,
        /// serde_json's words, with the line and column.
        error: String,
    },
    /// A manifest of another schema version.
    Version {
        /// The manifest's path.
        path: PathBuf,
        /// Its `"version"`, as written.
        found: String,
    },
    /// A manifest whose parts do not fit together: a stack named twice, a template outside
    /// the directory, a dependency or producer that is not one of its stacks.
    Invalid {
        /// The manifest's path.
        path: PathBuf,
        /// What does not fit.
        why: String,
    },
}

impl fmt::Display for AssemblyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AssemblyError::Missing { path } => write!(
                f,
                "{}: no such file: not a cloud assembly directory; synthesize the app into it first",
                path.display()
            ),
            AssemblyError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            AssemblyError::Garbled { path, error } => write!(
                f,
                "{}: not a cloud assembly manifest of schema version {SCHEMA_VERSION}: {error}",
                path.display()
            ),
            AssemblyError::Version { path, found } => write!(
                f,
                "{}: cloud assembly schema version {found}, but this vpcform reads version \
                 {SCHEMA_VERSION}: synthesize the app again with this vpcform",
                path.display()
            ),
            AssemblyError::Invalid { path, why } => write!(f, "{}: {why}", path.display()),
        }
    }
}

impl std::error::Error for AssemblyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            AssemblyError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl CloudAssembly {
    /// Reads `dir/manifest.json`.
    ///
    /// # Errors
    /// [`AssemblyError::Missing`] without a manifest; [`AssemblyError::Version`] for a
    /// manifest of another schema version (checked before any other field, so a newer layout
    /// is named as such); [`AssemblyError::Garbled`] for one that is not this schema's JSON;
    /// [`AssemblyError::Invalid`] for one whose stacks do not fit together;
    /// [`AssemblyError::Io`] for another read error.
    ///
    /// See the [crate documentation](crate) for an example.
    pub fn read(dir: &Path) -> Result<CloudAssembly, AssemblyError> {
        let path = dir.join(MANIFEST_FILE);
        let text = std::fs::read_to_string(&path).map_err(|source| {
            if source.kind() == io::ErrorKind::NotFound {
                AssemblyError::Missing { path: path.clone() }
            } else {
                AssemblyError::Io {
                    path: path.clone(),
                    source,
                }
            }
        })?;
        let manifest = parse(&path, &text)?;
        if let Some(why) = misfit(&manifest) {
            return Err(AssemblyError::Invalid { path, why });
        }
        Ok(CloudAssembly {
            dir: dir.to_path_buf(),
            manifest,
        })
    }

    /// The directory.
    ///
    /// See the [crate documentation](crate) for an example.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The manifest.
    ///
    /// See the [crate documentation](crate) for an example.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// The template of `stack` (one of the manifest's), as written.
    ///
    /// # Errors
    /// [`AssemblyError::Io`] naming the template file.
    ///
    /// See the [crate documentation](crate) for an example.
    pub fn template(&self, stack: &ManifestStack) -> Result<String, AssemblyError> {
        let path = self.dir.join(&stack.template);
        std::fs::read_to_string(&path).map_err(|source| AssemblyError::Io { path, source })
    }
}

impl Manifest {
    /// Writes `dir/manifest.json` (through a temporary file renamed into place, so a reader
    /// never sees half of it) and returns its path. The templates are the writer's to put
    /// beside it.
    ///
    /// # Errors
    /// [`AssemblyError::Io`] naming the file.
    ///
    /// See the [crate documentation](crate) for an example.
    pub fn write_to(&self, dir: &Path) -> Result<PathBuf, AssemblyError> {
        let path = dir.join(MANIFEST_FILE);
        let json = self.to_json().map_err(|e| AssemblyError::Io {
            path: path.clone(),
            source: io::Error::other(e),
        })?;
        let staged = dir.join(format!(".{MANIFEST_FILE}.{}", std::process::id()));
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| AssemblyError::Io { path, source }
        };
        std::fs::write(&staged, json).map_err(io(&staged))?;
        std::fs::rename(&staged, &path).map_err(|e| {
            let _ = std::fs::remove_file(&staged);
            io(&path)(e)
        })?;
        Ok(path)
    }
}

/// The manifest in `text`: its version first, then the whole.
fn parse(path: &Path, text: &str) -> Result<Manifest, AssemblyError> {
    let garbled = |error: serde_json::Error| AssemblyError::Garbled {
        path: path.to_path_buf(),
        error: error.to_string(),
    };
    /// Only the version: a manifest of another version may differ in anything else.
    #[derive(serde::Deserialize)]
    struct Versioned {
        version: Option<serde_json::Value>,
    }
    let versioned: Versioned = serde_json::from_str(text).map_err(garbled)?;
    match versioned.version {
        Some(serde_json::Value::Number(n)) if n.as_u64() == Some(u64::from(SCHEMA_VERSION)) => {}
        Some(found) => {
            return Err(AssemblyError::Version {
                path: path.to_path_buf(),
                found: found.to_string(),
            });
        }
        None => {
            return Err(AssemblyError::Garbled {
                path: path.to_path_buf(),
                error: "missing field `version`".into(),
            });
        }
    }
    serde_json::from_str(text).map_err(garbled)
}

/// What does not fit together in a manifest, if anything.
fn misfit(manifest: &Manifest) -> Option<String> {
    let known = |name: &str| manifest.stack(name).is_some() || manifest.step(name).is_some();
    for (i, stack) in manifest.stacks.iter().enumerate() {
        if manifest.stacks[..i].iter().any(|s| s.name == stack.name) {
            return Some(format!("stack {} is listed twice", stack.name));
        }
        let file = Path::new(&stack.template);
        if stack.template.is_empty()
            || file.file_name() != Some(file.as_os_str())
            || stack.template == ".."
        {
            return Some(format!(
                "stack {}'s template {:?} is not a file name in the assembly's directory",
                stack.name, stack.template
            ));
        }
        let unknown = stack
            .depends_on
            .iter()
            .chain(stack.parameter_imports.iter().map(|i| &i.stack))
            .find(|name| !known(name));
        if let Some(name) = unknown {
            return Some(format!(
                "stack {} depends on {name}, which the manifest does not list",
                stack.name
            ));
        }
        for import in &stack.parameter_imports {
            if manifest.step(&import.stack).is_some() && !stack.depends_on.contains(&import.stack) {
                return Some(format!(
                    "stack {}'s parameter {} takes an output of step {}, which its dependsOn \
                     does not name: it could be deployed before the step",
                    stack.name, import.parameter, import.stack
                ));
            }
            if let Some(step) = manifest.step(&import.stack)
                && !step.action.outputs().contains(&import.output.as_str())
            {
                return Some(format!(
                    "stack {}'s parameter {} takes output {} of step {}, which gives only {}",
                    stack.name,
                    import.parameter,
                    import.output,
                    step.name,
                    step.action.outputs().join(", ")
                ));
            }
        }
    }
    for (i, step) in manifest.steps.iter().enumerate() {
        if manifest.steps[..i].iter().any(|s| s.name == step.name)
            || manifest.stack(&step.name).is_some()
        {
            return Some(format!("step {} is listed twice", step.name));
        }
        if let Some(name) = step.depends_on.iter().find(|name| !known(name)) {
            return Some(format!(
                "step {} depends on {name}, which the manifest does not list",
                step.name
            ));
        }
        let [input] = step.action.inputs();
        if manifest.stack(&input.stack).is_none() {
            return Some(format!(
                "step {} reads {input}, and the manifest lists no stack {}",
                step.name, input.stack
            ));
        }
        if !step.depends_on.contains(&input.stack) {
            return Some(format!(
                "step {} reads {input}, and its dependsOn does not name {}: it could run first",
                step.name, input.stack
            ));
        }
    }
    cycle(manifest).map(|names| format!("a dependency cycle: {}", names.join(" → ")))
}

/// A dependency cycle among the stacks and steps, if any, as the names around it (the first
/// repeated at the end): a deployer following it would wait forever.
fn cycle(manifest: &Manifest) -> Option<Vec<String>> {
    let nodes: Vec<(&str, &[String])> = manifest
        .stacks
        .iter()
        .map(|s| (s.name.as_str(), s.depends_on.as_slice()))
        .chain(
            manifest
                .steps
                .iter()
                .map(|s| (s.name.as_str(), s.depends_on.as_slice())),
        )
        .collect();
    let index = |name: &str| nodes.iter().position(|(n, _)| *n == name);
    // 0: not seen, 1: on the current path, 2: done.
    let mut state = vec![0u8; nodes.len()];
    let mut path: Vec<usize> = Vec::new();
    fn visit(
        at: usize,
        nodes: &[(&str, &[String])],
        index: &dyn Fn(&str) -> Option<usize>,
        state: &mut [u8],
        path: &mut Vec<usize>,
    ) -> Option<Vec<String>> {
        state[at] = 1;
        path.push(at);
        for next in nodes[at].1.iter().filter_map(|d| index(d)) {
            if state[next] == 1 {
                let from = path.iter().position(|&p| p == next).unwrap_or(0);
                let mut names: Vec<String> = path[from..]
                    .iter()
                    .map(|&p| nodes[p].0.to_string())
                    .collect();
                names.push(nodes[next].0.to_string());
                return Some(names);
            }
            if state[next] == 0
                && let Some(found) = visit(next, nodes, index, state, path)
            {
                return Some(found);
            }
        }
        path.pop();
        state[at] = 2;
        None
    }
    (0..nodes.len()).find_map(|start| {
        if state[start] == 0 {
            visit(start, &nodes, &index, &mut state, &mut path)
        } else {
            None
        }
    })
}
