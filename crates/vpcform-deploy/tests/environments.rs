//! Environments: one connection per account and region, the account check before any change,
//! role assumption, and parameters filled from another environment's outputs.

mod common;
use common::*;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::operation::describe_change_set::DescribeChangeSetOutput;
use aws_sdk_cloudformation::types::{ChangeSetStatus, ChangeSetType, StackStatus};
use aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityOutput;
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};
use vpcform_deploy::{
    Connection, DeployError, DeployOptions, Deployer, Environment, ParameterImport, RecordingUi,
    SdkConnect, StackOutcome, StackTemplate,
};

const PROVIDER_ACCOUNT: &str = "111122223333";
const CONSUMER_ACCOUNT: &str = "444455556666";

fn options() -> DeployOptions {
    DeployOptions {
        poll_interval: Duration::from_millis(5),
        ..DeployOptions::default()
    }
}

fn env(account: &str, region: &str) -> Environment {
    Environment {
        account: Some(account.into()),
        region: Some(region.into()),
        ..Environment::default()
    }
}

fn sts(account: &'static str) -> (Rule, aws_sdk_sts::Client) {
    let rule = mock!(aws_sdk_sts::Client::get_caller_identity).then_output(move || {
        GetCallerIdentityOutput::builder()
            .account(account)
            .arn(format!("arn:aws:sts::{account}:assumed-role/deploy/me"))
            .build()
    });
    let client = mock_client!(aws_sdk_sts, RuleMode::MatchAny, [&rule]);
    (rule, client)
}

/// An update with no changes: what a stack in an environment goes through.
fn no_change_rules(name: &'static str) -> Vec<Rule> {
    vec![
        mock!(Client::describe_stacks)
            .then_output(move || stack_named(name, StackStatus::UpdateComplete)),
        created(ChangeSetType::Update),
        mock!(Client::describe_change_set).then_output(|| {
            DescribeChangeSetOutput::builder()
                .status(ChangeSetStatus::Failed)
                .status_reason("The submitted information didn't contain changes.")
                .build()
        }),
        delete_change_set(),
        deployed(BODY),
        no_stale_change_sets(),
    ]
}

/// A pinned account the credentials are not of stops the whole operation before any call to
/// CloudFormation, naming both accounts and the caller.
#[tokio::test]
async fn an_account_mismatch_stops_everything_before_any_change() {
    let (identity, sts) = sts(CONSUMER_ACCOUNT);
    let describe = mock!(Client::describe_stacks).then_error(missing);
    let cfn = client(&[&describe]);
    let ui = Arc::new(RecordingUi::answering(None));
    let pinned = env(PROVIDER_ACCOUNT, "us-east-1");
    let deployer = Deployer::new(cfn.clone(), ui, options()).with_environment(
        &pinned,
        Connection {
            cloudformation: cfn,
            sts: Some(sts),
            s3: None,
            signed: None,
        },
    );
    let mut net = StackTemplate::new("Net", BODY);
    net.environment = pinned;
    let error = deployer.deploy(&[net], &[]).await.expect_err("mismatch");
    assert_eq!(
        error.to_string(),
        "Net: the stack is pinned to account 111122223333, but the credentials for account \
         111122223333, us-east-1 are arn:aws:sts::444455556666:assumed-role/deploy/me in account \
         444455556666; nothing was changed — use credentials of 111122223333 (a profile, or a \
         role of that account), or pin 444455556666"
    );
    assert_eq!(identity.num_calls(), 1);
    assert_eq!(
        describe.num_calls(),
        0,
        "nothing was asked of CloudFormation"
    );
}

