//! Environments: where a stack deploys (account, region) and with which credentials (profile,
//! role), one connection per environment, and the account check before any change.
//!
//! **Invariant:** a stack's calls go through its environment's clients only; an environment
//! with a pinned account is checked (STS GetCallerIdentity) before any stack of the operation
//! changes, and a mismatch stops the whole operation.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use aws_config::BehaviorVersion;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_smithy_runtime_api::client::http::SharedHttpClient;

use crate::calls::{RetryNotices, aws};
use crate::{DeployError, Environment, ParameterImport, S3Access, SignedAccess, StackTemplate};

/// What an environment's clients depend on: the account is only checked.
fn connection_key(environment: &Environment) -> Environment {
    Environment {
        account: None,
        ..environment.clone()
    }
}

/// The clients of one environment.
#[derive(Clone, Debug)]
pub struct Connection {
    /// CloudFormation.
    pub cloudformation: aws_sdk_cloudformation::Client,
    /// STS, for the account check; `None`: an environment with a pinned account fails.
    pub sts: Option<aws_sdk_sts::Client>,
    /// S3, for templates over 51,200 bytes; `None`: such templates fail with a hint.
    pub s3: Option<S3Access>,
    /// EC2 and AWS RAM, for the acceptance steps ([`SignedAccess`]); `None`: a step in this
    /// environment fails with a hint.
    pub signed: Option<SignedAccess>,
}

/// The future a [`Connect`] returns.
pub type Connecting<'a> =
    Pin<Box<dyn Future<Output = Result<Connection, DeployError>> + Send + 'a>>;

/// Makes the clients of an environment: [`SdkConnect`] from the AWS configuration; tests give
/// their own.
pub trait Connect: Send + Sync {
    /// The clients for `environment` (its account is checked afterwards, not here).
    fn connect<'a>(&'a self, environment: &'a Environment) -> Connecting<'a>;
}

/// Connections from the standard AWS configuration chain: the environment's profile and region
/// on top of it, and its role assumed with STS AssumeRole (session name `vpcform`, refreshed
/// before it expires: aws-config's `AssumeRoleProvider`).
///
/// ```
/// let connect = vpcform_deploy::SdkConnect::new();
/// ```
#[derive(Clone, Debug)]
pub struct SdkConnect {
    http: SharedHttpClient,
    credentials: Option<SharedCredentialsProvider>,
    endpoint_url: Option<String>,
}

impl Default for SdkConnect {
    fn default() -> Self {
        SdkConnect::new()
    }
}

impl SdkConnect {
    /// Over HTTPS ([`crate::https_client`]) with the ambient credentials.
    ///
    /// ```
    /// let connect = vpcform_deploy::SdkConnect::new();
    /// ```
    pub fn new() -> SdkConnect {
        SdkConnect {
            http: crate::https_client(),
            credentials: None,
            endpoint_url: None,
        }
    }

    /// Through this HTTP client (tests answer with canned responses).
    ///
    /// ```
    /// let connect = vpcform_deploy::SdkConnect::new().http_client(vpcform_deploy::https_client());
    /// ```
    pub fn http_client(mut self, http: SharedHttpClient) -> SdkConnect {
        self.http = http;
        self
    }

    /// Every service at this URL (an emulator such as moto), instead of AWS's endpoints or
    /// `AWS_ENDPOINT_URL`.
    ///
    /// ```
    /// let connect = vpcform_deploy::SdkConnect::new().endpoint_url("http://127.0.0.1:5000");
    /// ```
    pub fn endpoint_url(mut self, url: impl Into<String>) -> SdkConnect {
        self.endpoint_url = Some(url.into());
        self
    }

    /// With these base credentials instead of the chain's (a role is assumed with them).
    ///
    /// ```
    /// use aws_credential_types::{Credentials, provider::SharedCredentialsProvider};
    /// let base = SharedCredentialsProvider::new(Credentials::for_tests());
    /// let connect = vpcform_deploy::SdkConnect::new().credentials(base);
    /// ```
    pub fn credentials(mut self, credentials: SharedCredentialsProvider) -> SdkConnect {
        self.credentials = Some(credentials);
        self
    }
}

