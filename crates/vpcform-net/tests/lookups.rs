//! Lookups (issue 26), the program's side: a VPC looked up by ID or tags with its subnets,
//! route tables and security groups; lookups the context does not answer (placeholders, the
//! manifest's `missing`, no findings); failed lookups; endpoint services' offered zones; and
//! facts stated by hand against looked-up ones. Every context is built here: nothing depends on
//! the environment or the working directory.

use vpcform_net::endpoints::ServiceName;
use vpcform_net::existing::{ExistingId, ExistingSubnet, ExistingVpc};
use vpcform_net::findings::{Code, SynthError};
use vpcform_net::lookups::{
    Context, ContextQuery, ContextValue, EndpointServiceFacts, EndpointServiceLookup,
    RouteTableFacts, SecurityGroupFacts, SubnetFacts, VpcFacts, VpcFilter, VpcLookup,
};
use vpcform_net::prelude::*;
include!("common/errors.rs");

vpcform_net::topology! {
    stack Endpoints { vpc Landing }
    stack Other { vpc Spoke }
    stack Provider {}
}

const ACCOUNT: &str = "111122223333";
const REGION: &str = "eu-west-1";
const VPC_ID: &str = "vpc-0a1b2c3d4e5f60718";

fn vpc_query(filter: VpcFilter) -> ContextQuery {
    ContextQuery::Vpc {
        account: ACCOUNT.into(),
        region: REGION.into(),
        filter,
    }
}

fn ssm_query() -> ContextQuery {
    ContextQuery::EndpointService {
        account: ACCOUNT.into(),
        region: REGION.into(),
        service_name: "com.amazonaws.eu-west-1.ssm".into(),
    }
}

fn subnet(id: &str, block: &str, zone: &str, zone_id: &str, name: &str) -> SubnetFacts {
    SubnetFacts {
        subnet_id: id.into(),
        cidr_block: block.into(),
        availability_zone: zone.into(),
        availability_zone_id: zone_id.into(),
        route_table_id: None,
        tags: [
            ("Name".to_string(), name.to_string()),
            (
                "aws-cdk:subnet-type".to_string(),
                if name.starts_with("public") {
                    "Public"
                } else {
                    "Private"
                }
                .to_string(),
            ),
        ]
        .into(),
    }
}

/// A landing-zone VPC as DescribeVpcs & co. give it: a primary and a secondary block, public
/// subnets in two zones on the main table, private ones in three zones (one in the secondary
/// block) on their own table, and one security group.
fn landing_facts() -> VpcFacts {
    VpcFacts {
        vpc_id: VPC_ID.into(),
        owner_id: ACCOUNT.into(),
        cidr_block: "10.20.0.0/16".into(),
        secondary_cidr_blocks: vec!["100.64.0.0/20".into()],
        ipv6_cidr_blocks: Vec::new(),
        dns_support: Some(true),
        dns_hostnames: Some(true),
        tags: [("Name".to_string(), "landing".to_string())].into(),
        subnets: vec![
            subnet(
                "subnet-0000000a",
                "10.20.0.0/24",
                "eu-west-1a",
                "euw1-az3",
                "public-a",
            ),
            subnet(
                "subnet-0000000b",
                "10.20.10.0/24",
                "eu-west-1a",
                "euw1-az3",
                "private-a",
            ),
            subnet(
                "subnet-0000000c",
                "10.20.1.0/24",
                "eu-west-1b",
                "euw1-az1",
                "public-b",
            ),
            subnet(
                "subnet-0000000d",
                "10.20.11.0/24",
                "eu-west-1b",
                "euw1-az1",
                "private-b",
            ),
            subnet(
                "subnet-0000000e",
                "100.64.0.0/24",
                "eu-west-1c",
                "euw1-az2",
                "private-c",
            ),
        ],
        route_tables: vec![
            RouteTableFacts {
                route_table_id: "rtb-0000000a".into(),
                main: true,
                ..Default::default()
            },
            RouteTableFacts {
                route_table_id: "rtb-0000000b".into(),
                main: false,
                subnet_ids: vec![
                    "subnet-0000000b".into(),
                    "subnet-0000000d".into(),
                    "subnet-0000000e".into(),
                ],
                ..Default::default()
            },
        ],
        security_groups: vec![SecurityGroupFacts {
            group_id: "sg-0000000a".into(),
            group_name: "endpoints".into(),
            ..Default::default()
        }],
    }
}

/// SSM offered in two of the Region's three zones.
fn ssm_facts() -> EndpointServiceFacts {
    EndpointServiceFacts {
        service_name: "com.amazonaws.eu-west-1.ssm".into(),
        service_type: "Interface".into(),
        availability_zones: vec!["eu-west-1a".into(), "eu-west-1b".into()],
        private_dns_name: Some("ssm.eu-west-1.amazonaws.com".into()),
        supported_ip_address_types: vec!["ipv4".into()],
        owner: "amazon".into(),
        ..Default::default()
    }
}

