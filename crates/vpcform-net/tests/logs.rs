//! VPC flow logs (CloudWatch Logs with their log group and delivery role, or S3) and NLB access
//! logs: what they render, and each mistake AWS would refuse, named at synth.

use vpcform_net::prelude::*;
use vpcform_net::privatelink::AccessLogs;
use vpcform_net::security::SecurityGroupRef;
use vpcform_net::vpc::{AggregationInterval, TrafficType};
use vpcform_net::vpc::{FlowLog, FlowLogDestination};

include!("common/consumer.rs");
include!("common/report.rs");

fn synth(stack: Stack<Consumer>) -> vpcform_net::Assembly {
    let mut app = App::new("test");
    app.add_stack(stack);
    app.synth().unwrap_or_else(|e| panic!("{e}"))
}

fn errors(stack: Stack<Consumer>) -> Vec<String> {
    let mut app = App::new("test");
    app.add_stack(stack);
    error_messages(&app)
}

fn json(assembly: &vpcform_net::Assembly) -> serde_json::Value {
    serde_json::to_value(assembly.stacks()[0].template()).unwrap_or_default()
}

fn with_flow_log(destination: FlowLogDestination) -> Stack<Consumer> {
    let (mut stack, vpc) = consumer();
    stack.add(
        "VpcFlowLog",
        FlowLog::builder()
            .resource(&vpc)
            .destination(destination)
            .build(),
    );
    stack
}

#[test]
fn a_cloud_watch_flow_log_gets_its_log_group_and_a_role_scoped_to_it() {
    let assembly = synth(with_flow_log(
        FlowLogDestination::cloud_watch_logs().retention_days(365),
    ));
    let json = json(&assembly);
    let r = &json["Resources"];
    let flow = &r["VpcFlowLog"]["Properties"];
    assert_eq!(r["VpcFlowLog"]["Type"], "AWS::EC2::FlowLog");
    assert_eq!(flow["ResourceId"], serde_json::json!({"Ref": "VpcA"}));
    assert_eq!(flow["ResourceType"], "VPC");
    assert_eq!(flow["TrafficType"], "ALL");
    assert_eq!(flow["LogDestinationType"], "cloud-watch-logs");
    assert_eq!(
        flow["LogGroupName"],
        serde_json::json!({"Ref": "VpcFlowLogLogGroup"})
    );
    assert_eq!(
        flow["DeliverLogsPermissionArn"],
        serde_json::json!({"Fn::GetAtt": ["VpcFlowLogRole", "Arn"]})
    );
    let group = &r["VpcFlowLogLogGroup"];
    assert_eq!(group["Type"], "AWS::Logs::LogGroup");
    assert_eq!(group["Properties"]["RetentionInDays"], 365);
    assert_eq!(group["DeletionPolicy"], "Retain");
    let role = &r["VpcFlowLogRole"]["Properties"];
    let trust = &role["AssumeRolePolicyDocument"]["Statement"][0];
    assert_eq!(trust["Principal"]["Service"], "vpc-flow-logs.amazonaws.com");
    assert_eq!(
        trust["Condition"]["StringEquals"]["aws:SourceAccount"],
        serde_json::json!({"Ref": "AWS::AccountId"})
    );
    let allowed = &role["Policies"][0]["PolicyDocument"]["Statement"][0];
    assert_eq!(
        allowed["Resource"],
        serde_json::json!({"Fn::GetAtt": ["VpcFlowLogLogGroup", "Arn"]})
    );
    // The role needs CAPABILITY_IAM at deploy: the stack asks for it.
    assert_eq!(assembly.stacks()[0].capabilities(), ["CAPABILITY_IAM"]);
}

#[test]
fn an_s3_flow_log_writes_under_its_folder_with_its_options_and_no_role() {
    let (mut stack, vpc) = consumer();
    let subnet = subnet(&mut stack, &vpc, "Private", "10.0.1.0/24", 0);
    stack.add(
        "SubnetFlowLog",
        FlowLog::builder()
            .resource(&subnet)
            .destination(
                FlowLogDestination::s3("arn:aws:s3:::central-logs")
                    .prefix("network/prod")
                    .parquet(),
            )
            .traffic_type(TrafficType::Reject)
            .max_aggregation_interval(AggregationInterval::OneMinute)
            .log_format("${version} ${srcaddr} ${dstaddr} ${action}")
            .build(),
    );
    let assembly = synth(stack);
    let json = json(&assembly);
    let flow = &json["Resources"]["SubnetFlowLog"]["Properties"];
    assert_eq!(flow["ResourceType"], "Subnet");
    assert_eq!(flow["TrafficType"], "REJECT");
    assert_eq!(flow["LogDestinationType"], "s3");
    assert_eq!(
        flow["LogDestination"],
        serde_json::json!({"Fn::Join": ["", ["arn:aws:s3:::central-logs", "/network/prod/"]]})
    );
    assert_eq!(
        flow["DestinationOptions"],
        serde_json::json!({"FileFormat": "parquet", "HiveCompatiblePartitions": false, "PerHourPartition": false})
    );
    assert_eq!(flow["MaxAggregationInterval"], 60);
    assert_eq!(
        flow["LogFormat"],
        "${version} ${srcaddr} ${dstaddr} ${action}"
    );
    assert!(flow["DeliverLogsPermissionArn"].is_null());
    assert!(assembly.stacks()[0].capabilities().is_empty());
    assert_eq!(json["Resources"].as_object().map(|r| r.len()), Some(3));
}