impl SdkConnect {
    /// The SDK configuration of `environment`: the chain's, with its profile, region and role.
    pub(crate) async fn config(&self, environment: &Environment) -> aws_config::SdkConfig {
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .http_client(self.http.clone())
            .retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(10));
        if let Some(profile) = &environment.profile {
            loader = loader.profile_name(profile);
        }
        if let Some(region) = &environment.region {
            loader = loader.region(aws_config::Region::new(region.clone()));
        }
        if let Some(credentials) = &self.credentials {
            loader = loader.credentials_provider(credentials.clone());
        } else if let Some(profile) = &environment.profile {
            // The profile's own credentials: the default chain would take environment
            // variables (`AWS_ACCESS_KEY_ID`, set in most pipelines) before any profile.
            loader = loader.credentials_provider(
                aws_config::profile::ProfileFileCredentialsProvider::builder()
                    .profile_name(profile)
                    .build(),
            );
        }
        if let Some(url) = &self.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        let mut config = loader.load().await;
        if let Some(role) = &environment.role_arn {
            let provider = aws_config::sts::AssumeRoleProvider::builder(role)
                .session_name("vpcform")
                .configure(&config)
                .build()
                .await;
            config = config
                .to_builder()
                .credentials_provider(SharedCredentialsProvider::new(provider))
                .build();
        }
        config
    }

    /// The clients of a configuration.
    pub(crate) fn connection(config: &aws_config::SdkConfig) -> Connection {
        Connection {
            cloudformation: aws_sdk_cloudformation::Client::new(config),
            sts: Some(aws_sdk_sts::Client::new(config)),
            s3: S3Access::from_sdk_config(config),
            signed: SignedAccess::from_sdk_config(config),
        }
    }
}

impl Connect for SdkConnect {
    fn connect<'a>(&'a self, environment: &'a Environment) -> Connecting<'a> {
        Box::pin(async move { Ok(SdkConnect::connection(&self.config(environment).await)) })
    }
}

/// An AWS environment variable the SDK would not use as given: not UTF-8 (the SDK reads
/// variables with `std::env::var` — aws-types 1.7, `os_shim_internal::Env::get` — and takes any
/// error for "not set", so it falls back to AWS's own endpoint, the default region or profile),
/// or an endpoint URL without a scheme and host (AWS's valid values: "a URL including the
/// scheme and host", <https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html>).
///
/// ```
/// let refused = vpcform_deploy::UnusableVariable {
///     variable: "AWS_PROFILE".into(),
///     problem: "is not valid UTF-8".into(),
///     fix: "set it again".into(),
/// };
/// assert!(refused.to_string().starts_with("AWS_PROFILE is not valid UTF-8"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{variable} {problem}; {fix} (nothing was sent)")]
pub struct UnusableVariable {
    /// The variable's name.
    pub variable: String,
    /// What is wrong with its value, and what the SDK would do with it.
    pub problem: String,
    /// What to do.
    pub fix: String,
}

/// Checks the process's `AWS_*` variables before any client is made (see [`UnusableVariable`]):
/// a run meant for an emulator or a profile must not go elsewhere because the SDK silently
/// dropped a value. [`Deployer::from_env`](crate::Deployer::from_env) does not call it; the
/// command line does, first.
///
/// ```
/// if let Err(refused) = vpcform_deploy::check_aws_variables() {
///     eprintln!("error: {refused}");
/// }
/// ```
///
/// # Errors
/// The first variable the SDK would drop or could not use.
pub fn check_aws_variables() -> Result<(), UnusableVariable> {
    check_variables(std::env::vars_os())
}

