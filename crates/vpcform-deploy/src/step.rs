//! The steps CloudFormation cannot take: accepting, in the accepter's environment, a transit
//! gateway peering or VPC attachment, or a resource share invitation (`vpcform_assembly`'s
//! `StepAction`).
//!
//! The calls are signed with `aws-sigv4` and sent through the SDK's HTTP connector, as the
//! template upload is (`upload.rs`): EC2's Query API (form body, XML answer) and AWS RAM's
//! REST-JSON API, rather than `aws-sdk-ec2` / `aws-sdk-ram`, whose code generation costs
//! minutes of build for four calls.
//!
//! Invariant: a step reads the state first and accepts only what waits for acceptance, so a
//! retry or a second deploy does nothing new; `diff` and a stack importing a step's output
//! that is not run make the reads only, never the acceptance.

use std::time::{Duration, Instant};

use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_sigv4::http_request::SigningSettings;
use aws_smithy_runtime_api::client::http::{HttpConnector, SharedHttpConnector};

use crate::{DeployError, Deployer, Environment, StackOutcome, StackTemplate, StepAction};

/// The EC2 Query API version the calls name (the only one: 2016-11-15,
/// <https://docs.aws.amazon.com/AWSEC2/latest/APIReference/Query-Requests.html>).
pub(crate) const EC2_VERSION: &str = "2016-11-15";

/// How long a step waits for an attachment to become `available` without a deploy timeout:
/// AWS takes minutes; one still not there after this is stuck, and the user is told.
const DEFAULT_STEP_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// How many polls a share with no invitation yet is read again before the step concludes
/// there is none (inside an organization with sharing enabled): RAM may list the invitation a
/// while after the share's principals are associated — about 2 minutes at the deployer's 2 s
/// poll, as long as Terraform's RAM accepter waits for it
/// (terraform-provider-aws, internal/service/ram/resource_share_accepter.go).
const INVITATION_POLLS: u32 = 60;

/// How many polls an attachment to accept may be unknown before the step fails: the
/// accepter's own attachment of a peering can show a moment after the requester's stack.
const NOT_FOUND_POLLS: u32 = 15;

/// How many times a call that AWS throttled or did not answer is sent again.
pub(crate) const ATTEMPTS: u32 = 4;

/// The name of a step's input as its [`StackTemplate::parameter_imports`] entry carries it: the
/// action's field in the manifest.
pub(crate) fn input_name(action: &StepAction) -> &'static str {
    match action {
        StepAction::AcceptTransitGatewayPeeringAttachment { .. }
        | StepAction::AcceptTransitGatewayVpcAttachment { .. } => "attachment",
        StepAction::AcceptResourceShareInvitation { .. } => "resourceShare",
    }
}

/// How the deployer reaches EC2 and AWS RAM for the steps: the region, the credentials, an
/// endpoint for emulators, and the HTTP connector (tests answer with canned responses).
///
/// ```
/// use aws_credential_types::Credentials;
/// let access = vpcform_deploy::SignedAccess::new(
///     "eu-west-1",
///     Credentials::new("id", "secret", None, None, "example"),
///     Some("http://127.0.0.1:5000".into()),
/// );
/// ```
#[derive(Clone, Debug)]
pub struct SignedAccess {
    region: String,
    credentials: SharedCredentialsProvider,
    /// The last credentials given, reused until 5 minutes before they expire: the providers of
    /// aws-config do not cache (the SDK's identity cache does, for its clients), and a step
    /// polling for minutes would otherwise repeat AssumeRole or SSO on every call.
    cached: std::sync::Arc<std::sync::Mutex<Option<aws_credential_types::Credentials>>>,
    /// Every service at this URL (an emulator), unless `AWS_ENDPOINT_URL_<SERVICE>` is set.
    endpoint: Option<String>,
    http: Option<SharedHttpConnector>,
}

impl SignedAccess {
    /// EC2 and RAM in `region` with `credentials`; `endpoint` overrides AWS's.
    ///
    /// See [`SignedAccess`] for an example.
    pub fn new(
        region: impl Into<String>,
        credentials: impl ProvideCredentials + 'static,
        endpoint: Option<String>,
    ) -> SignedAccess {
        SignedAccess {
            region: region.into(),
            credentials: SharedCredentialsProvider::new(credentials),
            cached: Default::default(),
            endpoint,
            http: None,
        }
    }

    /// Through this HTTP connector instead of the SDK's HTTPS one (tests answer with canned
    /// responses).
    ///
    /// ```
    /// use aws_credential_types::Credentials;
    /// use aws_smithy_runtime_api::client::http::{
    ///     HttpConnector, HttpConnectorFuture, SharedHttpConnector,
    /// };
    /// use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
    /// use aws_smithy_runtime_api::client::result::ConnectorError;
    ///
    /// #[derive(Debug)]
    /// struct Offline;
    /// impl HttpConnector for Offline {
    ///     fn call(&self, _: HttpRequest) -> HttpConnectorFuture {
    ///         HttpConnectorFuture::ready(Err(ConnectorError::other("offline".into(), None)))
    ///     }
    /// }
    /// let access = vpcform_deploy::SignedAccess::new("us-east-1", Credentials::for_tests(), None)
    ///     .http_connector(SharedHttpConnector::new(Offline));
    /// ```
    pub fn http_connector(mut self, connector: SharedHttpConnector) -> SignedAccess {
        self.http = Some(connector);
        self
    }

