//! AWS's quotas at synth (issue 24): each checked row of `quotas::QUOTAS` at its default
//! (accepted) and one past it (refused, naming the construct), and the raised quotas a
//! program declares per app and per stack.

use vpcform_net::findings::Code;
use vpcform_net::prelude::*;
use vpcform_net::privatelink::TargetType;
use vpcform_net::quotas::{Checked, QUOTAS, Quota, Quotas};
use vpcform_net::security::SecurityGroupRef;
use vpcform_net::transit::{Blackhole, TransitGatewayRoute, TransitGatewayRouteTable};
use vpcform_net::transit::{ExternalVpc, VpcPeering};
use vpcform_net::vpc::{EgressOnlyInternetGateway, InternetGateway, Ipv6Block, RouteDestination};

include!("common/consumer.rs");
include!("common/report.rs");

fn at(path: &str) -> Option<String> {
    Some(path.to_string())
}

/// The codes and constructs of the synthesis errors of `stack`, with the app's quotas.
fn codes_with(stack: Stack<Consumer>, quotas: Option<Quotas>) -> Vec<(Code, Option<String>)> {
    let mut app = App::new("test");
    if let Some(quotas) = quotas {
        app.quotas(quotas);
    }
    app.add_stack(stack);
    error_codes(&app)
}

fn codes(stack: Stack<Consumer>) -> Vec<(Code, Option<String>)> {
    codes_with(stack, None)
}

fn group(
    stack: &mut Stack<Consumer>,
    vpc: &vpcform_net::vpc::VpcRef<VpcA>,
    id: &str,
    ingress: Vec<Rule<VpcA>>,
    egress: Option<Vec<Rule<VpcA>>>,
) -> SecurityGroupRef<VpcA> {
    stack.add(
        id,
        SecurityGroup::builder()
            .vpc(vpc)
            .description("quota test")
            .ingress(ingress)
            .egress_opt(egress)
            .build(),
    )
}

/// `n` IPv4 rules on port 443, one per spoke block `10.{i+1}.0.0/16`.
fn ipv4_rules(n: usize) -> Vec<Rule<VpcA>> {
    (0..n)
        .map(|i| {
            Rule::new(
                Port::tcp(443),
                Peer::ipv4(format!("10.{}.{}.0/24", 100 + i / 256, i % 256).as_str()),
            )
        })
        .collect()
}

/// `n` IPv6 rules on port 443.
fn ipv6_rules(n: usize) -> Vec<Rule<VpcA>> {
    (0..n)
        .map(|i| Rule::new(Port::tcp(443), Peer::ipv6(format!("2600:1f{i:02x}::/32"))))
        .collect()
}

/// `n` IPv4 routes of `table` through `target`, one per spoke block `10.{i+1}.0.0/16`, named
/// `{prefix}{i}`.
fn spoke_routes(
    stack: &mut Stack<Consumer>,
    table: &vpcform_net::vpc::RouteTableRef<VpcA>,
    target: &vpcform_net::vpc::InternetGatewayRef<VpcA>,
    prefix: &str,
    n: usize,
) {
    for i in 0..n {
        stack.add(
            &format!("{prefix}{i}"),
            Route::builder()
                .route_table(table)
                .destination(format!("10.{}.0.0/16", i + 1).as_str())
                .target(target)
                .build(),
        );
    }
}

// ── The case ───────────────────────────────────────────────────────────────────

/// 70 spokes behind a hub: the endpoints' group admits each spoke and the hub (71 ingress
/// rules) and the hub's table routes to each spoke (70 routes).
fn hub(spokes: usize) -> Stack<Consumer> {
    let (mut stack, vpc) = consumer();
    let a = subnet(&mut stack, &vpc, "HubA", "10.0.0.0/24", 0);
    let b = subnet(&mut stack, &vpc, "HubB", "10.0.1.0/24", 1);
    let mut rules = vec![Rule::new(Port::tcp(443), Peer::ipv4("10.0.0.0/16"))];
    rules.extend((0..spokes).map(|i| {
        Rule::new(
            Port::tcp(443),
            Peer::ipv4(format!("10.{}.0.0/16", i + 1).as_str()),
        )
    }));
    let sg = group(&mut stack, &vpc, "EndpointsSg", rules, None);
    stack.add(
        "Sts",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(services::Sts)
            .subnets([&a, &b])
            .security_groups([&sg])
            .build(),
    );
    let table = stack.add(
        "HubRoutes",
        RouteTable::builder().vpc(&vpc).subnets([&a, &b]).build(),
    );
    let igw = stack.add("Igw", InternetGateway::builder().vpc(&vpc).build());
    spoke_routes(&mut stack, &table, &igw, "ToSpoke", spokes);
    stack
}

