//! `cargo xtask bench`: whole-process wall time and peak RSS of the release examples, the
//! scaling exponent, the edit-build-synth loop, and (on request) cold builds and deploys.
//! Writes BENCHMARKS.md.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::{Moto, Result, cargo, ensure_python_tools, root, run};

/// One whole-process run: wall time and peak resident set size.
#[derive(Clone, Copy)]
struct Sample {
    wall: Duration,
    max_rss_kib: u64,
}

/// Runs `cmd` to completion, measuring its wall time and its own peak RSS (wait4's rusage).
fn measure(cmd: &mut Command) -> Result<Sample> {
    cmd.stdout(Stdio::null()).stderr(Stdio::null());
    let start = Instant::now();
    let child = cmd
        .spawn()
        .map_err(|e| format!("{:?}: {e}", cmd.get_program()))?;
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to overwrite.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our child, not yet reaped; both out-pointers are valid for the call.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    if reaped != pid || !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        return Err(format!("{:?} failed (status {status})", cmd.get_program()));
    }
    Ok(Sample {
        wall,
        max_rss_kib: usage.ru_maxrss as u64,
    })
}

/// Median, min and max of a list.
fn stats<T: Copy + PartialOrd>(mut values: Vec<T>) -> (T, T, T) {
    values.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    (
        values[values.len() / 2],
        values[0],
        values[values.len() - 1],
    )
}

