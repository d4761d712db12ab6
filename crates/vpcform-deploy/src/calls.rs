//! Calling CloudFormation: every call can be interrupted, every retry is announced, and every
//! failure becomes one line that names the stack, the operation, AWS's code and message, and a
//! hint where one is known, with the SDK's error kept as its source.
//!
//! Invariant: worker code never awaits an SDK future directly — it goes through
//! [`Deployer::interruptible`] (or [`Deployer::cleanup`] once interrupted), so Ctrl-C stops a
//! call within a poll, even while the SDK sleeps between retries.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use aws_sdk_cloudformation::config::interceptors::{
    BeforeTransmitInterceptorContextRef, FinalizerInterceptorContextRef,
};
use aws_sdk_cloudformation::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_cloudformation::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_cloudformation::operation::RequestId;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::retries::RequestAttempts;
use aws_smithy_types::config_bag::{Storable, StoreReplace};

use crate::{DeployError, Deployer, Ui};

tokio::task_local! {
    /// The stack a worker task is deploying: retry notices name it.
    pub(crate) static STACK: String;
}

/// How long a cleanup call after an interrupt may take: a second Ctrl-C exits at once anyway,
/// and an unreachable endpoint must not hold the process for the SDK's whole retry budget.
pub(crate) const CLEANUP_DEADLINE: Duration = Duration::from_secs(5);

impl Deployer {
    /// Awaits `call` unless interrupted first: then the call is dropped (and with it the SDK's
    /// retry loop) and [`DeployError::Cancelled`] returned.
    pub(crate) async fn interruptible<F: Future>(
        &self,
        stack: &str,
        operation: &'static str,
        call: F,
    ) -> Result<F::Output, DeployError> {
        let mut interrupted = self.interrupted.clone();
        tokio::select! {
            biased;
            _ = interrupted.wait_for(|i| *i) => Err(DeployError::Cancelled {
                stack: stack.to_string(),
                operation,
            }),
            output = call => Ok(output),
        }
    }

    /// Awaits a cleanup call (deleting a change set, reading the state to report) even when
    /// interrupted, but for at most [`CLEANUP_DEADLINE`]; `None` when it ran out.
    pub(crate) async fn cleanup<F: Future>(&self, call: F) -> Option<F::Output> {
        tokio::time::timeout(CLEANUP_DEADLINE, call).await.ok()
    }
}

/// An SDK error as a [`DeployError::Aws`].
pub(crate) fn aws<E, R>(stack: &str, operation: &'static str, error: SdkError<E, R>) -> DeployError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
    SdkError<E, R>: RequestId,
{
    let region_missing = {
        let text = chain(&error).to_ascii_lowercase();
        text.contains("missing signing region") || text.contains("missing region")
    };
    let (code, message) = match &error {
        // The SDK reports a missing region as a dispatch failure when an endpoint URL is set:
        // nothing was sent.
        _ if region_missing => ("RequestNotBuilt".to_string(), chain(&error)),
        SdkError::ServiceError(_) => (
            error.code().unwrap_or("Unknown").to_string(),
            error
                .message()
                .map(one_line)
                .unwrap_or_else(|| chain(&error)),
        ),
        SdkError::ConstructionFailure(_) => ("RequestNotBuilt".to_string(), chain(&error)),
        SdkError::TimeoutError(_) => ("Timeout".to_string(), chain(&error)),
        SdkError::DispatchFailure(_) => ("NoResponse".to_string(), chain(&error)),
        _ => ("BadResponse".to_string(), chain(&error)),
    };
    let hint = hint(operation, &code, &message, &error);
    DeployError::Aws {
        stack: stack.to_string(),
        operation,
        request_id: error.request_id().map(str::to_string),
        code,
        message,
        hint,
        source: Some(Box::new(error)),
    }
}

/// CloudFormation answers `ValidationError` "Stack with id X does not exist" for a missing stack.
pub(crate) fn does_not_exist<E: ProvideErrorMetadata, R>(error: &SdkError<E, R>) -> bool {
    error.code() == Some("ValidationError")
        && error
            .message()
            .is_some_and(|m| m.contains("does not exist"))
}

/// An error and its sources as one line, `a: b: c`, each said once (the SDK's wrappers often
/// repeat their source's text), never as `Debug`.
pub(crate) fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = next {
        let text = one_line(&without_debug_dumps(&e.to_string()));
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        next = e.source();
    }
    parts.join(": ")
}