#[test]
fn seventy_spokes_exceed_the_default_quotas_and_pass_with_raised_ones() {
    assert_eq!(
        codes(hub(70)),
        [
            (Code::VF1201, at("Consumer/EndpointsSg")),
            (Code::VF1201, at("Consumer/HubRoutes")),
        ]
    );
    // Raised for the app.
    let raised = Quotas::default()
        .rules_per_security_group(120)
        .routes_per_route_table(100);
    assert_eq!(codes_with(hub(70), Some(raised.clone())), []);
    // Raised for the stack only.
    let mut stack = hub(70);
    stack.quotas(raised);
    assert_eq!(codes(stack), []);
    // A stack's quota overrides the app's, quota by quota: the app's routes stay raised.
    let mut stack = hub(70);
    stack.quotas(Quotas::default().rules_per_security_group(59));
    assert_eq!(
        codes_with(
            stack,
            Some(
                Quotas::default()
                    .rules_per_security_group(120)
                    .routes_per_route_table(70)
            )
        ),
        [(Code::VF1201, at("Consumer/EndpointsSg"))]
    );
}

// ── Rules per security group ───────────────────────────────────────────────────────────

#[test]
fn rules_per_group_at_and_past_the_default() {
    let one = |ingress: Vec<Rule<VpcA>>, egress: Option<Vec<Rule<VpcA>>>| {
        let (mut stack, vpc) = consumer();
        group(&mut stack, &vpc, "Sg", ingress, egress);
        codes(stack)
    };
    let over = [(Code::VF1201, at("Consumer/Sg"))];
    assert_eq!(one(ipv4_rules(60), None), []);
    assert_eq!(one(ipv4_rules(61), None), over);
    assert_eq!(one(vec![], Some(ipv4_rules(60))), []);
    // The refusal: 61 egress rules (RulesPerSecurityGroupLimitExceeded).
    assert_eq!(one(vec![], Some(ipv4_rules(61))), over);
    // IPv4 and IPv6 counted apart, inbound and outbound apart.
    assert_eq!(one(ipv6_rules(60), None), []);
    assert_eq!(one(ipv6_rules(61), None), over);
    let both = || {
        ipv4_rules(60)
            .into_iter()
            .chain(ipv6_rules(60))
            .collect::<Vec<_>>()
    };
    assert_eq!(one(both(), Some(both())), []);
    // One finding per group, however many rules over.
    assert_eq!(one(ipv4_rules(200), Some(ipv4_rules(200))), over);
}

#[test]
fn a_prefix_list_counts_as_its_maximum_entries_when_the_program_states_them() {
    // AWS counts a rule naming a prefix list as the list's maximum entries (VPC user guide,
    // "Security group size").
    let with = |peer: Peer<VpcA>, others: usize| {
        let (mut stack, vpc) = consumer();
        let mut rules = ipv4_rules(others);
        rules.push(Rule::new(Port::tcp(443), peer));
        group(&mut stack, &vpc, "Sg", rules, None);
        codes(stack)
    };
    let over = [(Code::VF1201, at("Consumer/Sg"))];
    let list = "pl-0123456789abcdef0";
    assert_eq!(with(Peer::ipv4_prefix_list(list, 20), 40), []);
    assert_eq!(with(Peer::ipv4_prefix_list(list, 20), 41), over);
    // An IPv6 list counts with the IPv6 rules.
    assert_eq!(with(Peer::ipv6_prefix_list(list, 60), 60), []);
    assert_eq!(with(Peer::ipv6_prefix_list(list, 61), 0), over);
    // A list of unknown size counts as one IPv4 rule: a lower bound.
    assert_eq!(with(Peer::prefix_list(list), 59), []);
    assert_eq!(with(Peer::prefix_list(list), 60), over);
}

// ── Security groups per network interface ──────────────────────────────────────────────

fn groups(
    stack: &mut Stack<Consumer>,
    vpc: &vpcform_net::vpc::VpcRef<VpcA>,
    n: usize,
) -> Vec<SecurityGroupRef<VpcA>> {
    (0..n)
        .map(|i| group(stack, vpc, &format!("Sg{i}"), ipv4_rules(1), None))
        .collect()
}