    /// Credentials for the next call: the cached ones while they have 5 minutes left, else
    /// fresh ones from the provider.
    async fn credentials(&self) -> Result<aws_credential_types::Credentials, String> {
        let fresh_enough = |c: &aws_credential_types::Credentials| {
            c.expiry().is_none_or(|at| {
                at > std::time::SystemTime::now() + std::time::Duration::from_secs(300)
            })
        };
        if let Some(cached) = self
            .cached
            .lock()
            .ok()
            .and_then(|c| c.clone())
            .filter(fresh_enough)
        {
            return Ok(cached);
        }
        let credentials = self.credentials.provide_credentials().await.map_err(|e| {
            format!(
                "no AWS credentials ({}): set AWS_PROFILE, or AWS_ACCESS_KEY_ID and \
                 AWS_SECRET_ACCESS_KEY",
                crate::calls::chain(&e)
            )
        })?;
        if let Ok(mut cached) = self.cached.lock() {
            *cached = Some(credentials.clone());
        }
        Ok(credentials)
    }

    /// From the standard configuration chain's result (`None` without a region or
    /// credentials), with the endpoint it names (`AWS_ENDPOINT_URL` or
    /// [`SdkConnect::endpoint_url`](crate::SdkConnect::endpoint_url)).
    pub(crate) fn from_sdk_config(config: &aws_config::SdkConfig) -> Option<SignedAccess> {
        let endpoint = config.endpoint_url().map(str::to_string).or_else(|| {
            std::env::var("AWS_ENDPOINT_URL")
                .ok()
                .filter(|v| !v.is_empty())
        });
        Some(SignedAccess {
            region: config.region()?.to_string(),
            credentials: config.credentials_provider()?,
            cached: Default::default(),
            endpoint,
            http: None,
        })
    }

    /// The service's URL: `AWS_ENDPOINT_URL_<SERVICE>` (the SDK's service-specific variable,
    /// <https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html>), then the
    /// endpoint given, then AWS's regional endpoint.
    pub(crate) fn base_url(&self, service: &str) -> String {
        let variable = format!("AWS_ENDPOINT_URL_{}", service.to_ascii_uppercase());
        let url = std::env::var(variable)
            .ok()
            .filter(|v| !v.is_empty())
            .or_else(|| self.endpoint.clone())
            .unwrap_or_else(|| {
                let domain = if self.region.starts_with("cn-") {
                    "amazonaws.com.cn"
                } else {
                    "amazonaws.com"
                };
                format!("https://{service}.{}.{domain}", self.region)
            });
        url.trim_end_matches('/').to_string()
    }
}

/// An AWS answer: the HTTP status and the body's text.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) text: String,
    pub(crate) request_id: Option<String>,
}

/// The text of the first element `tag` in `xml`, trimmed; `None` when empty.
fn element(xml: &str, tag: &str) -> Option<String> {
    crate::calls::xml_element(xml, tag)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// `text` percent-encoded for a form body (RFC 3986's unreserved characters kept, as SigV4's
/// canonical query string does).
pub(crate) fn form_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out += &format!("%{byte:02X}");
        }
    }
    out
}

/// What a transit gateway attachment's description says.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Attachment {
    state: String,
    /// The peering attachment's `accepterTransitGatewayAttachmentId`, when AWS gives one.
    accepter_id: Option<String>,
}

/// The first attachment of a `DescribeTransitGateway…Attachments` answer; `None`: none.
fn parse_attachment(xml: &str) -> Option<Attachment> {
    let start = xml.find("<item>")?;
    let item = &xml[start..];
    Some(Attachment {
        state: element(item, "state").unwrap_or_default(),
        accepter_id: element(item, "accepterTransitGatewayAttachmentId"),
    })
}

/// What an attachment's state means for its acceptance: the states of
/// `TransitGatewayAttachmentState`
/// (<https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_TransitGatewayPeeringAttachment.html>).
#[derive(Debug, PartialEq, Eq)]
enum Next {
    Done,
    Accept,
    Wait,
    Fail,
}

fn next_for(state: &str) -> Next {
    match state {
        "available" => Next::Done,
        "pendingAcceptance" => Next::Accept,
        // `initiating` is deprecated but may still be seen; `modifying` ends in `available`.
        "initiating" | "initiatingRequest" | "pending" | "modifying" => Next::Wait,
        // rejected, rejecting, failed, failing, deleting, deleted, rollingBack, or unknown.
        _ => Next::Fail,
    }
}

/// The two attachment actions, by kind: describe, accept, and the XML list the answer holds.
struct AttachmentCalls {
    describe: &'static str,
    accept: &'static str,
    /// A peering attachment (which has an accepter side), not a VPC attachment.
    peering: bool,
}