fn context() -> Context {
    let mut context = Context::default();
    context.insert(
        vpc_query(VpcFilter::Id(VPC_ID.into())),
        ContextValue::Vpc(Box::new(landing_facts())),
    );
    context.insert(ssm_query(), ContextValue::EndpointService(ssm_facts()));
    context
}

fn stack(context: &Context) -> Stack<Endpoints> {
    Stack::<Endpoints>::new("Endpoints")
        .account(ACCOUNT)
        .region(REGION)
        .context(context)
}

/// A security group, so that a template of looked-up resources alone (parameters) has a
/// resource, as CloudFormation requires.
fn group<S, V>(stack: &mut Stack<S>, vpc: &vpcform_net::vpc::VpcRef<V>)
where
    S: vpcform_net::handles::StackMarker,
    V: vpcform_net::handles::VpcMarker + vpcform_net::handles::InStack<S>,
{
    stack.add(
        "Clients",
        SecurityGroup::builder()
            .vpc(vpc)
            .description("clients")
            .build(),
    );
}

fn synth(stack: Stack<Endpoints>) -> Result<vpcform_net::Assembly, Vec<SynthError>> {
    let mut app = App::new("lookups");
    app.add_stack(stack);
    app.synth().map_err(|e| e.0)
}

// ── A looked-up VPC ───────────────────────────────────────────────────────────────────────

#[test]
fn a_looked_up_vpc_gives_typed_handles_that_synthesize() {
    let context = context();
    let mut stack = stack(&context);
    let landing = stack.add("Landing", VpcLookup::<Landing>::by_id(VPC_ID));
    assert!(!landing.is_placeholder());
    assert_eq!(landing.vpc().cidr(), Some(cidr!("10.20.0.0/16")));
    let private = landing.subnets().of_type("Private");
    assert_eq!(
        private.iter().map(|s| s.subnet_id()).collect::<Vec<_>>(),
        ["subnet-0000000b", "subnet-0000000d", "subnet-0000000e"]
    );
    assert_eq!(landing.subnets().named("public-b").len(), 1);
    assert_eq!(landing.subnets().in_zone("eu-west-1a").len(), 2);
    assert_eq!(
        landing
            .subnets()
            .one_per_zone()
            .iter()
            .map(|s| s.zone_id())
            .collect::<Vec<_>>(),
        ["euw1-az3", "euw1-az1", "euw1-az2"]
    );
    // The main table serves the subnets no table is associated with.
    let public_a = landing.subnets().named("public-a");
    let private_a = landing.subnets().named("private-a");
    let main = landing
        .route_table_of(public_a.iter().next().expect("public-a"))
        .expect("main table");
    assert_eq!(main.route_table_id(), "rtb-0000000a");
    let private_routes = landing
        .route_table_of(private_a.iter().next().expect("private-a"))
        .expect("private table");
    assert_eq!(private_routes.route_table_id(), "rtb-0000000b");
    let group = landing.security_group("endpoints").expect("group");

    stack.add(
        "S3",
        GatewayEndpoint::builder()
            .vpc(&landing)
            .service(services::S3)
            .route_tables([main.handle(), private_routes.handle()])
            .build(),
    );
    let ssm = stack.add("SsmService", EndpointServiceLookup::of(services::Ssm));
    stack.add(
        "Ssm",
        InterfaceEndpoint::builder()
            .vpc(&landing)
            .service(services::Ssm)
            .subnets(private.offered_by(&ssm))
            .security_groups([group.handle()])
            .private_dns(true)
            .build(),
    );
    let assembly = synth(stack).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(assembly.missing().is_empty());
    assert!(assembly.manifest().missing.is_empty());
    let template = assembly.stacks()[0]
        .template()
        .to_json_pretty()
        .unwrap_or_else(|e| panic!("{e}"));
    // Reviewed: one AWS-specific parameter per looked-up resource, defaulting to its ID; the
    // endpoint in the two offered zones only.
    insta::assert_snapshot!("looked_up_vpc_template", template);
}

#[test]
fn a_vpc_looked_up_by_tags_is_the_entry_of_its_tags_whatever_their_order() {
    let mut context = Context::default();
    context.insert(
        vpc_query(VpcFilter::Tags(
            [
                ("Name".to_string(), "landing".to_string()),
                ("env".to_string(), "prod".to_string()),
            ]
            .into(),
        )),
        ContextValue::Vpc(Box::new(landing_facts())),
    );
    let mut stack = stack(&context);
    let landing = stack.add(
        "Landing",
        VpcLookup::<Landing>::by_tags([("env", "prod"), ("Name", "landing")]),
    );
    assert_eq!(landing.vpc_id(), Some(VPC_ID));
    assert_eq!(landing.subnets().len(), 5);
}

