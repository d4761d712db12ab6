//! Synthesis through the program, with its lookups answered (`vpcform.context.json`), and the
//! `context` verb that lists and clears them.

use std::path::Path;
use std::process::ExitCode;

use vpcform_assembly::{CloudAssembly, Context, ContextQuery};

use crate::app::{Ran, Run};
use crate::output::{USAGE, refuse, stderr, stdout};
use crate::{Cli, Command, Format, Project};

/// How many times the program runs for one synthesis: once, again with its lookups answered,
/// and once more for lookups that depend on answers (a VPC found by a tag, then its zones).
const MAX_RUNS: usize = 3;

/// Runs the program until its assembly has every lookup answered; the assembly, or the exit
/// code to end with (the reason printed).
pub(crate) fn synthesize(cli: &Cli, project: &Project) -> Result<CloudAssembly, ExitCode> {
    let Some(app) = cli.app.as_deref().or(project.app.as_deref()) else {
        return Err(refuse(
            &format!(
                "no `app` to run: write `app = \"cargo run -q --example NAME --\"` (the command \
                 that runs your program) into {}, give --app COMMAND, or give --assembly DIR",
                project.dir.join(crate::PROJECT_FILE).display()
            ),
            USAGE,
        ));
    };
    let out = cli.out.clone().unwrap_or_else(|| project.output.clone());
    let context_file = project.context_file();
    // Before the program: a context edited into nonsense is the toolkit's to name.
    let mut context = Context::read(&context_file).map_err(|e| refuse(&e.to_string(), USAGE))?;
    let run = Run {
        app,
        out: &out,
        context: &context_file,
        // With --format json, stdout is the verb's (or, for synth, the findings' JSON).
        stdout_to_stderr: cli.format == Format::Json && !matches!(cli.command, Command::Synth),
        flags: program_flags(cli),
    };
    let mut asked: Vec<ContextQuery> = Vec::new();
    for _ in 0..MAX_RUNS {
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
            Ran::LookupsMissing => {}
        }
        let missing = CloudAssembly::read(&out)
            .map_err(|e| refuse(&e.to_string(), USAGE))?
            .manifest()
            .missing
            .clone();
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
        stderr(&format!(
            "looking up {} fact{} the context lacks: {}\n",
            missing.len(),
            if missing.len() == 1 { "" } else { "s" },
            keys.join(", ")
        ));
        for (query, value) in crate::lookups::resolve(&missing)? {
            context.insert(query, value);
        }
        context
            .write(&context_file)
            .map_err(|e| refuse(&e.to_string(), 1))?;
        stderr(&format!("context -> {}\n", context_file.display()));
        asked.extend(missing);
    }
    Err(refuse(
        &format!("the program asked for lookups {MAX_RUNS} times in a row; see the lines above"),
        1,
    ))
}

/// The flags the toolkit passes on to the program's `synth`.
fn program_flags(cli: &Cli) -> Vec<String> {
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
            flags.push(path.display().to_string());
        }
    }
    flags
}

/// `context`: the entries (key and what was found), or the entries cleared.
pub(crate) fn verb(path: &Path, clear: &[String], clear_all: bool, format: Format) -> ExitCode {
    let mut context = match Context::read(path) {
        Ok(context) => context,
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
        stdout(&format!(
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
