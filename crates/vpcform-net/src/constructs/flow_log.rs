//! `FlowLog`: a VPC's or a subnet's IP traffic recorded to CloudWatch Logs or S3.

use std::sync::Arc;

use indexmap::IndexMap;
use typed_builder::TypedBuilder;
use vpcform_cfn::{DeletionPolicy, Resource, Template, TemplateError, Value};

use super::subnet::SubnetRef;
use super::vpc::VpcRef;
use crate::handle::Handle;
use crate::identity::Kind;
use crate::identity::NodeKey;
use crate::model::{Check, Claim, Node, Render};
use crate::model::{ConstructNode, Drawing, Pricing, Relations};
use crate::stack::{Construct, StackDef};
use crate::{InStack, StackMarker, SynthError, VpcMarker};

/// A flow log (`AWS::EC2::FlowLog`) recording the IP traffic of a VPC or one of its subnets,
/// to CloudWatch Logs or to an S3 bucket ([`FlowLogDestination`]).
///
/// To CloudWatch Logs it also creates the log group (`<Id>LogGroup`, kept when the stack is
/// deleted, as CDK does) and the role flow logs deliver with (`<Id>Role`, trusted by
/// `vpc-flow-logs.amazonaws.com` for this account's flow logs only, allowed to write to that
/// log group only); the stack then needs `CAPABILITY_IAM`, which vpcform asks for. To S3 it
/// needs no role: AWS attaches the delivery policy to a bucket the deployer owns — replacing
/// the bucket's policy, by the VPC guide's account, so give a shared bucket the delivery
/// statements beforehand — otherwise the bucket's owner must (docs/aws-rules.md §24).
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::vpc::{FlowLog, FlowLogDestination};
/// vpcform_net::topology! { stack Net { vpc Main } }
/// let mut stack = Stack::<Net>::new("Net");
/// let vpc = stack.add("Main", Vpc::<Main>::builder().cidr(cidr!("10.0.0.0/16")).build());
/// stack.add(
///     "MainFlowLog",
///     FlowLog::builder()
///         .resource(&vpc)
///         .destination(FlowLogDestination::cloud_watch_logs().retention_days(365))
///         .build(),
/// );
/// stack.add(
///     "MainFlowLogS3",
///     FlowLog::builder()
///         .resource(&vpc)
///         .destination(FlowLogDestination::s3("arn:aws:s3:::central-flow-logs").prefix("network"))
///         .build(),
/// );
/// ```
#[derive(TypedBuilder)]
#[builder(doc)]
pub struct FlowLog<V: VpcMarker> {
    /// The VPC or subnet whose traffic is recorded (`ResourceId`, `ResourceType`). Required.
    #[builder(setter(transform = |resource: impl FlowLogResource<V>| resource.flow_log_resource()))]
    resource: Handle,
    /// Where records go. Required.
    destination: FlowLogDestination,
    /// `TrafficType`: accepted, rejected or all traffic. Default: [`TrafficType::All`] (CDK's).
    #[builder(default = TrafficType::All)]
    traffic_type: TrafficType,
    /// `MaxAggregationInterval`: how long records are aggregated before publishing. Default:
    /// AWS's, 10 minutes.
    #[builder(default, setter(strip_option(fallback = max_aggregation_interval_opt)))]
    max_aggregation_interval: Option<AggregationInterval>,
    /// `LogFormat`: the record's fields, `${field}` separated by spaces (e.g.
    /// `"${version} ${srcaddr} ${dstaddr} ${pkt-srcaddr} ${action}"`). Default: AWS's default
    /// format.
    #[builder(default, setter(strip_option(fallback = log_format_opt), into))]
    log_format: Option<String>,
    /// Tags for the construct's resources, after the stack's ([`Stack::tag`](crate::Stack::tag)):
    /// a key given in both takes this value. Default: none beyond `Name` (the construct's path,
    /// `Stack/Id`) and the stack's.
    #[builder(default, setter(into))]
    tags: crate::Tags,
    #[builder(default, setter(skip))]
    _vpc: std::marker::PhantomData<fn() -> V>,
}

