//! Templates over CloudFormation's 51,200-byte `TemplateBody` limit go to S3 and are deployed by
//! `TemplateURL` (up to 1 MB), as `cdk deploy` does: to a bucket the user names, or to the one
//! vpcform creates once per account and region in a small bootstrap stack (`VpcformToolkit`,
//! like `CDKToolkit`).
//!
//! The upload is one signed `PutObject`, made with `aws-sigv4` and the SDK's own HTTP connector
//! rather than `aws-sdk-s3`, whose code generation would double the deploy feature's build
//! (BENCHMARKS.md, "Build cost").
//!
//! Invariant: a template is uploaded under its content's SHA-256, so a retry or a redeploy of
//! the same template writes the same object, and CloudFormation gets the URL form CDK uses,
//! `https://s3.<region>.<domain>/<bucket>/<key>`.

use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_sigv4::http_request::{
    PayloadChecksumKind, PercentEncodingMode, SigningSettings, UriPathNormalizationMode,
};
use aws_smithy_runtime_api::client::http::HttpConnector;
use sha2::Digest;

use crate::{DeployError, Deployer, StackTemplate};

/// CloudFormation's limit on a template given by `TemplateURL` (the template model's quota: one
/// number for synthesis and the deployer).
pub use vpcform_cfn::quotas::MAX_TEMPLATE_URL_BYTES;

/// The bootstrap stack's name (one per account and region).
pub const BOOTSTRAP_STACK: &str = "VpcformToolkit";

/// The bucket's logical ID in the bootstrap stack: its physical ID is the bucket's name.
const BUCKET_LOGICAL_ID: &str = "TemplateBucket";

/// How the deployer reaches S3: the region, the credentials, and an endpoint for emulators.
#[derive(Clone, Debug)]
pub struct S3Access {
    region: String,
    credentials: SharedCredentialsProvider,
    /// Path-style base URL (`http://127.0.0.1:5000`) instead of AWS's virtual-hosted one.
    endpoint: Option<String>,
}

impl S3Access {
    /// S3 in `region` with `credentials`; `endpoint` overrides AWS's (an emulator: requests go
    /// path-style to it).
    ///
    /// ```
    /// use aws_credential_types::Credentials;
    /// let s3 = vpcform_deploy::S3Access::new(
    ///     "us-east-1",
    ///     Credentials::new("id", "secret", None, None, "example"),
    ///     Some("http://127.0.0.1:5000".into()),
    /// );
    /// ```
    pub fn new(
        region: impl Into<String>,
        credentials: impl ProvideCredentials + 'static,
        endpoint: Option<String>,
    ) -> S3Access {
        S3Access {
            region: region.into(),
            credentials: SharedCredentialsProvider::new(credentials),
            endpoint,
        }
    }

    /// From the standard configuration chain's result, with the endpoint the standard
    /// variables name (`AWS_ENDPOINT_URL_S3`, then `AWS_ENDPOINT_URL`); `None` without a region
    /// or credentials.
    pub(crate) fn from_sdk_config(config: &aws_config::SdkConfig) -> Option<S3Access> {
        let endpoint = std::env::var("AWS_ENDPOINT_URL_S3")
            .ok()
            .filter(|v| !v.is_empty())
            .or_else(|| config.endpoint_url().map(str::to_string))
            .or_else(|| {
                std::env::var("AWS_ENDPOINT_URL")
                    .ok()
                    .filter(|v| !v.is_empty())
            });
        Some(S3Access {
            region: config.region()?.to_string(),
            credentials: config.credentials_provider()?,
            endpoint,
        })
    }

    /// The DNS suffix of the region's partition.
    fn domain(&self) -> &'static str {
        if self.region.starts_with("cn-") {
            "amazonaws.com.cn"
        } else {
            "amazonaws.com"
        }
    }

    /// The URL CloudFormation reads the template from (CDK's form; emulators read their own
    /// S3 for it).
    fn template_url(&self, bucket: &str, key: &str) -> String {
        format!(
            "https://s3.{}.{}/{bucket}/{key}",
            self.region,
            self.domain()
        )
    }

    /// The URL the object is written to.
    fn put_url(&self, bucket: &str, key: &str) -> String {
        match &self.endpoint {
            Some(endpoint) => format!("{}/{bucket}/{key}", endpoint.trim_end_matches('/')),
            None => format!(
                "https://{bucket}.s3.{}.{}/{key}",
                self.region,
                self.domain()
            ),
        }
    }
}

