//! Running an app from the command line: parse, synthesize and write the assembly, then hand
//! the verb to the deployer; every write tolerates a closed stream.

use std::path::Path;
use std::process::ExitCode;

use clap::Parser;

use crate::cost::Prices;
use crate::findings::{Finding, Severity, SynthErrors};
use crate::{App, Assembly, Cli, Command, FindingsFormat};

/// Runs an [`App`] as a command-line program.
pub trait AppExt {
    /// Parses the process's arguments (see [`Cli`]) and acts on the app. Synthesis errors are
    /// printed, nothing is written, and the exit code is 1.
    ///
    /// Meant as `main`'s last call: the app and its assembly are left to the operating system
    /// when the process exits rather than freed one allocation at a time (for thousands of
    /// resources that is a third of the run). Use [`AppExt::run_with`] to run an app more than
    /// once in a process.
    ///
    /// ```no_run
    /// use vpcform::prelude::*;
    /// fn main() -> std::process::ExitCode {
    ///     App::new("empty").run()
    /// }
    /// ```
    fn run(self) -> ExitCode;

    /// As [`AppExt::run`], with arguments given (the first is the program name).
    ///
    /// ```
    /// use vpcform::prelude::*;
    /// let dir = std::env::temp_dir().join("vpcform-doc-run-with");
    /// let code = App::new("empty").run_with(["prog", "--out", dir.to_str().unwrap()]);
    /// assert_eq!(code, std::process::ExitCode::FAILURE); // an app with no stacks has nothing to deploy
    /// ```
    fn run_with<I, T>(self, args: I) -> ExitCode
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone;

    /// As [`AppExt::run`], with the command line already parsed: for a program with flags of
    /// its own, which flattens [`Cli`] into its own clap parser, reads its flags (say, the
    /// config file its stacks are built from) and hands vpcform's part here. Every verb, flag
    /// and exit code is the same as with [`AppExt::run`]; clap's `parse` exits with 2 on a
    /// malformed command line, as `run` does.
    ///
    /// ```
    /// use clap::Parser;
    /// use vpcform::prelude::*;
    ///
    /// /// The platform team's network, from its spokes' config.
    /// #[derive(Parser)]
    /// struct Program {
    ///     /// The spokes, as JSON.
    ///     #[arg(long, value_name = "FILE")]
    ///     config: Option<std::path::PathBuf>,
    ///     #[command(flatten)]
    ///     vpcform: vpcform::Cli,
    /// }
    ///
    /// vpcform::topology! { stack Network { vpc Main } }
    ///
    /// let out = std::env::temp_dir().join("vpcform-doc-run-cli");
    /// // In `main`: `let program = Program::parse();`
    /// let program = Program::parse_from([
    ///     "network", "--config", "spokes.json", "synth", "--out", out.to_str().unwrap(),
    /// ]);
    /// assert_eq!(program.config.as_deref(), Some(std::path::Path::new("spokes.json")));
    /// let mut network = Stack::<Network>::new("Network");
    /// network.add("Main", Vpc::<Main>::builder().cidr(cidr!("10.0.0.0/16")).build());
    /// let mut app = App::new("network");
    /// app.add_stack(network);
    /// assert_eq!(app.run_cli(program.vpcform), std::process::ExitCode::SUCCESS);
    /// assert!(out.join("manifest.json").exists());
    /// ```
    fn run_cli(self, cli: Cli) -> ExitCode;
}

impl AppExt for App {
    fn run(self) -> ExitCode {
        let mut keep = Kept::default();
        let code = execute(self, std::env::args_os(), &mut keep);
        // The process ends right after: its memory goes back to the OS at once, so the app
        // and its assembly are not freed allocation by allocation (a tenth of the work for
        // thousands of resources).
        std::mem::forget(keep);
        code
    }

    fn run_with<I, T>(self, args: I) -> ExitCode
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        execute(self, args, &mut Kept::default())
    }

    fn run_cli(self, cli: Cli) -> ExitCode {
        let mut keep = Kept::default();
        let code = execute_cli(self, cli, &mut keep);
        // As `run`: meant as `main`'s last call, the process frees the memory at once.
        std::mem::forget(keep);
        code
    }
}

/// What `execute` leaves behind for its caller to free or not.
#[derive(Default)]
struct Kept {
    app: Option<App>,
    assembly: Option<Assembly>,
}