/// [`check_aws_variables`] over given variables.
fn check_variables(
    variables: impl IntoIterator<Item = (std::ffi::OsString, std::ffi::OsString)>,
) -> Result<(), UnusableVariable> {
    let mut variables: Vec<_> = variables
        .into_iter()
        .filter_map(|(name, value)| Some((name.into_string().ok()?, value)))
        .filter(|(name, _)| name.starts_with("AWS_"))
        .collect();
    // The same variable is named whatever order the process keeps them in.
    variables.sort();
    for (name, value) in variables {
        let refused = |problem: String, fix: &str| UnusableVariable {
            variable: name.clone(),
            problem,
            fix: fix.to_string(),
        };
        let is_endpoint = name == "AWS_ENDPOINT_URL" || name.starts_with("AWS_ENDPOINT_URL_");
        let Some(text) = value.to_str() else {
            let fallback = if is_endpoint {
                "AWS's own endpoint"
            } else if name == "AWS_PROFILE" {
                "the default profile"
            } else if name == "AWS_REGION" || name == "AWS_DEFAULT_REGION" {
                "another region setting"
            } else {
                "its default"
            };
            return Err(refused(
                format!(
                    "is not valid UTF-8 ({:?}), so the AWS SDK would ignore it and use {fallback}",
                    value.to_string_lossy()
                ),
                "set it to UTF-8 text, or unset it",
            ));
        };
        if is_endpoint
            && !text.is_empty()
            && let Err(reason) = endpoint_problem(text)
        {
            return Err(refused(
                format!("is {text:?}, not an endpoint URL: {reason}"),
                "give the scheme and host, e.g. http://127.0.0.1:5000",
            ));
        }
    }
    Ok(())
}

/// Why `url` is not an endpoint the SDK can send to: a scheme (http or https) and a host.
fn endpoint_problem(url: &str) -> Result<(), String> {
    let uri: http::Uri = url.parse().map_err(|e| format!("{e}"))?;
    match uri.scheme_str() {
        Some("http" | "https") => {}
        Some(other) => return Err(format!("the scheme {other} is neither http nor https")),
        None => return Err("no scheme (http:// or https://)".to_string()),
    }
    if uri.host().is_none_or(str::is_empty) {
        return Err("no host".to_string());
    }
    Ok(())
}

/// An environment's connection as the deployer keeps it: the clients, its bootstrap bucket
/// once known, and the caller's account once asked.
#[derive(Clone)]
pub(crate) struct Connected {
    pub(crate) connection: Connection,
    pub(crate) bootstrap: Arc<tokio::sync::OnceCell<String>>,
    pub(crate) caller: Arc<tokio::sync::OnceCell<Caller>>,
}

/// STS GetCallerIdentity's answer.
#[derive(Clone, Debug)]
pub(crate) struct Caller {
    pub(crate) account: String,
    pub(crate) arn: String,
}

impl Connected {
    pub(crate) fn new(mut connection: Connection, ui: &Arc<dyn crate::Ui>) -> Connected {
        let config = connection
            .cloudformation
            .config()
            .to_builder()
            .interceptor(RetryNotices { ui: ui.clone() })
            .build();
        connection.cloudformation = aws_sdk_cloudformation::Client::from_conf(config);
        Connected {
            connection,
            bootstrap: Arc::new(tokio::sync::OnceCell::new()),
            caller: Arc::new(tokio::sync::OnceCell::new()),
        }
    }
}

/// The connections made so far, by environment (less its account).
pub(crate) type Connections = Arc<std::sync::Mutex<HashMap<Environment, Connected>>>;

impl crate::Deployer {
    /// Gives the clients of one environment: for tests, or programs that build their own.
    /// The deployer made by [`Deployer::new`](crate::Deployer::new) has only the ambient
    /// environment's; [`Deployer::from_env`](crate::Deployer::from_env) connects to any.
    ///
    /// ```no_run
    /// # fn demo(deployer: vpcform_deploy::Deployer, cfn: aws_sdk_cloudformation::Client) {
    /// use vpcform_deploy::{Connection, Environment};
    /// let eu = Environment { region: Some("eu-west-1".into()), ..Default::default() };
    /// let deployer = deployer.with_environment(&eu, Connection { cloudformation: cfn, sts: None, s3: None, signed: None });
    /// # }
    /// ```
    pub fn with_environment(mut self, environment: &Environment, connection: Connection) -> Self {
        let connected = Connected::new(connection, &self.ui);
        // The deployer's own environment: its single-stack calls use these clients too.
        if connection_key(environment) == connection_key(&self.environment) {
            self.client = connected.connection.cloudformation.clone();
            self.s3 = connected.connection.s3.clone();
            self.bootstrap = connected.bootstrap.clone();
        }
        if let Ok(mut connections) = self.connections.lock() {
            connections.insert(connection_key(environment), connected);
        }
        self
    }

