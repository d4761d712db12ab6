//! The command line as a person and a pipeline meet it: in a pseudo-terminal (Ctrl-C at the
//! approval question), with stdout or stderr a closed pipe, with AWS variables the SDK would
//! drop, with counts out of range. Each runs an example program against a moto server on
//! 127.0.0.1 (or none, where nothing is sent) and asserts exit codes, what moto was left with and
//! the lines printed. TESTING.md, "The command line in a terminal", says how.
#![cfg(unix)]

mod common;

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aws_sdk_cloudformation::Client;
use common::{Moto, aws_variables, example, private_endpoints_command};

const STACK: &str = "PrivateEndpoints";

/// A program running in a pseudo-terminal it has as its controlling terminal: what it writes
/// there is collected by a thread, and bytes typed are sent to it as a keyboard would.
struct Terminal {
    pty: Arc<pty_process::blocking::Pty>,
    child: Child,
    screen: Arc<Mutex<Vec<u8>>>,
    /// Signalled when the reader has read everything the program wrote (EIO: the program and
    /// every copy of its terminal are gone).
    drained: std::sync::mpsc::Receiver<()>,
}

impl Terminal {
    /// Runs `command` with the pty as its stdin, stdout and stderr unless `command` says
    /// otherwise.
    fn spawn(command: pty_process::blocking::Command) -> Terminal {
        let (pty, pts) = pty_process::blocking::open().expect("a pty");
        pty.resize(pty_process::Size::new(40, 160)).expect("resize");
        let child = command.spawn(pts).expect("spawn in the pty");
        let pty = Arc::new(pty);
        let screen = Arc::new(Mutex::new(Vec::new()));
        let (reader, sink) = (pty.clone(), screen.clone());
        let (done, drained) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            // Ends with EIO once the program and every copy of its terminal are gone.
            while let Ok(n @ 1..) = (&*reader).read(&mut buffer) {
                sink.lock().expect("screen").extend_from_slice(&buffer[..n]);
            }
            let _ = done.send(());
        });
        Terminal {
            pty,
            child,
            screen,
            drained,
        }
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.screen.lock().expect("screen")).into_owned()
    }

    /// Waits until the terminal shows `text`.
    fn wait_for(&mut self, text: &str, limit: Duration) {
        let deadline = Instant::now() + limit;
        while !self.screen().contains(text) {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "exited ({status}) before showing {text:?}:\n{}",
                    self.screen()
                );
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("{text:?} not shown within {limit:?}:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Types `bytes` (0x03 is Ctrl-C: the terminal sends SIGINT to the program).
    fn press(&self, bytes: &[u8]) {
        (&*self.pty).write_all(bytes).expect("typed");
    }

    /// The exit status within `limit`, or the program is killed and the test fails. Then
    /// waits (up to a second, outside `limit`) for the reader to take the program's last
    /// lines off the terminal: the program may exit before they are read.
    fn exit_within(&mut self, limit: Duration) -> ExitStatus {
        let screen = self.screen.clone();
        let status = exit_within(&mut self.child, limit, move || {
            String::from_utf8_lossy(&screen.lock().expect("screen")).into_owned()
        });
        let _ = self.drained.recv_timeout(Duration::from_secs(1));
        status
    }
}

/// `child`'s exit status within `limit`; else it is killed and the test fails with `shown()`.
fn exit_within(child: &mut Child, limit: Duration, shown: impl Fn() -> String) -> ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("still running after {limit:?}:\n{}", shown());
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// `vpcform deploy` of the private_endpoints example in a pty, against `moto`, asking before
/// any change.
fn deploy_in_a_terminal(moto: &Moto, out: &PathBuf) -> pty_process::blocking::Command {
    pty_process::blocking::Command::new(env!("CARGO_BIN_EXE_vpcform"))
        .arg("--app")
        .arg(example("toolkit_test_app"))
        .envs(aws_variables(&moto.url()))
        .env_remove("AWS_PROFILE")
        .args(["deploy", "--require-approval", "any-change", "--out"])
        .arg(out)
}

fn out_dir(test: &str) -> PathBuf {
    std::env::temp_dir().join(format!("vpcform-{test}-{}", std::process::id()))
}

/// The change sets moto holds for the stack (moto's ListChangeSets answers every stack's:
/// they are filtered here); none when the stack is gone.
fn change_sets(client: &Client) -> Vec<String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    match runtime.block_on(client.list_change_sets().stack_name(STACK).send()) {
        Ok(listed) => listed
            .summaries()
            .iter()
            .filter(|s| s.stack_name() == Some(STACK))
            .filter_map(|s| s.change_set_name().map(str::to_string))
            .collect(),
        Err(e) => {
            let text = format!(
                "{:?}",
                aws_sdk_cloudformation::error::DisplayErrorContext(&e)
            );
            assert!(text.contains("does not exist"), "{text}");
            Vec::new()
        }
    }
}