const PEERING: AttachmentCalls = AttachmentCalls {
    describe: "DescribeTransitGatewayPeeringAttachments",
    accept: "AcceptTransitGatewayPeeringAttachment",
    peering: true,
};

const VPC: AttachmentCalls = AttachmentCalls {
    describe: "DescribeTransitGatewayVpcAttachments",
    accept: "AcceptTransitGatewayVpcAttachment",
    peering: false,
};

/// A RAM invitation, as `GetResourceShareInvitations` gives it: `status` is `PENDING`,
/// `ACCEPTED`, `REJECTED` or `EXPIRED`
/// (<https://docs.aws.amazon.com/ram/latest/APIReference/API_ResourceShareInvitation.html>).
/// Filtered by one share, the list is one invitation per receiving account, read page by
/// page.
#[derive(Clone, Debug)]
struct Invitation {
    arn: String,
    status: String,
}

impl Deployer {
    /// Runs step `step` (its action `action`): reads its input, accepts what waits for
    /// acceptance, waits for the result, and gives its outputs.
    pub(crate) async fn run_step(
        &self,
        step: &StackTemplate,
        action: &StepAction,
    ) -> Result<StackOutcome, DeployError> {
        let name = step.name.as_str();
        if self.options.no_execute {
            // As a change set left for review: say what a deploy would do, change nothing.
            let (_, plan) = self.plan_step(step, action).await?;
            let done = format!("not run (--no-execute): {plan}");
            self.ui.line(name, &done);
            return Ok(StackOutcome::Step {
                done,
                outputs: Vec::new(),
            });
        }
        let input = self.step_input(step).await?;
        self.ui.line(
            name,
            &format!(
                "{} {input} in {} (a step: CloudFormation cannot accept it)",
                action.api_action(),
                step.environment
            ),
        );
        // Asked only when there is something to accept: a second deploy of an accepted
        // attachment needs no approval, as a stack without changes does not.
        let (nothing_to_do, plan) = self.plan_step(step, action).await?;
        // An invitation not listed yet may come while the step waits: asked for too.
        if !nothing_to_do || plan.starts_with("no invitation") {
            self.approve_step(step, action, &input).await?;
        }
        let access = self.signed_access(step)?;
        let (done, outputs) = match action {
            StepAction::AcceptTransitGatewayPeeringAttachment { .. } => {
                let target = self.peering_target(step, &input).await?;
                let (done, _) = self
                    .accept_attachment(name, &access, &PEERING, &target, true)
                    .await?;
                (done, peering_outputs(&input, &target))
            }
            StepAction::AcceptTransitGatewayVpcAttachment { .. } => {
                self.accept_attachment(name, &access, &VPC, &input, true)
                    .await?
            }
            StepAction::AcceptResourceShareInvitation { .. } => {
                self.accept_invitation(name, &access, &input, true).await?
            }
        };
        let done = done.unwrap_or_else(|| "not accepted (read only)".to_string());
        self.ui.line(name, &done);
        self.remember_step_outputs(name, &outputs);
        Ok(StackOutcome::Step { done, outputs })
    }

    /// What a deploy would do for `step`, read-only (for `diff`): `(nothing to do, text)`.
    pub(crate) async fn plan_step(
        &self,
        step: &StackTemplate,
        action: &StepAction,
    ) -> Result<(bool, String), DeployError> {
        let input = match self.step_input(step).await {
            Ok(input) => input,
            Err(DeployError::StepInputUnresolved { from, reason, .. }) => {
                return Ok((
                    false,
                    format!(
                        "would {}, once {from} gives its input ({reason})",
                        action.api_action()
                    ),
                ));
            }
            Err(e) => return Err(e),
        };
        let access = self.signed_access(step)?;
        let name = step.name.as_str();
        match action {
            StepAction::AcceptTransitGatewayPeeringAttachment { .. }
            | StepAction::AcceptTransitGatewayVpcAttachment { .. } => {
                let (calls, input) =
                    if matches!(action, StepAction::AcceptTransitGatewayVpcAttachment { .. }) {
                        (&VPC, input)
                    } else {
                        (&PEERING, self.peering_target(step, &input).await?)
                    };
                Ok(
                    match self
                        .describe_attachment(name, &access, calls, &input)
                        .await?
                    {
                        None => (
                            false,
                            format!(
                                "attachment {input} does not exist (yet) in {}: a deploy creates it \
                             first, then would accept it",
                                access.region
                            ),
                        ),
                        Some(a) => match next_for(&a.state) {
                            Next::Done => (
                                true,
                                format!("attachment {input} already accepted (available)"),
                            ),
                            Next::Accept => (
                                false,
                                format!("would accept attachment {input} ({})", calls.accept),
                            ),
                            Next::Wait => (
                                false,
                                format!(
                                    "attachment {input} is {}: a deploy would wait for it, and accept it if asked",
                                    a.state
                                ),
                            ),
                            Next::Fail => (
                                false,
                                format!(
                                    "attachment {input} is {}: a deploy would fail; create it again (deploy its requester stack again)",
                                    a.state
                                ),
                            ),
                        },
                    },
                )
            }
            StepAction::AcceptResourceShareInvitation { .. } => {
                let invitations = self.invitations(name, &access, &input).await?;
                Ok(match pick(&invitations) {
                    None => (
                        true,
                        format!(
                            "no invitation for {input}: nothing to accept (the account is in the \
                             organization and sharing with it is enabled, or the share is not \
                             deployed yet)"
                        ),
                    ),
                    Some(i) if i.status == "ACCEPTED" => {
                        (true, format!("invitation to {input} already accepted"))
                    }
                    Some(i) if i.status == "PENDING" => {
                        (false, format!("would accept invitation {}", i.arn))
                    }
                    Some(i) => (
                        false,
                        format!("invitation {} is {}: a deploy would fail", i.arn, i.status),
                    ),
                })
            }
        }
    }

