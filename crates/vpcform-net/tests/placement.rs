//! Account and region across stacks: a VPC attaches to a transit gateway of its own region, and
//! of another account only when the gateway is shared with it; an account or region left
//! unpinned never silently equals a pinned one (issue 24).

use vpcform_net::findings::{Code, SynthError};
use vpcform_net::prelude::*;
use vpcform_net::sharing::{ResourceShare, SharedResource};
include!("common/errors.rs");

vpcform_net::topology! {
    stack Network {}
    stack Spoke { vpc A }
}

/// Where each stack is pinned, and whether the network shares its gateway.
#[derive(Clone, Copy, Default)]
struct Pins {
    network: (Option<&'static str>, Option<&'static str>),
    spoke: (Option<&'static str>, Option<&'static str>),
    share_with: Option<&'static str>,
}

/// Network: a transit gateway, exported. Spoke: a VPC attached to it through the import.
fn errors(pins: Pins) -> Vec<SynthError> {
    // `SynthError` is not `Clone`: the test takes the errors out of the result.
    let mut network = Stack::<Network>::new("Network");
    if let Some(region) = pins.network.0 {
        network = network.region(region);
    }
    if let Some(account) = pins.network.1 {
        network = network.account(account);
    }
    let tgw = network.add("Tgw", TransitGateway::builder().build());
    if let Some(principal) = pins.share_with {
        network.add(
            "TgwShare",
            ResourceShare::builder()
                .name("network-tgw")
                .resources([SharedResource::from(&tgw)])
                .principals([principal])
                .build(),
        );
    }
    let tgw_id = network.export("TgwId", &tgw);

    let mut spoke = Stack::<Spoke>::new("Spoke");
    if let Some(region) = pins.spoke.0 {
        spoke = spoke.region(region);
    }
    if let Some(account) = pins.spoke.1 {
        spoke = spoke.account(account);
    }
    let a = spoke.add("A", Vpc::<A>::builder().cidr(cidr!("10.1.0.0/16")).build());
    let work = spoke.add(
        "Work",
        Subnet::builder()
            .vpc(&a)
            .cidr(cidr!("10.1.1.0/24"))
            .availability_zone(Az::index(0))
            .build(),
    );
    let imported = spoke.import(&tgw_id);
    spoke.add(
        "Attachment",
        TransitGatewayAttachment::builder()
            .vpc(&a)
            .transit_gateway(imported)
            .subnets([&work])
            .build(),
    );
    let mut app = App::new("placement");
    app.add_stack(network);
    app.add_stack(spoke);
    match app.synth() {
        Ok(_) => Vec::new(),
        Err(errors) => errors.0,
    }
}

const EAST: Option<&str> = Some("us-east-1");
const WEST: Option<&str> = Some("eu-west-1");
const HUB: Option<&str> = Some("111122223333");
const TEAM: Option<&str> = Some("444455556666");

#[test]
fn a_spoke_of_the_same_region_and_account_attaches() {
    let same = Pins {
        network: (EAST, HUB),
        spoke: (EAST, HUB),
        ..Pins::default()
    };
    assert!(errors(same).is_empty());
    // Neither pinned: both are where the same credentials deploy them.
    assert!(errors(Pins::default()).is_empty());
}

#[test]
fn a_spoke_of_another_region_is_refused_with_peering_as_the_fix() {
    let errors = errors(Pins {
        network: (EAST, HUB),
        spoke: (WEST, HUB),
        ..Pins::default()
    });
    assert_eq!(codes(&errors), [(Code::VF0633, Some("Spoke/Attachment"))]);
    assert!(matches!(
        &errors[0],
        SynthError::TransitGatewayInOtherRegion { tgw_region, region, .. }
            if tgw_region == "us-east-1" && region == "eu-west-1"
    ));
    assert!(errors[0].help().is_some_and(|h| h.contains("peer")));
}