    /// Connects to environments not connected yet with `connector`.
    ///
    /// ```no_run
    /// # fn demo(deployer: vpcform_deploy::Deployer) {
    /// let deployer = deployer.with_connector(std::sync::Arc::new(vpcform_deploy::SdkConnect::new()));
    /// # }
    /// ```
    pub fn with_connector(mut self, connector: Arc<dyn Connect>) -> Self {
        self.connector = Some(connector);
        self
    }

    /// This deployer, working in `environment`: its clients, S3 and bootstrap bucket. The
    /// environment must have been prepared ([`Deployer::prepare_environments`]).
    pub(crate) fn in_environment(&self, environment: &Environment) -> Result<Self, DeployError> {
        let key = connection_key(environment);
        let connected = self
            .connections
            .lock()
            .ok()
            .and_then(|c| c.get(&key).cloned())
            .ok_or_else(|| DeployError::NoConnection {
                environment: environment.to_string(),
            })?;
        let mut deployer = self.clone();
        deployer.client = connected.connection.cloudformation.clone();
        deployer.s3 = connected.connection.s3.clone();
        deployer.bootstrap = connected.bootstrap.clone();
        deployer.environment = environment.clone();
        Ok(deployer)
    }

    /// Connects to every environment `stacks` deploy to or read outputs from, and checks each
    /// pinned account against the caller's, before anything changes.
    ///
    /// # Errors
    /// [`DeployError::AccountMismatch`] naming the stack, both accounts and the caller;
    /// a connection's or STS's error.
    pub(crate) async fn prepare_environments(
        &self,
        stacks: &[&StackTemplate],
    ) -> Result<(), DeployError> {
        // Every environment once, with the first stack that uses it (for messages).
        let mut wanted: Vec<(&Environment, &str)> = Vec::new();
        for stack in stacks {
            if !wanted.iter().any(|(e, _)| **e == stack.environment) {
                wanted.push((&stack.environment, &stack.name));
            }
            for (import, environment) in &stack.parameter_imports {
                if !wanted.iter().any(|(e, _)| *e == environment) {
                    wanted.push((environment, &import.stack));
                }
            }
        }
        for (environment, stack) in wanted {
            let connected = self.connect(environment, stack).await?;
            let Some(expected) = &environment.account else {
                continue;
            };
            let caller = self.caller(&connected, environment, stack).await?;
            if caller.account != *expected {
                return Err(DeployError::AccountMismatch {
                    stack: stack.to_string(),
                    expected: expected.clone(),
                    actual: caller.account.clone(),
                    caller: caller.arn.clone(),
                    environment: environment.to_string(),
                });
            }
        }
        Ok(())
    }

    /// The environment's connection, made on first use.
    pub(crate) async fn connect(
        &self,
        environment: &Environment,
        stack: &str,
    ) -> Result<Connected, DeployError> {
        let key = connection_key(environment);
        if let Some(connected) = self
            .connections
            .lock()
            .ok()
            .and_then(|c| c.get(&key).cloned())
        {
            return Ok(connected);
        }
        let Some(connector) = &self.connector else {
            return Err(DeployError::NoConnection {
                environment: environment.to_string(),
            });
        };
        let connection = self
            .interruptible(stack, "connecting", connector.connect(environment))
            .await??;
        let connected = Connected::new(connection, &self.ui);
        if let Ok(mut connections) = self.connections.lock() {
            connections.insert(key, connected.clone());
        }
        Ok(connected)
    }