/// The bootstrap stack: one bucket for templates, encrypted (SSE-KMS with the AWS-managed
/// key and a bucket key), versioned, every public access blocked, objects owned by the bucket
/// owner, old versions expired after 30 days, TLS required, kept when the stack goes — CDK's
/// staging bucket (aws-cdk-cli `bootstrap-template.yaml`, `StagingBucket`).
///
/// ```
/// let stack = vpcform_deploy::bootstrap_stack();
/// assert_eq!(stack.name, "VpcformToolkit");
/// assert!(stack.body.len() < vpcform_deploy::MAX_TEMPLATE_BODY_BYTES);
/// ```
pub fn bootstrap_stack() -> StackTemplate {
    let bucket_arn = serde_json::json!({"Fn::GetAtt": [BUCKET_LOGICAL_ID, "Arn"]});
    let template = serde_json::json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "vpcform bootstrap: the S3 bucket templates over CloudFormation's 51,200-byte TemplateBody limit are deployed from",
        "Resources": {
            BUCKET_LOGICAL_ID: {
                "Type": "AWS::S3::Bucket",
                // Access logs need a second bucket to write to; CDK's staging bucket has none
                // either. CloudTrail data events are the account's record of object access.
                "Metadata": {"checkov": {"skip": [{
                    "id": "CKV_AWS_18",
                    "comment": "templates only; access logging needs a second bucket (CDK's staging bucket has none); use CloudTrail data events"
                }]}},
                "DeletionPolicy": "Retain",
                "UpdateReplacePolicy": "Retain",
                "Properties": {
                    "BucketEncryption": {"ServerSideEncryptionConfiguration": [{
                        "ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"},
                        "BucketKeyEnabled": true
                    }]},
                    "VersioningConfiguration": {"Status": "Enabled"},
                    "PublicAccessBlockConfiguration": {
                        "BlockPublicAcls": true,
                        "BlockPublicPolicy": true,
                        "IgnorePublicAcls": true,
                        "RestrictPublicBuckets": true
                    },
                    "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
                    "LifecycleConfiguration": {"Rules": [
                        {"Id": "CleanupOldVersions", "Status": "Enabled",
                         "NoncurrentVersionExpiration": {"NoncurrentDays": 30}},
                        {"Id": "AbortIncompleteMultipartUploads", "Status": "Enabled",
                         "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1}}
                    ]},
                    "Tags": [{"Key": "Name", "Value": "VpcformToolkit/TemplateBucket"}]
                }
            },
            "TemplateBucketPolicy": {
                "Type": "AWS::S3::BucketPolicy",
                "Properties": {
                    "Bucket": {"Ref": BUCKET_LOGICAL_ID},
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [{
                            "Sid": "AllowSSLRequestsOnly",
                            "Effect": "Deny",
                            "Principal": "*",
                            "Action": "s3:*",
                            "Resource": [bucket_arn, {"Fn::Join": ["", [bucket_arn, "/*"]]}],
                            "Condition": {"Bool": {"aws:SecureTransport": "false"}}
                        }]
                    }
                }
            }
        },
        "Outputs": {
            "BucketName": {"Value": {"Ref": BUCKET_LOGICAL_ID}}
        }
    });
    StackTemplate::new(BOOTSTRAP_STACK, template.to_string())
}

/// Why a `PutObject` failed: S3's code and message (or what failed), what to do, and the IDs
/// AWS support asks for, printed under `--verbose`.
#[derive(Debug, Default)]
struct PutFailure {
    reason: String,
    hint: Option<String>,
    request_id: Option<String>,
    host_id: Option<String>,
}

impl PutFailure {
    fn new(reason: impl Into<String>, hint: Option<String>) -> PutFailure {
        PutFailure {
            reason: reason.into(),
            hint,
            ..PutFailure::default()
        }
    }
}

/// The text of an XML element of S3's error answer, e.g. `RequestId`.
fn xml_field(body: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    let start = body.find(&open)? + open.len();
    let end = body[start..].find(&format!("</{tag}>"))? + start;
    Some(body[start..end].to_string()).filter(|v| !v.is_empty())
}

/// The object key of a template: the stack, then its content's SHA-256.
fn key_for(stack: &str, body: &str) -> String {
    let digest = sha2::Sha256::digest(body.as_bytes());
    format!("vpcform/{stack}/{}.json", hex::encode(digest))
}

