//! Project tasks: `cargo xtask ci` runs everything CI checks.
//!
//! `std` and serde_json (for the service catalogue): the task runner must build in seconds on a
//! clean machine.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// cfn-lint carries AWS's resource schemas; moto emulates CloudFormation for the end-to-end
/// deploy tests. Both pinned so a new release cannot fail CI unannounced.
const PYTHON_TOOLS: [&str; 2] = ["cfn-lint==1.58.0", "moto[server]==5.2.5"];

/// checkov, the security scanner users run over templates, in a virtualenv of its own (its
/// dependencies pin versions cfn-lint and moto do not share).
const CHECKOV: &str = "checkov==3.3.30";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("ci") => ci(),
        Some("layers") => layers::main(),
        Some("lint-templates") => lint_templates(),
        Some("demo") => demo(),
        Some("diagram") => diagram(),
        Some("bench") => bench::main(&args[1..]),
        Some("mutants") => mutants(&args[1..]),
        Some("catalogue") => catalogue::main(&args[1..]),
        Some("fn-length") => fn_length::main(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask <task>\n\n\
                 tasks:\n  \
                 ci              fmt check, clippy, layers, fn-length, tests (INSTA_UPDATE=no, moto), cfn-lint and checkov of every example\n  \
                 layers          check that vpcform-net's modules import only from their layer and below\n                  \
                 (the order in crates/vpcform-net/LAYERS)\n  \
                 lint-templates  synthesize every example and run cfn-lint and checkov over the templates\n  \
                 demo            deploy examples/private_endpoints.rs to a local moto server and back\n  \
                 diagram         render each example's diagram to docs/<example>.svg with Graphviz\n  \
                 bench [--cold] [--deploy]  whole-process timings and peak RSS; rewrites its marked sections of BENCHMARKS.md\n  \
                 mutants [rules|model] [ARGS]  cargo-mutants over the network crate (slow; not in CI)\n  \
                 catalogue [--check] [--from-dump FILE --date YYYY-MM-DD [--region R]]\n                  \
                 regenerate the AWS service types from the vendored catalogue, merging a\n                  \
                 describe-vpc-endpoint-services dump first when given\n  \
                 fn-length       fail on a hand-written function over 120 lines (allow-list in xtask/src/fn_length.rs)"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

type Result<T = ()> = std::result::Result<T, String>;

mod bench;
mod catalogue;
mod fn_length;
mod layers;

fn root() -> PathBuf {
    // xtask/ sits at the workspace root.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(root());
    cmd
}

/// Runs a command, echoing it; an error names the step that failed.
fn run(step: &str, cmd: &mut Command) -> Result {
    eprintln!("==> {step}");
    let status = cmd
        .status()
        .map_err(|e| format!("{step}: could not start {:?}: {e}", cmd.get_program()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{step} failed ({status})"))
    }
}

fn ci() -> Result {
    run(
        "cargo fmt --check",
        cargo().args(["fmt", "--all", "--", "--check"]),
    )?;
    run(
        "cargo clippy",
        cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    eprintln!("==> cargo xtask layers");
    layers::main()?;
    fn_length::main(&[])?;
    catalogue::main(&["--check".to_string()])?;
    synth_only_builds_no_aws_sdk()?;
    toolkit_knows_no_builders()?;
    // The in-program verbs (the facade's `deploy` feature) are off by default: keep them
    // compiling and warning-free.
    run(
        "cargo clippy --features deploy",
        cargo().args([
            "clippy",
            "-p",
            "vpcform",
            "--features",
            "deploy",
            "--lib",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    // Before the tests: the end-to-end deploy tests need moto, and must fail, not skip,
    // without it.
    let venv = ensure_python_tools()?;
    run(
        "cargo test",
        cargo()
            .args(["test", "--workspace"])
            .env("INSTA_UPDATE", "no")
            .env("VPCFORM_REQUIRE_MOTO", "1")
            .env("VPCFORM_MOTO_SERVER", venv.join("bin/moto_server")),
    )?;
    // The guide's pages are the facade's docs (`src/guide.rs`, links rewritten by `build.rs`):
    // rustdoc with warnings denied proves every link between pages and to the API resolves.
    run(
        "cargo doc (guide and API links)",
        cargo()
            .args(["doc", "--no-deps", "-p", "vpcform"])
            .env("RUSTDOCFLAGS", "-D warnings"),
    )?;
    lint_templates()
}

/// The functions that hold AWS's rules and the model's guarantees: every check, validation,
/// claim and resolution in the network crate (matched against cargo-mutants' names).
const MUTANTS_RULES: &str =
    "check|valid|zone_problem|claim|resolve|is_region_code|is_zone_id|open|overlap";

/// The analyses read off the model, mutated whole: relations, traffic, cost, PrivateLink.
const MUTANTS_MODEL_FILES: [&str; 4] = [
    "crates/vpcform-net/src/model.rs",
    "crates/vpcform-net/src/traffic/*.rs",
    "crates/vpcform-net/src/cost.rs",
    "crates/vpcform-net/src/privatelink.rs",
];

/// cargo-mutants over `vpcform-net` in two passes, the rules (every file, functions matching
/// [`MUTANTS_RULES`]) into `mutants.out/rules`, the model and its analyses (whole files) into
/// `mutants.out/model`: each must have a test that fails when it is changed. Runs the crate's
/// unit and integration tests (not doctests, not trybuild: neither sees a synth-time rule).
/// `cargo xtask mutants rules` or `… model` runs one pass; other arguments go to cargo-mutants
/// (`--list`, `--shard 1/2`). TESTING.md has the results.
fn mutants(args: &[String]) -> Result {
    let only = args
        .first()
        .filter(|a| matches!(a.as_str(), "rules" | "model"))
        .cloned();
    let extra = if only.is_some() { &args[1..] } else { args };
    let installed = cargo()
        .args(["mutants", "--version"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !installed {
        return Err(
            "cargo-mutants is not installed: `cargo install cargo-mutants --locked`".into(),
        );
    }
    // Every integration test but trybuild's, which rebuilds the crate per run and checks only
    // compile-time rules.
    let tests = root().join("crates/vpcform-net/tests");
    let mut names: Vec<String> = std::fs::read_dir(&tests)
        .map_err(|e| format!("{}: {e}", tests.display()))?
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".rs").map(str::to_string)
        })
        .filter(|name| name != "trybuild")
        .collect();
    names.sort();
    let pass = |name: &str, scope: &[String]| {
        let _ = std::fs::create_dir_all(root().join("mutants.out").join(name));
        let mut cmd = cargo();
        cmd.args(["mutants", "--package", "vpcform-net", "--jobs", "1"])
            .arg("--output")
            .arg(root().join("mutants.out").join(name))
            .arg("--cargo-test-arg=--lib");
        for test in &names {
            cmd.arg(format!("--cargo-test-arg=--test={test}"));
        }
        cmd.args(scope).args(extra);
        // cargo-mutants exits non-zero when any mutant is missed: the ratio is what counts.
        let _ = run(&format!("cargo mutants ({name})"), &mut cmd);
    };
    let wanted = |name: &str| only.as_deref().is_none_or(|o| o == name);
    if wanted("rules") {
        pass("rules", &["--re".to_string(), MUTANTS_RULES.to_string()]);
    }
    if wanted("model") {
        let files: Vec<String> = MUTANTS_MODEL_FILES
            .iter()
            .flat_map(|f| ["--file".to_string(), f.to_string()])
            .collect();
        pass("model", &files);
    }
    for name in ["rules", "model"] {
        let dir = root().join("mutants.out").join(name).join("mutants.out");
        let count = |file: &str| {
            std::fs::read_to_string(dir.join(file))
                .map(|t| t.lines().filter(|l| !l.trim().is_empty()).count())
                .unwrap_or(0)
        };
        let (caught, missed, timeout) = (
            count("caught.txt"),
            count("missed.txt"),
            count("timeout.txt"),
        );
        let tested = caught + missed + timeout;
        if tested > 0 {
            eprintln!(
                "{name}: {caught} of {tested} viable mutants caught ({:.1} %); missed: {}",
                100.0 * caught as f64 / tested as f64,
                dir.join("missed.txt").display()
            );
        }
    }
    Ok(())
}

/// A program on `vpcform` with its default features, and README's `cargo run --example`
/// (which compiles the package's dev-dependencies too), must not compile the AWS SDK or tokio:
/// the `vpcform` toolkit deploys.
fn synth_only_builds_no_aws_sdk() -> Result {
    eprintln!("==> the default dependency tree (with dev-dependencies) has no AWS SDK");
    let output = cargo()
        .args([
            "tree",
            "--package",
            "vpcform",
            "--edges",
            "normal,dev",
            "--prefix",
            "none",
        ])
        .output()
        .map_err(|e| format!("cargo tree: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo tree failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let tree = String::from_utf8_lossy(&output.stdout);
    match tree
        .lines()
        .find(|l| l.starts_with("aws-") || l.starts_with("tokio "))
    {
        Some(line) => Err(format!(
            "`vpcform` (default features, with dev-dependencies) depends on {line}"
        )),
        None => Ok(()),
    }
}

/// The deployer and the toolkit read the cloud assembly and know nothing of builders (as CDK's
/// toolkit and app): neither depends on `vpcform-net` (ARCHITECTURE.md, "Layers").
fn toolkit_knows_no_builders() -> Result {
    eprintln!("==> the deployer and the toolkit do not depend on vpcform-net");
    for package in ["vpcform-deploy", "vpcform-toolkit"] {
        let output = cargo()
            .args([
                "tree",
                "--package",
                package,
                "--edges",
                "normal",
                "--prefix",
                "none",
            ])
            .output()
            .map_err(|e| format!("cargo tree: {e}"))?;
        let tree = String::from_utf8_lossy(&output.stdout);
        if !output.status.success() || tree.lines().any(|l| l.starts_with("vpcform-net ")) {
            return Err(format!(
                "{package} depends on vpcform-net (or cargo tree failed: {})",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
    }
    Ok(())
}

/// Synthesizes each example into `target/xtask/synth/<example>` and runs cfn-lint over every
/// template; any finding (error, warning or informational) fails.
fn lint_templates() -> Result {
    let cfn_lint = ensure_python_tools()?.join("bin/cfn-lint");
    let out = root().join("target/xtask/synth");
    let _ = std::fs::remove_dir_all(&out);
    let mut templates = Vec::new();
    for (_, dir) in synthesize_examples(&out)? {
        let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.to_string_lossy().ends_with(".template.json") {
                templates.push(path);
            }
        }
    }
    if templates.is_empty() {
        return Err("the examples synthesized no template".into());
    }
    templates.sort();
    // The deployer's bootstrap stack (checked in; a vpcform-deploy test keeps it current).
    templates.push(root().join("crates/vpcform-deploy/bootstrap.template.json"));
    run(
        &format!("cfn-lint over {} templates", templates.len()),
        Command::new(&cfn_lint).args(&templates),
    )?;
    eprintln!("cfn-lint: {} templates, no findings", templates.len());
    // Offline (`--skip-download`: no call to Prisma Cloud); exits 1 on any failed check.
    let checkov =
        ensure_venv("target/xtask/checkov-venv", &[CHECKOV], "checkov")?.join("bin/checkov");
    run(
        &format!("checkov over {} templates", templates.len()),
        Command::new(&checkov)
            .args([
                "--framework",
                "cloudformation",
                "--skip-download",
                "--compact",
                "--quiet",
            ])
            .arg("-f")
            .args(&templates),
    )?;
    eprintln!("checkov: {} templates, no failed check", templates.len());
    Ok(())
}

/// Runs each example's `synth` into `out/<example>`; returns each example and its directory.
fn synthesize_examples(out: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut dirs = Vec::new();
    for example in examples()? {
        let dir = out.join(&example);
        run(
            &format!("synthesize example {example}"),
            cargo()
                .args([
                    "run",
                    "--quiet",
                    "--example",
                    &example,
                    "--",
                    "synth",
                    "--out",
                ])
                .arg(&dir),
        )?;
        dirs.push((example, dir));
    }
    Ok(dirs)
}

fn examples() -> Result<Vec<String>> {
    let dir = root().join("examples");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".rs").map(str::to_string)
        })
        .collect();
    names.sort();
    Ok(names)
}

/// Creates `target/xtask/venv` with the pinned Python tools unless it has them already, and
/// returns the virtualenv's directory.
fn ensure_python_tools() -> Result<PathBuf> {
    ensure_venv("target/xtask/venv", &PYTHON_TOOLS, "cfn-lint")
}

/// Creates the virtualenv `dir` with the pinned `tools` unless it has them already (a stamp
/// file and the `program` it runs), and returns its directory.
fn ensure_venv(dir: &str, tools: &[&str], program: &str) -> Result<PathBuf> {
    let venv = root().join(dir);
    let stamp = venv.join(".installed");
    let wanted = tools.join(" ");
    let installed = std::fs::read_to_string(&stamp).unwrap_or_default();
    if installed.trim() == wanted && venv.join("bin").join(program).exists() {
        return Ok(venv);
    }
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    run(
        "create the Python virtualenv",
        Command::new(&python).arg("-m").arg("venv").arg(&venv),
    )?;
    run(
        &format!("pip install {wanted}"),
        Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .args(tools),
    )?;
    std::fs::write(&stamp, &wanted).map_err(|e| format!("{}: {e}", stamp.display()))?;
    Ok(venv)
}

/// Synthesizes each example and renders its Graphviz diagram to `docs/<example>.svg`.
fn diagram() -> Result {
    if Command::new("dot").arg("-V").output().is_err() {
        return Err(
            "Graphviz's `dot` is not installed: `apt-get install graphviz` (Debian), then retry"
                .into(),
        );
    }
    let out = root().join("target/xtask/diagram");
    let docs = root().join("docs");
    std::fs::create_dir_all(&docs).map_err(|e| format!("{}: {e}", docs.display()))?;
    for (example, dir) in synthesize_examples(&out)? {
        let dot = std::fs::read_dir(&dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == "dot"))
            .ok_or_else(|| format!("example {example} wrote no .dot file"))?;
        let svg = docs.join(format!("{example}.svg"));
        run(
            &format!("render {}", svg.display()),
            Command::new("dot")
                .arg("-Tsvg")
                .arg(&dot)
                .arg("-o")
                .arg(&svg),
        )?;
    }
    Ok(())
}

/// A moto server on a free loopback port, stopped when dropped.
struct Moto {
    child: std::process::Child,
    url: String,
}

impl Moto {
    fn start(venv: &Path) -> Result<Moto> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .map_err(|e| format!("no free port: {e}"))?;
        let child = Command::new(venv.join("bin/moto_server"))
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .map_err(|e| format!("moto_server: {e}"))?;
        let moto = Moto {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if std::time::Instant::now() > deadline {
                return Err("moto did not start within 30 s".into());
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        eprintln!("moto listening on {}", moto.url);
        Ok(moto)
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        eprintln!("moto stopped");
    }
}

/// For a newcomer without an AWS account: deploys `examples/private_endpoints.rs` to a local
/// moto server with live progress, lists the endpoints it made, destroys it, stops the server.
fn demo() -> Result {
    let venv = ensure_python_tools()?;
    let moto = Moto::start(&venv)?;
    // Through the toolkit, as a user deploys: `vpcform` runs the program (its `app`) and
    // deploys the assembly it writes.
    let example = |verb: &[&str]| {
        let mut cmd = cargo();
        cmd.args([
            "run",
            "--quiet",
            "-p",
            "vpcform-toolkit",
            "--bin",
            "vpcform",
            "--",
        ])
        .args(["--app", "cargo run --quiet --example private_endpoints --"])
        .args(verb)
        .env("AWS_ENDPOINT_URL", &moto.url)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env_remove("AWS_PROFILE");
        cmd
    };
    run("deploy to moto", &mut example(&["deploy", "--yes"]))?;
    run(
        "list the VPC endpoints",
        Command::new(venv.join("bin/python")).args(["-c", LIST_ENDPOINTS, &moto.url]),
    )?;
    if let Err(e) = run("destroy", &mut example(&["destroy", "--yes"])) {
        // moto never deletes route tables: its DeleteStack then reports DependencyViolation and
        // drops the stack anyway (shared/docs/emulator.md). Real CloudFormation does not.
        run(
            "check the stack is gone",
            Command::new(venv.join("bin/python")).args(["-c", STACK_GONE, &moto.url]),
        )
        .map_err(|_| e)?;
        eprintln!("(moto keeps route tables it cannot delete; the stack itself is gone)");
    }
    Ok(())
}

/// Exits 0 when the demo's stack no longer exists.
const STACK_GONE: &str = r#"
import sys, boto3
cfn = boto3.client("cloudformation", endpoint_url=sys.argv[1], region_name="us-east-1",
                   aws_access_key_id="testing", aws_secret_access_key="testing")
try:
    cfn.describe_stacks(StackName="PrivateEndpoints")
except cfn.exceptions.ClientError as e:
    sys.exit(0 if "does not exist" in str(e) else 1)
sys.exit(1)
"#;

/// Lists VPC endpoints through EC2's API (boto3 comes with moto).
const LIST_ENDPOINTS: &str = r#"
import sys, boto3
ec2 = boto3.client("ec2", endpoint_url=sys.argv[1], region_name="us-east-1",
                   aws_access_key_id="testing", aws_secret_access_key="testing")
for e in ec2.describe_vpc_endpoints()["VpcEndpoints"]:
    print(f'  {e["VpcEndpointId"]}  {e["VpcEndpointType"]:<9}  {e["ServiceName"]}')
"#;