    /// Who the connection's credentials are (asked once per connection).
    pub(crate) async fn caller(
        &self,
        connected: &Connected,
        environment: &Environment,
        stack: &str,
    ) -> Result<Caller, DeployError> {
        let Some(sts) = &connected.connection.sts else {
            return Err(DeployError::NoAccountCheck {
                stack: stack.to_string(),
                environment: environment.to_string(),
            });
        };
        connected
            .caller
            .get_or_try_init(|| async {
                let output = self
                    .interruptible(stack, "GetCallerIdentity", sts.get_caller_identity().send())
                    .await?
                    .map_err(|e| {
                        let mut error = aws(stack, "GetCallerIdentity", e);
                        // The first call with an assumed role's credentials: its failure is
                        // often the AssumeRole's.
                        if let (DeployError::Aws { hint, .. }, Some(role)) =
                            (&mut error, &environment.role_arn)
                            && hint.is_none()
                        {
                            *hint = Some(format!(
                                "the credentials come from assuming {role}: check that the \
                                 caller may assume it (sts:AssumeRole) and that its trust policy \
                                 names the caller"
                            ));
                        }
                        error
                    })?;
                Ok::<_, DeployError>(Caller {
                    account: output.account().unwrap_or_default().to_string(),
                    arn: output.arn().unwrap_or_default().to_string(),
                })
            })
            .await
            .cloned()
    }
}