/// What a flow log can record: a VPC or a subnet of VPC `V`.
#[diagnostic::on_unimplemented(
    message = "a flow log records a VPC or one of its subnets, not `{Self}`",
    label = "not a VPC or a subnet"
)]
pub trait FlowLogResource<V> {
    /// The handle, for the flow log's `ResourceId`.
    fn flow_log_resource(self) -> Handle;
}

impl<V> FlowLogResource<V> for &VpcRef<V> {
    fn flow_log_resource(self) -> Handle {
        self.handle.clone()
    }
}

impl<V> FlowLogResource<V> for &SubnetRef<V> {
    fn flow_log_resource(self) -> Handle {
        self.handle.clone()
    }
}

/// `TrafficType`: which records a flow log keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrafficType {
    /// `ACCEPT`: traffic security groups and network ACLs admitted.
    Accept,
    /// `REJECT`: traffic they refused.
    Reject,
    /// `ALL`.
    All,
}

impl TrafficType {
    /// As CloudFormation spells it.
    fn as_str(self) -> &'static str {
        match self {
            TrafficType::Accept => "ACCEPT",
            TrafficType::Reject => "REJECT",
            TrafficType::All => "ALL",
        }
    }
}

/// `MaxAggregationInterval`, in seconds: 60 or 600 (EC2 CreateFlowLogs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AggregationInterval {
    /// One minute.
    OneMinute,
    /// Ten minutes (AWS's default).
    TenMinutes,
}

/// Where a flow log's records go.
///
/// ```
/// use vpcform_net::vpc::FlowLogDestination;
/// let logs = FlowLogDestination::cloud_watch_logs()
///     .retention_days(400)
///     .kms_key("arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab");
/// let bucket = FlowLogDestination::s3("arn:aws:s3:::central-flow-logs")
///     .prefix("network/prod")
///     .parquet()
///     .hive_compatible_partitions()
///     .per_hour_partitions();
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum FlowLogDestination {
    /// A log group the construct creates (`cloud-watch-logs`).
    CloudWatchLogs {
        /// `RetentionInDays`. Default: 731 (two years, CDK's).
        retention_days: u32,
        /// `KmsKeyId`: a symmetric KMS key's ARN whose policy lets CloudWatch Logs use it.
        /// Default: none (CloudWatch Logs' own encryption).
        kms_key: Option<Value>,
    },
    /// An S3 bucket (`s3`).
    S3 {
        /// The bucket's ARN, `arn:<partition>:s3:::<bucket>` (or a `Value` resolving to one).
        bucket_arn: Value,
        /// A folder inside the bucket. Default: none (AWS writes under `AWSLogs/`).
        prefix: Option<String>,
        /// `DestinationOptions`; default plain text, no Hive prefixes, daily partitions.
        parquet: bool,
        /// Hive-compatible S3 prefixes.
        hive_compatible_partitions: bool,
        /// Hourly partitions.
        per_hour_partitions: bool,
    },
}

impl FlowLogDestination {
    /// A log group created with the flow log, kept two years.
    ///
    /// See [`FlowLogDestination`] for an example.
    pub fn cloud_watch_logs() -> FlowLogDestination {
        FlowLogDestination::CloudWatchLogs {
            retention_days: 731,
            kms_key: None,
        }
    }

    /// An S3 bucket, by its ARN.
    ///
    /// See [`FlowLogDestination`] for an example.
    pub fn s3(bucket_arn: impl Into<Value>) -> FlowLogDestination {
        FlowLogDestination::S3 {
            bucket_arn: bucket_arn.into(),
            prefix: None,
            parquet: false,
            hive_compatible_partitions: false,
            per_hour_partitions: false,
        }
    }

    /// The log group's retention, one of CloudWatch Logs' values (1, 3, 5, 7, 14, 30, 60, 90,
    /// 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653). Ignored for
    /// S3.
    ///
    /// See [`FlowLogDestination`] for an example.
    pub fn retention_days(mut self, days: u32) -> FlowLogDestination {
        if let FlowLogDestination::CloudWatchLogs { retention_days, .. } = &mut self {
            *retention_days = days;
        }
        self
    }

    /// Encrypts the log group with a KMS key: its ARN, or a dynamic reference to where the
    /// landing zone publishes it (`{{resolve:ssm:/org/log-key-arn}}`). Ignored for S3.
    ///
    /// See [`FlowLogDestination`] for an example.
    pub fn kms_key(mut self, key_arn: impl Into<Value>) -> FlowLogDestination {
        if let FlowLogDestination::CloudWatchLogs { kms_key, .. } = &mut self {
            *kms_key = Some(key_arn.into());
        }
        self
    }

