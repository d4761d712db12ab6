//! Synthesis through the program, with its lookups answered (`vpcform.context.json`), and the
//! `context` verb that lists and clears them.

use std::path::Path;
use std::process::ExitCode;

use vpcform_assembly::{CloudAssembly, Context, ContextQuery};

use crate::app::{Ran, Run};
use crate::output::{USAGE, refuse, stderr, stdout};
use crate::{Cli, Command, Format, Project};

/// How many rounds of lookups one synthesis may take: the program's first asks, and asks that
/// depend on answers (a VPC found by a tag, then its zones); the program runs once more after
/// each round.
const MAX_ROUNDS: usize = 3;

/// Runs the program until its assembly has every lookup answered; the assembly, or the exit
/// code to end with (the reason printed).
pub(crate) fn synthesize(cli: &Cli, project: &Project) -> Result<CloudAssembly, ExitCode> {
    let (app, source) = match (&cli.app, &project.app) {
        (Some(app), _) => (app.as_str(), "--app"),
        (None, Some(app)) => (app.as_str(), "`app` in vpcform.toml"),
        (None, None) => {
            return Err(refuse(
                &format!(
                    "no `app` to run: write `app = \"cargo run -q --example NAME --\"` (the \
                     command that runs your program) into {}, give --app COMMAND, or give \
                     --assembly DIR",
                    project.dir.join(crate::PROJECT_FILE).display()
                ),
                USAGE,
            ));
        }
    };
    if let Some(why) = crate::app::refuse_app(app) {
        return Err(refuse(&format!("{source}: {why}"), USAGE));
    }
    // Absolute: the app may change directory before it runs the program.
    let absolute = |path: &Path| std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let out = absolute(cli.out.as_deref().unwrap_or(&project.output));
    let context_file = absolute(&project.context_file());
    // Before the program: a context edited into nonsense is the toolkit's to name.
    let mut context = Context::read(&context_file).map_err(|e| refuse(&e.to_string(), USAGE))?;
    let run = Run {
        app,
        source,
        out: &out,
        context: &context_file,
        // With --format json, stdout is the verb's (or, for synth, the findings' JSON).
        stdout_to_stderr: cli.format == Format::Json && !matches!(cli.command, Command::Synth),
        flags: program_flags(cli, &absolute),
    };
    let mut asked: Vec<ContextQuery> = Vec::new();
    for round in 0..=MAX_ROUNDS {
        match crate::app::run(&run) {
            Ran::Synthesized => {
                return CloudAssembly::read(&out).map_err(|e| refuse(&e.to_string(), USAGE));
            }
            Ran::SynthesisFailed => {
                return Err(refuse(
                    "synthesis failed: the program's findings are above",
                    1,
                ));
            }
            Ran::Failed(why) => return Err(refuse(&why, 1)),
            Ran::Interrupted => return Err(ExitCode::from(crate::output::INTERRUPTED)),
            Ran::LookupsMissing => {}
        }
        let asking = CloudAssembly::read(&out).map_err(|e| refuse(&e.to_string(), USAGE))?;
        let missing = asking.manifest().missing.clone();
        // Each query is asked with the credentials of the app's stack in its account.
        let environments: Vec<vpcform_assembly::Environment> = asking
            .manifest()
            .stacks
            .iter()
            .map(|s| s.environment.clone())
            .collect();
        let keys: Vec<String> = missing.iter().map(ContextQuery::key).collect();
        if missing.is_empty() || missing.iter().any(|q| asked.contains(q)) {
            return Err(refuse(
                &format!(
                    "the program still asks for lookups {} answers ({}): is it reading another \
                     context file than VPCFORM_CONTEXT names?",
                    context_file.display(),
                    keys.join(", ")
                ),
                1,
            ));
        }
        if cli.no_lookups {
            return Err(refuse(
                &format!(
                    "--no-lookups: {} lacks {} lookup{}: {}; run `vpcform synth` where AWS \
                     credentials can read them and commit the file",
                    context_file.display(),
                    missing.len(),
                    if missing.len() == 1 { "" } else { "s" },
                    keys.join(", ")
                ),
                USAGE,
            ));
        }
        if round == MAX_ROUNDS {
            break;
        }
        stderr(&format!(
            "looking up {} fact{} the context lacks: {}\n",
            missing.len(),
            if missing.len() == 1 { "" } else { "s" },
            keys.join(", ")
        ));
        for (query, value) in crate::lookups::resolve(&missing, &environments)? {
            context.insert(query, value);
        }
        context
            .write(&context_file)
            .map_err(|e| refuse(&e.to_string(), 1))?;
        stderr(&format!("context -> {}\n", context_file.display()));
        asked.extend(missing);
    }
    Err(refuse(
        &format!(
            "the program asked for lookups after {MAX_ROUNDS} rounds of answers; see the lines \
             above"
        ),
        1,
    ))
}

/// The flags the toolkit passes on to the program's `synth`, their paths made `absolute`.
fn program_flags(cli: &Cli, absolute: &dyn Fn(&Path) -> std::path::PathBuf) -> Vec<String> {
    let mut flags = Vec::new();
    if cli.format == Format::Json {
        flags.extend(["--format".to_string(), "json".to_string()]);
    }
    if cli.deny_warnings {
        flags.push("--deny-warnings".to_string());
    }
    for (flag, path) in [("--sarif", &cli.sarif), ("--prices", &cli.prices)] {
        if let Some(path) = path {
            flags.push(flag.to_string());
            flags.push(absolute(path).display().to_string());
        }
    }
    flags
}