impl crate::Deployer {
    /// Each imported parameter of `stack` with its producer's output value, read in the
    /// producer's environment: `Err` naming what is missing when the producer is not deployed
    /// or lacks the output.
    async fn resolve_imports<'s>(
        &self,
        stack: &'s StackTemplate,
    ) -> Result<Vec<(&'s ParameterImport, &'s Environment, Result<String, String>)>, DeployError>
    {
        let mut out = Vec::with_capacity(stack.parameter_imports.len());
        for (import, environment) in &stack.parameter_imports {
            if let Some(outputs) = self.outputs_of_step(&import.stack, environment).await? {
                let value = outputs.and_then(|outputs| {
                    outputs
                        .iter()
                        .find(|(key, _)| *key == import.output)
                        .map(|(_, value)| value.clone())
                        .ok_or_else(|| {
                            format!("step {} gives no output {}", import.stack, import.output)
                        })
                });
                out.push((import, environment, value));
                continue;
            }
            let producer = self.in_environment(environment)?;
            let value = match producer.stack_info(&import.stack).await? {
                None => Err(format!(
                    "{} is not deployed there: deploy it first (deploy {} deploys it with this \
                     stack)",
                    import.stack, stack.name
                )),
                Some(info) => info
                    .outputs
                    .iter()
                    .find(|(key, _)| *key == import.output)
                    .map(|(_, value)| value.clone())
                    .ok_or_else(|| {
                        let keys: Vec<&str> =
                            info.outputs.iter().map(|(k, _)| k.as_str()).collect();
                        format!(
                            "{} has no such output (it has: {}); deploy it again so it has",
                            import.stack,
                            if keys.is_empty() {
                                "none".to_string()
                            } else {
                                keys.join(", ")
                            }
                        )
                    }),
            };
            out.push((import, environment, value));
        }
        Ok(out)
    }

    /// When `name` is one of the app's steps: its outputs, from this run or read without
    /// accepting anything (`Err`: not done yet); `None` for a stack.
    async fn outputs_of_step(
        &self,
        name: &str,
        environment: &Environment,
    ) -> Result<Option<Result<Vec<(String, String)>, String>>, DeployError> {
        if let Some(outputs) = self
            .step_outputs
            .lock()
            .ok()
            .and_then(|known| known.get(name).cloned())
        {
            return Ok(Some(Ok(outputs)));
        }
        let step = self
            .steps
            .lock()
            .ok()
            .and_then(|steps| steps.iter().find(|s| s.name == name).cloned());
        let Some(step) = step else {
            return Ok(None);
        };
        let Some(action) = &step.step else {
            return Ok(None);
        };
        let deployer = self.in_environment(environment)?;
        // Its own input's producer may not be connected yet (a step not selected).
        deployer.prepare_environments(&[&step]).await?;
        Ok(Some(deployer.read_step_outputs(&step, action).await?))
    }

    /// `stack` with its imported parameters filled (a value given with `--parameters` wins).
    ///
    /// # Errors
    /// [`DeployError::ImportUnresolved`] when a producer's output cannot be read.
    pub(crate) async fn with_imports(
        &self,
        stack: &StackTemplate,
    ) -> Result<StackTemplate, DeployError> {
        let mut filled = stack.clone();
        for (import, environment, value) in self.resolve_imports(stack).await? {
            if stack.parameters.iter().any(|(k, _)| *k == import.parameter) {
                continue;
            }
            let value = value.map_err(|reason| DeployError::ImportUnresolved {
                stack: stack.name.clone(),
                parameter: import.parameter.clone(),
                from: import.stack.clone(),
                output: import.output.clone(),
                environment: environment.to_string(),
                reason,
            })?;
            self.ui.line(
                &stack.name,
                &format!(
                    "{} = {value} ({}'s output {}, {})",
                    import.parameter, import.stack, import.output, environment
                ),
            );
            filled.parameters.push((import.parameter.clone(), value));
        }
        Ok(filled)
    }

    /// For `diff`: each imported parameter's deployed value and the one a deploy would pass.
    pub(crate) async fn imported_parameter_changes(
        &self,
        stack: &StackTemplate,
    ) -> Result<Vec<crate::PropertyChange>, DeployError> {
        if stack.parameter_imports.is_empty() {
            return Ok(Vec::new());
        }
        let deployed = self
            .stack_info(&stack.name)
            .await?
            .map(|info| info.parameters)
            .unwrap_or_default();
        Ok(self
            .resolve_imports(stack)
            .await?
            .into_iter()
            .map(|(import, _, value)| crate::PropertyChange {
                path: format!(
                    "Parameters.{} ({}'s output {})",
                    import.parameter, import.stack, import.output
                ),
                before: deployed
                    .iter()
                    .find(|(k, _)| *k == import.parameter)
                    .map(|(_, v)| serde_json::Value::from(v.as_str())),
                after: Some(match value {
                    Ok(value) => serde_json::Value::from(value),
                    Err(reason) => serde_json::Value::from(format!("(unknown: {reason})")),
                }),
            })
            .collect())
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::ffi::OsString;
    use std::os::unix::ffi::OsStringExt;

    use super::check_variables;

    fn check(name: &str, value: OsString) -> Result<(), String> {
        check_variables([
            (
                OsString::from("AWS_ACCESS_KEY_ID"),
                OsString::from("testing"),
            ),
            (OsString::from(name), value),
        ])
        .map_err(|e| {
            assert_eq!(e.variable, name);
            e.to_string()
        })
    }

    #[test]
    fn a_variable_the_sdk_would_drop_is_named() {
        let not_utf8 = || OsString::from_vec(b"x\xff".to_vec());
        for name in [
            "AWS_ENDPOINT_URL",
            "AWS_ENDPOINT_URL_CLOUDFORMATION",
            "AWS_ENDPOINT_URL_STS",
            "AWS_REGION",
            "AWS_DEFAULT_REGION",
            "AWS_PROFILE",
            "AWS_ROLE_ARN",
        ] {
            let text = check(name, not_utf8()).expect_err(name);
            assert!(text.contains("not valid UTF-8"), "{text}");
            assert!(!text.contains('\n'), "one line: {text}");
        }
        assert!(check("AWS_PROFILE", not_utf8()).is_err_and(|t| t.contains("default profile")));
        // Not the SDK's: left alone.
        assert!(check("HOME", not_utf8()).is_ok());
        assert!(check("MY_AWS_THING", not_utf8()).is_ok());
    }

    #[test]
    fn an_endpoint_url_needs_a_scheme_and_a_host() {
        let url = |text: &str| check("AWS_ENDPOINT_URL_S3", OsString::from(text));
        assert!(url("http://127.0.0.1:5000").is_ok());
        assert!(url("https://cloudformation.us-east-1.amazonaws.com").is_ok());
        assert!(url("http://localhost:4566/path").is_ok());
        assert!(url("").is_ok(), "empty: as if unset");
        assert!(url("127.0.0.1:5000").is_err_and(|t| t.contains("no scheme")));
        assert!(url("http://[::1").is_err());
        assert!(url("ftp://example.com").is_err_and(|t| t.contains("ftp")));
        assert!(url("http:///x").is_err());
        // Not an endpoint URL, whatever its value.
        assert!(
            check(
                "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
                OsString::from("true")
            )
            .is_ok()
        );
        assert!(check("AWS_REGION", OsString::from("127.0.0.1:5000")).is_ok());
    }
}