#[test]
fn subnets_in_a_secondary_block_are_inside_the_looked_up_vpc() {
    let context = context();
    let mut stack = stack(&context);
    let landing = stack.add("Landing", VpcLookup::<Landing>::by_id(VPC_ID));
    group(&mut stack, landing.vpc());
    synth(stack).unwrap_or_else(|e| panic!("{e:?}"));

    // The near miss: the same subnet stated by hand in a VPC stated with its primary block
    // only is outside it.
    let mut stack = Stack::<Endpoints>::new("Endpoints");
    let vpc = stack.add(
        "Landing",
        ExistingVpc::<Landing>::builder()
            .id(ExistingId::parameter())
            .cidr(cidr!("10.20.0.0/16"))
            .build(),
    );
    group(&mut stack, &vpc);
    stack.add(
        "PrivateC",
        ExistingSubnet::builder()
            .vpc(&vpc)
            .id(ExistingId::parameter())
            .cidr(cidr!("100.64.0.0/24"))
            .availability_zone(Az::id("euw1-az2"))
            .build(),
    );
    let errors = synth(stack).err().unwrap_or_default();
    assert_eq!(
        codes(&errors),
        [(Code::VF0103, Some("Endpoints/PrivateC"))],
        "{errors:?}"
    );
}

// ── Lookups not answered yet ──────────────────────────────────────────────────────────────

#[test]
fn missing_lookups_are_listed_once_sorted_with_no_findings_over_placeholders() {
    let empty = Context::default();
    let mut stack = stack(&empty);
    let landing = stack.add("Landing", VpcLookup::<Landing>::by_name("landing"));
    let again = stack.add("Again", VpcLookup::<Landing>::by_name("landing"));
    assert!(landing.is_placeholder() && again.is_placeholder());
    assert!(landing.subnets().is_empty());
    let ssm = stack.add("SsmService", EndpointServiceLookup::of(services::Ssm));
    assert!(ssm.facts().is_none());
    // Over placeholders: no subnets, a group of no rules. Every check would fail; none runs.
    stack.add(
        "Ssm",
        InterfaceEndpoint::builder()
            .vpc(&landing)
            .service(services::Ssm)
            .subnets(landing.subnets().offered_by(&ssm))
            .build(),
    );
    let mut other = Stack::<Other>::new("Other")
        .account(ACCOUNT)
        .region(REGION)
        .context(&empty);
    let spoke = other.add("Spoke", VpcLookup::<Spoke>::by_name("landing"));
    group(&mut other, spoke.vpc());
    let mut app = App::new("lookups");
    app.add_stack(stack);
    app.add_stack(other);
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let keys: Vec<String> = assembly.missing().iter().map(ContextQuery::key).collect();
    assert_eq!(
        keys,
        [
            "endpoint-service:account=111122223333:region=eu-west-1:service=com.amazonaws.eu-west-1.ssm",
            "vpc:account=111122223333:region=eu-west-1:tag:Name=landing",
        ]
    );
    assert_eq!(assembly.manifest().missing, assembly.missing());
    assert!(assembly.warnings().is_empty());
    // A placeholder is never a real ID: the VPC's parameter has no default.
    let other = assembly.stack("Other").expect("Other");
    let json = other.template().to_json_pretty().unwrap_or_default();
    assert!(json.contains("\"AWS::EC2::VPC::Id\""), "{json}");
    assert!(!json.contains("Default"), "{json}");
}

#[test]
fn a_program_without_lookups_lists_none_missing() {
    let mut stack = Stack::<Endpoints>::new("Endpoints");
    stack.add(
        "Landing",
        Vpc::<Landing>::builder().cidr(cidr!("10.0.0.0/16")).build(),
    );
    let assembly = synth(stack).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(assembly.missing().is_empty());
}

// ── Lookups that fail ─────────────────────────────────────────────────────────────────────

#[test]
fn a_lookup_needs_the_stacks_account_and_region() {
    let context = context();
    for (account, region, missing) in [
        (None, Some(REGION), "account"),
        (Some(ACCOUNT), None, "region"),
        (None, None, "account and region"),
    ] {
        let mut stack = Stack::<Endpoints>::new("Endpoints").context(&context);
        if let Some(account) = account {
            stack = stack.account(account);
        }
        if let Some(region) = region {
            stack = stack.region(region);
        }
        stack.add("Landing", VpcLookup::<Landing>::by_id(VPC_ID));
        stack.add("SsmService", EndpointServiceLookup::of(services::Ssm));
        // One cause, one finding: the stack's, naming its first lookup.
        let errors = synth(stack).err().unwrap_or_default();
        assert_eq!(codes(&errors), [(Code::VF0161, Some("Endpoints"))]);
        assert!(
            matches!(&errors[0], SynthError::LookupWithoutEnvironment { missing: m, .. } if *m == missing),
            "{errors:?}"
        );
    }
}