impl Deployer {
    /// Uploads a large template and returns its `TemplateURL`.
    pub(crate) async fn upload_template(
        &self,
        stack: &StackTemplate,
    ) -> Result<String, DeployError> {
        let name = stack.name.as_str();
        let Some(s3) = self.s3.clone() else {
            return Err(DeployError::Upload {
                stack: name.to_string(),
                target: "S3".into(),
                reason: "no region or credentials to reach S3 with".into(),
                hint: Some(
                    "set AWS_REGION and credentials (AWS_PROFILE); a deployer made with \
                     Deployer::new needs Deployer::with_s3"
                        .into(),
                ),
                request_id: None,
                host_id: None,
            });
        };
        let bucket = match &self.options.template_bucket {
            Some(bucket) => bucket.clone(),
            None => self.bootstrap_bucket(name).await?,
        };
        let key = key_for(name, &stack.body);
        let put = self.put_object(&s3, &bucket, &key, stack.body.as_bytes());
        self.interruptible(name, "PutObject", put)
            .await?
            .map_err(|failure| DeployError::Upload {
                stack: name.to_string(),
                target: format!("s3://{bucket}/{key}"),
                reason: failure.reason,
                hint: failure.hint,
                request_id: failure.request_id,
                host_id: failure.host_id,
            })?;
        self.ui.line(
            name,
            &format!(
                "template is {} bytes (over the 51,200-byte TemplateBody limit): uploaded to \
                 s3://{bucket}/{key}",
                stack.body.len()
            ),
        );
        Ok(s3.template_url(&bucket, &key))
    }

    /// The bootstrap bucket's name, bootstrapping first when this account and region have no
    /// `VpcformToolkit` stack; asked once per deployer.
    async fn bootstrap_bucket(&self, for_stack: &str) -> Result<String, DeployError> {
        self.bootstrap
            .get_or_try_init(|| async {
                if let Some(bucket) = self.bucket_of_bootstrap_stack().await? {
                    return Ok(bucket);
                }
                self.ui.line(
                    BOOTSTRAP_STACK,
                    &format!(
                        "{for_stack}'s template is over 51,200 bytes and goes through S3: \
                         bootstrapping this account and region with an encrypted, versioned \
                         bucket with public access blocked (or name one with --template-bucket)"
                    ),
                );
                let stack = bootstrap_stack();
                Box::pin(
                    crate::calls::STACK
                        .scope(BOOTSTRAP_STACK.to_string(), self.deploy_stack(&stack)),
                )
                .await?;
                self.bucket_of_bootstrap_stack()
                    .await?
                    .ok_or_else(|| DeployError::Upload {
                        stack: for_stack.to_string(),
                        target: BOOTSTRAP_STACK.into(),
                        reason: format!("the bootstrap stack has no {BUCKET_LOGICAL_ID} resource"),
                        hint: Some(format!(
                            "delete the stack {BOOTSTRAP_STACK} and deploy again, or name a bucket \
                             with --template-bucket"
                        )),
                        request_id: None,
                        host_id: None,
                    })
            })
            .await
            .cloned()
    }

    /// The bucket of an existing bootstrap stack (its resource's physical ID), `None` when the
    /// stack does not exist.
    async fn bucket_of_bootstrap_stack(&self) -> Result<Option<String>, DeployError> {
        let call = self
            .client
            .list_stack_resources()
            .stack_name(BOOTSTRAP_STACK)
            .send();
        match self
            .interruptible(BOOTSTRAP_STACK, "ListStackResources", call)
            .await?
        {
            Ok(listed) => Ok(listed
                .stack_resource_summaries()
                .iter()
                .find(|r| r.logical_resource_id() == Some(BUCKET_LOGICAL_ID))
                .and_then(|r| r.physical_resource_id())
                .map(str::to_string)),
            Err(e) if crate::calls::does_not_exist(&e) => Ok(None),
            Err(e) => Err(crate::calls::aws(BOOTSTRAP_STACK, "ListStackResources", e)),
        }
    }