    /// The outputs of a step that is not run this time, read only: `Err` with what is missing
    /// when it has not been done.
    pub(crate) async fn read_step_outputs(
        &self,
        step: &StackTemplate,
        action: &StepAction,
    ) -> Result<Result<Vec<(String, String)>, String>, DeployError> {
        let input = match self.step_input(step).await {
            Ok(input) => input,
            Err(DeployError::StepInputUnresolved { reason, .. }) => return Ok(Err(reason)),
            Err(e) => return Err(e),
        };
        let access = self.signed_access(step)?;
        let name = step.name.as_str();
        let (done, outputs) = match action {
            StepAction::AcceptTransitGatewayPeeringAttachment { .. } => {
                let target = self.peering_target(step, &input).await?;
                let (done, _) = self
                    .accept_attachment(name, &access, &PEERING, &target, false)
                    .await?;
                (done, peering_outputs(&input, &target))
            }
            StepAction::AcceptTransitGatewayVpcAttachment { .. } => {
                self.accept_attachment(name, &access, &VPC, &input, false)
                    .await?
            }
            StepAction::AcceptResourceShareInvitation { .. } => {
                self.accept_invitation(name, &access, &input, false).await?
            }
        };
        Ok(match done {
            Some(_) => Ok(outputs),
            None => Err(format!(
                "step {name} has not been done: deploy {name} first"
            )),
        })
    }