pub(crate) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text without the Debug dumps the SDK quotes in backticks (``failed to apply endpoint
/// `x` to request `Request { body: SdkBody { … } … }` ``): a person reads the rest.
fn without_debug_dumps(text: &str) -> String {
    let mut kept = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('`') {
        let Some(close) = rest[open + 1..].find('`').map(|c| c + open + 1) else {
            break;
        };
        let quoted = &rest[open + 1..close];
        let is_dump = quoted.split_once(" {").is_some_and(|(name, _)| {
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_alphanumeric() || "_:<>".contains(c))
        }) && quoted.ends_with('}');
        if is_dump {
            kept += rest[..open].trim_end();
        } else {
            kept += &rest[..=close];
        }
        rest = &rest[close + 1..];
    }
    kept + rest
}

/// How long a retry notice's reason may be: one line of a terminal.
const NOTICE_REASON_CHARS: usize = 120;

/// Why an attempt failed, from its answer, in one line for a retry notice: the HTTP status with
/// AWS's code and message (its XML error), else with the page's title or first line (a proxy's
/// or emulator's HTML 500), cut to [`NOTICE_REASON_CHARS`].
pub(crate) fn attempt_failure(status: u16, body: &str) -> String {
    let element = |tag: &str| {
        let open = format!("<{tag}>");
        let start = body.find(&open)? + open.len();
        let end = body[start..].find(&format!("</{tag}>"))? + start;
        Some(one_line(&body[start..end]))
    };
    let text = match (element("Code"), element("Message")) {
        (Some(code), Some(message)) => format!("HTTP {status}: {code}: {message}"),
        (Some(code), None) => format!("HTTP {status}: {code}"),
        _ => {
            let summary = element("title")
                .or_else(|| element("TITLE"))
                .filter(|t| !t.is_empty())
                .or_else(|| {
                    body.lines()
                        .map(str::trim)
                        .find(|l| !l.is_empty() && !l.starts_with("<!") && !l.starts_with("<?"))
                        .map(one_line)
                });
            match summary {
                Some(summary) => format!("HTTP {status}: {summary}"),
                None => format!("HTTP {status}"),
            }
        }
    };
    cut(&text, NOTICE_REASON_CHARS)
}

/// `text` cut to `limit` characters, ending in `…` when cut.
fn cut(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        Some((end, _)) => format!("{}…", text[..end].trim_end()),
        None => text.to_string(),
    }
}

/// What to do about an error, where it is known. The texts matched are the SDK's own: a
/// client without a region fails to build the request with "Missing Region" (endpoint rules)
/// or "missing signing region" (an endpoint URL given); without credentials the chain ends in
/// "no providers in chain provided credentials" / "failed to load credentials".
fn hint<E, R>(operation: &str, code: &str, message: &str, error: &SdkError<E, R>) -> Option<String>
where
    E: std::error::Error + 'static,
    R: std::fmt::Debug,
{
    let text = message.to_ascii_lowercase();
    let hint = match (error, code) {
        (SdkError::ConstructionFailure(_) | SdkError::DispatchFailure(_), _)
            if text.contains("missing signing region") || text.contains("missing region") =>
        {
            "no AWS region: set AWS_REGION (or AWS_DEFAULT_REGION), or `region` in the profile \
             AWS_PROFILE names"
                .to_string()
        }
        (SdkError::ConstructionFailure(_) | SdkError::DispatchFailure(_), _)
            if text.contains("credential") =>
        {
            "no AWS credentials: set AWS_PROFILE to a configured profile (run `aws sso login` for \
             an SSO one), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
                .to_string()
        }
        (SdkError::DispatchFailure(_), _) if text.contains("failed to apply endpoint") => {
            "the endpoint URL is not one the SDK can use: give the scheme and host in \
             AWS_ENDPOINT_URL (or AWS_ENDPOINT_URL_CLOUDFORMATION, or the profile's endpoint_url)"
                .to_string()
        }
        (SdkError::DispatchFailure(_) | SdkError::TimeoutError(_), _) => {
            "CloudFormation's endpoint did not answer: check the network, and AWS_ENDPOINT_URL \
             if it is set"
                .to_string()
        }
        (_, "ExpiredToken" | "ExpiredTokenException" | "RequestExpired") => {
            "the credentials have expired: refresh them (e.g. `aws sso login`) and run again"
                .to_string()
        }
        (_, "InvalidClientTokenId" | "UnrecognizedClientException" | "SignatureDoesNotMatch") => {
            "the credentials are not valid for this account: check AWS_PROFILE or the access key"
                .to_string()
        }
        (_, "AccessDenied" | "AccessDeniedException") => format!(
            "these credentials may not call cloudformation:{operation}; grant it in IAM or use \
             a role that has it"
        ),
        (_, "Throttling" | "ThrottlingException") => {
            "CloudFormation kept throttling after every retry: lower --concurrency".to_string()
        }
        (_, "InsufficientCapabilitiesException" | "InsufficientCapabilities") => {
            "the template needs a capability it was not given: declare it on the stack \
             (Stack::capability)"
                .to_string()
        }
        (_, "ValidationError") if text.contains("no export named") => {
            "a stack this one imports from is not deployed: deploy it first (deploy includes \
             what a stack imports from unless --exclusively)"
                .to_string()
        }
        _ => return None,
    };
    Some(hint)
}