/// Two environments, two clients: each stack's calls go to its own; the consumer's parameter is
/// filled with the provider's output, read with the provider's client; `diff` shows the value.
#[tokio::test]
async fn a_parameter_is_filled_from_the_producers_output_in_its_own_environment() {
    let provider_env = env(PROVIDER_ACCOUNT, "us-east-1");
    let consumer_env = env(CONSUMER_ACCOUNT, "eu-west-1");
    let provider_rules = no_change_rules("Provider");
    let provider_cfn = client(&provider_rules.iter().collect::<Vec<_>>());
    let mut consumer_rules = no_change_rules("Consumer");
    // The change set carries the provider's output (`VpcId` = `vpc-123`, see `stack_named`).
    consumer_rules[1] = mock!(Client::create_change_set)
        .match_requests(|req| {
            req.parameters().iter().any(|p| {
                p.parameter_key() == Some("ImportProviderVpcId")
                    && p.parameter_value() == Some("vpc-123")
            })
        })
        .then_output(|| {
            aws_sdk_cloudformation::operation::create_change_set::CreateChangeSetOutput::builder()
                .id("arn:changeset")
                .stack_id(stack_id("Consumer"))
                .build()
        });
    let consumer_cfn = client(&consumer_rules.iter().collect::<Vec<_>>());
    let (provider_identity, provider_sts) = sts(PROVIDER_ACCOUNT);
    let (consumer_identity, consumer_sts) = sts(CONSUMER_ACCOUNT);
    let ambient = client(&[]);
    let ui = Arc::new(RecordingUi::answering(None));
    let deployer = Deployer::new(ambient, ui.clone(), options())
        .with_environment(
            &provider_env,
            Connection {
                cloudformation: provider_cfn,
                sts: Some(provider_sts),
                s3: None,
                signed: None,
            },
        )
        .with_environment(
            &consumer_env,
            Connection {
                cloudformation: consumer_cfn,
                sts: Some(consumer_sts),
                s3: None,
                signed: None,
            },
        );
    let mut provider = StackTemplate::new("Provider", BODY);
    provider.environment = provider_env.clone();
    let mut consumer = StackTemplate::new(
        "Consumer",
        r#"{"Parameters":{"ImportProviderVpcId":{"Type":"String"}},"Resources":{"Vpc":{"Type":"AWS::EC2::VPC","Properties":{"CidrBlock":"10.0.0.0/16"}}}}"#,
    );
    consumer.environment = consumer_env;
    consumer.depends_on = vec!["Provider".into()];
    consumer.parameter_imports = vec![(
        ParameterImport {
            parameter: "ImportProviderVpcId".into(),
            stack: "Provider".into(),
            output: "VpcId".into(),
        },
        provider_env,
    )];
    let stacks = [provider, consumer];
    let report = deployer
        .deploy(&stacks, &[])
        .await
        .expect("deploys")
        .into_result()
        .expect("both succeed");
    assert_eq!(
        report,
        [
            ("Provider".to_string(), StackOutcome::NoChanges),
            ("Consumer".to_string(), StackOutcome::NoChanges)
        ]
    );
    assert_eq!(
        consumer_rules[1].num_calls(),
        1,
        "the consumer's change set carried the provider's output"
    );
    assert_eq!(provider_rules[1].num_calls(), 1);
    // Each account was checked once, whatever the number of calls.
    assert_eq!(provider_identity.num_calls(), 1);
    assert_eq!(consumer_identity.num_calls(), 1);
    let lines = ui.lines();
    assert!(
        lines.contains(
            &"Consumer: ImportProviderVpcId = vpc-123 (Provider's output VpcId, account \
              111122223333, us-east-1)"
                .to_string()
        ),
        "{lines:#?}"
    );

    // `diff` resolves the value the same way and shows it.
    let diffs = deployer
        .diff(&stacks, &["Consumer".into()])
        .await
        .expect("diff");
    let text = diffs[0].to_string();
    assert!(
        text.contains(
            "Parameters.ImportProviderVpcId (Provider's output VpcId): (none) -> \"vpc-123\""
        ),
        "{text}"
    );
}

/// A producer that is not deployed stops the consumer before any change set, saying what to
/// deploy.
#[tokio::test]
async fn a_missing_producer_stops_the_consumer_before_any_change_set() {
    let describe = mock!(Client::describe_stacks).then_error(|| missing_named("Provider"));
    let create = created(ChangeSetType::Create);
    let cfn = client(&[&describe, &create]);
    let ui = Arc::new(RecordingUi::answering(None));
    let deployer = Deployer::new(cfn, ui, options());
    let mut consumer = StackTemplate::new(
        "Consumer",
        r#"{"Parameters":{"ImportProviderVpcId":{"Type":"String"}},"Resources":{}}"#,
    );
    consumer.parameter_imports = vec![(
        ParameterImport {
            parameter: "ImportProviderVpcId".into(),
            stack: "Provider".into(),
            output: "VpcId".into(),
        },
        Environment::default(),
    )];
    let error = deployer
        .deploy(&[consumer], &[])
        .await
        .expect("runs")
        .into_result()
        .expect_err("no producer");
    assert!(
        matches!(error, DeployError::ImportUnresolved { .. }),
        "{error}"
    );
    assert_eq!(
        error.to_string(),
        "Consumer: parameter ImportProviderVpcId takes Provider's output VpcId (the ambient \
         account and region), but Provider is not deployed there: deploy it first (deploy \
         Consumer deploys it with this stack)"
    );
    assert_eq!(create.num_calls(), 0);
}