#[test]
fn each_flow_log_mistake_is_named() {
    let cases: [(FlowLogDestination, &str); 7] = [
        (
            FlowLogDestination::cloud_watch_logs().retention_days(100),
            "RetentionInDays \"100\" is not accepted by AWS: CloudWatch Logs keeps logs for one of",
        ),
        (
            FlowLogDestination::cloud_watch_logs().kms_key("alias/logs"),
            "KmsKeyId \"alias/logs\" is not accepted by AWS: a log group takes a KMS key's ARN",
        ),
        (
            FlowLogDestination::s3("central-logs"),
            "LogDestination \"central-logs\" is not accepted by AWS: give the bucket's ARN, arn:aws:s3:::central-logs, not its name",
        ),
        (
            FlowLogDestination::s3("arn:aws:s3:::central-logs/vpc"),
            "give the folder with .prefix(..)",
        ),
        (
            FlowLogDestination::s3("arn:aws:s3:::Central_Logs"),
            "\"Central_Logs\" is not a bucket name",
        ),
        (
            FlowLogDestination::s3("arn:aws:s3:::central-logs").prefix("AWSLogs"),
            "AWS writes under AWSLogs/ itself",
        ),
        (
            FlowLogDestination::s3("arn:aws:s3:::central-logs").prefix("/vpc/"),
            "without a leading or trailing /",
        ),
    ];
    for (destination, expected) in cases {
        let e = errors(with_flow_log(destination));
        assert_eq!(e.len(), 1, "{expected}: {e:#?}");
        assert!(e[0].starts_with("Consumer/VpcFlowLog: "), "{}", e[0]);
        assert!(e[0].contains(expected), "{}\nexpected: {expected}", e[0]);
    }
    // A valid KMS key ARN and the longest retention pass.
    assert!(
        errors(with_flow_log(
            FlowLogDestination::cloud_watch_logs()
                .retention_days(3653)
                .kms_key(
                    "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
                )
        ))
        .is_empty()
    );
}

#[test]
fn a_log_format_is_fields_separated_by_single_spaces() {
    let formatted = |format: &str| {
        let (mut stack, vpc) = consumer();
        stack.add(
            "VpcFlowLog",
            FlowLog::builder()
                .resource(&vpc)
                .destination(FlowLogDestination::s3("arn:aws:s3:::central-logs"))
                .log_format(format)
                .build(),
        );
        errors(stack)
    };
    assert!(formatted("${version} ${pkt-srcaddr}").is_empty());
    for bad in ["", "${version}  ${srcaddr}", "version", "${Version}", "${}"] {
        let e = formatted(bad);
        assert_eq!(e.len(), 1, "{bad:?}: {e:#?}");
        assert!(e[0].contains("LogFormat"), "{}", e[0]);
    }
}

fn nlb_with(logs: AccessLogs) -> Stack<Consumer> {
    let (mut stack, vpc) = consumer();
    let a = subnet(&mut stack, &vpc, "A", "10.0.1.0/24", 0);
    stack.add(
        "Nlb",
        NetworkLoadBalancer::builder()
            .subnets([&a])
            .security_groups(SecurityGroupRef::none())
            .access_logs(logs)
            .build(),
    );
    stack
}

#[test]
fn nlb_access_logs_are_attributes_and_warn_that_tcp_writes_none() {
    let stack = nlb_with(AccessLogs::s3("central-logs").prefix("nlb"));
    let mut app = App::new("test");
    app.add_stack(stack);
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let json = json(&assembly);
    assert_eq!(
        json["Resources"]["Nlb"]["Properties"]["LoadBalancerAttributes"],
        serde_json::json!([
            {"Key": "access_logs.s3.enabled", "Value": "true"},
            {"Key": "access_logs.s3.bucket", "Value": "central-logs"},
            {"Key": "access_logs.s3.prefix", "Value": "nlb"}
        ])
    );
    let warnings: Vec<String> = assembly
        .warnings()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        warnings.iter().any(|w| w.starts_with("Consumer/Nlb: access logs are on, but AWS writes Network Load Balancer access logs for TLS listeners only")),
        "{warnings:#?}"
    );
}

