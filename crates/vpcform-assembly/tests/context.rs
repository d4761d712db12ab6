//! The context file: keys from queries alone, written sorted, read back the same; a file
//! edited into nonsense is refused on one line; the manifest carries missing lookups.

use std::collections::BTreeMap;
use std::path::Path;

use vpcform_assembly::{
    AvailabilityZone, Context, ContextError, ContextQuery, ContextValue, EndpointServiceFacts,
    Manifest, VpcFacts, VpcFilter,
};

fn zones(account: &str) -> ContextQuery {
    ContextQuery::AvailabilityZones {
        account: account.into(),
        region: "eu-west-1".into(),
    }
}

#[test]
fn a_vpc_looked_up_by_tags_has_one_key_whatever_the_order_the_tags_were_given_in() {
    let a: BTreeMap<String, String> = [("b", "2"), ("a", "1")]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let b: BTreeMap<String, String> = [("a", "1"), ("b", "2")]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let query = |tags| ContextQuery::Vpc {
        account: "111122223333".into(),
        region: "eu-west-1".into(),
        filter: VpcFilter::Tags(tags),
    };
    assert_eq!(query(a).key(), query(b).key());
    // A tag value holding the separators cannot pass for a second tag.
    let one: BTreeMap<String, String> = [("a".to_string(), "1:tag:b=2".to_string())].into();
    let two: BTreeMap<String, String> = [("a", "1"), ("b", "2")]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_ne!(query(one).key(), query(two).key());
    assert_eq!(
        ContextQuery::EndpointService {
            account: "111122223333".into(),
            region: "eu-west-1".into(),
            service_name: "com.amazonaws.eu-west-1.ssm".into(),
        }
        .key(),
        "endpoint-service:account=111122223333:region=eu-west-1:service=com.amazonaws.eu-west-1.ssm"
    );
}

#[test]
fn the_file_is_written_sorted_by_key_and_read_back_the_same() {
    let mut context = Context::default();
    context.insert(
        ContextQuery::EndpointService {
            account: "111122223333".into(),
            region: "eu-west-1".into(),
            service_name: "com.amazonaws.eu-west-1.ssm".into(),
        },
        ContextValue::EndpointService(EndpointServiceFacts {
            service_name: "com.amazonaws.eu-west-1.ssm".into(),
            service_type: "Interface".into(),
            availability_zones: vec!["eu-west-1a".into()],
            ..Default::default()
        }),
    );
    context.insert(
        zones("444455556666"),
        ContextValue::AvailabilityZones {
            zones: vec![AvailabilityZone {
                name: "eu-west-1a".into(),
                id: "euw1-az2".into(),
                zone_type: "availability-zone".into(),
            }],
        },
    );
    context.insert(
        ContextQuery::Vpc {
            account: "111122223333".into(),
            region: "eu-west-1".into(),
            filter: VpcFilter::Id("vpc-0a1b2c3d4e5f60718".into()),
        },
        ContextValue::Vpc(Box::new(VpcFacts {
            vpc_id: "vpc-0a1b2c3d4e5f60718".into(),
            owner_id: "111122223333".into(),
            cidr_block: "10.20.0.0/16".into(),
            dns_support: Some(true),
            ..Default::default()
        })),
    );
    let text = context.to_json().unwrap_or_else(|e| panic!("{e}"));
    let keys: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("  \"") && l.ends_with('{'))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "{text}");
    assert_eq!(keys.len(), 3, "{text}");
    let read =
        Context::parse(Path::new("vpcform.context.json"), &text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(read, context);
}

#[test]
fn an_entry_whose_key_is_not_its_query_is_refused_naming_the_file_and_the_fix() {
    let mut context = Context::default();
    context.insert(
        zones("111122223333"),
        ContextValue::AvailabilityZones { zones: vec![] },
    );
    // Edited by hand: the account in the key changed, not the query's.
    let text = context
        .to_json()
        .unwrap_or_else(|e| panic!("{e}"))
        .replacen("account=111122223333", "account=444455556666", 1);
    let error = Context::parse(Path::new("vpcform.context.json"), &text).expect_err("refused");
    assert!(matches!(error, ContextError::Garbled { .. }), "{error:?}");
    let line = error.to_string();
    assert!(!line.contains('\n'), "{line}");
    assert!(line.starts_with("vpcform.context.json: "), "{line}");
    assert!(line.contains("vpcform context --clear"), "{line}");
    // An answer of another kind than its query.
    let text = context
        .to_json()
        .unwrap_or_else(|e| panic!("{e}"))
        .replace("\"type\": \"availabilityZones\",\n      \"zones\"", "\"type\": \"endpointService\",\n      \"serviceName\": \"x\", \"serviceType\": \"Interface\", \"zones\"");
    let error = Context::parse(Path::new("vpcform.context.json"), &text).expect_err("refused");
    assert!(error.to_string().contains("another kind"), "{error}");
    // Nonsense of another shape: serde's words with the line.
    let error =
        Context::parse(Path::new("c.json"), "{\"k\": {\"query\": 1}}").expect_err("refused");
    assert!(error.to_string().contains("line 1"), "{error}");
}

#[test]
fn missing_lookups_go_in_the_manifest_and_none_leaves_it_as_it_was() {
    let mut manifest = Manifest::new("demo");
    let plain = manifest.to_json().unwrap_or_else(|e| panic!("{e}"));
    assert!(!plain.contains("missing"), "{plain}");
    manifest.missing.push(zones("111122223333"));
    let json = manifest.to_json().unwrap_or_else(|e| panic!("{e}"));
    assert!(json.contains("\"missing\": ["), "{json}");
    assert!(json.contains("\"type\": \"availabilityZones\""), "{json}");
    let read: Manifest = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(read, manifest);
}