#[test]
fn a_lookup_answered_not_found_is_the_only_error() {
    let mut context = Context::default();
    let query = vpc_query(VpcFilter::Id(VPC_ID.into()));
    context.insert(
        query.clone(),
        ContextValue::NotFound {
            message: format!("no VPC {VPC_ID} in {ACCOUNT} {REGION}"),
        },
    );
    let mut stack = stack(&context);
    let landing = stack.add("Landing", VpcLookup::<Landing>::by_id(VPC_ID));
    // Would be an error (no subnets) over the placeholder: not reported.
    stack.add(
        "Ssm",
        InterfaceEndpoint::builder()
            .vpc(&landing)
            .service(services::Ssm)
            .subnets(landing.subnets())
            .build(),
    );
    let errors = synth(stack).err().unwrap_or_default();
    assert_eq!(codes(&errors), [(Code::VF0162, Some("Endpoints/Landing"))]);
    let message = errors[0].to_string();
    assert!(message.contains(&query.key()), "{message}");
    let help = errors[0].help().unwrap_or_default();
    assert!(
        help.contains(&format!("vpcform context --clear {}", query.key())),
        "{help}"
    );
}

#[test]
fn a_context_entry_of_another_kind_is_one_error_naming_it() {
    // Edited by hand: the key and query of a VPC lookup, the answer of a zone lookup. The file
    // is refused as it is read (vpcform_assembly::Context::parse)…
    let key = vpc_query(VpcFilter::Id(VPC_ID.into())).key();
    let text = format!(
        r#"{{"{key}": {{"query": {{"type": "vpc", "account": "{ACCOUNT}", "region": "{REGION}", "filter": {{"id": "{VPC_ID}"}}}}, "value": {{"type": "availabilityZones", "zones": []}}}}}}"#
    );
    let refused = Context::parse(std::path::Path::new("vpcform.context.json"), &text);
    assert!(
        refused.is_err_and(|e| e.to_string().contains(&key)),
        "the file is refused naming the entry"
    );
    // …and a context built in a program with such an entry is one error naming it.
    let mut context = Context::default();
    context.insert(
        vpc_query(VpcFilter::Id(VPC_ID.into())),
        vpcform_net::lookups::ContextValue::AvailabilityZones { zones: vec![] },
    );
    let mut stack = stack(&context);
    stack.add("Landing", VpcLookup::<Landing>::by_id(VPC_ID));
    stack.add("Again", VpcLookup::<Landing>::by_id(VPC_ID));
    let errors = synth(stack).err().unwrap_or_default();
    assert_eq!(codes(&errors), [(Code::VF0160, None)], "{errors:?}");
    assert!(errors[0].to_string().contains(&key));
}

#[test]
fn a_service_lookup_needs_a_name_known_at_synthesis() {
    let context = context();
    let mut provider = Stack::<Provider>::new("Provider")
        .account(ACCOUNT)
        .region(REGION);
    let name = provider.export(
        "ServiceName",
        ServiceName::new("com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0"),
    );
    let mut stack = stack(&context);
    let imported = stack.import(&name);
    stack.add("OrdersService", EndpointServiceLookup::of(imported));
    let mut app = App::new("lookups");
    app.add_stack(provider);
    app.add_stack(stack);
    let errors = synth_errors(&app);
    assert_eq!(
        codes(&errors),
        [(Code::VF0165, Some("Endpoints/OrdersService"))]
    );

    // The near miss: the same name as text is looked up.
    let mut stack = self::stack(&context);
    let service = stack.add(
        "OrdersService",
        EndpointServiceLookup::of(ServiceName::new(
            "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0",
        )),
    );
    assert_eq!(
        service.service_name(),
        "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0"
    );
    let assembly = synth(stack).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(assembly.missing().len(), 1);
}

// ── Endpoint services' zones ──────────────────────────────────────────────────────────────