#[test]
fn groups_on_an_interface_endpoint_at_and_past_the_default() {
    let endpoint = |n: usize| {
        let (mut stack, vpc) = consumer();
        let a = subnet(&mut stack, &vpc, "A", "10.0.0.0/24", 0);
        let b = subnet(&mut stack, &vpc, "B", "10.0.1.0/24", 1);
        let sgs = groups(&mut stack, &vpc, n);
        stack.add(
            "Sts",
            InterfaceEndpoint::builder()
                .vpc(&vpc)
                .service(services::Sts)
                .subnets([&a, &b])
                .security_groups(sgs.iter())
                .build(),
        );
        stack
    };
    assert_eq!(codes(endpoint(5)), []);
    assert_eq!(codes(endpoint(6)), [(Code::VF1201, at("Consumer/Sts"))]);
    assert_eq!(
        codes_with(
            endpoint(6),
            Some(Quotas::default().security_groups_per_network_interface(6))
        ),
        []
    );
}

fn nlb(groups_n: usize, listeners: usize) -> Stack<Consumer> {
    let (mut stack, vpc) = consumer();
    let a = subnet(&mut stack, &vpc, "A", "10.0.0.0/24", 0);
    let sgs = groups(&mut stack, &vpc, groups_n);
    let nlb = stack.add(
        "Nlb",
        NetworkLoadBalancer::builder()
            .subnets([&a])
            .security_groups(sgs.iter())
            .build(),
    );
    let targets = stack.add(
        "Targets",
        TargetGroup::builder()
            .vpc(&vpc)
            .port(443)
            .target_type(TargetType::Ip)
            .build(),
    );
    for i in 0..listeners {
        stack.add(
            &format!("Listener{i}"),
            Listener::builder()
                .load_balancer(&nlb)
                .port(1000 + i as u16)
                .default_target_group(&targets)
                .build(),
        );
    }
    stack
}

#[test]
fn groups_on_a_load_balancer_at_and_past_the_default() {
    assert_eq!(codes(nlb(5, 1)), []);
    assert_eq!(codes(nlb(6, 1)), [(Code::VF1201, at("Consumer/Nlb"))]);
}

#[test]
fn listeners_per_load_balancer_at_and_past_the_default() {
    assert_eq!(codes(nlb(1, 50)), []);
    assert_eq!(codes(nlb(1, 51)), [(Code::VF1201, at("Consumer/Nlb"))]);
}

#[test]
fn declared_quotas_over_a_thousand_rules_times_groups() {
    let (stack, _) = consumer();
    let product = |rules: u32, groups: u32| {
        let (stack, _) = consumer();
        codes_with(
            stack,
            Some(
                Quotas::default()
                    .rules_per_security_group(rules)
                    .security_groups_per_network_interface(groups),
            ),
        )
    };
    assert_eq!(codes(stack), []);
    assert_eq!(product(200, 5), []);
    assert_eq!(product(201, 5), [(Code::VF1202, at("Consumer"))]);
}

// ── Per table and per VPC ──────────────────────────────────────────────────────────────

#[test]
fn routes_per_table_at_and_past_the_default() {
    let routes = |n: usize| {
        let (mut stack, vpc) = consumer();
        let a = subnet(&mut stack, &vpc, "A", "10.0.0.0/24", 0);
        let table = stack.add(
            "Routes",
            RouteTable::builder().vpc(&vpc).subnets([&a]).build(),
        );
        let igw = stack.add("Igw", InternetGateway::builder().vpc(&vpc).build());
        spoke_routes(&mut stack, &table, &igw, "R", n);
        codes(stack)
    };
    assert_eq!(routes(50), []);
    assert_eq!(routes(51), [(Code::VF1201, at("Consumer/Routes"))]);
}