#[test]
fn a_spoke_of_another_account_needs_the_gateway_shared_with_it() {
    let unshared = Pins {
        network: (EAST, HUB),
        spoke: (EAST, TEAM),
        ..Pins::default()
    };
    let found = errors(unshared);
    assert_eq!(codes(&found), [(Code::VF0634, Some("Spoke/Attachment"))]);
    assert!(matches!(
        &found[0],
        SynthError::TransitGatewayNotShared { tgw_account, account, .. }
            if tgw_account == "111122223333" && account == "444455556666"
    ));
    // Shared with that account, or with an organization: accepted.
    for principal in [
        "444455556666",
        "arn:aws:organizations::111122223333:organization/o-abcdefghij",
    ] {
        let shared = Pins {
            share_with: Some(principal),
            ..unshared
        };
        assert!(errors(shared).is_empty(), "{principal}");
    }
    // Shared with another account only: still refused.
    let elsewhere = Pins {
        share_with: Some("777788889999"),
        ..unshared
    };
    assert_eq!(
        codes(&errors(elsewhere)),
        [(Code::VF0634, Some("Spoke/Attachment"))]
    );
}

#[test]
fn an_unpinned_region_or_account_never_equals_a_pinned_one() {
    let region = errors(Pins {
        network: (EAST, None),
        spoke: (None, None),
        ..Pins::default()
    });
    assert_eq!(codes(&region), [(Code::VF0950, Some("Spoke/Attachment"))]);
    assert!(matches!(
        &region[0],
        SynthError::PlacementUnknown { what: "region", unpinned, pinned, .. }
            if unpinned == "Spoke" && pinned == "us-east-1"
    ));
    let account = errors(Pins {
        network: (None, None),
        spoke: (None, TEAM),
        ..Pins::default()
    });
    assert_eq!(codes(&account), [(Code::VF0950, Some("Spoke/Attachment"))]);
    assert!(matches!(
        &account[0],
        SynthError::PlacementUnknown { what: "account", unpinned, .. } if unpinned == "Network"
    ));
}

mod zones {
    //! A hub's private zone associated with a spoke VPC of another stack (its imported ID).

    use vpcform_net::findings::{Code, SynthError};
    use vpcform_net::prelude::*;

    vpcform_net::topology! {
        stack Hub { vpc Shared }
        stack Spoke { vpc A }
    }

    type Pin = (Option<&'static str>, Option<&'static str>);

    /// The hub: a VPC, an SQS endpoint and its zone, associated with the hub's VPC and the
    /// spoke's (imported). Returns the errors, or the zone's `VPCs` as written.
    fn synth(hub_pin: Pin, spoke_pin: Pin) -> Result<serde_json::Value, Vec<SynthError>> {
        let mut spoke = Stack::<Spoke>::new("Spoke");
        if let Some(region) = spoke_pin.0 {
            spoke = spoke.region(region);
        }
        if let Some(account) = spoke_pin.1 {
            spoke = spoke.account(account);
        }
        let a = spoke.add("A", Vpc::<A>::builder().cidr(cidr!("10.1.0.0/16")).build());
        let spoke_id = spoke.export("VpcId", &a);

        let mut hub = Stack::<Hub>::new("Hub");
        if let Some(region) = hub_pin.0 {
            hub = hub.region(region);
        }
        if let Some(account) = hub_pin.1 {
            hub = hub.account(account);
        }
        let shared = hub.add(
            "Shared",
            Vpc::<Shared>::builder()
                .cidr(cidr!("10.0.0.0/16"))
                .enable_dns_support(true)
                .enable_dns_hostnames(true)
                .build(),
        );
        let subnet = hub.add(
            "Endpoints",
            Subnet::builder()
                .vpc(&shared)
                .cidr(cidr!("10.0.1.0/24"))
                .availability_zone(Az::index(0))
                .build(),
        );
        let group = hub.add("EndpointSg", SecurityGroup::builder().vpc(&shared).build());
        let sqs = hub.add(
            "Sqs",
            InterfaceEndpoint::builder()
                .vpc(&shared)
                .service(services::Sqs)
                .subnets([&subnet])
                .security_groups([&group])
                .private_dns(false)
                .build(),
        );
        let spoke_vpc = hub.import(&spoke_id);
        hub.add(
            "SqsZone",
            PrivateHostedZone::builder()
                .endpoint(&sqs)
                .vpcs([ZoneVpc::of(&shared), ZoneVpc::of(spoke_vpc)])
                .build(),
        );
        let mut app = App::new("zones");
        app.add_stack(spoke);
        app.add_stack(hub);
        let assembly = app.synth().map_err(|e| e.0)?;
        let template = assembly
            .stack("Hub")
            .map(|s| s.template().to_json_pretty().unwrap_or_default())
            .unwrap_or_default();
        let json: serde_json::Value = serde_json::from_str(&template).unwrap_or_default();
        Ok(json["Resources"]["SqsZone"]["Properties"]["VPCs"].clone())
    }