fn execute<I, T>(app: App, args: I, keep: &mut Kept) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(USAGE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    execute_cli(app, cli, keep)
}

/// [`execute`] once the command line is parsed.
fn execute_cli(app: App, cli: Cli, keep: &mut Kept) -> ExitCode {
    let app = keep.app.insert(app);
    if let Some(path) = &cli.prices {
        match Prices::from_file(path) {
            Ok(prices) => app.prices(prices),
            Err(e) => {
                stderr(&format!("error: {e}\n"));
                return ExitCode::FAILURE;
            }
        }
    }
    // Refused before synthesis: nothing is written for a verb this program does not run.
    #[cfg(not(feature = "deploy"))]
    if let Some(Command::Toolkit(args)) = &cli.command {
        let verb = args
            .first()
            .map(|v| v.to_string_lossy())
            .unwrap_or_default();
        stderr(&format!(
            "error: `{verb}` is the vpcform toolkit's: run `vpcform {verb}` in this project \
             (the `vpcform-toolkit` crate installs it; vpcform.toml's `app` names this \
             program), or build the program with vpcform's `deploy` feature\n"
        ));
        return ExitCode::from(USAGE);
    }
    let Some(assembly) = synth(app, &cli) else {
        return ExitCode::FAILURE;
    };
    let assembly = keep.assembly.insert(assembly);
    if !assembly.missing().is_empty() {
        // The toolkit answers them and runs the program again (its line is in the summary).
        return ExitCode::from(vpcform_assembly::LOOKUPS_MISSING_EXIT);
    }
    match cli.command {
        None | Some(Command::Synth) => ExitCode::SUCCESS,
        #[cfg(feature = "deploy")]
        Some(Command::Verb(verb)) => {
            // The verb reads the assembly as written, as the toolkit would: one path to deploy.
            match vpcform_assembly::CloudAssembly::read(&cli.out) {
                Ok(read) => vpcform_toolkit::run_verb(&read, verb, toolkit_format(cli.format)),
                Err(e) => {
                    stderr(&format!("error: {e}\n"));
                    ExitCode::FAILURE
                }
            }
        }
        #[cfg(not(feature = "deploy"))]
        Some(Command::Toolkit(_)) => ExitCode::from(USAGE),
    }
}

/// The toolkit's `--format` for the program's.
#[cfg(feature = "deploy")]
fn toolkit_format(format: FindingsFormat) -> vpcform_toolkit::Format {
    match format {
        FindingsFormat::Text => vpcform_toolkit::Format::Text,
        FindingsFormat::Json => vpcform_toolkit::Format::Json,
    }
}

/// Synthesizes and writes the assembly, printing the findings and the summary; `None` on error.
fn synth(app: &App, cli: &Cli) -> Option<Assembly> {
    let (assembly, printed) = synth_printed(app, cli);
    stdout(&printed.out);
    stderr(&printed.err);
    assembly
}

/// What a synthesis prints, on stdout and on stderr.
#[derive(Debug, Default)]
struct Printed {
    out: String,
    err: String,
}

/// [`synth`] without the printing: the text is returned, so that tests read it.
fn synth_printed(app: &App, cli: &Cli) -> (Option<Assembly>, Printed) {
    let mut printed = Printed::default();
    if app.is_empty() {
        printed.err = format!(
            "error: app {:?} has no stacks: add one with App::add_stack\n",
            app.name()
        );
        return (None, printed);
    }
    let result = app.synth();
    let findings = findings(app, &result, cli.deny_warnings);
    if let Some(path) = &cli.sarif {
        let log = crate::sarif::log(&findings);
        let text = serde_json::to_string_pretty(&log).unwrap_or_default();
        if let Err(e) = std::fs::write(path, text + "\n") {
            printed.err += &format!("error: could not write {}: {e}\n", path.display());
            return (None, printed);
        }
    }
    // `list --format json` prints the listing as stdout's one JSON document: its findings
    // then go to stderr, as JSON still.
    #[cfg(feature = "deploy")]
    let listing = matches!(
        cli.command,
        Some(Command::Verb(vpcform_toolkit::Verb::List { .. }))
    );
    #[cfg(not(feature = "deploy"))]
    let listing = false;
    match cli.format {
        FindingsFormat::Text => {
            for finding in &findings {
                printed.err += &finding.render();
            }
        }
        FindingsFormat::Json if listing => {
            printed.err += &serde_json::to_string_pretty(&findings).unwrap_or_default();
            printed.err.push('\n');
        }
        FindingsFormat::Json => {
            printed.out += &serde_json::to_string_pretty(&findings).unwrap_or_default();
            printed.out.push('\n');
        }
    }
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let assembly = match result {
        Ok(assembly) if errors == 0 => assembly,
        _ => {
            printed.err += &format!(
                "error: synthesis failed with {errors} error{}; nothing was written\n",
                if errors == 1 { "" } else { "s" }
            );
            return (None, printed);
        }
    };
    match assembly.write_to(&cli.out) {
        Ok(_) => {
            let text = if assembly.missing().is_empty() {
                summary(&assembly, &cli.out)
            } else {
                missing_summary(&assembly, &cli.out)
            };
            match cli.format {
                FindingsFormat::Text => printed.out += &text,
                FindingsFormat::Json => printed.err += &text,
            }
            (Some(assembly), printed)
        }
        Err(e) => {
            printed.err += &format!("error: could not write the assembly: {e}\n");
            (None, printed)
        }
    }
}