#[test]
fn routes_per_table_count_ipv4_and_ipv6_apart_and_the_gateway_endpoints_routes() {
    // The quota is on non-propagated routes, IPv4 and IPv6 apart (VPC quotas page); a gateway
    // endpoint adds a route to its service's prefix list, of weight 1 for S3.
    let table = |v4: usize, v6: usize, gateway_endpoint: bool| {
        let mut stack = Stack::<Consumer>::new("Consumer");
        let vpc = stack.add(
            "VpcA",
            Vpc::<VpcA>::builder()
                .cidr(cidr!("10.0.0.0/16"))
                .ipv6(Ipv6Block::AmazonProvided)
                .build(),
        );
        let routes = stack.add("Routes", RouteTable::builder().vpc(&vpc).build());
        let igw = stack.add("Igw", InternetGateway::builder().vpc(&vpc).build());
        let egress = stack.add(
            "Egress6",
            EgressOnlyInternetGateway::builder().vpc(&vpc).build(),
        );
        spoke_routes(&mut stack, &routes, &igw, "R", v4);
        for i in 0..v6 {
            stack.add(
                &format!("Six{i}"),
                Route::builder()
                    .route_table(&routes)
                    .destination(RouteDestination::ipv6(format!("2600:1f{i:02x}::/32")))
                    .target(&egress)
                    .build(),
            );
        }
        if gateway_endpoint {
            stack.add(
                "S3",
                GatewayEndpoint::builder()
                    .vpc(&vpc)
                    .service(services::S3)
                    .route_tables([&routes])
                    .build(),
            );
        }
        codes(stack)
    };
    let over = [(Code::VF1201, at("Consumer/Routes"))];
    assert_eq!(table(50, 50, false), []);
    assert_eq!(table(50, 51, false), over);
    assert_eq!(table(49, 0, true), []);
    assert_eq!(table(50, 0, true), over);
}

#[test]
fn interface_endpoints_per_vpc_at_and_past_the_default() {
    let endpoints = |n: usize| {
        let (mut stack, vpc) = consumer();
        let a = subnet(&mut stack, &vpc, "A", "10.0.0.0/24", 0);
        let b = subnet(&mut stack, &vpc, "B", "10.0.1.0/24", 1);
        let sg = group(&mut stack, &vpc, "Sg", ipv4_rules(1), None);
        for i in 0..n {
            stack.add(
                &format!("E{i}"),
                InterfaceEndpoint::builder()
                    .vpc(&vpc)
                    .service(services::Sts)
                    .subnets([&a, &b])
                    .security_groups([&sg])
                    .private_dns(false)
                    .build(),
            );
        }
        codes(stack)
    };
    assert_eq!(endpoints(50), []);
    assert_eq!(endpoints(51), [(Code::VF1201, at("Consumer/VpcA"))]);
}

#[test]
fn subnets_per_vpc_follow_the_declared_quota() {
    let subnets = |n: u32, quotas: Option<Quotas>| {
        let (mut stack, vpc) = consumer();
        for i in 0..n {
            subnet(
                &mut stack,
                &vpc,
                &format!("S{i}"),
                &format!("10.0.{}.{}/28", i / 16, (i % 16) * 16),
                0,
            );
        }
        codes_with(stack, quotas)
    };
    assert_eq!(subnets(201, None), [(Code::VF0108, at("Consumer/VpcA"))]);
    assert_eq!(
        subnets(201, Some(Quotas::default().subnets_per_vpc(201))),
        []
    );
    assert_eq!(
        subnets(11, Some(Quotas::default().subnets_per_vpc(10))),
        [(Code::VF0108, at("Consumer/VpcA"))]
    );
}

#[test]
fn peering_connections_per_vpc_at_and_past_the_default() {
    let peerings = |n: usize| {
        let (mut stack, vpc) = consumer();
        for i in 0..n {
            stack.add(
                &format!("P{i}"),
                VpcPeering::builder()
                    .vpc(&vpc)
                    .peer(ExternalVpc::new(
                        format!("vpc-{i:017x}").as_str(),
                        format!("10.{}.0.0/16", i + 1).as_str(),
                    ))
                    .build(),
            );
        }
        codes(stack)
    };
    assert_eq!(peerings(50), []);
    assert_eq!(peerings(51), [(Code::VF1201, at("Consumer/VpcA"))]);
}

#[test]
fn gateway_endpoints_per_region_at_and_past_the_default() {
    // Two stacks that pin no account or region count together; one pinned elsewhere apart.
    vpcform_net::topology! { stack Other { vpc VpcO } }
    let endpoints = |here: usize, other_region: Option<&str>| {
        let (mut stack, vpc) = consumer();
        for i in 0..here {
            let table = stack.add(&format!("T{i}"), RouteTable::builder().vpc(&vpc).build());
            stack.add(
                &format!("S3{i}"),
                GatewayEndpoint::builder()
                    .vpc(&vpc)
                    .service(services::S3)
                    .route_tables([&table])
                    .build(),
            );
        }
        let mut other = Stack::<Other>::new("Other");
        if let Some(region) = other_region {
            other = other.region(region);
        }
        let vpc = other.add(
            "VpcO",
            Vpc::<VpcO>::builder().cidr(cidr!("10.1.0.0/16")).build(),
        );
        let table = other.add("T", RouteTable::builder().vpc(&vpc).build());
        other.add(
            "S3",
            GatewayEndpoint::builder()
                .vpc(&vpc)
                .service(services::S3)
                .route_tables([&table])
                .build(),
        );
        let mut app = App::new("test");
        app.add_stack(stack);
        app.add_stack(other);
        error_codes(&app)
    };
    assert_eq!(endpoints(19, None), []);
    assert_eq!(endpoints(20, None), [(Code::VF1201, at("Other/S3"))]);
    assert_eq!(endpoints(20, Some("eu-west-1")), []);
}