/// The error code and message of an AWS XML answer (S3's, CloudFormation's), or the text as it
/// came.
pub(crate) fn xml_error(status: u16, body: &str) -> (String, String) {
    (
        xml_element(body, "Code").unwrap_or_else(|| format!("HTTP {status}")),
        xml_element(body, "Message").unwrap_or_else(|| body.chars().take(200).collect()),
    )
}

/// The text of the first element `tag` in an AWS XML answer, as written.
pub(crate) fn xml_element(body: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    let start = body.find(&open)? + open.len();
    let end = body[start..].find(&format!("</{tag}>"))? + start;
    Some(body[start..end].to_string())
}

/// Announces the SDK's retries ("retrying DescribeStacks (attempt 2): …") so that a slow or
/// unreachable endpoint is not silence; the stack comes from the worker task's [`STACK`].
pub(crate) struct RetryNotices {
    pub(crate) ui: Arc<dyn Ui>,
}

impl std::fmt::Debug for RetryNotices {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RetryNotices")
    }
}

/// The previous attempt's failure, kept for the next attempt's notice.
#[derive(Clone, Debug)]
struct LastAttemptFailure(String);

impl Storable for LastAttemptFailure {
    type Storer = StoreReplace<Self>;
}

impl Intercept for RetryNotices {
    fn name(&self) -> &'static str {
        "vpcform::RetryNotices"
    }

    fn read_before_attempt(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), aws_smithy_runtime_api::box_error::BoxError> {
        let attempt = cfg.load::<RequestAttempts>().map_or(1, |a| a.attempts());
        if attempt > 1 {
            let operation = cfg.load::<Metadata>().map_or("a call", |m| m.name());
            let why = cfg
                .load::<LastAttemptFailure>()
                .map(|f| format!(" after: {}", f.0))
                .unwrap_or_default();
            let stack = STACK
                .try_with(String::clone)
                .unwrap_or_else(|_| "vpcform".to_string());
            self.ui.line(
                &stack,
                &format!("retrying {operation} (attempt {attempt}){why}"),
            );
        }
        Ok(())
    }

    fn read_after_attempt(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), aws_smithy_runtime_api::box_error::BoxError> {
        let failure = match (context.output_or_error(), context.response()) {
            // An answer: AWS's code and message from its XML (the SDK's error text for it is
            // a struct dump), or the status and what an HTML page says.
            (Some(Err(_)), Some(response)) => {
                let status = response.status().as_u16();
                let body = response
                    .body()
                    .bytes()
                    .map(|b| String::from_utf8_lossy(b).into_owned())
                    .unwrap_or_default();
                Some(attempt_failure(status, &body))
            }
            (Some(Err(error)), None) => Some(cut(&chain(error), NOTICE_REASON_CHARS)),
            _ => None,
        };
        if let Some(failure) = failure {
            cfg.interceptor_state()
                .store_put(LastAttemptFailure(failure));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use aws_sdk_cloudformation::error::SdkError;
    use aws_sdk_cloudformation::operation::describe_stacks::DescribeStacksError;
    use aws_smithy_runtime_api::client::result::ConnectorError;
    use aws_smithy_runtime_api::http::Response;

    use super::aws;

    type Error = SdkError<DescribeStacksError, Response>;

    fn message_and_hint(error: Error) -> (String, Option<String>) {
        match aws("Net", "DescribeStacks", error) {
            crate::DeployError::Aws { message, hint, .. } => (message, hint),
            other => panic!("{other}"),
        }
    }

    #[test]
    fn a_missing_region_says_how_to_set_one() {
        let (_, hint) = message_and_hint(Error::construction_failure(
            "failed to construct request: missing signing region",
        ));
        assert!(hint.expect("hint").contains("AWS_REGION"));
        let (_, hint) = message_and_hint(Error::construction_failure(
            "Invalid Configuration: Missing Region",
        ));
        assert!(hint.expect("hint").contains("AWS_REGION"));
        // With an endpoint URL the SDK calls it a dispatch failure; nothing was sent.
        let error = aws(
            "Net",
            "DescribeStacks",
            Error::dispatch_failure(ConnectorError::other("missing signing region".into(), None)),
        );
        let text = error.to_string();
        assert!(
            text.starts_with("Net: DescribeStacks failed: RequestNotBuilt: "),
            "{text}"
        );
        assert!(text.contains("AWS_REGION"), "{text}");
    }

    /// The page moto (Werkzeug) answers an HTTP 500 with.
    const HTML_500: &str = "<!doctype html>\n<html lang=en>\n<title>500 Internal Server \
        Error</title>\n<h1>Internal Server Error</h1>\n<p>The server encountered an internal \
        error and was unable to complete your request. Either the server is overloaded or there \
        is an error in the application.</p>\n";

    #[test]
    fn a_retry_notice_of_an_html_500_is_one_short_line() {
        let text = super::attempt_failure(500, HTML_500);
        assert_eq!(text, "HTTP 500: 500 Internal Server Error");
        // No title: the first line that is not markup's preamble.
        let text = super::attempt_failure(502, "\n  Bad gateway: upstream reset\nmore\n");
        assert_eq!(text, "HTTP 502: Bad gateway: upstream reset");
        assert_eq!(super::attempt_failure(503, ""), "HTTP 503");
        let long = "x".repeat(500);
        let text = super::attempt_failure(500, &long);
        assert_eq!(
            text.chars().count(),
            super::NOTICE_REASON_CHARS + 1,
            "{text}"
        );
        assert!(text.ends_with('…'), "{text}");
    }

    #[test]
    fn a_retry_notice_of_an_aws_error_is_its_code_and_message() {
        let throttled = r#"<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>
            <Message>Rate
              exceeded</Message></Error><RequestId>1</RequestId></ErrorResponse>"#;
        assert_eq!(
            super::attempt_failure(400, throttled),
            "HTTP 400: Throttling: Rate exceeded"
        );
    }

    #[test]
    fn a_malformed_endpoint_is_one_line_without_a_debug_dump() {
        let dumped = "failed to apply endpoint `127.0.0.1:1` to request `Request { body: SdkBody \
            { inner: Once(Some(b\"Action=DescribeStacks\")), retryable: true }, uri: Uri { \
            as_string: \"/\", parsed: H1(/) }, method: POST, headers: {} }`";
        let source = std::io::Error::other("endpoint must contain scheme");
        let error = aws(
            "Net",
            "DescribeStacks",
            Error::dispatch_failure(ConnectorError::other(
                format!("{dumped}: {source}").into(),
                None,
            )),
        );
        let text = error.to_string();
        assert!(!text.contains("Request {"), "{text}");
        assert!(!text.contains("SdkBody"), "{text}");
        assert!(
            text.contains("failed to apply endpoint `127.0.0.1:1` to request"),
            "{text}"
        );
        assert!(text.contains("endpoint must contain scheme"), "{text}");
        assert!(text.contains("AWS_ENDPOINT_URL"), "{text}");
        assert!(!text.contains("did not answer"), "{text}");
        // Backticked words that are not dumps stay.
        assert_eq!(
            super::without_debug_dumps("use `aws sso login` or `x {`"),
            "use `aws sso login` or `x {`"
        );
    }

    #[test]
    fn missing_credentials_say_how_to_give_them() {
        let (_, hint) = message_and_hint(Error::construction_failure(
            "an error occurred while loading credentials: no providers in chain provided credentials",
        ));
        assert!(hint.expect("hint").contains("AWS_PROFILE"));
    }

    #[test]
    fn an_unreachable_endpoint_is_one_line_with_a_hint() {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "connection refused");
        let error = aws(
            "Net",
            "DescribeStacks",
            Error::dispatch_failure(ConnectorError::io(Box::new(io))),
        );
        let text = error.to_string();
        assert!(!text.contains('\n'), "{text}");
        assert!(!text.contains("ConnectorError {"), "no Debug dump: {text}");
        assert!(
            text.starts_with("Net: DescribeStacks failed: NoResponse: "),
            "{text}"
        );
        assert!(text.contains("connection refused"), "{text}");
        assert!(text.contains("did not answer"), "{text}");
        assert!(
            std::error::Error::source(&error).is_some(),
            "the SDK error is kept"
        );
    }
}