    #[test]
    fn a_spoke_of_another_region_gets_its_own_vpc_region() {
        let vpcs = synth(
            (Some("us-east-1"), Some("111122223333")),
            (Some("eu-west-1"), Some("111122223333")),
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            vpcs[0]["VPCRegion"],
            serde_json::json!({"Ref": "AWS::Region"})
        );
        assert_eq!(vpcs[1]["VPCRegion"], "eu-west-1");
    }

    #[test]
    fn a_spoke_of_another_account_is_refused_with_a_profile_as_the_fix() {
        let Err(errors) = synth(
            (Some("us-east-1"), Some("111122223333")),
            (Some("us-east-1"), Some("444455556666")),
        ) else {
            panic!("a zone associated with another account's VPC synthesized");
        };
        let found: Vec<_> = errors.iter().map(|e| (e.code(), e.construct())).collect();
        assert_eq!(found, [(Code::VF0702, Some("Hub/SqsZone"))]);
        assert!(
            errors[0]
                .help()
                .is_some_and(|h| h.contains("Route 53 Profile"))
        );
    }

    #[test]
    fn a_spoke_of_unknown_region_or_account_is_not_assumed_the_hubs() {
        let Err(errors) = synth((Some("us-east-1"), Some("111122223333")), (None, None)) else {
            panic!("an unpinned spoke was assumed to match the pinned hub");
        };
        let found: Vec<_> = errors.iter().map(|e| (e.code(), e.construct())).collect();
        assert_eq!(
            found,
            [
                (Code::VF0950, Some("Hub/SqsZone")),
                (Code::VF0950, Some("Hub/SqsZone"))
            ]
        );
    }
}

mod zones_across_accounts {
    //! PrivateLink across accounts: each account maps zone names and indexes to its own
    //! physical zones, so only AZ IDs compare.

    use vpcform_net::findings::{Code, SynthError, SynthWarning};
    use vpcform_net::prelude::*;
    use vpcform_net::security::SecurityGroupRef;

    vpcform_net::topology! {
        stack Provider { vpc B }
        stack Consumer { vpc C }
    }

    /// A provider (account 111122223333) with an NLB in `provider_azs` behind an endpoint
    /// service; a consumer in `consumer_account` whose endpoint has subnets in `consumer_azs`.
    fn synth(
        provider_azs: [Az; 2],
        consumer_azs: [Az; 2],
        consumer_account: &str,
    ) -> Result<Vec<SynthWarning>, Vec<SynthError>> {
        synth_in(provider_azs, consumer_azs, consumer_account, "us-east-1")
    }

    /// As `synth`, with the consumer in `consumer_region`: across Regions, the service lists
    /// it and the endpoint names the service's (cross-Region PrivateLink).
    fn synth_in(
        provider_azs: [Az; 2],
        consumer_azs: [Az; 2],
        consumer_account: &str,
        consumer_region: &str,
    ) -> Result<Vec<SynthWarning>, Vec<SynthError>> {
        let other_regions: Vec<&str> = [consumer_region]
            .into_iter()
            .filter(|r| *r != "us-east-1")
            .collect();
        let mut provider = Stack::<Provider>::new("Provider")
            .region("us-east-1")
            .account("111122223333");
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
                .supported_regions(other_regions.clone())
                .build(),
        );
        let export = provider.export("ServiceName", service.service_name());