// ── Transit gateways and zones: at a declared quota and one past it ────────────────────

/// A transit gateway (with or without its default route table) and one VPC attachment, with
/// `quotas` declared for the app.
fn attached(default_route_table: bool, quotas: Quotas) -> Vec<(Code, Option<String>)> {
    let (mut stack, vpc) = consumer();
    let a = subnet(&mut stack, &vpc, "A", "10.0.0.0/24", 0);
    let tgw = stack.add(
        "Tgw",
        TransitGateway::builder()
            .default_route_table(default_route_table)
            .build(),
    );
    stack.add(
        "Attachment",
        TransitGatewayAttachment::builder()
            .vpc(&vpc)
            .transit_gateway(&tgw)
            .subnets([&a])
            .build(),
    );
    codes_with(stack, Some(quotas))
}

#[test]
fn attachments_per_transit_gateway_at_and_past_the_quota() {
    let attachments = |quota: u32| {
        attached(
            true,
            Quotas::default().attachments_per_transit_gateway(quota),
        )
    };
    assert_eq!(attachments(1), []);
    assert_eq!(attachments(0), [(Code::VF1201, at("Consumer/Tgw"))]);
}

#[test]
fn routes_per_transit_gateway_across_its_route_tables_at_and_past_the_quota() {
    // AWS counts the routes of all a transit gateway's route tables together: two tables of
    // `n` static routes each are `2n` routes of the gateway's.
    let routes = |n: usize| {
        let (mut stack, _) = consumer();
        let tgw = stack.add(
            "Tgw",
            TransitGateway::builder().default_route_table(false).build(),
        );
        for t in 0..2 {
            let table = stack.add(
                &format!("Table{t}"),
                TransitGatewayRouteTable::builder()
                    .transit_gateway(&tgw)
                    .build(),
            );
            for i in 0..n {
                stack.add(
                    &format!("R{t}x{i}"),
                    TransitGatewayRoute::builder()
                        .route_table(&table)
                        .destination(format!("10.{}.0.0/16", i + 1).as_str())
                        .target(Blackhole)
                        .build(),
                );
            }
        }
        codes_with(stack, Some(Quotas::default().routes_per_transit_gateway(4)))
    };
    assert_eq!(routes(2), []);
    assert_eq!(routes(3), [(Code::VF1201, at("Consumer/Tgw"))]);
}

#[test]
fn an_attachment_propagating_into_the_default_route_table_is_a_route_of_the_gateway() {
    let no_routes = || Quotas::default().routes_per_transit_gateway(0);
    assert_eq!(attached(false, no_routes()), []);
    assert_eq!(
        attached(true, no_routes()),
        [(Code::VF1201, at("Consumer/Tgw"))]
    );
}

#[test]
fn vpcs_per_private_hosted_zone_at_and_past_the_quota() {
    let zone = |quota: u32| {
        let (mut stack, vpc) = consumer();
        let a = subnet(&mut stack, &vpc, "A", "10.0.0.0/24", 0);
        let b = subnet(&mut stack, &vpc, "B", "10.0.1.0/24", 1);
        let sg = group(&mut stack, &vpc, "Sg", ipv4_rules(1), None);
        let sqs = stack.add(
            "Sqs",
            InterfaceEndpoint::builder()
                .vpc(&vpc)
                .service(services::Sqs)
                .subnets([&a, &b])
                .security_groups([&sg])
                .private_dns(false)
                .build(),
        );
        stack.add(
            "SqsZone",
            PrivateHostedZone::builder()
                .endpoint(&sqs)
                .vpcs([ZoneVpc::of(&vpc)])
                .build(),
        );
        codes_with(
            stack,
            Some(Quotas::default().vpcs_per_private_hosted_zone(quota)),
        )
    };
    assert_eq!(zone(1), []);
    assert_eq!(zone(0), [(Code::VF1201, at("Consumer/SqsZone"))]);
}