/// What the fake AWS below saw: each request's action and the access key it was signed with.
type Seen = Arc<Mutex<Vec<(String, String)>>>;

/// STS and CloudFormation over HTTP, answered from canned XML: AssumeRole hands out
/// `ASIAASSUMED`, GetCallerIdentity names the role's account, DescribeStacks finds nothing.
fn fake_aws(seen: Seen) -> aws_smithy_runtime_api::client::http::SharedHttpClient {
    aws_smithy_http_client::test_util::infallible_client_fn(move |request| {
        let body = request
            .body()
            .bytes()
            .map(|b| String::from_utf8_lossy(b).to_string())
            .unwrap_or_default();
        let action = body
            .split('&')
            .find_map(|p| p.strip_prefix("Action="))
            .unwrap_or("?")
            .to_string();
        let key = request
            .headers()
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split("Credential=").nth(1))
            .and_then(|v| v.split('/').next())
            .unwrap_or("")
            .to_string();
        if let Ok(mut seen) = seen.lock() {
            seen.push((action.clone(), key));
        }
        let (status, xml) = match action.as_str() {
            "AssumeRole" => (
                200,
                r#"<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIAASSUMED</AccessKeyId><SecretAccessKey>secret</SecretAccessKey><SessionToken>token</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::111122223333:assumed-role/vpcform-deploy/vpcform</Arn><AssumedRoleId>AROAEXAMPLE:vpcform</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></AssumeRoleResponse>"#,
            ),
            "GetCallerIdentity" => (
                200,
                r#"<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:sts::111122223333:assumed-role/vpcform-deploy/vpcform</Arn><UserId>AROAEXAMPLE:vpcform</UserId><Account>111122223333</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r2</RequestId></ResponseMetadata></GetCallerIdentityResponse>"#,
            ),
            _ => (
                400,
                r#"<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id Net does not exist</Message></Error><RequestId>r3</RequestId></ErrorResponse>"#,
            ),
        };
        http::Response::builder()
            .status(status)
            .body(xml)
            .expect("response")
    })
}

/// A stack with a role: the role is assumed with the base credentials, and the account check
/// and every CloudFormation call are signed with the role's.
#[tokio::test]
async fn a_stacks_role_is_assumed_and_its_credentials_sign_every_call() {
    let seen: Seen = Arc::default();
    let base =
        SharedCredentialsProvider::new(Credentials::new("AKIABASE", "secret", None, None, "test"));
    let connect = SdkConnect::new()
        .http_client(fake_aws(seen.clone()))
        .credentials(base);
    let ui = Arc::new(RecordingUi::answering(None));
    let deployer = Deployer::new(client(&[]), ui, options()).with_connector(Arc::new(connect));
    let mut net = StackTemplate::new("Net", BODY);
    net.environment = Environment {
        account: Some(PROVIDER_ACCOUNT.into()),
        region: Some("us-east-1".into()),
        profile: None,
        role_arn: Some("arn:aws:iam::111122223333:role/vpcform-deploy".into()),
    };
    let outputs = deployer.stack_outputs(&net).await.expect("reads");
    assert_eq!(outputs, None, "the fake CloudFormation has no stack");
    let seen = seen.lock().expect("seen").clone();
    assert_eq!(
        seen,
        [
            ("AssumeRole".to_string(), "AKIABASE".to_string()),
            ("GetCallerIdentity".to_string(), "ASIAASSUMED".to_string()),
            ("DescribeStacks".to_string(), "ASIAASSUMED".to_string()),
        ]
    );
}

/// An environment the deployer has no clients for (made with `Deployer::new`, no connector) is
/// an error naming the environment, not a deploy with the ambient credentials.
#[tokio::test]
async fn an_environment_without_clients_is_refused() {
    let ui = Arc::new(RecordingUi::answering(None));
    let deployer = Deployer::new(client(&[]), ui, options());
    let mut net = StackTemplate::new("Net", BODY);
    net.environment = Environment {
        region: Some("eu-west-1".into()),
        ..Environment::default()
    };
    let error = deployer.deploy(&[net], &[]).await.expect_err("no clients");
    assert!(
        error.to_string().starts_with("no clients for eu-west-1:"),
        "{error}"
    );
}