        let mut consumer = Stack::<Consumer>::new("Consumer")
            .region(consumer_region)
            .account(consumer_account);
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
        let endpoint = InterfaceEndpoint::builder()
            .vpc(&c)
            .service(imported)
            .subnets([&s1, &s2]);
        consumer.add(
            "Endpoint",
            if other_regions.is_empty() {
                endpoint.build()
            } else {
                endpoint.service_region("us-east-1").build()
            },
        );
        let mut app = App::new("accounts");
        app.add_stack(provider);
        app.add_stack(consumer);
        match app.synth() {
            Ok(assembly) => Ok(assembly.warnings().to_vec()),
            Err(errors) => Err(errors.0),
        }
    }

    fn ids() -> [Az; 2] {
        [Az::id("use1-az1"), Az::id("use1-az2")]
    }

    fn indexes() -> [Az; 2] {
        [Az::index(0), Az::index(1)]
    }

    #[test]
    fn indexes_across_accounts_are_refused_and_ids_compare() {
        let Err(errors) = synth(indexes(), indexes(), "444455556666") else {
            panic!("zones compared across accounts by index synthesized");
        };
        let found: Vec<_> = errors.iter().map(|e| (e.code(), e.construct())).collect();
        assert_eq!(found, [(Code::VF0140, Some("Consumer/Endpoint"))]);
        assert!(matches!(
            &errors[0],
            SynthError::AzAcrossAccounts { subnets, .. }
                if subnets.contains("Consumer/C1") && subnets.contains("Provider/B2")
        ));
        // By ID on both sides: compared, and covered.
        assert!(synth(ids(), ids(), "444455556666").is_ok());
        // By ID, a zone the service does not serve is still found.
        let Err(errors) = synth(
            ids(),
            [Az::id("use1-az1"), Az::id("use1-az4")],
            "444455556666",
        ) else {
            panic!("an unserved zone synthesized");
        };
        let found: Vec<_> = errors.iter().map(|e| e.code()).collect();
        assert_eq!(found, [Code::VF0304]);
        // One account: indexes mean the same zones.
        assert!(synth(indexes(), indexes(), "111122223333").is_ok());
    }

    /// Across Regions the endpoint's zones are its own Region's: none is the load balancer's,
    /// and none is compared with them.
    #[test]
    fn zones_in_another_region_are_not_compared() {
        let west = [Az::id("usw2-az1"), Az::id("usw2-az2")];
        assert!(
            synth_in(ids(), west.clone(), "444455556666", "us-west-2").is_ok(),
            "{:#?}",
            synth_in(ids(), west, "444455556666", "us-west-2")
        );
        // In the service's Region, the same zones are refused: not the load balancer's.
        let Err(errors) = synth(
            ids(),
            [Az::id("usw2-az1"), Az::id("usw2-az2")],
            "444455556666",
        ) else {
            panic!("zones the service does not serve synthesized");
        };
        let found: Vec<_> = errors.iter().map(|e| e.code()).collect();
        assert_eq!(found, [Code::VF0304, Code::VF0304]);
    }

    #[test]
    fn mixing_ids_and_indexes_in_one_construct_is_a_warning() {
        let mixed = [Az::id("use1-az1"), Az::index(1)];
        let warnings = synth(indexes(), mixed, "111122223333").unwrap_or_else(|e| panic!("{e:?}"));
        let found: Vec<_> = warnings.iter().map(|w| (w.code(), w.construct())).collect();
        assert!(
            found.contains(&(Code::VF0141, Some("Consumer/Endpoint"))),
            "{found:?}"
        );
    }
}

mod peering_across_stacks {
    //! A peering connection's accepter is a VPC of its own stack or an `ExternalVpc` (whose
    //! `PeerRegion`, `PeerOwnerId` and `PeerRoleArn` the program states): two of the app's
    //! VPCs in stacks of different regions or accounts cannot be peered by handle, so no
    //! `PeerRegion` or `PeerOwnerId` is ever guessed from another stack. The typed API refuses
    //! it at compile time (`PeerVpcIn`); the run-time escape hatch, at synth.

    use vpcform_net::findings::Code;
    use vpcform_net::handles::{DynamicStack, DynamicVpc};
    use vpcform_net::prelude::*;
    use vpcform_net::transit::VpcPeering;

    type Pin = (Option<&'static str>, Option<&'static str>);

    fn codes(requester: Pin, accepter: Pin) -> Vec<(Code, Option<String>)> {
        let pinned = |mut stack: Stack<DynamicStack>, (region, account): Pin| {
            if let Some(region) = region {
                stack = stack.region(region);
            }
            if let Some(account) = account {
                stack = stack.account(account);
            }
            stack
        };
        let mut hub = pinned(Stack::<DynamicStack>::new("Hub"), accepter);
        let shared = hub.add(
            "Shared",
            Vpc::<DynamicVpc>::builder()
                .cidr(cidr!("10.0.0.0/16"))
                .build(),
        );
        let mut spoke = pinned(Stack::<DynamicStack>::new("Spoke"), requester);
        let a = spoke.add(
            "A",
            Vpc::<DynamicVpc>::builder()
                .cidr(cidr!("10.1.0.0/16"))
                .build(),
        );
        spoke.add("ToHub", VpcPeering::builder().vpc(&a).peer(&shared).build());
        let mut app = App::new("peering");
        app.add_stack(hub);
        app.add_stack(spoke);
        match app.synth() {
            Ok(_) => Vec::new(),
            Err(errors) => errors
                .0
                .iter()
                .map(|e| (e.code(), e.construct().map(str::to_string)))
                .collect(),
        }
    }