// ── The table ──────────────────────────────────────────────────────────────────────────

#[test]
fn the_table_has_the_briefs_rows_and_the_guide_lists_it() {
    let default = |q: Quota| QUOTAS.iter().find(|r| r.quota == q).map(|r| r.default);
    assert_eq!(default(Quota::RulesPerSecurityGroup), Some(60));
    assert_eq!(default(Quota::SecurityGroupsPerNetworkInterface), Some(5));
    assert_eq!(default(Quota::RoutesPerRouteTable), Some(50));
    assert_eq!(default(Quota::InterfaceEndpointsPerVpc), Some(50));
    assert_eq!(default(Quota::GatewayEndpointsPerRegion), Some(20));
    assert_eq!(default(Quota::PeeringConnectionsPerVpc), Some(50));
    assert_eq!(default(Quota::Ipv4BlocksPerVpc), Some(5));
    assert_eq!(default(Quota::SubnetsPerVpc), Some(200));
    assert_eq!(default(Quota::AttachmentsPerTransitGateway), Some(5000));
    assert_eq!(default(Quota::RoutesPerTransitGateway), Some(10000));
    assert_eq!(default(Quota::VpcsPerPrivateHostedZone), Some(300));
    assert_eq!(default(Quota::ListenersPerNetworkLoadBalancer), Some(50));
    assert_eq!(default(Quota::RulesPerNetworkAcl), Some(20));
    assert_eq!(default(Quota::NetworkAclsPerVpc), Some(200));
    assert_eq!(
        default(Quota::PeeringAttachmentsPerTransitGateway),
        Some(50)
    );
    assert_eq!(default(Quota::VpcsPerProfile), Some(1000));
    let guide = include_str!("../../../docs/guide/quotas.md");
    for row in QUOTAS {
        assert!(guide.contains(row.name), "the guide lacks {}", row.name);
        if let Some(code) = row.code {
            assert!(guide.contains(code), "the guide lacks {code}");
        }
        assert!(guide.contains(row.setter), "the guide lacks {}", row.setter);
        if row.checked == Checked::AtSynth {
            assert!(!row.split.is_empty(), "{} has no fix", row.name);
        }
    }
}

/// A network ACL with `inbound` IPv4 rules and `inbound_v6` IPv6 rules in.
fn acl(inbound: usize, inbound_v6: usize, quotas: Option<Quotas>) -> Vec<(Code, Option<String>)> {
    use vpcform_net::security::{AclEntry, NetworkAcl};
    let (mut stack, vpc) = consumer();
    let a = subnet(&mut stack, &vpc, "A", "10.0.0.0/24", 0);
    let number = |i: usize| u16::try_from(100 + i).unwrap_or(u16::MAX);
    let rules = (0..inbound)
        .map(|i| AclEntry::allow(number(i), Port::tcp(443), cidr!("10.0.0.0/8")))
        .chain(
            (0..inbound_v6)
                .map(|i| AclEntry::allow_ipv6(number(inbound + i), Port::tcp(443), "::/0")),
        );
    stack.add(
        "Acl",
        NetworkAcl::builder()
            .vpc(&vpc)
            .subnets([&a])
            .inbound(rules)
            .build(),
    );
    codes_with(stack, quotas)
}

#[test]
fn rules_per_network_acl_count_the_default_deny_rule_and_each_family_apart() {
    // 19 rules and the `*` rule are the 20 of the default quota, IPv4 and IPv6 each.
    assert_eq!(acl(19, 19, None), []);
    assert_eq!(acl(20, 0, None), [(Code::VF1201, at("Consumer/Acl"))]);
    assert_eq!(acl(0, 20, None), [(Code::VF1201, at("Consumer/Acl"))]);
    assert_eq!(
        acl(39, 0, Some(Quotas::default().rules_per_network_acl(40))),
        []
    );
}

#[test]
fn network_acls_per_vpc_count_the_default_one() {
    use vpcform_net::security::NetworkAcl;
    let acls = |n: usize| {
        let (mut stack, vpc) = consumer();
        for i in 0..n {
            stack.add(&format!("Acl{i}"), NetworkAcl::builder().vpc(&vpc).build());
        }
        codes(stack)
    };
    assert_eq!(acls(199), []);
    assert_eq!(acls(200), [(Code::VF1201, at("Consumer/VpcA"))]);
}