/// Every finding of a synthesis, located in the program: its errors, or its warnings (as
/// errors when `deny_warnings`).
fn findings(
    app: &App,
    result: &Result<Assembly, SynthErrors>,
    deny_warnings: bool,
) -> Vec<Finding> {
    match result {
        Err(errors) => errors
            .errors()
            .iter()
            .map(|e| app.locate(Finding::from(e)))
            .collect(),
        Ok(assembly) => assembly
            .warnings()
            .iter()
            .map(|w| {
                let finding = app.locate(Finding::from(w));
                if deny_warnings {
                    finding.denied()
                } else {
                    finding
                }
            })
            .collect(),
    }
}

/// What a synthesis whose lookups the context lacks says instead of its summary: its traffic,
/// cost and diagrams are of placeholders.
fn missing_summary(assembly: &Assembly, out: &Path) -> String {
    let keys: Vec<String> = assembly.missing().iter().map(|q| q.key()).collect();
    format!(
        "{} lookup{} missing from the context: {}\nmanifest -> {} (not deployable: its templates \
         hold placeholders); `vpcform synth` looks them up and runs the program again\n",
        keys.len(),
        if keys.len() == 1 { "" } else { "s" },
        keys.join(", "),
        out.join("manifest.json").display()
    )
}

/// The summary of a written assembly: its files, traffic, cost and allowed warnings.
fn summary(assembly: &Assembly, out: &Path) -> String {
    let mut text = assembly.summary(out);
    if !assembly.traffic().flows.is_empty() {
        text += &format!("traffic -> {}\n", out.join("traffic.json").display());
        text += &indent(&assembly.traffic().table());
    }
    text += &format!("cost -> {}\n", out.join("cost.json").display());
    let cost = assembly.cost();
    text += &format!(
        "  total ${:.2}/month; traffic to AWS services through endpoints: ${:.2}/month, the same through NAT: ${:.2}/month\n",
        cost.total, cost.endpoints, cost.nat_alternative
    );
    text += &format!(
        "diagram -> {} (Graphviz), {} (Mermaid)\n",
        out.join(format!("{}.dot", assembly.app())).display(),
        out.join(format!("{}.mmd", assembly.app())).display()
    );
    text += &format!("manifest -> {}\n", out.join("manifest.json").display());
    let allowed = assembly.allowed_warnings();
    if allowed > 0 {
        text += &format!(
            "{allowed} warning{} allowed (Stack::allow)\n",
            if allowed == 1 { "" } else { "s" }
        );
    }
    text
}

/// Writes to stdout. A closed stdout (`| head`, a pipeline that stopped reading) loses the
/// text, never the work: the assembly is written regardless, so this is not the panic
/// (exit 101) `print!` would make of it.
fn stdout(text: &str) {
    write_to(std::io::stdout().lock(), text);
}

/// Writes to stderr; a closed stderr (`2>&1 | tee log`, and Ctrl-C ended `tee`) loses the text,
/// never the exit code, as [`stdout`].
fn stderr(text: &str) {
    write_to(std::io::stderr().lock(), text);
}

/// The one place the command line writes: errors of the stream are ignored (see [`stdout`]).
fn write_to(mut stream: impl std::io::Write, text: &str) {
    let _ = stream
        .write_all(text.as_bytes())
        .and_then(|()| stream.flush());
}