    /// Writes under a folder of the bucket (not `AWSLogs`, which AWS reserves). Ignored for
    /// CloudWatch Logs.
    ///
    /// See [`FlowLogDestination`] for an example.
    pub fn prefix(mut self, folder: impl Into<String>) -> FlowLogDestination {
        if let FlowLogDestination::S3 { prefix, .. } = &mut self {
            *prefix = Some(folder.into());
        }
        self
    }

    /// Writes Apache Parquet rather than plain text. Ignored for CloudWatch Logs.
    ///
    /// See [`FlowLogDestination`] for an example.
    pub fn parquet(mut self) -> FlowLogDestination {
        if let FlowLogDestination::S3 { parquet, .. } = &mut self {
            *parquet = true;
        }
        self
    }

    /// Hive-compatible prefixes (`aws-account-id=…/`). Ignored for CloudWatch Logs.
    ///
    /// See [`FlowLogDestination`] for an example.
    pub fn hive_compatible_partitions(mut self) -> FlowLogDestination {
        if let FlowLogDestination::S3 {
            hive_compatible_partitions,
            ..
        } = &mut self
        {
            *hive_compatible_partitions = true;
        }
        self
    }

    /// One partition per hour rather than per day. Ignored for CloudWatch Logs.
    ///
    /// See [`FlowLogDestination`] for an example.
    pub fn per_hour_partitions(mut self) -> FlowLogDestination {
        if let FlowLogDestination::S3 {
            per_hour_partitions,
            ..
        } = &mut self
        {
            *per_hour_partitions = true;
        }
        self
    }
}

impl<S: StackMarker, V: VpcMarker + InStack<S>> Construct<S> for FlowLog<V> {
    type Handle = ();

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) {
        stack.push(Node::FlowLog(FlowLogNode {
            id,
            resource: self.resource,
            destination: self.destination,
            traffic_type: self.traffic_type,
            max_aggregation_interval: self.max_aggregation_interval,
            log_format: self.log_format,
            tags: self.tags,
        }));
    }
}

pub(crate) struct FlowLogNode {
    pub(crate) id: Arc<str>,
    pub(crate) resource: Handle,
    destination: FlowLogDestination,
    traffic_type: TrafficType,
    max_aggregation_interval: Option<AggregationInterval>,
    log_format: Option<String>,
    /// The construct's own tags (see `tags`).
    pub(crate) tags: crate::Tags,
}

/// CloudWatch Logs' retention values (`AWS::Logs::LogGroup` RetentionInDays; CloudWatch Logs
/// PutRetentionPolicy).
const RETENTION_DAYS: [u32; 22] = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
];

/// An ARN the flow log names (its bucket, its log group's key) must be of the stack's partition:
/// AWS cannot deliver across partitions (an ambient region's partition is unknown: not checked).
fn check_partition(check: &mut Check<'_>, id: &str, property: &'static str, arn: &str) {
    if let Some((arn_partition, partition)) =
        crate::arn::other_partition(arn, check.stack.region.as_deref())
    {
        check.report(SynthError::ArnInOtherPartition {
            construct: check.path(id),
            property,
            arn: arn.to_string(),
            arn_partition: arn_partition.to_string(),
            partition,
        });
    }
}

/// An S3 bucket name: 3–63 of `a-z 0-9 . -`, starting and ending with a letter or digit (S3
/// bucket naming rules).
pub(crate) fn valid_bucket_name(name: &str) -> bool {
    (3..=63).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric())
}

/// An S3 folder prefix: not empty, no leading or trailing `/`, no `AWSLogs` segment (AWS writes
/// its own `AWSLogs/` after the prefix and refuses it as a folder name: EC2 CreateFlowLogs
/// `LogDestination`; ELB access logs), at most 512 characters.
pub(crate) fn prefix_problem(prefix: &str) -> Option<&'static str> {
    if prefix.is_empty() || prefix.len() > 512 {
        Some("a prefix is 1 to 512 characters")
    } else if prefix.starts_with('/') || prefix.ends_with('/') {
        Some("give the folder without a leading or trailing /")
    } else if prefix.split('/').any(|segment| segment == "AWSLogs") {
        Some("AWS writes under AWSLogs/ itself and refuses it as a folder name: choose another")
    } else if prefix.contains("//") {
        Some("a prefix has no empty folder (//)")
    } else {
        None
    }
}