    #[test]
    fn a_vpc_of_another_stack_is_refused_as_the_peer_whatever_the_placement() {
        let east = (Some("us-east-1"), Some("111122223333"));
        for (requester, accepter) in [
            (east, east),
            ((Some("eu-west-1"), Some("111122223333")), east),
            ((Some("us-east-1"), Some("444455556666")), east),
            ((None, None), east),
        ] {
            assert_eq!(
                codes(requester, accepter),
                [(Code::VF0910, Some("Spoke/ToHub".to_string()))],
                "{requester:?} peering {accepter:?}"
            );
        }
    }
}

mod lattice_zones_across_accounts {
    //! VPC Lattice across accounts: an endpoint's zones are compared with the resource
    //! gateway's, so, as for PrivateLink, only AZ IDs compare (`VF0140`).

    use vpcform_net::findings::{Code, SynthError, SynthWarning};
    use vpcform_net::lattice::{
        LatticeResource, ResourceConfiguration, ResourceEndpoint, ResourceGateway, ServiceNetwork,
        ServiceNetworkEndpoint, ServiceNetworkResourceAssociation,
    };
    use vpcform_net::prelude::*;

    vpcform_net::topology! {
        stack Data { vpc DataVpc }
        stack Consumer { vpc AppVpc }
    }

    /// Which endpoint the consumer uses.
    #[derive(Clone, Copy, Debug)]
    enum Through {
        ResourceEndpoint,
        ServiceNetwork,
    }

    /// A resource gateway (account 111122223333) in `gateway_az`, its configuration in a
    /// service network; a consumer in `account` reaching it from a subnet in `consumer_az`.
    fn synth(
        gateway_az: Az,
        consumer_az: Az,
        account: &str,
        through: Through,
    ) -> Result<Vec<SynthWarning>, Vec<SynthError>> {
        synth_flow(gateway_az, consumer_az, account, through, false)
    }

    /// The same, with a flow from the consumer's subnet to the database required private.
    fn synth_flow(
        gateway_az: Az,
        consumer_az: Az,
        account: &str,
        through: Through,
        require_private: bool,
    ) -> Result<Vec<SynthWarning>, Vec<SynthError>> {
        let mut data = Stack::<Data>::new("Data")
            .region("us-east-1")
            .account("111122223333");
        let vpc = data.add(
            "DataVpc",
            Vpc::<DataVpc>::builder().cidr(cidr!("10.5.0.0/16")).build(),
        );
        let a = data.add(
            "DataA",
            Subnet::builder()
                .vpc(&vpc)
                .cidr(cidr!("10.5.1.0/24"))
                .availability_zone(gateway_az)
                .build(),
        );
        let gateway = data.add(
            "Gateway",
            ResourceGateway::builder()
                .name("data-gateway")
                .vpc(&vpc)
                .subnets([&a])
                .build(),
        );
        let db = data.add(
            "Database",
            ResourceConfiguration::builder()
                .name("orders-db")
                .gateway(&gateway)
                .resource(LatticeResource::ip("10.5.1.20"))
                .ports([(5432, 5432)])
                .build(),
        );
        let network = data.add(
            "Databases",
            ServiceNetwork::builder().name("databases").build(),
        );
        data.add(
            "DatabaseInNetwork",
            ServiceNetworkResourceAssociation::builder()
                .service_network(&network)
                .resource(&db)
                .build(),
        );
        let db_arn = data.export("DatabaseArn", &db);
        let network_arn = data.export("DatabasesArn", &network);

        let mut app = Stack::<Consumer>::new("App")
            .region("us-east-1")
            .account(account);
        let app_vpc = app.add(
            "AppVpc",
            Vpc::<AppVpc>::builder().cidr(cidr!("10.6.0.0/16")).build(),
        );
        let b = app.add(
            "AppA",
            Subnet::builder()
                .vpc(&app_vpc)
                .cidr(cidr!("10.6.1.0/24"))
                .availability_zone(consumer_az)
                .build(),
        );
        let sg = app.add(
            "EndpointSg",
            SecurityGroup::builder()
                .vpc(&app_vpc)
                .ingress([Rule::new(Port::tcp(5432), Peer::ipv4("10.6.0.0/16"))])
                .build(),
        );
        match through {
            Through::ResourceEndpoint => {
                let imported = app.import(&db_arn);
                app.add(
                    "Endpoint",
                    ResourceEndpoint::builder()
                        .vpc(&app_vpc)
                        .resource(imported)
                        .subnets([&b])
                        .security_groups([&sg])
                        .build(),
                );
            }
            Through::ServiceNetwork => {
                let imported = app.import(&network_arn);
                app.add(
                    "Endpoint",
                    ServiceNetworkEndpoint::builder()
                        .vpc(&app_vpc)
                        .service_network(imported)
                        .subnets([&b])
                        .security_groups([&sg])
                        .build(),
                );
            }
        }
        // A flow to the database, which must be private: the walk compares the same zones.
        let pods = app.add("Pods", Workload::builder().subnets([&b]).build());
        let mut lattice = App::new("lattice");
        lattice.add_stack(data);
        lattice.add_stack(app);
        if require_private {
            lattice.flow(Flow::new(&pods, &db, Port::tcp(5432)));
            lattice.require_private_traffic();
        }
        match lattice.synth() {
            Ok(assembly) => Ok(assembly.warnings().to_vec()),
            Err(errors) => Err(errors.0),
        }
    }