/// The exit code of a command line the program refuses before doing anything: clap's for a
/// malformed argument, and a verb that is the toolkit's (docs/guide/deploy.md, "Exit codes").
const USAGE: u8 = 2;

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}\n")).collect()
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::{Cli, synth_printed};
    use crate::Command;
    use crate::prelude::*;

    crate::topology! { stack Net { vpc Main } }

    /// A stack with one warning (an endpoint in one zone, VF0208) or, `broken`, one error
    /// (a /8 VPC, VF0102) as well.
    fn app(broken: bool, allow: bool) -> App {
        let mut stack = Stack::<Net>::new("Net");
        let cidr = if broken { "10.0.0.0/8" } else { "10.0.0.0/16" };
        let vpc = stack.add("Main", Vpc::<Main>::builder().cidr(cidr).build());
        let a = stack.add(
            "A",
            Subnet::builder()
                .vpc(&vpc)
                .cidr(cidr!("10.0.0.0/24"))
                .availability_zone(Az::index(0))
                .build(),
        );
        let sg = stack.add(
            "Sg",
            SecurityGroup::builder()
                .vpc(&vpc)
                .description("sts")
                .build(),
        );
        let sts = stack.add(
            "Sts",
            InterfaceEndpoint::builder()
                .vpc(&vpc)
                .service(services::Sts)
                .subnets([&a])
                .security_groups([&sg])
                .build(),
        );
        if allow {
            stack.allow_for(&sts, crate::findings::Code::VF0208);
        }
        let mut app = App::new("findings");
        app.add_stack(stack);
        app
    }

    fn run(app: &App, args: &[&str]) -> (bool, super::Printed, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!(
            "vpcform-findings-{}-{}",
            std::process::id(),
            args.join("").replace(['-', '/', '.'], "")
        ));
        let _ = std::fs::remove_dir_all(&dir);
        let out = dir.join("out");
        let cli = Cli::try_parse_from(
            ["prog", "--out", out.to_str().unwrap_or("out")]
                .iter()
                .chain(args),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let (assembly, printed) = synth_printed(app, &cli);
        (assembly.is_some(), printed, dir)
    }

    #[test]
    fn text_findings_render_as_rustc_does_on_the_line_that_added_the_construct() {
        let (ok, printed, _) = run(&app(true, false), &["synth"]);
        assert!(!ok);
        let first = printed.err.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("error[VF0102]: Net/Main: "),
            "{}",
            printed.err
        );
        let here = format!("  --> {}:", file!());
        assert!(printed.err.contains(&here), "{}", printed.err);
        assert!(printed.err.contains("   = help: "), "{}", printed.err);
        assert!(
            printed
                .err
                .ends_with("error: synthesis failed with 1 error; nothing was written\n")
        );
        // Warnings print too, and do not fail.
        let (ok, printed, _) = run(&app(false, false), &["synth"]);
        assert!(ok, "{}", printed.err);
        assert!(
            printed.err.starts_with("warning[VF0208]: Net/Sts: "),
            "{}",
            printed.err
        );
    }

    #[test]
    fn format_json_writes_the_findings_as_an_array_on_stdout() {
        let (ok, printed, _) = run(&app(false, false), &["synth", "--format", "json"]);
        assert!(ok, "{}", printed.err);
        let findings: serde_json::Value =
            serde_json::from_str(&printed.out).unwrap_or_else(|e| panic!("{e}: {}", printed.out));
        let findings = findings.as_array().cloned().unwrap_or_default();
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0]["code"], "VF0208");
        assert_eq!(findings[0]["severity"], "warning");
        assert_eq!(findings[0]["construct"], "Net/Sts");
        assert_eq!(findings[0]["location"]["file"], file!());
        assert!(findings[0]["help"].is_string());
        // The summary moves to stderr, so stdout stays JSON.
        assert!(printed.err.contains("manifest -> "), "{}", printed.err);
    }

    /// `list --format json` leaves stdout to the listing: the findings go to stderr, as JSON.
    #[cfg(feature = "deploy")]
    #[test]
    fn list_format_json_writes_the_findings_on_stderr() {
        let (ok, printed, _) = run(&app(false, false), &["list", "--format", "json"]);
        assert!(ok, "{}", printed.err);
        assert!(printed.out.is_empty(), "{}", printed.out);
        assert!(printed.err.starts_with("[\n"), "{}", printed.err);
        assert!(printed.err.contains("\"VF0208\""), "{}", printed.err);
    }

    #[test]
    fn deny_warnings_makes_them_errors_and_writes_nothing() {
        let (ok, printed, dir) = run(&app(false, false), &["synth", "--deny-warnings"]);
        assert!(!ok);
        assert!(
            printed.err.starts_with("error[VF0208]: Net/Sts: "),
            "{}",
            printed.err
        );
        assert!(!dir.join("out").exists(), "nothing may be written");
        // An allowed warning is not denied: it is not there.
        let (ok, printed, _) = run(&app(false, true), &["synth", "--deny-warnings"]);
        assert!(ok, "{}", printed.err);
        assert!(printed.out.contains("1 warning allowed"), "{}", printed.out);
    }

    #[test]
    fn deny_warnings_exits_1_through_run_with() {
        let dir = std::env::temp_dir().join(format!("vpcform-deny-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let out = dir.to_str().unwrap_or("out").to_string();
        let code = app(false, false).run_with(["prog", "--out", &out, "--deny-warnings"]);
        assert_eq!(code, std::process::ExitCode::FAILURE);
        let code = app(false, false).run_with(["prog", "--out", &out]);
        assert_eq!(code, std::process::ExitCode::SUCCESS);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn sarif_is_written_on_error_too_with_the_users_line() {
        let path = std::env::temp_dir().join(format!("vpcform-{}.sarif", std::process::id()));
        let arg = path.to_str().unwrap_or("x.sarif").to_string();
        let (_, printed, _) = run(&app(true, false), &["synth", "--sarif", &arg]);
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}: {}", printed.err));
        let log: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        let result = &log["runs"][0]["results"][0];
        assert_eq!(result["ruleId"], "VF0102");
        assert_eq!(result["level"], "error");
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], file!());
        assert!(location["region"]["startLine"].as_u64().unwrap_or(0) > 0);
        let rule = result["ruleIndex"].as_u64().unwrap_or(u64::MAX) as usize;
        assert_eq!(
            log["runs"][0]["tool"]["driver"]["rules"][rule]["id"],
            "VF0102"
        );
        let _ = std::fs::remove_file(&path);
    }

    /// A program whose lookups the context lacks writes its manifest with them, says so instead
    /// of its summary, and exits 3 for the toolkit to answer them.
    #[test]
    fn missing_lookups_are_written_in_the_manifest_and_exit_3() {
        crate::topology! { stack Endpoints { vpc Landing } }
        let context = crate::lookups::Context::default();
        let mut stack = Stack::<Endpoints>::new("Endpoints")
            .account("111122223333")
            .region("eu-west-1")
            .context(&context);
        stack.add(
            "Landing",
            crate::lookups::VpcLookup::<Landing>::by_id("vpc-0a1b2c3d4e5f60718"),
        );
        let mut app = App::new("lookups");
        app.add_stack(stack);
        let dir = std::env::temp_dir().join(format!("vpcform-missing-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let out = dir.to_str().unwrap_or("out").to_string();
        let code = app.run_with(["prog", "--out", &out]);
        assert_eq!(code, std::process::ExitCode::from(3));
        let read = crate::assembly::CloudAssembly::read(&dir).unwrap_or_else(|e| panic!("{e}"));
        let keys: Vec<String> = read.manifest().missing.iter().map(|q| q.key()).collect();
        assert_eq!(
            keys,
            ["vpc:account=111122223333:region=eu-west-1:vpc-id=vpc-0a1b2c3d4e5f60718"]
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A platform team's program: its own `--config FILE` beside vpcform's verbs and flags.
    #[derive(Debug, Parser)]
    #[command(name = "platform", about = "The platform team's network")]
    struct Platform {
        /// The spokes' config.
        #[arg(long, value_name = "FILE")]
        config: std::path::PathBuf,
        #[command(flatten)]
        vpcform: Cli,
    }

    /// The app a config file describes: `{"cidr": …}`.
    fn from_config(path: &std::path::Path) -> App {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}"));
        let config: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        let cidr = config["cidr"].as_str().unwrap_or("missing").to_string();
        let mut stack = Stack::<Net>::new("Net");
        stack.add("Main", Vpc::<Main>::builder().cidr(cidr).build());
        let mut app = App::new("platform");
        app.add_stack(stack);
        app
    }

    #[test]
    fn a_program_adds_its_own_flags_beside_the_verbs_and_runs_the_parsed_cli() {
        let dir = std::env::temp_dir().join(format!("vpcform-own-flags-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        let config = dir.join("spokes.json");
        std::fs::write(&config, r#"{"cidr": "10.7.0.0/16"}"#).unwrap_or_else(|e| panic!("{e}"));
        let (config_arg, out) = (config.to_str().unwrap_or("c"), dir.join("out"));
        let out_arg = out.to_str().unwrap_or("out");

        // synth: the program reads its flag, vpcform its own, and the config's block lands in
        // the template.
        let program = Platform::try_parse_from([
            "platform", "--config", config_arg, "synth", "--out", out_arg,
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(program.config, config);
        assert!(matches!(program.vpcform.command, Some(Command::Synth)));
        let code = from_config(&program.config).run_cli(program.vpcform);
        assert_eq!(code, std::process::ExitCode::SUCCESS);
        let template = std::fs::read_to_string(out.join("Net.template.json"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(template.contains("10.7.0.0/16"), "{template}");

        // A config whose block is wrong fails synthesis as `run` would: exit 1.
        std::fs::write(&config, r#"{"cidr": "10.7.0.0/8"}"#).unwrap_or_else(|e| panic!("{e}"));
        let program =
            Platform::try_parse_from(["platform", "--config", config_arg, "--out", out_arg])
                .unwrap_or_else(|e| panic!("{e}"));
        assert!(program.vpcform.command.is_none(), "synth when omitted");
        let code = from_config(&program.config).run_cli(program.vpcform);
        assert_eq!(code, std::process::ExitCode::FAILURE);

        // The toolkit's verbs, with their own flags, and vpcform's global flags after the verb.
        #[cfg(feature = "deploy")]
        {
            use vpcform_toolkit::Verb;
            let program = Platform::try_parse_from([
                "platform", "--config", config_arg, "diff", "Net", "--format", "json",
            ])
            .unwrap_or_else(|e| panic!("{e}"));
            assert!(
                matches!(&program.vpcform.command, Some(Command::Verb(Verb::Diff { stacks })) if stacks == &["Net"])
            );
            assert_eq!(program.vpcform.format, crate::FindingsFormat::Json);
            let program =
                Platform::try_parse_from(["platform", "deploy", "--yes", "--config", config_arg]);
            assert!(
                program.is_err(),
                "--config is the program's, before the verb"
            );
            let program = Platform::try_parse_from([
                "platform",
                "--config",
                config_arg,
                "deploy",
                "--yes",
                "--concurrency",
                "2",
            ])
            .unwrap_or_else(|e| panic!("{e}"));
            assert!(matches!(
                program.vpcform.command,
                Some(Command::Verb(Verb::Deploy {
                    yes: true,
                    concurrency: 2,
                    ..
                }))
            ));
        }
        // Without the `deploy` feature a toolkit verb is refused with the way to run it, and
        // nothing is written.
        #[cfg(not(feature = "deploy"))]
        {
            let program = Platform::try_parse_from([
                "platform", "--config", config_arg, "deploy", "--yes", "--out", out_arg,
            ])
            .unwrap_or_else(|e| panic!("{e}"));
            assert!(
                matches!(&program.vpcform.command, Some(Command::Toolkit(args)) if args[0] == "deploy")
            );
            let _ = std::fs::remove_dir_all(&out);
            let code = from_config(&program.config).run_cli(program.vpcform);
            assert_eq!(code, std::process::ExitCode::from(2));
            assert!(!out.exists(), "nothing may be written");
        }
        let program = Platform::try_parse_from(["platform", "--config", config_arg, "synth"])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(program.vpcform.out, std::path::Path::new("vpcform.out"));
        // The program's flag is required by the program, and `--help` shows both parts under
        // the program's own name and description.
        let missing = Platform::try_parse_from(["platform", "synth"]).map(|_| ());
        assert_eq!(
            missing.map_err(|e| e.kind()),
            Err(clap::error::ErrorKind::MissingRequiredArgument)
        );
        let help = <Platform as clap::CommandFactory>::command()
            .render_help()
            .to_string();
        let verbs: &[&str] = if cfg!(feature = "deploy") {
            &["deploy", "destroy"]
        } else {
            &["synth"]
        };
        for part in ["The platform team's network", "--config <FILE>", "--out"]
            .iter()
            .chain(verbs)
        {
            assert!(help.contains(part), "{part} missing from:\n{help}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