#[test]
fn an_endpoint_in_a_zone_its_service_is_not_offered_in_names_the_offered_zones() {
    let context = context();
    let mut stack = stack(&context);
    let landing = stack.add("Landing", VpcLookup::<Landing>::by_id(VPC_ID));
    stack.add("SsmService", EndpointServiceLookup::of(services::Ssm));
    let group = landing.security_group("endpoints").expect("group");
    // All three private subnets: private-c is in eu-west-1c.
    stack.add(
        "Ssm",
        InterfaceEndpoint::builder()
            .vpc(&landing)
            .service(services::Ssm)
            .subnets(landing.subnets().of_type("Private"))
            .security_groups([group.handle()])
            .build(),
    );
    // A created subnet, by name, in eu-west-1c too.
    let created = stack.add(
        "CreatedC",
        Subnet::builder()
            .vpc(&landing)
            .cidr(cidr!("10.20.12.0/24"))
            .availability_zone(Az::name("eu-west-1c"))
            .build(),
    );
    stack.add(
        "Ssm2",
        InterfaceEndpoint::builder()
            .vpc(&landing)
            .service(services::Ssm)
            .subnets(
                landing
                    .subnets()
                    .named("private-a")
                    .handles()
                    .iter()
                    .chain([&created]),
            )
            .security_groups([group.handle()])
            .private_dns(false)
            .build(),
    );
    let errors = synth(stack).err().unwrap_or_default();
    assert_eq!(
        codes(&errors),
        [
            (Code::VF0163, Some("Endpoints/Ssm")),
            (Code::VF0163, Some("Endpoints/Ssm2")),
        ],
        "{errors:?}"
    );
    match &errors[0] {
        SynthError::ZoneNotOffered {
            subnet,
            zone,
            offered,
            ..
        } => {
            assert_eq!(subnet, "Endpoints/LandingSubnet0000000e");
            assert_eq!(zone, "eu-west-1c");
            assert_eq!(offered, "eu-west-1a, eu-west-1b");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn without_the_services_lookup_its_zones_are_not_checked() {
    let context = context();
    let mut stack = stack(&context);
    let landing = stack.add("Landing", VpcLookup::<Landing>::by_id(VPC_ID));
    let group = landing.security_group("endpoints").expect("group");
    stack.add(
        "Ssm",
        InterfaceEndpoint::builder()
            .vpc(&landing)
            .service(services::Ssm)
            .subnets(landing.subnets().of_type("Private"))
            .security_groups([group.handle()])
            .build(),
    );
    synth(stack).unwrap_or_else(|e| panic!("{e:?}"));
}

// ── Facts stated by hand against looked-up ones ───────────────────────────────────────────

fn stated(cidr: &str, dns_support: bool, subnet_zone: Az, subnet_cidr: &str) -> Vec<SynthError> {
    let context = context();
    let mut stack = stack(&context);
    let vpc = stack.add(
        "Landing",
        ExistingVpc::<Landing>::builder()
            .id(ExistingId::id(VPC_ID))
            .cidr(cidr)
            .dns_support(dns_support)
            .dns_hostnames(true)
            .build(),
    );
    stack.add(
        "PrivateA",
        ExistingSubnet::builder()
            .vpc(&vpc)
            .id(ExistingId::id("subnet-0000000b"))
            .cidr(subnet_cidr)
            .availability_zone(subnet_zone)
            .build(),
    );
    group(&mut stack, &vpc);
    synth(stack).err().unwrap_or_default()
}

#[test]
fn facts_stated_by_hand_must_agree_with_the_looked_up_ones() {
    assert!(
        stated(
            "10.20.0.0/16",
            true,
            Az::name("eu-west-1a"),
            "10.20.10.0/24"
        )
        .is_empty()
    );
    assert!(stated("10.20.0.0/16", true, Az::id("euw1-az3"), "10.20.10.0/24").is_empty());

    let errors = stated(
        "10.30.0.0/16",
        false,
        Az::name("eu-west-1b"),
        "10.30.10.0/24",
    );
    let facts: Vec<(&str, &str, &str)> = errors
        .iter()
        .filter_map(|e| match e {
            SynthError::StatedFactDisagrees {
                fact,
                stated,
                looked_up,
                ..
            } => Some((*fact, stated.as_str(), looked_up.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(
        facts,
        [
            ("the block", "10.30.0.0/16", "10.20.0.0/16"),
            ("enableDnsSupport", "false", "true"),
            ("the block", "10.30.10.0/24", "10.20.10.0/24"),
            ("the zone", "eu-west-1b", "eu-west-1a"),
        ],
        "{errors:?}"
    );
    let errors = stated("10.20.0.0/16", true, Az::id("euw1-az1"), "10.20.10.0/24");
    assert_eq!(codes(&errors), [(Code::VF0164, Some("Endpoints/PrivateA"))]);
}

#[test]
fn stated_facts_of_another_account_or_of_a_parameter_are_not_compared() {
    let context = context();
    let mut stack = Stack::<Endpoints>::new("Endpoints")
        .account("444455556666")
        .region(REGION)
        .context(&context);
    let vpc = stack.add(
        "Landing",
        ExistingVpc::<Landing>::builder()
            .id(ExistingId::id(VPC_ID))
            .cidr(cidr!("10.30.0.0/16"))
            .build(),
    );
    group(&mut stack, &vpc);
    synth(stack).unwrap_or_else(|e| panic!("{e:?}"));
    // Nor one whose ID is a parameter.
    let mut stack = self::stack(&context);
    let vpc = stack.add(
        "Landing",
        ExistingVpc::<Landing>::builder()
            .id(ExistingId::parameter())
            .cidr(cidr!("10.30.0.0/16"))
            .build(),
    );
    group(&mut stack, &vpc);
    synth(stack).unwrap_or_else(|e| panic!("{e:?}"));
}

// ── Facts of a looked-up service used where they were taken on trust ──────────────────────

const ORDERS: &str = "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0";

/// An endpoint to another account's service, looked up with these IP address types and private
/// DNS name.
fn orders_endpoint(
    ip_types: &[&str],
    private_dns_name: Option<&str>,
    ip: vpcform_net::endpoints::IpAddressType,
    private_dns: bool,
) -> Vec<SynthError> {
    let mut context = context();
    context.insert(
        ContextQuery::EndpointService {
            account: ACCOUNT.into(),
            region: REGION.into(),
            service_name: ORDERS.into(),
        },
        ContextValue::EndpointService(EndpointServiceFacts {
            service_name: ORDERS.into(),
            service_type: "Interface".into(),
            availability_zones: vec!["eu-west-1a".into(), "eu-west-1b".into()],
            private_dns_name: private_dns_name.map(str::to_string),
            supported_ip_address_types: ip_types.iter().map(|t| t.to_string()).collect(),
            owner: "444455556666".into(),
            ..Default::default()
        }),
    );
    let mut stack = stack(&context);
    let landing = stack.add("Landing", VpcLookup::<Landing>::by_id(VPC_ID));
    let orders = stack.add(
        "OrdersService",
        EndpointServiceLookup::of(ServiceName::new(ORDERS)),
    );
    let group = landing.security_group("endpoints").expect("group");
    let subnets = landing.subnets().of_type("Private").offered_by(&orders);
    if private_dns {
        // The name stated by hand, as the provider's documentation gives it.
        let service = ServiceName::new(ORDERS).with_private_dns_name("orders.example.com");
        stack.add(
            "Orders",
            InterfaceEndpoint::builder()
                .vpc(&landing)
                .service(service)
                .subnets(subnets)
                .security_groups([group.handle()])
                .ip_address_type(ip)
                .private_dns(true)
                .build(),
        );
    } else {
        stack.add(
            "Orders",
            InterfaceEndpoint::builder()
                .vpc(&landing)
                .service(ServiceName::new(ORDERS))
                .subnets(subnets)
                .security_groups([group.handle()])
                .ip_address_type(ip)
                .build(),
        );
    }
    synth(stack).err().unwrap_or_default()
}

#[test]
fn a_looked_up_service_without_ipv6_refuses_a_dual_stack_endpoint() {
    use vpcform_net::endpoints::IpAddressType;
    let errors = orders_endpoint(&["ipv4"], None, IpAddressType::Dualstack, false);
    assert_eq!(
        codes(&errors),
        [(Code::VF0203, Some("Endpoints/Orders"))],
        "{errors:?}"
    );
    assert!(
        errors[0]
            .to_string()
            .contains("looked-up SupportedIpAddressTypes is ipv4")
    );
    // The near misses: IPv4, or a service that accepts IPv6.
    assert!(orders_endpoint(&["ipv4"], None, IpAddressType::Ipv4, false).is_empty());
    let errors = orders_endpoint(&["ipv4", "ipv6"], None, IpAddressType::Dualstack, false);
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn a_looked_up_service_without_a_private_dns_name_refuses_private_dns() {
    use vpcform_net::endpoints::IpAddressType;
    // Stated by hand as having one; the account says it has none.
    let errors = orders_endpoint(&["ipv4"], None, IpAddressType::Ipv4, true);
    assert_eq!(
        codes(&errors),
        [(Code::VF0212, Some("Endpoints/Orders"))],
        "{errors:?}"
    );
    let errors = orders_endpoint(
        &["ipv4"],
        Some("orders.example.com"),
        IpAddressType::Ipv4,
        true,
    );
    assert!(errors.is_empty(), "{errors:?}");
}

// ── The account's zone map ────────────────────────────────────────────────────────────────

mod zone_maps {
    use super::*;
    use vpcform_net::lookups::AvailabilityZone;
    use vpcform_net::privatelink::{EndpointService, NetworkLoadBalancer};
    use vpcform_net::security::SecurityGroupRef;

    vpcform_net::topology! {
        stack Provider { vpc B }
        stack Consumer { vpc C }
    }

    const PROVIDER: &str = "111122223333";
    const CONSUMER: &str = "444455556666";

    fn zone(name: &str, id: &str) -> AvailabilityZone {
        AvailabilityZone {
            name: name.into(),
            id: id.into(),
            zone_type: "availability-zone".into(),
        }
    }

    /// Each account names the same physical zones differently: the provider's us-east-1a is
    /// use1-az1, the consumer's is use1-az2.
    fn context() -> Context {
        let mut context = Context::default();
        for (account, zones) in [
            (
                PROVIDER,
                vec![
                    zone("us-east-1a", "use1-az1"),
                    zone("us-east-1b", "use1-az2"),
                    zone("us-east-1c", "use1-az4"),
                ],
            ),
            (
                CONSUMER,
                vec![
                    zone("us-east-1b", "use1-az1"),
                    zone("us-east-1a", "use1-az2"),
                    zone("us-east-1c", "use1-az6"),
                    AvailabilityZone {
                        name: "us-east-1-bos-1a".into(),
                        id: "use1-bos1-az1".into(),
                        zone_type: "local-zone".into(),
                    },
                ],
            ),
        ] {
            context.insert(
                ContextQuery::AvailabilityZones {
                    account: account.into(),
                    region: "us-east-1".into(),
                },
                ContextValue::AvailabilityZones { zones },
            );
        }
        context
    }

    /// A provider's service on two subnets and a consumer's endpoint on two, in two accounts;
    /// each stack looks up its zone map when `maps`.
    fn synth(provider_azs: [Az; 2], consumer_azs: [Az; 2], maps: bool) -> Vec<SynthError> {
        let context = context();
        let mut provider = Stack::<Provider>::new("Provider")
            .region("us-east-1")
            .account(PROVIDER)
            .context(&context);
        let mut consumer = Stack::<Consumer>::new("Consumer")
            .region("us-east-1")
            .account(CONSUMER)
            .context(&context);
        if maps {
            assert!(provider.lookup_availability_zones().is_some());
            assert_eq!(
                consumer.lookup_availability_zones().map(|z| z.len()),
                Some(4)
            );
        }
        let b = provider.add("B", Vpc::<B>::builder().cidr(cidr!("10.1.0.0/16")).build());
        let [p1, p2] = provider_azs;
        let b1 = provider.add(
            "B1",
            Subnet::builder()
                .vpc(&b)
                .cidr(cidr!("10.1.1.0/24"))
                .availability_zone(p1)
                .build(),
        );
        let b2 = provider.add(
            "B2",
            Subnet::builder()
                .vpc(&b)
                .cidr(cidr!("10.1.2.0/24"))
                .availability_zone(p2)
                .build(),
        );
        let nlb = provider.add(
            "Nlb",
            NetworkLoadBalancer::builder()
                .subnets([&b1, &b2])
                .security_groups(SecurityGroupRef::none())
                .build(),
        );
        let service = provider.add(
            "Service",
            EndpointService::builder()
                .network_load_balancers([&nlb])
                .build(),
        );
        let export = provider.export("ServiceName", service.service_name());
        let c = consumer.add("C", Vpc::<C>::builder().cidr(cidr!("10.0.0.0/16")).build());
        let [c1, c2] = consumer_azs;
        let s1 = consumer.add(
            "C1",
            Subnet::builder()
                .vpc(&c)
                .cidr(cidr!("10.0.1.0/24"))
                .availability_zone(c1)
                .build(),
        );
        let s2 = consumer.add(
            "C2",
            Subnet::builder()
                .vpc(&c)
                .cidr(cidr!("10.0.2.0/24"))
                .availability_zone(c2)
                .build(),
        );
        let imported = consumer.import(&export);
        consumer.add(
            "Endpoint",
            InterfaceEndpoint::builder()
                .vpc(&c)
                .service(imported)
                .subnets([&s1, &s2])
                .build(),
        );
        let mut app = App::new("accounts");
        app.add_stack(provider);
        app.add_stack(consumer);
        synth_errors(&app)
    }

    #[test]
    fn with_each_accounts_zone_map_names_and_indexes_compare_by_id() {
        // Without the maps: names across accounts cannot be compared.
        let names = || [Az::name("us-east-1a"), Az::name("us-east-1b")];
        let errors = synth(names(), names(), false);
        assert_eq!(codes(&errors), [(Code::VF0140, Some("Consumer/Endpoint"))]);
        // With them: the same names are the same two physical zones, swapped.
        let errors = synth(names(), names(), true);
        assert!(errors.is_empty(), "{errors:?}");
        // Indexes too (the consumer's 0 and 1 are us-east-1a and b: use1-az2, use1-az1).
        let errors = synth(
            [Az::index(0), Az::index(1)],
            [Az::index(0), Az::index(1)],
            true,
        );
        assert!(errors.is_empty(), "{errors:?}");
        // The consumer's us-east-1c is use1-az6, where the service is not: found by ID.
        let errors = synth(
            names(),
            [Az::name("us-east-1a"), Az::name("us-east-1c")],
            true,
        );
        assert_eq!(codes(&errors), [(Code::VF0304, Some("Consumer/Endpoint"))]);
        match &errors[0] {
            SynthError::EndpointAzNotServed { az, .. } => assert_eq!(az, "AZ ID use1-az6"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_zone_the_account_does_not_have_is_an_error() {
        // Index 3 is the Local Zone's place in the list, but `Fn::GetAZs` counts three zones.
        let errors = synth(
            [Az::index(0), Az::index(1)],
            [Az::index(0), Az::index(3)],
            true,
        );
        assert_eq!(codes(&errors), [(Code::VF0166, Some("Consumer/C2"))]);
        let errors = synth(
            [Az::name("us-east-1a"), Az::name("us-east-1d")],
            [Az::index(0), Az::index(1)],
            true,
        );
        assert_eq!(codes(&errors), [(Code::VF0166, Some("Provider/B2"))]);
        let errors = synth(
            [Az::id("use1-az1"), Az::id("use1-az3")],
            [Az::index(0), Az::index(1)],
            true,
        );
        assert_eq!(codes(&errors), [(Code::VF0166, Some("Provider/B2"))]);
    }

    #[test]
    fn the_zone_map_is_asked_for_and_missing_until_answered() {
        let empty = Context::default();
        let mut stack = Stack::<Consumer>::new("Consumer")
            .region("us-east-1")
            .account(CONSUMER)
            .context(&empty);
        assert!(stack.lookup_availability_zones().is_none());
        let c = stack.add("C", Vpc::<C>::builder().cidr(cidr!("10.0.0.0/16")).build());
        stack.add(
            "C1",
            Subnet::builder()
                .vpc(&c)
                .cidr(cidr!("10.0.1.0/24"))
                .availability_zone(Az::index(7))
                .build(),
        );
        let mut app = App::new("accounts");
        app.add_stack(stack);
        let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            assembly
                .missing()
                .iter()
                .map(ContextQuery::key)
                .collect::<Vec<_>>(),
            ["availability-zones:account=444455556666:region=us-east-1"]
        );
    }
}

// ── Import IDs from the context ───────────────────────────────────────────────────────────

/// A managed group in the looked-up VPC, adopted as the existing group the lookup found.
fn adopt_group(context: &Context) -> Stack<Endpoints> {
    let mut stack = stack(context);
    let landing = stack.add("Landing", VpcLookup::<Landing>::by_id(VPC_ID));
    let adopted = stack.add(
        "Adopted",
        SecurityGroup::builder()
            .vpc(&landing)
            .description("endpoints")
            .build(),
    );
    let found = landing.security_group("endpoints").map(|g| g.group_id());
    stack.import_existing(&adopted, found);
    stack
}

/// `Stack::import_existing` with a looked-up ID: the manifest's `importIds` has it (and the
/// resource the `DeletionPolicy` an import needs); without the lookup's answer nothing is
/// recorded, and the assembly lists the lookup as missing.
#[test]
fn a_looked_up_id_reaches_the_manifest_and_a_missing_lookup_records_none() {
    let assembly = synth(adopt_group(&context())).unwrap_or_else(|e| panic!("{e:?}"));
    let manifest = assembly.manifest();
    assert_eq!(
        manifest.stacks[0].import_ids,
        [("Adopted".to_string(), "sg-0000000a".to_string())].into()
    );
    assert_eq!(
        assembly.stacks()[0].import_ids(),
        &manifest.stacks[0].import_ids
    );
    let json = assembly.stacks()[0]
        .template()
        .to_json_pretty()
        .unwrap_or_default();
    let template: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
    assert_eq!(template["Resources"]["Adopted"]["DeletionPolicy"], "Retain");

    let empty = Context::default();
    let assembly = synth(adopt_group(&empty)).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(assembly.manifest().stacks[0].import_ids.is_empty());
    assert!(!assembly.manifest().missing.is_empty());
}

/// One existing resource imported as two constructs, or one construct as two resources: one
/// error each (VF0167); the same pair given twice is one import.
#[test]
fn an_id_imported_twice_or_a_construct_given_two_ids_is_an_error() {
    let context = context();
    let mut stack = adopt_group(&context);
    let landing = stack.add("Again", VpcLookup::<Landing>::by_id(VPC_ID));
    let other = stack.add(
        "Other",
        SecurityGroup::builder()
            .vpc(&landing)
            .description("other")
            .build(),
    );
    stack.import_existing(&other, "sg-0000000a");
    let errors = synth(stack).err().unwrap_or_default();
    assert_eq!(codes(&errors), [(Code::VF0167, Some("Endpoints/Other"))]);
    assert!(
        matches!(&errors[0], SynthError::ImportIdConflict { id, conflict, .. }
            if id == "sg-0000000a" && conflict.contains("Endpoints/Adopted")),
        "{:?}",
        errors[0]
    );

    let mut stack = adopt_group(&context);
    let landing = stack.add("Again", VpcLookup::<Landing>::by_id(VPC_ID));
    let twice = stack.add(
        "Twice",
        SecurityGroup::builder()
            .vpc(&landing)
            .description("twice")
            .build(),
    );
    stack.import_existing(&twice, "sg-0000000b");
    stack.import_existing(&twice, "sg-0000000b");
    stack.import_existing(&twice, String::from("sg-0000000c"));
    let errors = synth(stack).err().unwrap_or_default();
    assert_eq!(codes(&errors), [(Code::VF0167, Some("Endpoints/Twice"))]);
    assert!(
        matches!(&errors[0], SynthError::ImportIdConflict { id, conflict, .. }
            if id == "sg-0000000c" && conflict.contains("sg-0000000b")),
        "{:?}",
        errors[0]
    );
}