/// `context`: the entries (key and what was found), or the entries cleared.
pub(crate) fn verb(path: &Path, clear: &[String], clear_all: bool, format: Format) -> ExitCode {
    let mut context = match Context::read(path) {
        Ok(context) => context,
        // A file edited into nonsense is what `--clear` and `--clear-all` are for.
        Err(e @ vpcform_assembly::ContextError::Garbled { .. })
            if clear_all || !clear.is_empty() =>
        {
            return clear_garbled(path, clear, clear_all, &e, format);
        }
        Err(e) => return refuse(&e.to_string(), USAGE),
    };
    if clear_all || !clear.is_empty() {
        let unknown: Vec<&String> = clear
            .iter()
            .filter(|key| context.entries().all(|(k, _)| k != key.as_str()))
            .collect();
        if !unknown.is_empty() {
            let keys: Vec<&str> = context.entries().map(|(k, _)| k).collect();
            return refuse(
                &format!(
                    "{}: no entry {}; its keys: {}",
                    path.display(),
                    unknown
                        .iter()
                        .map(|k| format!("{k:?}"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    if keys.is_empty() {
                        "none".to_string()
                    } else {
                        keys.join(", ")
                    }
                ),
                USAGE,
            );
        }
        let keys: Vec<String> = if clear_all {
            context.entries().map(|(k, _)| k.to_string()).collect()
        } else {
            clear.to_vec()
        };
        for key in &keys {
            context.remove(key);
        }
        if let Err(e) = context.write(path) {
            return refuse(&e.to_string(), 1);
        }
        said(format)(&format!(
            "cleared {} entr{} of {}: the next synthesis looks {} up again\n",
            keys.len(),
            if keys.len() == 1 { "y" } else { "ies" },
            path.display(),
            if keys.len() == 1 { "it" } else { "them" }
        ));
        return ExitCode::SUCCESS;
    }
    match format {
        Format::Json => stdout(&context.to_json().unwrap_or_default()),
        Format::Text if context.is_empty() => {
            stdout(&format!("{}: no lookups\n", path.display()));
        }
        Format::Text => {
            let mut text = format!("{}:\n", path.display());
            for (key, entry) in context.entries() {
                text += &format!("  {key}\n    {}\n", summary(&entry.value));
            }
            stdout(&text);
        }
    }
    ExitCode::SUCCESS
}

/// Where a verb's words for people go: stdout, or stderr when stdout is JSON's.
fn said(format: Format) -> fn(&str) {
    match format {
        Format::Text => stdout,
        Format::Json => stderr,
    }
}

/// `context --clear` of a file that does not read as a context: `--clear-all` removes it;
/// `--clear KEY` removes the key from the JSON object it still is, if it is one.
fn clear_garbled(
    path: &Path,
    clear: &[String],
    clear_all: bool,
    error: &vpcform_assembly::ContextError,
    format: Format,
) -> ExitCode {
    if clear_all {
        if let Err(e) = std::fs::remove_file(path) {
            return refuse(&format!("{}: {e}", path.display()), 1);
        }
        said(format)(&format!(
            "removed {}: the next synthesis looks everything up again\n",
            path.display()
        ));
        return ExitCode::SUCCESS;
    }
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let Ok(serde_json::Value::Object(mut entries)) = serde_json::from_str(&text) else {
        return refuse(
            &format!("{error}; it is not a JSON object: `--clear-all` removes it"),
            USAGE,
        );
    };
    if let Some(key) = clear.iter().find(|key| !entries.contains_key(key.as_str())) {
        return refuse(&format!("{}: no entry {key:?}", path.display()), USAGE);
    }
    for key in clear {
        entries.remove(key);
    }
    let mut text = serde_json::to_string_pretty(&entries).unwrap_or_default();
    text.push('\n');
    if let Err(e) = std::fs::write(path, text) {
        return refuse(&format!("{}: {e}", path.display()), 1);
    }
    match Context::read(path) {
        Ok(_) => said(format)(&format!(
            "cleared {} entr{} of {}\n",
            clear.len(),
            if clear.len() == 1 { "y" } else { "ies" },
            path.display()
        )),
        Err(e) => stderr(&format!("cleared; still: {e}\n")),
    }
    ExitCode::SUCCESS
}

/// What an entry holds, in a few words.
fn summary(value: &vpcform_assembly::ContextValue) -> String {
    use vpcform_assembly::ContextValue;
    match value {
        ContextValue::AvailabilityZones { zones } => {
            let zones: Vec<String> = zones
                .iter()
                .map(|z| format!("{} ({})", z.name, z.id))
                .collect();
            format!("zones: {}", zones.join(", "))
        }
        ContextValue::Vpc(vpc) => format!(
            "{} {}: {} subnets, {} route tables, {} security groups",
            vpc.vpc_id,
            vpc.cidr_block,
            vpc.subnets.len(),
            vpc.route_tables.len(),
            vpc.security_groups.len()
        ),
        ContextValue::EndpointService(service) => format!(
            "{} ({}): offered in {}",
            service.service_name,
            service.service_type,
            service.availability_zones.join(", ")
        ),
        ContextValue::NotFound { message } => format!("not found: {message}"),
    }
}