    const OTHER: &str = "444455556666";

    #[test]
    fn indexes_across_accounts_are_refused_for_either_endpoint() {
        for through in [Through::ResourceEndpoint, Through::ServiceNetwork] {
            let Err(errors) = synth(Az::index(0), Az::index(0), OTHER, through) else {
                panic!("{through:?}: zones compared across accounts by index synthesized");
            };
            let found: Vec<_> = errors.iter().map(|e| (e.code(), e.construct())).collect();
            assert_eq!(found, [(Code::VF0140, Some("App/Endpoint"))], "{through:?}");
            assert!(matches!(
                &errors[0],
                SynthError::AzAcrossAccounts { subnets, service, .. }
                    if subnets.contains("App/AppA") && subnets.contains("Data/DataA")
                        && service == "Data/Gateway"
            ));
            // A name on one side only is still not an ID.
            assert!(
                synth(Az::id("use1-az1"), Az::name("us-east-1a"), OTHER, through).is_err(),
                "{through:?}"
            );
        }
    }

    #[test]
    fn the_walk_does_not_compare_indexes_across_accounts_either() {
        // Index 0 and index 1 are different zones in one account, but may be the same one
        // across two: one finding (VF0140), not also an unreachable flow.
        for through in [Through::ResourceEndpoint, Through::ServiceNetwork] {
            let Err(errors) = synth_flow(Az::index(0), Az::index(1), OTHER, through, true) else {
                panic!("{through:?}: zones compared across accounts by index synthesized");
            };
            let found: Vec<_> = errors.iter().map(|e| e.code()).collect();
            assert_eq!(found, [Code::VF0140], "{through:?}: {errors:?}");
        }
    }

    #[test]
    fn ids_across_accounts_compare() {
        // The same AZ ID: shared.
        assert!(
            synth(
                Az::id("use1-az1"),
                Az::id("use1-az1"),
                OTHER,
                Through::ResourceEndpoint
            )
            .is_ok_and(|w| w.is_empty())
        );
        // Different IDs: no zone in common, found as in one account.
        let Err(errors) = synth(
            Az::id("use1-az1"),
            Az::id("use1-az2"),
            OTHER,
            Through::ResourceEndpoint,
        ) else {
            panic!("a resource endpoint sharing no zone with the gateway synthesized");
        };
        let found: Vec<_> = errors.iter().map(|e| e.code()).collect();
        assert_eq!(found, [Code::VF0803]);
        let warnings = synth(
            Az::id("use1-az1"),
            Az::id("use1-az2"),
            OTHER,
            Through::ServiceNetwork,
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert!(
            warnings
                .iter()
                .any(|w| w.construct() == Some("App/Endpoint")),
            "{warnings:?}"
        );
    }

    #[test]
    fn indexes_in_one_account_compare() {
        for through in [Through::ResourceEndpoint, Through::ServiceNetwork] {
            assert!(
                synth(Az::index(0), Az::index(0), "111122223333", through)
                    .is_ok_and(|w| w.is_empty()),
                "{through:?}"
            );
        }
    }
}