/// The role flow logs deliver to CloudWatch Logs with: trusted by `vpc-flow-logs.amazonaws.com`
/// for this account's flow logs only (AWS's confused-deputy conditions; the flow log's ID is not
/// known in a template, so `vpc-flow-log/*`), allowed to write to this log group only (CDK's
/// scoping; AWS's user guide, "IAM role for publishing flow logs to CloudWatch Logs").
fn delivery_role(ctx: &Render<'_>, role: &str, group: &str, tags: &crate::Tags) -> Resource {
    let json = |value: serde_json::Value| Value::from(value);
    let trust = json(serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": "vpc-flow-logs.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": {
                "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}},
                "ArnLike": {"aws:SourceArn": {"Fn::Sub": "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:vpc-flow-log/*"}}
            }
        }]
    }));
    let mut statement = IndexMap::new();
    statement.insert("Effect".to_string(), Value::from("Allow"));
    statement.insert(
        "Action".to_string(),
        Value::List(
            [
                "logs:CreateLogStream",
                "logs:PutLogEvents",
                "logs:DescribeLogStreams",
            ]
            .into_iter()
            .map(Value::from)
            .collect(),
        ),
    );
    statement.insert("Resource".to_string(), Value::get_att(group, "Arn"));
    let mut document = IndexMap::new();
    document.insert("Version".to_string(), Value::from("2012-10-17"));
    document.insert(
        "Statement".to_string(),
        Value::List(vec![Value::Map(statement)]),
    );
    let mut policy = IndexMap::new();
    policy.insert("PolicyName".to_string(), Value::from("flow-log-delivery"));
    policy.insert("PolicyDocument".to_string(), Value::Map(document));
    Resource::new("AWS::IAM::Role")
        .property("AssumeRolePolicyDocument", trust)
        .property("Policies", Value::List(vec![Value::Map(policy)]))
        .property("Tags", ctx.tags(role, tags))
}

/// A CloudFormation dynamic reference (`{{resolve:ssm:/name}}`), resolved at deploy: its value
/// is not known at synth, so not checked.
pub(crate) fn dynamic_reference(text: &str) -> bool {
    text.starts_with("{{resolve:") && text.ends_with("}}")
}

/// `arn:<partition>:kms:<region>:<account>:key/…` or `…:alias/…` (the log group schema's
/// pattern for KmsKeyId).
fn kms_key_arn(text: &str) -> bool {
    let parts: Vec<&str> = text.splitn(6, ':').collect();
    parts.len() == 6
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && parts[2] == "kms"
        && !parts[3].is_empty()
        && parts[4].len() == 12
        && parts[4].bytes().all(|b| b.is_ascii_digit())
        && (parts[5].starts_with("key/") || parts[5].starts_with("alias/"))
        && parts[5].len() > 6
}

/// Why `arn` is not an S3 bucket's ARN, `arn:<partition>:s3:::<bucket>`.
fn bucket_arn_problem(arn: &str) -> Option<String> {
    let Some(rest) = arn
        .strip_prefix("arn:")
        .and_then(|r| r.split_once(":s3:::"))
    else {
        return Some(if valid_bucket_name(arn) {
            format!("give the bucket's ARN, arn:aws:s3:::{arn}, not its name")
        } else {
            "give the bucket's ARN, arn:<partition>:s3:::<bucket>".to_string()
        });
    };
    let (partition, bucket) = rest;
    if !partition.starts_with("aws") {
        return Some(format!(
            "{partition:?} is not an AWS partition (aws, aws-cn, aws-us-gov, …)"
        ));
    }
    if bucket.contains('/') {
        return Some("give the folder with .prefix(..), the ARN names the bucket only".into());
    }
    if !valid_bucket_name(bucket) {
        return Some(format!(
            "{bucket:?} is not a bucket name: 3 to 63 lowercase letters, digits, dots and hyphens, \
             starting and ending with a letter or digit"
        ));
    }
    None
}