/// Ctrl-C typed at the approval question: the program exits 130 within 2 s, having deleted
/// the change set (and the empty stack it made) and printed the summary. The question used to
/// read the answer while holding the progress display's lock, which the cleanup's first line
/// waited for: nothing happened until Enter.
#[test]
fn ctrl_c_at_the_approval_question_exits_130_at_once_and_deletes_the_change_set() {
    let Some(moto) = Moto::start() else { return };
    let out = out_dir("pty-question");
    let mut terminal = Terminal::spawn(deploy_in_a_terminal(&moto, &out));
    terminal.wait_for("[y/N]", Duration::from_secs(60));
    assert_eq!(change_sets(&moto.client()).len(), 1, "the change set waits");

    terminal.press(b"\x03");
    let status = terminal.exit_within(Duration::from_secs(2));
    let screen = terminal.screen();
    assert_eq!(status.code(), Some(130), "{screen}");
    assert!(screen.contains("summary:"), "{screen}");
    assert!(
        screen.contains(&format!("error: {STACK}: interrupted before executing")),
        "{screen}"
    );
    assert_eq!(
        change_sets(&moto.client()),
        Vec::<String>::new(),
        "{screen}"
    );
    let _ = std::fs::remove_dir_all(&out);
}

/// While the cleanup after a Ctrl-C waits on an endpoint that no longer answers (moto stopped
/// with SIGSTOP), a second Ctrl-C exits at once with 130.
#[test]
fn a_second_ctrl_c_exits_130_at_once_while_the_cleanup_waits() {
    let Some(moto) = Moto::start() else { return };
    let out = out_dir("pty-second");
    let mut terminal = Terminal::spawn(deploy_in_a_terminal(&moto, &out));
    terminal.wait_for("[y/N]", Duration::from_secs(60));
    let stopped = moto.pause();
    terminal.press(b"\x03");
    terminal.wait_for("Ctrl-C again", Duration::from_secs(2));
    terminal.press(b"\x03");
    let status = terminal.exit_within(Duration::from_secs(1));
    drop(stopped);
    assert_eq!(status.code(), Some(130), "{}", terminal.screen());
    let _ = std::fs::remove_dir_all(&out);
}

/// A pipe whose reading end is closed: every write to it fails with EPIPE.
fn closed_pipe() -> std::io::PipeWriter {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    writer
}