    /// The step's input value: its producing stack's output, read in that stack's environment.
    async fn step_input(&self, step: &StackTemplate) -> Result<String, DeployError> {
        let Some((import, environment)) = step.parameter_imports.first() else {
            return Err(DeployError::StepFailed {
                stack: step.name.clone(),
                action: "reading its input",
                reason: "the step has no input".into(),
                fix: "build it with StackTemplate::from_step".into(),
                request_id: None,
            });
        };
        let producer = self.in_environment(environment)?;
        let info = producer.stack_info(&import.stack).await?;
        let reason = match info {
            None => format!(
                "{} is not deployed there: deploy {} first",
                import.stack, import.stack
            ),
            Some(info) => match info.outputs.iter().find(|(k, _)| *k == import.output) {
                Some((_, value)) => return Ok(value.clone()),
                None => format!(
                    "{} has no such output (it has: {}): deploy {} first",
                    import.stack,
                    if info.outputs.is_empty() {
                        "none".to_string()
                    } else {
                        info.outputs
                            .iter()
                            .map(|(k, _)| k.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    },
                    import.stack
                ),
            },
        };
        Err(DeployError::StepInputUnresolved {
            stack: step.name.clone(),
            from: import.stack.clone(),
            output: import.output.clone(),
            environment: environment.to_string(),
            reason,
        })
    }

    /// Asks before an acceptance when the approval level is `any-change`: it changes a
    /// resource another account (or region) asked for. At `broadening` it does not ask: an
    /// acceptance opens no route and no rule by itself — the routes and associations that use
    /// it are in the stacks after it, whose change sets are reviewed as any other.
    async fn approve_step(
        &self,
        step: &StackTemplate,
        action: &StepAction,
        input: &str,
    ) -> Result<(), DeployError> {
        if self.options.require_approval != crate::RequireApproval::AnyChange {
            return Ok(());
        }
        let name = step.name.as_str();
        let what = format!(
            "{} {input} in {} (a change to a resource another account or region asked for)",
            action.api_action(),
            step.environment
        );
        if self.options.yes {
            self.ui.line(name, &format!("{what}: approved by --yes"));
            return Ok(());
        }
        match self.ask(name, &format!("{what}; accept?")).await? {
            Some(true) => Ok(()),
            Some(false) => Err(DeployError::Declined {
                stack: name.to_string(),
            }),
            None => Err(DeployError::ConfirmationRequired {
                stack: name.to_string(),
                reason: what,
                fix: "review it (the `diff` verb) and pass --yes to accept, or \
                      --require-approval broadening",
            }),
        }
    }

    /// The step's environment's EC2 and RAM access.
    fn signed_access(&self, step: &StackTemplate) -> Result<SignedAccess, DeployError> {
        self.signed_access_in(step, &step.environment)
    }

    /// EC2 and RAM access in `environment` (the step's, or its producer's).
    fn signed_access_in(
        &self,
        step: &StackTemplate,
        environment: &Environment,
    ) -> Result<SignedAccess, DeployError> {
        let key = Environment {
            account: None,
            ..environment.clone()
        };
        self.connections
            .lock()
            .ok()
            .and_then(|c| c.get(&key).and_then(|c| c.connection.signed.clone()))
            .ok_or_else(|| DeployError::StepFailed {
                stack: step.name.clone(),
                action: "connecting",
                reason: format!("no region or credentials for EC2 and RAM in {environment}"),
                fix: "set AWS_REGION and credentials (AWS_PROFILE); a Connection made by hand \
                      needs its `signed` access"
                    .into(),
                request_id: None,
            })
    }

    /// The attachment the accepter accepts: the requester's own ID, unless AWS gave the
    /// accepter an attachment of its own — always within one Region, and in some Regions across
    /// two ("this will create two peerings": terraform-provider-aws,
    /// examples/transit-gateway-intra-region-peering; accepting the requester's ID there is
    /// refused, "Cannot accept … as the source of the peering request") — which the requester's
    /// side describes as `accepterTransitGatewayAttachmentId` (EC2 API reference,
    /// TransitGatewayPeeringAttachment). Read in the requester's (the producer's) environment.
    async fn peering_target(
        &self,
        step: &StackTemplate,
        requester_id: &str,
    ) -> Result<String, DeployError> {
        let Some((_, producer)) = step.parameter_imports.first() else {
            return Ok(requester_id.to_string());
        };
        let access = self.signed_access_in(step, producer)?;
        Ok(self
            .describe_attachment(&step.name, &access, &PEERING, requester_id)
            .await?
            .and_then(|a| a.accepter_id)
            .filter(|id| !id.is_empty())
            .unwrap_or_else(|| requester_id.to_string()))
    }

    /// A step's outputs, kept for the stacks that import them later in the run.
    fn remember_step_outputs(&self, step: &str, outputs: &[(String, String)]) {
        if let Ok(mut known) = self.step_outputs.lock() {
            known.insert(step.to_string(), outputs.to_vec());
        }
    }

    /// Reads the attachment and, when `accept`, accepts it and waits until it is available:
    /// `(what was done, outputs)`; `None` for what was done when read only and not available.
    async fn accept_attachment(
        &self,
        step: &str,
        access: &SignedAccess,
        calls: &AttachmentCalls,
        id: &str,
        accept: bool,
    ) -> Result<(Option<String>, Vec<(String, String)>), DeployError> {
        let started = Instant::now();
        let limit = self.options.timeout.unwrap_or(DEFAULT_STEP_TIMEOUT);
        let mut accepted = false;
        let mut not_found = 0;
        loop {
            let Some(attachment) = self.describe_attachment(step, access, calls, id).await? else {
                // The accepter's own attachment may show a moment after the requester's.
                not_found += 1;
                if accept && not_found <= NOT_FOUND_POLLS && started.elapsed() < limit {
                    if self.pause().await {
                        return Err(DeployError::Cancelled {
                            stack: step.to_string(),
                            operation: "waiting for the attachment",
                        });
                    }
                    continue;
                }
                return Err(DeployError::StepFailed {
                    stack: step.to_string(),
                    action: calls.describe,
                    reason: format!("attachment {id} does not exist in {}", access.region),
                    fix: format!(
                        "run the step in the accepter transit gateway's account and region, and \
                         deploy the stack that creates {id} first"
                    ),
                    request_id: None,
                });
            };
            match next_for(&attachment.state) {
                Next::Done => {
                    let mut outputs =
                        vec![("TransitGatewayAttachmentId".to_string(), id.to_string())];
                    if calls.peering {
                        // One attachment ID names both sides of a peering unless AWS gives the
                        // accepter's own (`accepterTransitGatewayAttachmentId`, optional).
                        outputs.push((
                            "AccepterTransitGatewayAttachmentId".to_string(),
                            attachment
                                .accepter_id
                                .clone()
                                .unwrap_or_else(|| id.to_string()),
                        ));
                    }
                    let done = if accepted {
                        format!(
                            "accepted attachment {id}: available after {}",
                            crate::error::human_duration(started.elapsed())
                        )
                    } else {
                        format!("nothing to do: attachment {id} is already available")
                    };
                    return Ok((Some(done), outputs));
                }
                _ if !accept => return Ok((None, Vec::new())),
                Next::Accept if !accepted => {
                    match self
                        .ec2_call(
                            step,
                            access,
                            calls.accept,
                            &[("TransitGatewayAttachmentId", id)],
                        )
                        .await
                    {
                        Ok(_) => {}
                        // A retried accept whose first attempt landed: read the state again.
                        Err(DeployError::StepFailed { reason, .. })
                            if reason.starts_with("IncorrectState") => {}
                        Err(e) => return Err(e),
                    }
                    self.ui.line(
                        step,
                        &format!("{} {id}: waiting for available", calls.accept),
                    );
                    accepted = true;
                    continue;
                }
                Next::Accept | Next::Wait => {}
                Next::Fail => return Err(no_longer_acceptable(step, calls, id, &attachment.state)),
            }
            if started.elapsed() >= limit {
                return Err(DeployError::StepFailed {
                    stack: step.to_string(),
                    action: calls.accept,
                    reason: format!(
                        "attachment {id} is still {} after {}",
                        attachment.state,
                        crate::error::human_duration(started.elapsed())
                    ),
                    fix: "deploy again later (the step carries on from where it is), or raise \
                          --timeout"
                        .into(),
                    request_id: None,
                });
            }
            if self.pause().await {
                return Err(DeployError::Cancelled {
                    stack: step.to_string(),
                    operation: "waiting for the attachment",
                });
            }
        }
    }

    /// `Describe…Attachments` for one ID: `None` when AWS knows no such attachment.
    async fn describe_attachment(
        &self,
        step: &str,
        access: &SignedAccess,
        calls: &AttachmentCalls,
        id: &str,
    ) -> Result<Option<Attachment>, DeployError> {
        match self
            .ec2_call(
                step,
                access,
                calls.describe,
                &[("TransitGatewayAttachmentIds.1", id)],
            )
            .await
        {
            Ok(text) => Ok(parse_attachment(&text)),
            Err(DeployError::StepFailed { reason, .. })
                if reason.starts_with("InvalidTransitGatewayAttachmentID.NotFound") =>
            {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// Reads the share's invitation to this account and, when `accept`, accepts a pending one
    /// and waits until it is accepted.
    async fn accept_invitation(
        &self,
        step: &str,
        access: &SignedAccess,
        share: &str,
        accept: bool,
    ) -> Result<(Option<String>, Vec<(String, String)>), DeployError> {
        let outputs = vec![("ResourceShareArn".to_string(), share.to_string())];
        let started = Instant::now();
        let limit = self.options.timeout.unwrap_or(DEFAULT_STEP_TIMEOUT);
        let mut accepted = false;
        let mut empty_polls = 0;
        loop {
            let invitations = self.invitations(step, access, share).await?;
            match pick(&invitations) {
                None if empty_polls >= INVITATION_POLLS || !accept => {
                    return Ok((
                        Some(format!(
                            "nothing to do: no invitation to {share} (the account is in the \
                             organization and sharing with it is enabled)"
                        )),
                        outputs,
                    ));
                }
                None => empty_polls += 1,
                Some(i) if i.status == "ACCEPTED" => {
                    let done = if accepted {
                        format!("accepted invitation {}", i.arn)
                    } else {
                        format!("nothing to do: the invitation to {share} is already accepted")
                    };
                    return Ok((Some(done), outputs));
                }
                Some(_) if !accept => return Ok((None, Vec::new())),
                Some(i) if i.status == "PENDING" => {
                    if !accepted {
                        let body = serde_json::json!({ "resourceShareInvitationArn": i.arn });
                        self.ram_call(step, access, "AcceptResourceShareInvitation", &body)
                            .await?;
                        accepted = true;
                        continue;
                    }
                }
                Some(i) => {
                    return Err(DeployError::StepFailed {
                        stack: step.to_string(),
                        action: "AcceptResourceShareInvitation",
                        reason: format!("the invitation {} is {}", i.arn, i.status),
                        fix: "an invitation cannot be accepted once rejected or expired: the \
                              share's owner must invite the account again (remove it from the \
                              share's principals, deploy, add it back, deploy), then deploy \
                              again"
                            .into(),
                        request_id: None,
                    });
                }
            }
            if started.elapsed() >= limit {
                return Err(DeployError::StepFailed {
                    stack: step.to_string(),
                    action: "AcceptResourceShareInvitation",
                    reason: format!("the invitation to {share} is not accepted yet"),
                    fix: "deploy again later, or raise --timeout".into(),
                    request_id: None,
                });
            }
            if self.pause().await {
                return Err(DeployError::Cancelled {
                    stack: step.to_string(),
                    operation: "waiting for the invitation",
                });
            }
        }
    }

    /// RAM `GetResourceShareInvitations` for one share.
    async fn invitations(
        &self,
        step: &str,
        access: &SignedAccess,
        share: &str,
    ) -> Result<Vec<Invitation>, DeployError> {
        // Every page: RAM "can occasionally return an empty set of results even when there
        // are more results available" (API reference, GetResourceShareInvitations, nextToken).
        let mut invitations = Vec::new();
        let mut next: Option<String> = None;
        loop {
            let mut body = serde_json::json!({ "resourceShareArns": [share] });
            if let Some(token) = &next {
                body["nextToken"] = serde_json::Value::String(token.clone());
            }
            let answer = match self
                .ram_call(step, access, "GetResourceShareInvitations", &body)
                .await
            {
                Ok(answer) => answer,
                // No invitation (yet) for this share, as RAM says it.
                Err(DeployError::StepFailed { reason, .. })
                    if reason.starts_with("ResourceShareInvitationArnNotFoundException")
                        || reason.starts_with("UnknownResourceException") =>
                {
                    return Ok(invitations);
                }
                Err(e) => return Err(e),
            };
            invitations.extend(
                answer
                    .get("resourceShareInvitations")
                    .and_then(serde_json::Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|i| {
                        Some(Invitation {
                            arn: i.get("resourceShareInvitationArn")?.as_str()?.to_string(),
                            status: i.get("status")?.as_str()?.to_string(),
                        })
                    }),
            );
            next = answer
                .get("nextToken")
                .and_then(serde_json::Value::as_str)
                .filter(|t| !t.is_empty())
                .map(str::to_string);
            if next.is_none() {
                return Ok(invitations);
            }
        }
    }

    /// One EC2 Query API call: the answer's XML.
    async fn ec2_call(
        &self,
        step: &str,
        access: &SignedAccess,
        action: &'static str,
        params: &[(&str, &str)],
    ) -> Result<String, DeployError> {
        let mut body = format!("Action={action}&Version={EC2_VERSION}");
        for (key, value) in params {
            body += &format!("&{key}={}", form_encode(value));
        }
        let url = format!("{}/", access.base_url("ec2"));
        let answer = self
            .signed_call(
                step,
                access,
                "ec2",
                action,
                &url,
                "application/x-www-form-urlencoded; charset=utf-8",
                body,
            )
            .await?;
        if (200..300).contains(&answer.status) {
            return Ok(answer.text);
        }
        let (code, message) = crate::calls::xml_error(answer.status, &answer.text);
        Err(step_error(
            step,
            action,
            &code,
            &message,
            element(&answer.text, "RequestID").or(answer.request_id),
        ))
    }

    /// One AWS RAM call (REST-JSON, `POST /<action in lower case>`): the answer's JSON.
    async fn ram_call(
        &self,
        step: &str,
        access: &SignedAccess,
        action: &'static str,
        body: &serde_json::Value,
    ) -> Result<serde_json::Value, DeployError> {
        let url = format!("{}/{}", access.base_url("ram"), action.to_ascii_lowercase());
        let answer = self
            .signed_call(
                step,
                access,
                "ram",
                action,
                &url,
                "application/json",
                body.to_string(),
            )
            .await?;
        let json: serde_json::Value = serde_json::from_str(&answer.text).unwrap_or_default();
        if (200..300).contains(&answer.status) {
            return Ok(json);
        }
        let code = json
            .get("__type")
            .or_else(|| json.get("code"))
            .and_then(serde_json::Value::as_str)
            .map(|t| t.rsplit('#').next().unwrap_or(t).to_string())
            .unwrap_or_else(|| format!("HTTP {}", answer.status));
        let message = json
            .get("message")
            .or_else(|| json.get("Message"))
            .and_then(serde_json::Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| answer.text.chars().take(200).collect());
        Err(step_error(step, action, &code, &message, answer.request_id))
    }

    /// A signed POST, sent again (after a poll interval) when AWS throttles, fails on its side
    /// or does not answer; interruptible.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn signed_call(
        &self,
        step: &str,
        access: &SignedAccess,
        service: &str,
        action: &'static str,
        url: &str,
        content_type: &str,
        body: String,
    ) -> Result<Answer, DeployError> {
        let mut attempt = 1;
        loop {
            let call = self.send_signed(access, service, url, content_type, body.as_bytes());
            let result = self.interruptible(step, action, call).await?;
            let retry = match &result {
                Ok(answer) => {
                    answer.status == 429
                        || answer.status >= 500
                        || answer.text.contains("RequestLimitExceeded")
                        || answer.text.contains("ThrottlingException")
                }
                Err(_) => true,
            };
            if !retry || attempt >= ATTEMPTS {
                return result.map_err(|reason| DeployError::StepFailed {
                    stack: step.to_string(),
                    action,
                    reason,
                    fix: format!(
                        "{service} did not answer: check the network, and AWS_ENDPOINT_URL if it \
                         is set"
                    ),
                    request_id: None,
                });
            }
            self.ui.line(
                step,
                &format!("{action}: attempt {attempt} of {ATTEMPTS} failed; retrying"),
            );
            attempt += 1;
            if self.pause().await {
                return Err(DeployError::Cancelled {
                    stack: step.to_string(),
                    operation: action,
                });
            }
        }
    }

    /// Signs (SigV4, `service`) and sends one POST; `Err` when nothing came back.
    async fn send_signed(
        &self,
        access: &SignedAccess,
        service: &str,
        url: &str,
        content_type: &str,
        body: &[u8],
    ) -> Result<Answer, String> {
        let request = crate::signing::Signer {
            credentials: access.credentials().await?,
            region: &access.region,
            service,
            settings: SigningSettings::default(),
        }
        .request("POST", url, content_type, body)?;
        let connector = match &access.http {
            Some(connector) => connector.clone(),
            None => self.http.get_or_init(crate::upload::connector).clone(),
        };
        let response = connector
            .call(request)
            .await
            .map_err(|e| crate::calls::chain(&e))?;
        let status = response.status().as_u16();
        let request_id = ["x-amzn-requestid", "x-amz-request-id"]
            .iter()
            .find_map(|h| response.headers().get(*h).map(str::to_string));
        let text = match aws_smithy_types::byte_stream::ByteStream::new(response.into_body())
            .collect()
            .await
        {
            Ok(bytes) => String::from_utf8_lossy(&bytes.into_bytes()).into_owned(),
            Err(e) => return Err(format!("the answer's body could not be read: {e}")),
        };
        Ok(Answer {
            status,
            text,
            request_id,
        })
    }
}

/// The invitation that decides: a pending one first, then an accepted one, then any.
fn pick(invitations: &[Invitation]) -> Option<&Invitation> {
    invitations
        .iter()
        .find(|i| i.status == "PENDING")
        .or_else(|| invitations.iter().find(|i| i.status == "ACCEPTED"))
        .or_else(|| invitations.first())
}

/// An AWS error answer as a [`DeployError::StepFailed`], with the fix where one is known.
/// An attachment in a state it cannot be accepted from (rejected, failed, deleted, …).
fn no_longer_acceptable(step: &str, calls: &AttachmentCalls, id: &str, state: &str) -> DeployError {
    DeployError::StepFailed {
        stack: step.to_string(),
        action: calls.accept,
        reason: format!("attachment {id} is {state}"),
        fix: "it cannot be accepted any more: delete it and create it again (destroy and deploy \
              the stack that requests it), then deploy again"
            .into(),
        request_id: None,
    }
}

/// A peering step's outputs: the requester's attachment ID and the accepter's (the same ID
/// unless AWS gave the accepter one of its own).
fn peering_outputs(requester: &str, accepter: &str) -> Vec<(String, String)> {
    vec![
        (
            "TransitGatewayAttachmentId".to_string(),
            requester.to_string(),
        ),
        (
            "AccepterTransitGatewayAttachmentId".to_string(),
            accepter.to_string(),
        ),
    ]
}

fn step_error(
    step: &str,
    action: &'static str,
    code: &str,
    message: &str,
    request_id: Option<String>,
) -> DeployError {
    let fix = match code {
        "UnauthorizedOperation" | "AccessDenied" | "AccessDeniedException" => format!(
            "the step's credentials may not call {action}: grant {}:{action} to them (the \
             accepter's account; docs/guide/deploy.md lists the permissions)",
            if action.contains("ResourceShare") {
                "ram"
            } else {
                "ec2"
            }
        ),
        "IncorrectState" => "the attachment left pendingAcceptance meanwhile: deploy again".into(),
        _ if code.starts_with("InvalidTransitGatewayAttachmentID") => {
            "run the step in the accepter transit gateway's account and region".into()
        }
        _ => "see AWS's message; deploy again once it is fixed (a step does nothing twice)".into(),
    };
    DeployError::StepFailed {
        stack: step.to_string(),
        action,
        reason: format!("{code}: {message}"),
        fix,
        request_id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_decide_what_the_step_does() {
        assert_eq!(next_for("available"), Next::Done);
        assert_eq!(next_for("pendingAcceptance"), Next::Accept);
        for waiting in ["initiating", "initiatingRequest", "pending", "modifying"] {
            assert_eq!(next_for(waiting), Next::Wait, "{waiting}");
        }
        for failed in [
            "rejected",
            "rejecting",
            "failed",
            "failing",
            "deleted",
            "deleting",
            "rollingBack",
            "",
        ] {
            assert_eq!(next_for(failed), Next::Fail, "{failed}");
        }
    }

    #[test]
    fn an_attachment_is_read_from_its_description() {
        let xml = "<DescribeTransitGatewayPeeringAttachmentsResponse><requestId>r</requestId>\
                   <transitGatewayPeeringAttachments><item>\
                   <transitGatewayAttachmentId>tgw-attach-1</transitGatewayAttachmentId>\
                   <accepterTransitGatewayAttachmentId>tgw-attach-2</accepterTransitGatewayAttachmentId>\
                   <state>pendingAcceptance</state><status><code>pendingAcceptance</code></status>\
                   </item></transitGatewayPeeringAttachments></DescribeTransitGatewayPeeringAttachmentsResponse>";
        assert_eq!(
            parse_attachment(xml),
            Some(Attachment {
                state: "pendingAcceptance".into(),
                accepter_id: Some("tgw-attach-2".into()),
            })
        );
        assert_eq!(
            parse_attachment("<R><transitGatewayPeeringAttachments/></R>"),
            None
        );
    }

    #[test]
    fn form_values_are_percent_encoded() {
        assert_eq!(form_encode("tgw-attach-0a_b.c~"), "tgw-attach-0a_b.c~");
        assert_eq!(
            form_encode("arn:aws:ram:us-east-1:1:resource-share/x"),
            "arn%3Aaws%3Aram%3Aus-east-1%3A1%3Aresource-share%2Fx"
        );
    }

    #[test]
    fn a_pending_invitation_decides_over_older_ones() {
        let invitation = |status: &str| Invitation {
            arn: status.into(),
            status: status.into(),
        };
        let all = [
            invitation("REJECTED"),
            invitation("ACCEPTED"),
            invitation("PENDING"),
        ];
        assert_eq!(pick(&all).map(|i| i.status.as_str()), Some("PENDING"));
        assert_eq!(pick(&all[..2]).map(|i| i.status.as_str()), Some("ACCEPTED"));
        assert_eq!(pick(&all[..1]).map(|i| i.status.as_str()), Some("REJECTED"));
        assert!(pick(&[]).is_none());
    }
}
