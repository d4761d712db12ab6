//! Helpers the suites share: a mocked client, canned CloudFormation answers and rules, and a
//! moto server with signed EC2 calls. Each test file uses a part of them.
#![allow(dead_code)]

use std::time::Duration;

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::config::retry::RetryConfig;
use aws_sdk_cloudformation::error::ErrorMetadata;
use aws_sdk_cloudformation::operation::create_change_set::CreateChangeSetOutput;
use aws_sdk_cloudformation::operation::delete_change_set::DeleteChangeSetOutput;
use aws_sdk_cloudformation::operation::describe_change_set::DescribeChangeSetOutput;
use aws_sdk_cloudformation::operation::describe_stack_events::DescribeStackEventsOutput;
use aws_sdk_cloudformation::operation::describe_stacks::{
    DescribeStacksError, DescribeStacksOutput,
};
use aws_sdk_cloudformation::operation::execute_change_set::ExecuteChangeSetOutput;
use aws_sdk_cloudformation::operation::get_template::GetTemplateOutput;
use aws_sdk_cloudformation::operation::list_change_sets::ListChangeSetsOutput;
use aws_sdk_cloudformation::primitives::DateTime;
use aws_sdk_cloudformation::types::{
    Change, ChangeAction, ChangeSetStatus, ChangeSetType, ChangeType, Output, Replacement,
    ResourceChange, ResourceStatus, Stack, StackEvent, StackStatus,
};
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};

pub const BODY: &str =
    r#"{"Resources":{"Vpc":{"Type":"AWS::EC2::VPC","Properties":{"CidrBlock":"10.0.0.0/16"}}}}"#;

pub fn client(rules: &[&Rule]) -> Client {
    client_retrying(
        rules,
        RetryConfig::standard()
            .with_max_attempts(4)
            .with_initial_backoff(Duration::from_millis(1)),
    )
}

/// A mocked client answering `rules` first (MatchAny takes the first rule that matches), then
/// what a test need not spell out: a change set's clean pre-deployment validation.
pub fn client_retrying(rules: &[&Rule], retry: RetryConfig) -> Client {
    let clean = no_findings();
    let rules: Vec<&Rule> = rules.iter().copied().chain([&clean]).collect();
    mock_client!(
        aws_sdk_cloudformation,
        RuleMode::MatchAny,
        &rules,
        move |config| config.retry_config(retry.clone())
    )
}

pub fn now() -> DateTime {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default();
    DateTime::from_secs(secs + 5)
}

pub fn stack_id(name: &str) -> String {
    format!("arn:aws:cloudformation:us-east-1:123456789012:stack/{name}/1")
}

pub fn stack_named(name: &str, status: StackStatus) -> DescribeStacksOutput {
    DescribeStacksOutput::builder()
        .stacks(
            Stack::builder()
                .stack_name(name)
                .stack_id(stack_id(name))
                .stack_status(status)
                .creation_time(now())
                .outputs(
                    Output::builder()
                        .output_key("VpcId")
                        .output_value("vpc-123")
                        .build(),
                )
                .build(),
        )
        .build()
}

pub fn stack(status: StackStatus) -> DescribeStacksOutput {
    stack_named("Net", status)
}

pub fn missing_named(name: &str) -> DescribeStacksError {
    DescribeStacksError::generic(
        ErrorMetadata::builder()
            .code("ValidationError")
            .message(format!("Stack with id {name} does not exist"))
            .build(),
    )
}

pub fn missing() -> DescribeStacksError {
    missing_named("Net")
}

pub fn change(
    action: ChangeAction,
    id: &str,
    kind: &str,
    replacement: Option<Replacement>,
) -> Change {
    let mut rc = ResourceChange::builder()
        .action(action)
        .logical_resource_id(id)
        .resource_type(kind);
    if let Some(r) = replacement {
        rc = rc.replacement(r);
    }
    Change::builder()
        .r#type(ChangeType::Resource)
        .resource_change(rc.build())
        .build()
}

pub fn event(
    id: &str,
    logical: &str,
    kind: &str,
    status: ResourceStatus,
    reason: &str,
) -> StackEvent {
    StackEvent::builder()
        .event_id(id)
        .stack_id(stack_id("Net"))
        .stack_name("Net")
        .logical_resource_id(logical)
        .resource_type(kind)
        .resource_status(status)
        .resource_status_reason(reason)
        .timestamp(now())
        .build()
}

pub fn change_set_ready(changes: Vec<Change>) -> Rule {
    mock!(Client::describe_change_set).then_output(move || {
        let mut out = DescribeChangeSetOutput::builder().status(ChangeSetStatus::CreateComplete);
        for c in &changes {
            out = out.changes(c.clone());
        }
        out.build()
    })
}