/// Why a `LogFormat` is refused: it is `${field}` tokens separated by single spaces, at least
/// one (EC2 CreateFlowLogs `LogFormat`), each a field name of lowercase letters, digits and `-`.
fn log_format_problem(format: &str) -> Option<String> {
    if format.trim().is_empty() {
        return Some("give at least one field, ${version} say, or leave the default".into());
    }
    for token in format.split(' ') {
        let field = token.strip_prefix("${").and_then(|t| t.strip_suffix('}'));
        let ok = field.is_some_and(|f| {
            !f.is_empty()
                && f.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        });
        if !ok {
            return Some(format!(
                "{token:?} is not a field: write each as ${{field-name}}, separated by single spaces"
            ));
        }
    }
    None
}

impl ConstructNode for FlowLogNode {
    fn id(&self) -> &str {
        &self.id
    }

    fn vpc(&self, _own: NodeKey) -> Option<NodeKey> {
        // The VPC it records, or its subnet's.
        self.resource.vpc
    }

    fn tags(&self) -> Option<&crate::Tags> {
        Some(&self.tags)
    }

    fn restricted_tags(&self) -> Option<&'static str> {
        // Its delivery role's tags follow IAM's `Tag` pattern (IAM API `Tag`).
        matches!(self.destination, FlowLogDestination::CloudWatchLogs { .. })
            .then_some("IAM (the delivery role, AWS::IAM::Role)")
    }

    fn relate(&self, _key: NodeKey, _relations: &mut Relations) {}

    fn check(&self, check: &mut Check<'_>) {
        check.handle(&self.id, "ResourceId", &self.resource, None);
        match &self.destination {
            FlowLogDestination::CloudWatchLogs {
                retention_days,
                kms_key,
            } => {
                if !RETENTION_DAYS.contains(retention_days) {
                    let nearest = RETENTION_DAYS
                        .iter()
                        .find(|d| *d >= retention_days)
                        .unwrap_or(&3653);
                    check.report(SynthError::InvalidText {
                        construct: check.path(&self.id),
                        property: "RetentionInDays",
                        value: retention_days.to_string(),
                        reason: format!(
                            "CloudWatch Logs keeps logs for one of {RETENTION_DAYS:?} days: \
                             {nearest}, say"
                        ),
                    });
                }
                if let Some(key) = kms_key.as_ref().and_then(Value::as_str)
                    && !dynamic_reference(key)
                {
                    if !kms_key_arn(key) {
                        check.report(SynthError::InvalidText {
                            construct: check.path(&self.id),
                            property: "KmsKeyId",
                            value: key.to_string(),
                            reason: "a log group takes a KMS key's ARN, \
                                     arn:<partition>:kms:<region>:<account>:key/<key id>, not its ID or alias name"
                                .into(),
                        });
                    } else {
                        check_partition(check, &self.id, "KmsKeyId", key);
                    }
                }
            }
            FlowLogDestination::S3 {
                bucket_arn, prefix, ..
            } => {
                // One flow log per resource, traffic type and destination: EC2 CreateFlowLogs
                // answers a second with FlowLogAlreadyExists. (A CloudWatch Logs flow log has
                // its own log group, so never repeats one.) A bucket given as a parameter or
                // a reference is compared as written: the same value twice in one template is
                // the same bucket, but two different ones may or may not be, so they (and one
                // against a literal) are not reported.
                let written = match bucket_arn.as_str() {
                    Some(arn) => Some(arn.to_string()),
                    None => serde_json::to_string(bucket_arn).ok(),
                };
                if let Some(arn) = written {
                    let destination = match prefix {
                        Some(prefix) => format!("{arn}/{prefix}/"),
                        None => arn,
                    };
                    if let Some(other) = check.claim(Claim::FlowLog {
                        resource: self.resource.key,
                        traffic_type: self.traffic_type.as_str(),
                        destination: destination.clone(),
                    }) {
                        check.report(SynthError::DuplicateFlowLog {
                            construct: check.path(&self.id),
                            resource: self.resource.path(),
                            traffic_type: self.traffic_type.as_str(),
                            destination,
                            other,
                        });
                    }
                }
                if let Some(arn) = bucket_arn.as_str()
                    && !dynamic_reference(arn)
                {
                    if let Some(reason) = bucket_arn_problem(arn) {
                        check.report(SynthError::InvalidText {
                            construct: check.path(&self.id),
                            property: "LogDestination",
                            value: arn.to_string(),
                            reason,
                        });
                    } else {
                        check_partition(check, &self.id, "LogDestination", arn);
                    }
                }
                if let Some(prefix) = prefix
                    && let Some(reason) = prefix_problem(prefix)
                {
                    check.report(SynthError::InvalidText {
                        construct: check.path(&self.id),
                        property: "LogDestination",
                        value: prefix.clone(),
                        reason: reason.into(),
                    });
                }
            }
        }
        if let Some(format) = &self.log_format
            && let Some(reason) = log_format_problem(format)
        {
            check.report(SynthError::InvalidText {
                construct: check.path(&self.id),
                property: "LogFormat",
                value: format.clone(),
                reason,
            });
        }
    }

    fn render(&self, ctx: &Render<'_>, template: &mut Template) -> Result<(), TemplateError> {
        let resource_type = match self.resource.kind {
            Kind::Subnet => "Subnet",
            _ => "VPC",
        };
        let mut flow_log = Resource::new("AWS::EC2::FlowLog")
            .property("ResourceId", self.resource.reference())
            .property("ResourceType", resource_type)
            .property("TrafficType", self.traffic_type.as_str());
        match &self.destination {
            FlowLogDestination::CloudWatchLogs {
                retention_days,
                kms_key,
            } => {
                let group = format!("{}LogGroup", self.id);
                let role = format!("{}Role", self.id);
                // Kept when the stack goes, as CDK keeps log groups: records outlive the
                // network they describe.
                let log_group = Resource::new("AWS::Logs::LogGroup")
                    .property("RetentionInDays", *retention_days)
                    .property_opt("KmsKeyId", kms_key.clone())
                    .property("Tags", ctx.tags(&group, &self.tags))
                    .deletion_policy(DeletionPolicy::Retain)
                    .update_replace_policy(DeletionPolicy::Retain);
                template.add_resource(&group, log_group)?;
                template.add_resource(&role, delivery_role(ctx, &role, &group, &self.tags))?;
                flow_log = flow_log
                    .property("LogDestinationType", "cloud-watch-logs")
                    .property("LogGroupName", Value::reference(&group))
                    .property("DeliverLogsPermissionArn", Value::get_att(&role, "Arn"));
            }
            FlowLogDestination::S3 {
                bucket_arn,
                prefix,
                parquet,
                hive_compatible_partitions,
                per_hour_partitions,
            } => {
                let destination = match prefix {
                    Some(prefix) => {
                        Value::join("", [bucket_arn.clone(), format!("/{prefix}/").into()])
                    }
                    None => bucket_arn.clone(),
                };
                flow_log = flow_log
                    .property("LogDestinationType", "s3")
                    .property("LogDestination", destination);
                if *parquet || *hive_compatible_partitions || *per_hour_partitions {
                    // All three are required once the object is present (the schema).
                    let mut options = IndexMap::new();
                    options.insert(
                        "FileFormat".to_string(),
                        Value::from(if *parquet { "parquet" } else { "plain-text" }),
                    );
                    options.insert(
                        "HiveCompatiblePartitions".to_string(),
                        Value::Bool(*hive_compatible_partitions),
                    );
                    options.insert(
                        "PerHourPartition".to_string(),
                        Value::Bool(*per_hour_partitions),
                    );
                    flow_log = flow_log.property("DestinationOptions", Value::Map(options));
                }
            }
        }
        if let Some(interval) = self.max_aggregation_interval {
            flow_log = flow_log.property(
                "MaxAggregationInterval",
                match interval {
                    AggregationInterval::OneMinute => 60u32,
                    AggregationInterval::TenMinutes => 600u32,
                },
            );
        }
        flow_log = flow_log
            .property_opt("LogFormat", self.log_format.as_deref().map(Value::from))
            .property("Tags", ctx.tags(&self.id, &self.tags));
        template.add_resource(&*self.id, flow_log)
    }

    fn pricing(&self) -> Pricing {
        // Billed by the GB of records delivered, which the flows do not tell.
        Pricing::NotPriced
    }

    fn drawing(&self) -> Drawing<'_> {
        // Observes the network, carries no traffic.
        Drawing::Hidden
    }
}