/// With stderr a closed pipe (`deploy 2>&1 | tee log`, then Ctrl-C ends tee), Ctrl-C is still
/// delivered: the change set is deleted and the exit code is 130. The handler's line used to
/// panic on EPIPE before the interrupt was sent, leaving the change set and the question.
#[test]
fn ctrl_c_with_stderr_a_closed_pipe_still_interrupts() {
    let Some(moto) = Moto::start() else { return };
    let out = out_dir("pty-closed-stderr");
    let mut terminal =
        Terminal::spawn(deploy_in_a_terminal(&moto, &out).stderr(Stdio::from(closed_pipe())));
    terminal.wait_for(&format!("{STACK}: change set"), Duration::from_secs(60));
    let deadline = Instant::now() + Duration::from_secs(10);
    while change_sets(&moto.client()).is_empty() {
        assert!(Instant::now() < deadline, "{}", terminal.screen());
        std::thread::sleep(Duration::from_millis(50));
    }
    // Time for the question to be asked (on stderr, lost): the interrupt works either way.
    std::thread::sleep(Duration::from_millis(500));

    let killed = Command::new("kill")
        .args(["-INT", &terminal.child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = terminal.exit_within(Duration::from_secs(2));
    let screen = terminal.screen();
    assert_eq!(status.code(), Some(130), "{screen}");
    assert!(screen.contains("summary:"), "{screen}");
    assert_eq!(
        change_sets(&moto.client()),
        Vec::<String>::new(),
        "{screen}"
    );
    let _ = std::fs::remove_dir_all(&out);
}

/// Runs the example with stdout and stderr closed pipes and no AWS endpoint that answers
/// (nothing here may reach one); its exit code.
fn exit_code_with_closed_output(args: &[&str]) -> Option<i32> {
    let out = out_dir(&format!(
        "closed-{}",
        args.join("-").replace(['/', ' '], "_")
    ));
    let mut child = private_endpoints_command("http://127.0.0.1:1")
        .args(args)
        .arg("--out")
        .arg(&out)
        .stdin(Stdio::null())
        .stdout(closed_pipe())
        .stderr(closed_pipe())
        .spawn()
        .expect("run the example");
    let status = exit_within(&mut child, Duration::from_secs(30), || format!("{args:?}"));
    let _ = std::fs::remove_dir_all(&out);
    status.code()
}

/// Writing to a closed stdout or stderr is never a panic (exit 101): a usage error still exits
/// 2, and a synth 0 (`deploy --parameters garbage 2>&1 | head -1` used to exit 101).
#[test]
fn closed_stdout_and_stderr_keep_the_exit_codes() {
    assert_eq!(
        exit_code_with_closed_output(&["deploy", "--parameters", "garbage"]),
        Some(2)
    );
    assert_eq!(
        exit_code_with_closed_output(&["deploy", "--parameters", "Nowhere:X=1"]),
        Some(2)
    );
    assert_eq!(
        exit_code_with_closed_output(&["deploy", "Nowhere"]),
        Some(2)
    );
    assert_eq!(
        exit_code_with_closed_output(&["deploy", "--change-set", "cs-1"]),
        Some(2),
        "--change-set names one stack"
    );
    assert_eq!(exit_code_with_closed_output(&["synth"]), Some(0));
    assert_eq!(
        exit_code_with_closed_output(&["deploy", "--bogus"]),
        Some(2)
    );
}

/// Counts and durations on the command line are range-checked by clap: exit 2 before anything
/// is synthesized or sent.
#[test]
fn counts_and_durations_out_of_range_are_usage_errors() {
    for args in [
        ["deploy", "--concurrency", "0"],
        ["deploy", "--timeout", "0"],
    ] {
        let output = private_endpoints_command("http://127.0.0.1:1")
            .args(args)
            .arg("--out")
            .arg(out_dir("range"))
            .output()
            .expect("run the example");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(args[1]), "{args:?}: {stderr}");
    }
}

/// Runs `deploy` with `variable` set to `value` on top of a run against 127.0.0.1:1 (refused:
/// nothing is ever sent anywhere else); its exit code and stderr.
fn deploy_with(variable: &str, value: &OsStr) -> (Option<i32>, String) {
    let out = out_dir(&format!("env-{variable}"));
    let mut child = private_endpoints_command("http://127.0.0.1:1")
        .env(variable, value)
        .args(["deploy", "--out"])
        .arg(&out)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the example");
    let mut stderr = child.stderr.take().expect("stderr");
    let collected = Arc::new(Mutex::new(String::new()));
    let sink = collected.clone();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        *sink.lock().expect("stderr") = text;
    });
    // Refused at once; a run that went on retries 127.0.0.1:1 for far longer than this.
    let status = exit_within(&mut child, Duration::from_secs(10), || {
        format!("{variable} was not refused")
    });
    let _ = reader.join();
    let _ = std::fs::remove_dir_all(&out);
    let text = collected.lock().expect("stderr").clone();
    (status.code(), text)
}

/// An endpoint, region or profile the SDK would silently drop (not UTF-8: the SDK then falls
/// back to AWS's own endpoint, the default region or profile), or an endpoint URL it cannot
/// use, is refused with one line naming the variable, exit 2, before any client is made.
#[test]
fn aws_variables_the_sdk_would_drop_are_refused() {
    let not_utf8 = OsStr::from_bytes(b"http://127.0.0.1:5000/\xff");
    for (variable, value) in [
        ("AWS_ENDPOINT_URL_CLOUDFORMATION", not_utf8),
        ("AWS_PROFILE", OsStr::from_bytes(b"prod\xff")),
        ("AWS_REGION", OsStr::from_bytes(b"us-east-1\xff")),
        ("AWS_ENDPOINT_URL", OsStr::new("127.0.0.1:5000")),
        ("AWS_ENDPOINT_URL", OsStr::new("http://[::1")),
    ] {
        let (code, stderr) = deploy_with(variable, value);
        assert_eq!(code, Some(2), "{variable}: {stderr}");
        let line = stderr
            .lines()
            .find(|l| l.starts_with("error: "))
            .unwrap_or_else(|| panic!("{variable}: {stderr}"));
        assert!(line.contains(variable), "{line}");
        assert!(!stderr.contains("Request {"), "no Debug dump: {stderr}");
    }
}