pub fn created(kind: ChangeSetType) -> Rule {
    mock!(Client::create_change_set)
        .match_requests(move |req| req.change_set_type() == Some(&kind))
        .then_output(|| {
            CreateChangeSetOutput::builder()
                .id("arn:changeset")
                .stack_id(stack_id("Net"))
                .build()
        })
}

pub fn delete_change_set() -> Rule {
    mock!(Client::delete_change_set).then_output(|| DeleteChangeSetOutput::builder().build())
}

pub fn executes() -> Rule {
    mock!(Client::execute_change_set).then_output(|| ExecuteChangeSetOutput::builder().build())
}

/// GetTemplate: the deployed template is `body`.
pub fn deployed(body: impl Into<String>) -> Rule {
    let body = body.into();
    mock!(Client::get_template).then_output(move || {
        GetTemplateOutput::builder()
            .template_body(body.clone())
            .build()
    })
}

/// ListChangeSets: none left by earlier runs.
pub fn no_stale_change_sets() -> Rule {
    mock!(Client::list_change_sets).then_output(|| ListChangeSetsOutput::builder().build())
}

pub fn no_events() -> Rule {
    mock!(Client::describe_stack_events)
        .then_output(|| DescribeStackEventsOutput::builder().build())
}

/// DescribeEvents: the change set's pre-deployment validation found nothing.
pub fn no_findings() -> Rule {
    mock!(Client::describe_events).then_output(|| {
        aws_sdk_cloudformation::operation::describe_events::DescribeEventsOutput::builder().build()
    })
}

/// moto on a free loopback port (`VPCFORM_MOTO_SERVER`, else the workspace's xtask venv),
/// killed on drop; `None` when not installed and not required (`VPCFORM_REQUIRE_MOTO`).
pub struct Moto {
    child: std::process::Child,
    pub port: u16,
}

impl Moto {
    pub fn start() -> Option<Moto> {
        let binary = std::env::var_os("VPCFORM_MOTO_SERVER")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| {
                std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
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
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let child = std::process::Command::new(&binary)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("moto_server starts");
        let moto = Moto { child, port };
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", moto.port)).is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "moto did not answer within 30 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Some(moto)
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// One EC2 Query call in `region`, signed (SigV4, service `ec2`): the answer's body.
    pub fn ec2(&self, region: &str, params: &[(&str, &str)]) -> String {
        use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
        use std::io::{Read, Write};
        let mut body = "Version=2016-11-15".to_string();
        for (key, value) in params {
            body += &format!("&{key}={}", value.replace('/', "%2F").replace(':', "%3A"));
        }
        let url = format!("{}/", self.url());
        let identity = aws_credential_types::Credentials::for_tests().into();
        let params = aws_sigv4::sign::v4::SigningParams::builder()
            .identity(&identity)
            .region(region)
            .name("ec2")
            .time(std::time::SystemTime::now())
            .settings(SigningSettings::default())
            .build()
            .expect("params")
            .into();
        let content_type = "application/x-www-form-urlencoded; charset=utf-8";
        let signable = SignableRequest::new(
            "POST",
            &url,
            [("content-type", content_type)].into_iter(),
            SignableBody::Bytes(body.as_bytes()),
        )
        .expect("signable");
        let (instructions, _) = sign(signable, &params).expect("signed").into_parts();
        let mut request = http::Request::builder()
            .method("POST")
            .uri(&url)
            .header("content-type", content_type)
            .body(())
            .expect("request");
        instructions.apply_to_request_http1x(&mut request);
        let mut text = format!(
            "POST / HTTP/1.0\r\nHost: 127.0.0.1:{}\r\nContent-Length: {}\r\n",
            self.port,
            body.len()
        );
        for (name, value) in request.headers() {
            text += &format!("{name}: {}\r\n", value.to_str().expect("ASCII"));
        }
        text += "\r\n";
        text += &body;
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", self.port)).expect("moto");
        stream.write_all(text.as_bytes()).expect("sent");
        let mut answer = String::new();
        stream.read_to_string(&mut answer).expect("answer");
        assert!(
            answer.starts_with("HTTP/1.1 200") || answer.starts_with("HTTP/1.0 200"),
            "{answer}"
        );
        answer
    }

    /// The first `tag` of an EC2 answer.
    pub fn id(answer: &str, tag: &str) -> String {
        let open = format!("<{tag}>");
        let start = answer
            .find(&open)
            .unwrap_or_else(|| panic!("no {tag} in {answer}"))
            + open.len();
        let end = answer[start..].find(&format!("</{tag}>")).expect("closed") + start;
        answer[start..end].to_string()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