#[test]
fn nlb_access_log_mistakes_are_named() {
    let e = errors(nlb_with(AccessLogs::s3("arn:aws:s3:::central-logs")));
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(
        e[0].contains("access_logs.s3.bucket \"arn:aws:s3:::central-logs\" is not accepted by AWS: give the bucket's name, central-logs, not its ARN"),
        "{}",
        e[0]
    );
    let e = errors(nlb_with(AccessLogs::s3("central-logs").prefix("x/AWSLogs")));
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(e[0].contains("access_logs.s3.prefix"), "{}", e[0]);
    let e = errors(nlb_with(AccessLogs::s3("ab")));
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(e[0].contains("a bucket name is 3 to 63"), "{}", e[0]);
}

#[test]
fn dynamic_references_are_resolved_at_deploy_and_not_checked() {
    assert!(
        errors(with_flow_log(
            FlowLogDestination::cloud_watch_logs().kms_key("{{resolve:ssm:/org/log-key-arn}}")
        ))
        .is_empty()
    );
    assert!(
        errors(with_flow_log(FlowLogDestination::s3(
            "{{resolve:ssm:/org/log-bucket-arn}}"
        )))
        .is_empty()
    );
    // Only a whole reference is one.
    assert_eq!(
        errors(with_flow_log(
            FlowLogDestination::cloud_watch_logs().kms_key("{{resolve:ssm:/org/key")
        ))
        .len(),
        1
    );
    assert!(errors(nlb_with(AccessLogs::s3("{{resolve:ssm:/org/log-bucket}}"))).is_empty());
}

#[test]
fn bucket_names_prefixes_and_keys_at_their_edges() {
    let flow_errors = |destination| errors(with_flow_log(destination));
    // Digits and dots are bucket-name characters.
    assert!(flow_errors(FlowLogDestination::s3("arn:aws:s3:::logs.111122223333")).is_empty());
    assert!(flow_errors(FlowLogDestination::s3("arn:aws-cn:s3:::logs-1")).is_empty());
    let refused = |destination: FlowLogDestination, expected: &str| {
        let e = flow_errors(destination);
        assert_eq!(e.len(), 1, "{expected}: {e:#?}");
        assert!(e[0].contains(expected), "{}\nexpected: {expected}", e[0]);
    };
    let bucket = || FlowLogDestination::s3("arn:aws:s3:::central-logs");
    assert!(flow_errors(bucket().prefix("a".repeat(512))).is_empty());
    refused(
        bucket().prefix("a".repeat(513)),
        "a prefix is 1 to 512 characters",
    );
    refused(bucket().prefix(""), "a prefix is 1 to 512 characters");
    refused(bucket().prefix("vpc/"), "without a leading or trailing /");
    refused(bucket().prefix("a//b"), "no empty folder");
    refused(
        FlowLogDestination::s3("arn:other:s3:::central-logs"),
        "\"other\" is not an AWS partition",
    );
    // The nearest retention AWS offers is suggested.
    refused(
        FlowLogDestination::cloud_watch_logs().retention_days(100),
        "120, say",
    );
    refused(
        FlowLogDestination::cloud_watch_logs().retention_days(4000),
        "3653, say",
    );
    // A KMS key ARN names the kms service, a 12-digit account and a key or alias.
    for key in [
        "arn:aws:s3:eu-west-1:111122223333:key/1234abcd",
        "arn:aws:kms:eu-west-1:1111:key/1234abcd",
        "arn:aws:kms:eu-west-1:111122223333:key/",
        "arn:aws:kms::111122223333:key/1234abcd",
        "arn:aws:kms:eu-west-1:111122223333:secret/1234abcd",
    ] {
        refused(
            FlowLogDestination::cloud_watch_logs().kms_key(key),
            "a log group takes a KMS key's ARN",
        );
    }
    assert!(
        flow_errors(
            FlowLogDestination::cloud_watch_logs()
                .kms_key("arn:aws:kms:eu-west-1:111122223333:alias/logs")
        )
        .is_empty()
    );
    // An NLB's prefix may not contain AWSLogs anywhere.
    let e = errors(nlb_with(
        AccessLogs::s3("central-logs").prefix("old-AWSLogs"),
    ));
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(e[0].contains("refuses a prefix containing it"), "{}", e[0]);
}