    /// One signed `PutObject`.
    async fn put_object(
        &self,
        s3: &S3Access,
        bucket: &str,
        key: &str,
        body: &[u8],
    ) -> Result<(), PutFailure> {
        let credentials = s3
            .credentials
            .provide_credentials()
            .await
            .map_err(|e| PutFailure::new(crate::calls::chain(&e), Some("no AWS credentials: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY".to_string())))?;
        let url = s3.put_url(bucket, key);
        let mut settings = SigningSettings::default();
        // S3 signs the payload's hash in x-amz-content-sha256, and takes keys literally.
        settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
        settings.percent_encoding_mode = PercentEncodingMode::Single;
        settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
        let request = crate::signing::Signer {
            credentials,
            region: &s3.region,
            service: "s3",
            settings,
        }
        .request("PUT", &url, "application/json", body)
        .map_err(|e| PutFailure::new(e, None))?;
        let response = self
            .http
            .get_or_init(connector)
            .call(request)
            .await
            .map_err(|e| {
                PutFailure::new(
                    crate::calls::chain(&e),
                    Some(
                        "S3 did not answer: check the network, and AWS_ENDPOINT_URL if it is set"
                            .into(),
                    ),
                )
            })?;
        let status = response.status().as_u16();
        if (200..300).contains(&status) {
            return Ok(());
        }
        let header = |name: &str| response.headers().get(name).map(str::to_string);
        // S3 names the request in headers as well as in the XML (HEAD answers have no body).
        let (request_id, host_id) = (header("x-amz-request-id"), header("x-amz-id-2"));
        // A real connector streams the body: `bytes()` is `None` until it is read in full.
        let text = match aws_smithy_types::byte_stream::ByteStream::new(response.into_body())
            .collect()
            .await
        {
            Ok(bytes) => String::from_utf8_lossy(&bytes.into_bytes()).into_owned(),
            Err(e) => format!("(the answer's body could not be read: {e})"),
        };
        let (code, message) = crate::calls::xml_error(status, &text);
        let message = if message.trim().is_empty() {
            http::StatusCode::from_u16(status)
                .ok()
                .and_then(|s| s.canonical_reason())
                .unwrap_or("no message")
                .to_string()
        } else {
            message
        };
        let hint = match code.as_str() {
            "AccessDenied" => Some(format!(
                "these credentials may not call s3:PutObject on {bucket}; grant it, or name \
                 another bucket with --template-bucket"
            )),
            "NoSuchBucket" => Some(format!(
                "bucket {bucket} does not exist in {}: create it, or leave --template-bucket \
                 out to use the bootstrap bucket",
                s3.region
            )),
            _ => None,
        };
        Err(PutFailure {
            reason: format!("{code}: {message}"),
            hint,
            request_id: xml_field(&text, "RequestId").or(request_id),
            host_id: xml_field(&text, "HostId").or(host_id),
        })
    }
}

/// The HTTP connector uploads go through: the SDK's, with the same TLS (and, as the SDK's
/// default client, no proxy).
pub(crate) fn connector() -> aws_smithy_runtime_api::client::http::SharedHttpConnector {
    aws_smithy_runtime_api::client::http::SharedHttpConnector::new(
        aws_smithy_http_client::Connector::builder()
            .tls_provider(crate::tls_provider())
            .build(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bootstrap template is checked in (`bootstrap.template.json`) so that `cargo xtask
    /// lint-templates` runs cfn-lint and checkov over it with the examples' templates.
    #[test]
    fn the_checked_in_bootstrap_template_is_the_one_deployed() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/bootstrap.template.json");
        let generated: serde_json::Value =
            serde_json::from_str(&bootstrap_stack().body).expect("JSON");
        let pretty = serde_json::to_string_pretty(&generated).expect("JSON") + "\n";
        if std::env::var_os("VPCFORM_WRITE_BOOTSTRAP").is_some() {
            std::fs::write(path, &pretty).expect("write");
        }
        let checked_in = std::fs::read_to_string(path).unwrap_or_default();
        assert_eq!(
            checked_in, pretty,
            "run VPCFORM_WRITE_BOOTSTRAP=1 cargo test -p vpcform-deploy and review the change"
        );
    }

    #[test]
    fn keys_are_content_addressed() {
        let a = key_for("Net", "{}");
        assert_eq!(
            a,
            "vpcform/Net/44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a.json"
        );
        assert_eq!(a, key_for("Net", "{}"));
        assert_ne!(a, key_for("Net", "{ }"));
    }

    #[test]
    fn urls_for_aws_and_for_an_emulator() {
        let credentials = aws_credential_types::Credentials::new("a", "b", None, None, "t");
        let aws = S3Access::new("eu-west-1", credentials.clone(), None);
        assert_eq!(
            aws.template_url("b", "k.json"),
            "https://s3.eu-west-1.amazonaws.com/b/k.json"
        );
        assert_eq!(
            aws.put_url("b", "k.json"),
            "https://b.s3.eu-west-1.amazonaws.com/k.json"
        );
        let china = S3Access::new("cn-north-1", credentials.clone(), None);
        assert_eq!(
            china.template_url("b", "k"),
            "https://s3.cn-north-1.amazonaws.com.cn/b/k"
        );
        let moto = S3Access::new(
            "us-east-1",
            credentials,
            Some("http://127.0.0.1:5000/".into()),
        );
        assert_eq!(moto.put_url("b", "k"), "http://127.0.0.1:5000/b/k");
    }

    #[test]
    fn s3_errors_are_read_from_their_xml() {
        let body = "<?xml version=\"1.0\"?><Error><Code>NoSuchBucket</Code><Message>The specified \
                    bucket does not exist</Message></Error>";
        assert_eq!(
            crate::calls::xml_error(404, body),
            (
                "NoSuchBucket".to_string(),
                "The specified bucket does not exist".to_string()
            )
        );
        assert_eq!(
            crate::calls::xml_error(503, "slow down"),
            ("HTTP 503".to_string(), "slow down".to_string())
        );
    }
}
