//! What the command-line tests share: a moto server on 127.0.0.1 and the example programs
//! cargo builds for them. Each test file uses a part of it.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::config::{BehaviorVersion, Credentials, Region};

/// A moto server on a free loopback port, killed on drop.
pub struct Moto {
    child: Child,
    pub port: u16,
}

impl Moto {
    /// Starts moto, or returns `None` when it is not installed and not required
    /// (`cargo xtask ci` installs it and sets VPCFORM_REQUIRE_MOTO=1).
    pub fn start() -> Option<Moto> {
        let binary = std::env::var_os("VPCFORM_MOTO_SERVER")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                    .join("../../target/xtask/venv/bin/moto_server")
            });
        if !binary.exists() {
            assert!(
                std::env::var_os("VPCFORM_REQUIRE_MOTO").is_none(),
                "moto_server not found at {}",
                binary.display()
            );
            eprintln!("skipped: moto not installed (cargo xtask ci installs it)");
            return None;
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let child = Command::new(&binary)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto_server starts");
        let moto = Moto { child, port };
        let deadline = Instant::now() + Duration::from_secs(30);
        while !moto.ready() {
            assert!(Instant::now() < deadline, "moto did not answer within 30 s");
            std::thread::sleep(Duration::from_millis(100));
        }
        Some(moto)
    }

    fn ready(&self) -> bool {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) else {
            return false;
        };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
        let request = "GET /moto-api/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
        let mut response = [0u8; 12];
        stream.write_all(request.as_bytes()).is_ok()
            && stream.read_exact(&mut response).is_ok()
            && response.starts_with(b"HTTP/1.")
    }

    /// Stops the server (SIGSTOP) until the guard is dropped: connections are still accepted
    /// by the kernel but never answered, as an endpoint that hangs.
    pub fn pause(&self) -> Paused {
        let pid = self.child.id().to_string();
        let stopped = Command::new("kill").args(["-STOP", &pid]).status();
        assert!(stopped.is_ok_and(|s| s.success()), "kill -STOP {pid}");
        Paused(pid)
    }

    /// The endpoint URL, `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn client(&self) -> Client {
        let config = aws_sdk_cloudformation::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .endpoint_url(self.url())
            .credentials_provider(Credentials::new("testing", "testing", None, None, "tests"))
            .http_client(vpcform_deploy::https_client())
            .build();
        Client::from_conf(config)
    }
}

/// A stopped moto, continued (SIGCONT) on drop.
pub struct Paused(String);

impl Drop for Paused {
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-CONT", &self.0]).status();
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The path of an example program (cargo test builds the examples next to the test binaries).
pub fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("test binary");
    exe.parent()
        .and_then(|deps| deps.parent())
        .map(|debug| debug.join("examples").join(name))
        .expect("target dir")
}

/// The AWS variables of a run against `endpoint` in us-east-1 with test credentials, no
/// profile and no configuration files (nothing of the machine's own AWS setup is read).
pub fn aws_variables(endpoint: &str) -> Vec<(&'static str, String)> {
    vec![
        ("AWS_ENDPOINT_URL", endpoint.to_string()),
        ("AWS_REGION", "us-east-1".to_string()),
        ("AWS_ACCESS_KEY_ID", "testing".to_string()),
        ("AWS_SECRET_ACCESS_KEY", "testing".to_string()),
        (
            "AWS_CONFIG_FILE",
            "/nonexistent/vpcform-test-config".to_string(),
        ),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/vpcform-test-credentials".to_string(),
        ),
    ]
}

/// The `vpcform` toolkit running the private_endpoints example's program (`--app`), talking to
/// `endpoint` (see [`aws_variables`]); the verb and its flags follow.
pub fn private_endpoints_command(endpoint: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_vpcform"));
    command
        .arg("--app")
        .arg(example("toolkit_test_app"))
        .envs(aws_variables(endpoint))
        .env_remove("AWS_PROFILE");
    command
}

/// The deployer's stacks of a synthesized assembly, as the toolkit reads them: written to a
/// directory and read back (the contract between the program and the toolkit).
pub fn templates(assembly: &vpcform::Assembly) -> Vec<vpcform_deploy::StackTemplate> {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "vpcform-toolkit-assembly-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    assembly.write_to(&dir).expect("assembly written");
    let read = vpcform_assembly::CloudAssembly::read(&dir).unwrap_or_else(|e| panic!("{e}"));
    let stacks = vpcform_toolkit::stack_templates(&read).unwrap_or_else(|e| panic!("{e}"));
    let _ = std::fs::remove_dir_all(&dir);
    stacks
}