struct Row {
    scenario: String,
    resources: usize,
    wall: (f64, f64, f64),
    rss: (u64, u64, u64),
    target: String,
    met: bool,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Runs a release example `runs` times (after 3 warm-ups) with `env`.
fn whole_process(
    example: &str,
    env: &[(&str, String)],
    runs: usize,
) -> Result<(Vec<Sample>, usize)> {
    let binary = root().join("target/release/examples").join(example);
    let out = root().join("target/xtask/bench-out").join(example);
    // A fresh directory: the resource count reads what this scenario wrote.
    let _ = std::fs::remove_dir_all(&out);
    let command = || {
        let mut cmd = Command::new(&binary);
        cmd.args(["synth", "--out"]).arg(&out);
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd
    };
    for _ in 0..3 {
        measure(&mut command())?;
    }
    let samples = (0..runs)
        .map(|_| measure(&mut command()))
        .collect::<Result<Vec<_>>>()?;
    Ok((samples, count_resources(&out)?))
}

/// Resources in the templates an example wrote.
fn count_resources(dir: &Path) -> Result<usize> {
    let mut total = 0;
    for entry in std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
    {
        let path = entry.path();
        if path.to_string_lossy().ends_with(".template.json") {
            let text =
                std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            // In the pretty-printed template each resource's `"Type": "AWS::…"` sits at an
            // indent of six; nested properties are deeper, parameters' types are not AWS::.
            total += text.matches("\n      \"Type\": \"AWS::").count();
        }
    }
    Ok(total)
}

fn row(
    scenario: &str,
    resources: usize,
    samples: &[Sample],
    wall_target_ms: f64,
    rss_target_mib: f64,
) -> Row {
    let wall = stats(samples.iter().map(|s| ms(s.wall)).collect());
    let rss = stats(samples.iter().map(|s| s.max_rss_kib).collect());
    let met = wall.0 <= wall_target_ms && (rss.0 as f64 / 1024.0) <= rss_target_mib;
    Row {
        scenario: scenario.to_string(),
        resources,
        wall,
        rss,
        target: format!("≤ {wall_target_ms} ms, ≤ {rss_target_mib} MiB"),
        met,
    }
}

/// Least-squares slope of log(time) over log(size): the exponent of time ∝ size^k.
fn exponent(points: &[(f64, f64)]) -> f64 {
    let logs: Vec<(f64, f64)> = points.iter().map(|(x, y)| (x.ln(), y.ln())).collect();
    let n = logs.len() as f64;
    let (sx, sy) = logs
        .iter()
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
    let (mx, my) = (sx / n, sy / n);
    let num: f64 = logs.iter().map(|(x, y)| (x - mx) * (y - my)).sum();
    let den: f64 = logs.iter().map(|(x, _)| (x - mx).powi(2)).sum();
    num / den
}

/// Edits one line of examples/privatelink.rs, rebuilds (debug, incremental) and runs it;
/// restores the file afterwards, whatever happens.
fn edit_build_synth(runs: usize) -> Result<Vec<Duration>> {
    let path = root().join("examples/privatelink.rs");
    let original =
        std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let marker = "const CONSUMER_ACCOUNT: &str = \"arn:aws:iam::111122223333:root\";";
    if !original.contains(marker) {
        return Err("examples/privatelink.rs no longer has the line the benchmark edits".into());
    }
    // Warm the incremental cache.
    run(
        "build the example (debug)",
        cargo().args(["build", "--quiet", "--example", "privatelink"]),
    )?;
    let mut times = Vec::new();
    let result = (|| {
        for i in 0..runs {
            let edited = original.replace(
                marker,
                &format!(
                    "const CONSUMER_ACCOUNT: &str = \"arn:aws:iam::11112222{:04}:root\";",
                    i
                ),
            );
            std::fs::write(&path, edited).map_err(|e| e.to_string())?;
            let start = Instant::now();
            let status = cargo()
                .args([
                    "run",
                    "--quiet",
                    "--example",
                    "privatelink",
                    "--",
                    "synth",
                    "--out",
                ])
                .arg(root().join("target/xtask/bench-out/edit"))
                .stdout(Stdio::null())
                .status()
                .map_err(|e| e.to_string())?;
            times.push(start.elapsed());
            if !status.success() {
                return Err("the edited example failed".to_string());
            }
        }
        Ok(())
    })();
    std::fs::write(&path, &original).map_err(|e| format!("restoring {}: {e}", path.display()))?;
    result.map(|()| times)
}

/// A cold debug build of the privatelink example as a user's own program: a new crate that
/// depends on vpcform (by path, with `features`) and whose main is the example, built in an
/// empty target directory. (Building the example inside this workspace would also build the
/// workspace's dev-dependencies, which no user compiles.)
fn cold_build(
    deploy_feature: bool,
    dependency_debuginfo: bool,
    label: &str,
) -> Result<(Duration, u64, u64)> {
    let dir = root().join("target/xtask").join(format!("user-{label}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut manifest = format!(
        "[package]\nname = \"vpcform-user-{label}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\nvpcform = {{ path = {:?}{} }}\n\n[workspace]\n",
        root().display().to_string(),
        if deploy_feature {
            ", features = [\"deploy\"]"
        } else {
            ""
        }
    );
    if !dependency_debuginfo {
        // What README recommends for vpcform programs: no debuginfo for dependencies.
        manifest += "\n[profile.dev.package.\"*\"]\ndebug = false\n";
    }
    let write = |path: PathBuf, text: &str| {
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
    };
    write(dir.join("Cargo.toml"), &manifest)?;
    let example = std::fs::read_to_string(root().join("examples/privatelink.rs"))
        .map_err(|e| e.to_string())?;
    write(dir.join("src/main.rs"), &example)?;
    // The same dependency versions as the workspace: no resolution differences, no download.
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(&dir)
        .args(["build", "--quiet", "--offline"])
        .env("CARGO_TARGET_DIR", dir.join("target"));
    eprintln!("==> cold build of a user program ({label})");
    let sample = measure(&mut cmd)?;
    let size = dir_size(&dir.join("target"));
    Ok((sample.wall, sample.max_rss_kib, size))
}

fn dir_size(path: &Path) -> u64 {
    let mut total = 0;
    if let Ok(entries) = std::fs::read_dir(path) {
        for entry in entries.flatten() {
            match entry.metadata() {
                Ok(m) if m.is_dir() => total += dir_size(&entry.path()),
                Ok(m) => total += m.len(),
                Err(_) => {}
            }
        }
    }
    total
}

/// README's first command on a fresh clone: `cargo run --example privatelink` in a copy of the
/// workspace (its files as committed, the lock file, dependencies downloaded) with an empty
/// target directory — the root package's dev-dependencies included, as cargo builds them for
/// an example.
fn cold_readme_example() -> Result<(Duration, u64, u64)> {
    let dir = root().join("target/xtask/fresh-clone");
    let _ = std::fs::remove_dir_all(&dir);
    run(
        "clone the workspace (committed files)",
        Command::new("git")
            .args(["clone", "--quiet", "--shared"])
            .arg(root())
            .arg(&dir),
    )?;
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(&dir)
        .args(["run", "--quiet", "--offline", "--example", "privatelink"])
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .stdout(Stdio::null());
    eprintln!("==> cold `cargo run --example privatelink` in a fresh clone");
    let sample = measure(&mut cmd)?;
    let size = dir_size(&dir.join("target"));
    Ok((sample.wall, sample.max_rss_kib, size))
}

/// The toolkit's install: `cargo install --path crates/vpcform-toolkit` (release, as cargo
/// installs) into a scratch root with an empty target directory.
fn cold_toolkit_install() -> Result<(Duration, u64, u64)> {
    let dir = root().join("target/xtask/toolkit-install");
    let _ = std::fs::remove_dir_all(&dir);
    let mut cmd = cargo();
    cmd.args([
        "install",
        "--quiet",
        "--offline",
        "--locked",
        "--path",
        "crates/vpcform-toolkit",
        "--root",
    ])
    .arg(dir.join("root"))
    .env("CARGO_TARGET_DIR", dir.join("target"));
    eprintln!("==> cold install of the toolkit");
    let sample = measure(&mut cmd)?;
    let size = dir_size(&dir.join("target"));
    Ok((sample.wall, sample.max_rss_kib, size))
}

/// Deploys and destroys examples/private_endpoints.rs against moto, timing the deploy.
fn deploy_overhead(runs: usize) -> Result<Vec<Duration>> {
    let venv = ensure_python_tools()?;
    run(
        "build the private_endpoints example and the toolkit (release)",
        cargo().args([
            "build",
            "--quiet",
            "--release",
            "--example",
            "private_endpoints",
            "-p",
            "vpcform",
            "-p",
            "vpcform-toolkit",
        ]),
    )?;
    let program = root().join("target/release/examples/private_endpoints");
    let toolkit = root().join("target/release/vpcform");
    let mut times = Vec::new();
    for _ in 0..runs {
        let moto = Moto::start(&venv)?;
        let verb = |args: &[&str]| {
            let mut cmd = Command::new(&toolkit);
            cmd.arg("--app")
                .arg(format!("'{}'", program.display()))
                .args(args)
                .args(["--out"])
                .arg(root().join("target/xtask/bench-out/deploy"))
                .env("AWS_ENDPOINT_URL", &moto.url)
                .env("AWS_ACCESS_KEY_ID", "testing")
                .env("AWS_SECRET_ACCESS_KEY", "testing")
                .env("AWS_REGION", "us-east-1")
                .env_remove("AWS_PROFILE");
            cmd
        };
        // Warm moto's first-call cost (~1 s, its own) with a diff.
        let _ = verb(&["diff"]).stdout(Stdio::null()).status();
        times.push(measure(&mut verb(&["deploy", "--yes"]))?.wall);
    }
    Ok(times)
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| {
            t.lines().next().map(|l| {
                l.split_whitespace()
                    .nth(1)
                    .unwrap_or("0")
                    .parse::<u64>()
                    .unwrap_or(0)
            })
        })
        .unwrap_or(0);
    let rustc = Command::new("rustc")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    format!(
        "{cpu}, {cores} cores, {:.0} GiB; {rustc}",
        mem as f64 / 1024.0 / 1024.0
    )
}

fn today() -> String {
    Command::new("date")
        .arg("+%Y-%m-%d")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

/// The deployer's overhead for a 100-instance stack set, from its bench's one line:
/// `create <median> <min> <max> unchanged <median> <min> <max>` (ms).
fn stack_set_overhead() -> Result<(f64, f64, f64, f64, f64, f64)> {
    let output = cargo()
        .args([
            "bench",
            "--quiet",
            "-p",
            "vpcform-deploy",
            "--bench",
            "stack_set",
        ])
        .output()
        .map_err(|e| format!("cargo bench: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo bench -p vpcform-deploy --bench stack_set failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let numbers: Vec<f64> = text
        .lines()
        .find(|l| l.starts_with("create "))
        .map(|l| {
            l.split_whitespace()
                .filter_map(|w| w.parse().ok())
                .collect()
        })
        .unwrap_or_default();
    match numbers[..] {
        [a, b, c, d, e, f] => Ok((a, b, c, d, e, f)),
        _ => Err(format!("unexpected stack_set bench output: {text}")),
    }
}

pub(crate) fn main(args: &[String]) -> Result {
    let cold = args.iter().any(|a| a == "--cold");
    let deploy = args.iter().any(|a| a == "--deploy");
    run(
        "build the examples (release)",
        cargo().args(["build", "--quiet", "--release", "--examples"]),
    )?;
    let (rows, scaling_rows, k) = whole_process_rows()?;

    let edits = edit_build_synth(5)?;
    let edit = stats(edits.iter().map(|d| d.as_secs_f64()).collect());

    let cold_builds = if cold {
        Some([
            cold_readme_example()?,
            cold_build(false, true, "synth-only")?,
            cold_build(true, false, "deploy-lean")?,
            cold_toolkit_install()?,
        ])
    } else {
        None
    };
    let stack_set = stack_set_overhead()?;
    let deploys = if deploy {
        Some(deploy_overhead(5)?)
    } else {
        None
    };

    let mut sections = Vec::new();
    let mut section = |name: &'static str, write: &dyn Fn(&mut String)| {
        let mut text = String::new();
        write(&mut text);
        sections.push(Section { name, text });
    };
    section("whole-process", &|md| {
        write_whole_process(md, cold, deploy, &rows, &scaling_rows, k)
    });
    section("edit-loop", &|md| write_edit(md, edit));
    if let Some(builds) = cold_builds {
        section("cold-builds", &|md| write_cold_builds(md, builds));
    }
    if let Some(deploys) = &deploys {
        section("deploy-overhead", &|md| write_deploys(md, deploys));
    }
    section("stack-set-overhead", &|md| write_stack_set(md, stack_set));
    write_benchmarks(&sections)
}

/// The whole-process scenarios: the fixed ones with their targets, then the four 25-stack
/// fleets and the scaling exponent fitted over them.
fn whole_process_rows() -> Result<(Vec<Row>, Vec<Row>, f64)> {
    let mut rows = Vec::new();

    let (samples, resources) = whole_process("privatelink", &[], 30)?;
    rows.push(row(
        "privatelink example (2 stacks)",
        resources,
        &samples,
        5.0,
        8.0,
    ));

    let (samples, resources) = whole_process(
        "fleet",
        &[("FLEET_STACKS", "1".into()), ("FLEET_VPCS", "32".into())],
        30,
    )?;
    rows.push(row(
        "fleet, 1 stack × 32 VPCs",
        resources,
        &samples,
        10.0,
        10.0,
    ));

    let mut scaling = Vec::new();
    let mut scaling_rows = Vec::new();
    for vpcs in [4usize, 7, 14, 28] {
        let (samples, resources) = whole_process(
            "fleet",
            &[
                ("FLEET_STACKS", "25".into()),
                ("FLEET_VPCS", vpcs.to_string()),
            ],
            10,
        )?;
        let r = row(
            &format!("fleet, 25 stacks × {vpcs} VPCs"),
            resources,
            &samples,
            f64::INFINITY,
            f64::INFINITY,
        );
        scaling.push((resources as f64, r.wall.0));
        scaling_rows.push(r);
    }
    let k = exponent(&scaling);
    Ok((rows, scaling_rows, k))
}

/// BENCHMARKS.md's heading, the machine and the whole-process table with its scaling line.
fn write_whole_process(
    md: &mut String,
    cold: bool,
    deploy: bool,
    rows: &[Row],
    scaling_rows: &[Row],
    k: f64,
) {
    let _ = writeln!(md, "# Benchmarks\n");
    let _ = writeln!(
        md,
        "Written by `cargo xtask bench{}{}` on {}.  ",
        if cold { " --cold" } else { "" },
        if deploy { " --deploy" } else { "" },
        today()
    );
    let _ = writeln!(md, "Machine: {}.\n", machine());
    let _ = writeln!(
        md,
        "Whole process (release build, `synth --out DIR`: synthesis, checks, traffic, cost, diagrams, files), wall time and peak RSS (wait4), medians with min–max; 3 warm-up runs first.\n"
    );
    let _ = writeln!(
        md,
        "| scenario | resources | wall (ms) | peak RSS (MiB) | target | met |"
    );
    let _ = writeln!(md, "|---|---:|---|---|---|---|");
    for r in rows.iter().chain(scaling_rows) {
        let _ = writeln!(
            md,
            "| {} | {} | {:.2} ({:.2}–{:.2}) | {:.1} ({:.1}–{:.1}) | {} | {} |",
            r.scenario,
            r.resources,
            r.wall.0,
            r.wall.1,
            r.wall.2,
            r.rss.0 as f64 / 1024.0,
            r.rss.1 as f64 / 1024.0,
            r.rss.2 as f64 / 1024.0,
            if r.target.contains("inf") {
                "linear growth".to_string()
            } else {
                r.target.clone()
            },
            if r.target.contains("inf") {
                "see below".to_string()
            } else if r.met {
                "yes".into()
            } else {
                "**no**".into()
            },
        );
    }
    let _ = writeln!(
        md,
        "\nScaling: a least-squares fit of log(median wall) on log(resources) over the four 25-stack fleets gives **time ∝ resources^{k:.2}** (1.00 is linear).\n"
    );
    let _ = writeln!(
        md,
        "Peers on this kind of machine (from the performance issue): AWS CDK `cdk synth` 2.917 s / 435 MiB and troposphere 0.055 s / 18 MiB for the 25-resource scenario; CDK 2.526 s / 446 MiB and troposphere 0.081 s / 21 MiB for 454 resources.\n"
    );
}

/// The edit-build-synth loop: median, min and max in seconds.
fn write_edit(md: &mut String, edit: (f64, f64, f64)) {
    let _ = writeln!(md, "## Edit one line, rebuild, synthesize\n");
    let _ = writeln!(
        md,
        "`examples/privatelink.rs` with one constant changed, then `cargo run --example privatelink` (debug, incremental), 5 runs: median **{:.2} s** ({:.2}–{:.2}); target ≤ 3 s: {}.\n",
        edit.0,
        edit.1,
        edit.2,
        if edit.0 <= 3.0 { "met" } else { "**not met**" }
    );
}

/// The cold builds: README's example in a fresh clone, a synth-only user program, one with the
/// `deploy` feature, and the toolkit's install — wall time, peak RSS (KiB) and target directory
/// size (bytes) each.
fn write_cold_builds(md: &mut String, builds: [(Duration, u64, u64); 4]) {
    let _ = writeln!(md, "## Cold builds\n");
    let _ = writeln!(
        md,
        "Each in an empty target directory, dependencies already downloaded (`--offline`), debug unless said; peak RSS is the largest single process (rustc or the linker). A user's program is a new crate depending on vpcform by path, its `main.rs` being `examples/privatelink.rs`.\n"
    );
    let _ = writeln!(
        md,
        "| build | wall (s) | peak RSS (MiB) | target dir (MiB) | target | met |"
    );
    let _ = writeln!(md, "|---|---|---|---|---|---|");
    let rows: [(&str, Option<f64>); 4] = [
        (
            "README's `cargo run --example privatelink`, fresh clone (root dev-dependencies included)",
            Some(45.0),
        ),
        (
            "a user's program, default features (synth only, no AWS SDK)",
            Some(30.0),
        ),
        (
            "a user's program with the `deploy` feature, dependencies without debuginfo (README's profile)",
            None,
        ),
        (
            "`cargo install --path crates/vpcform-toolkit` (release, once)",
            None,
        ),
    ];
    for ((label, target), (wall, rss, size)) in rows.iter().zip(builds) {
        let secs = wall.as_secs_f64();
        let (target, met) = match target {
            Some(t) => (
                format!("≤ {t:.0} s"),
                if secs <= *t { "yes" } else { "**no**" }.to_string(),
            ),
            None => ("recorded".to_string(), "—".to_string()),
        };
        let _ = writeln!(
            md,
            "| {label} | {secs:.1} | {:.0} | {:.0} | {target} | {met} |",
            rss as f64 / 1024.0,
            size as f64 / 1048576.0
        );
    }
    let _ = writeln!(md);
}

/// The deploy overhead against moto, one duration per fresh server.
fn write_deploys(md: &mut String, deploys: &[Duration]) {
    let d = stats(deploys.iter().map(|d| d.as_secs_f64()).collect());
    let _ = writeln!(md, "## Deploy overhead\n");
    let _ = writeln!(
        md,
        "`vpcform --app private_endpoints deploy --yes` (release; 1 stack, 12 resources) against moto on 127.0.0.1, which creates such a stack in ~15 ms: the whole command, including synthesis, the change set round trips and following the stack, took a median **{:.2} s** ({:.2}–{:.2}) over {} fresh servers — against a budget of one polling interval (2 s) per stack: {}.\n",
        d.0,
        d.1,
        d.2,
        deploys.len(),
        if d.0 <= 2.0 { "met" } else { "**not met**" }
    );
}

/// The stack-set deployer's overhead: create and unchanged, median, min and max (ms).
fn write_stack_set(md: &mut String, stack_set: (f64, f64, f64, f64, f64, f64)) {
    let _ = writeln!(md, "## StackSet deployer overhead\n");
    let _ = writeln!(
        md,
        "`cargo bench -p vpcform-deploy --bench stack_set`: deploying a stack set of 100 instances (50 accounts × 2 regions) with CloudFormation mocked to answer at once (aws-smithy-mocks), so all that is measured is vpcform's own work — planning, the SDK client, following the operation and its 100 results, the report — 20 runs each. Creating the set and its instances: median **{:.2} ms** ({:.2}–{:.2}); a deploy that finds nothing to change: median **{:.2} ms** ({:.2}–{:.2}). Target: seconds, not minutes — {}.\n",
        stack_set.0,
        stack_set.1,
        stack_set.2,
        stack_set.3,
        stack_set.4,
        stack_set.5,
        if stack_set.0 < 1000.0 {
            "met"
        } else {
            "**not met**"
        }
    );
}

/// A section `cargo xtask bench` writes: its name, which its markers carry, and its text.
struct Section {
    name: &'static str,
    text: String,
}

/// The start of a section's opening marker (the date it was written follows).
fn begin_marker(name: &str) -> String {
    format!("<!-- xtask bench: {name} ")
}

/// A section's closing marker.
fn end_marker(name: &str) -> String {
    format!("<!-- xtask bench: end {name} -->")
}

/// Where a section is in `text`: from its opening marker to the line after its closing one.
fn span(text: &str, name: &str) -> Option<(usize, usize)> {
    let start = text.find(&begin_marker(name))?;
    let end = end_marker(name);
    let mut stop = start + text[start..].find(&end)? + end.len();
    if text[stop..].starts_with('\n') {
        stop += 1;
    }
    Some((start, stop))
}

/// `previous` with each section's text between its markers replaced, dated `date`: every
/// byte outside the markers (hand-written sections, notes between them) is kept, and so is a
/// section this run did not measure (`--cold`, `--deploy`). A section without markers yet is
/// added at the end.
fn splice(previous: &str, sections: &[Section], date: &str) -> String {
    let mut out = previous.to_string();
    for section in sections {
        let block = format!(
            "{}(written {date}) -->\n{}{}\n",
            begin_marker(section.name),
            section.text,
            end_marker(section.name)
        );
        match span(&out, section.name) {
            Some((start, stop)) => out.replace_range(start..stop, &block),
            None => {
                if !out.is_empty() && !out.ends_with("\n\n") {
                    out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
                }
                out.push_str(&block);
            }
        }
    }
    out
}

/// Writes BENCHMARKS.md: the measured sections replace their marked spans; everything else
/// in the file stays as written by hand.
fn write_benchmarks(sections: &[Section]) -> Result {
    let path = root().join("BENCHMARKS.md");
    let previous = std::fs::read_to_string(&path).unwrap_or_default();
    let md = splice(&previous, sections, &today());
    std::fs::write(&path, md).map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(name: &'static str, text: &str) -> Section {
        Section {
            name,
            text: text.to_string(),
        }
    }

    #[test]
    fn only_the_marked_sections_are_replaced() {
        let previous = "\
<!-- xtask bench: whole-process (written 2026-11-26) -->
# Benchmarks

old table
<!-- xtask bench: end whole-process -->

## Cold builds (by hand)

A hand-written analysis between two generated sections.

<!-- xtask bench: cold-builds (written 2026-11-26) -->
old cold builds
<!-- xtask bench: end cold-builds -->

## Analysis

Hand-written, at the end.
";
        let new = splice(
            previous,
            &[section("whole-process", "# Benchmarks\n\nnew table\n")],
            "2026-12-07",
        );
        assert_eq!(
            new,
            previous.replace(
                "(written 2026-11-26) -->\n# Benchmarks\n\nold table",
                "(written 2026-12-07) -->\n# Benchmarks\n\nnew table"
            )
        );
        // Every hand-written line and the section not re-run (`--cold`) are kept as they were.
        for kept in [
            "## Cold builds (by hand)\n\nA hand-written analysis between two generated sections.\n",
            "<!-- xtask bench: cold-builds (written 2026-11-26) -->\nold cold builds\n",
            "## Analysis\n\nHand-written, at the end.\n",
        ] {
            assert!(new.contains(kept), "lost: {kept}");
        }
        assert!(!new.contains("old table"));
    }

    #[test]
    fn a_section_without_markers_is_added_at_the_end_and_found_next_time() {
        let once = splice(
            "# Notes\n",
            &[section("edit-loop", "## Edit\n\n1 s\n")],
            "d1",
        );
        assert_eq!(
            once,
            "# Notes\n\n<!-- xtask bench: edit-loop (written d1) -->\n## Edit\n\n1 s\n\
             <!-- xtask bench: end edit-loop -->\n"
        );
        let twice = splice(&once, &[section("edit-loop", "## Edit\n\n2 s\n")], "d2");
        assert_eq!(twice, once.replace("d1", "d2").replace("1 s", "2 s"));
    }
}
