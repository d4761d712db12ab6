//! One representative finding per declared code, built from the variant with values a real
//! program would give (the reasons and fixes are the texts the checks write): the tests render
//! each, so a message that reads wrong shows in review, and a code without a sample fails.

use crate::error::PricesError;
use crate::policy::PolicyProblem;
use crate::{CidrError, Code, Finding, SynthError, SynthWarning};

fn error(e: SynthError) -> Option<Finding> {
    Some(Finding::from(&e))
}

fn warning(w: SynthWarning) -> Option<Finding> {
    Some(Finding::from(&w))
}

fn s(text: &str) -> String {
    text.to_string()
}

/// The sample finding of `code`; `None` for a code declared without one (the tests fail).
pub(super) fn sample(code: Code) -> Option<Finding> {
    let text = code.as_str();
    match text.get(..4) {
        Some("VF01") if ("VF0160".."VF0170").contains(&text) => lookups(text),
        Some("VF01") => addresses(text),
        Some("VF02") => endpoints(text),
        Some("VF03") => privatelink(text),
        Some("VF04") => groups_and_load_balancers(text),
        Some("VF05") => routes_and_gateways(text),
        Some("VF06") => transit(text),
        Some("VF07") => zones_and_lattice(text),
        Some("VF08") => tags_logs_and_existing(text),
        Some("VF09") if text < "VF0913" => stacks_and_ids(text),
        Some("VF09") => environments_and_stack_sets(text),
        Some("VF12") => quotas(text),
        _ => traffic_and_cost(text),
    }
}

/// VF01xx: addresses.
fn addresses(code: &str) -> Option<Finding> {
    use {SynthError as E, SynthWarning as W};
    match code {
        "VF0101" => error(E::InvalidCidr {
            construct: s("Net/Vpc"),
            property: "CidrBlock",
            value: s("10.0.0.0/33"),
            reason: CidrError::Prefix,
        }),
        "VF0102" => error(E::CidrPrefixOutOfRange {
            construct: s("Net/Vpc"),
            cidr: s("10.0.0.0/8"),
            prefix: 8,
        }),
        "VF0103" => error(E::SubnetOutsideVpc {
            construct: s("Net/A"),
            subnet: s("10.1.0.0/24"),
            vpc: s("Net/Vpc"),
            vpc_cidr: s("10.0.0.0/16"),
        }),
        "VF0104" => error(E::OverlappingSubnets {
            construct: s("Net/B"),
            cidr: s("10.0.0.128/25"),
            other: s("Net/A"),
            other_cidr: s("10.0.0.0/24"),
        }),
        "VF0105" => error(E::InvalidIpv6Cidr {
            construct: s("Net/Sg"),
            property: "CidrIpv6",
            value: s("2001:DB8::/32"),
            reason: s("AWS writes IPv6 blocks in lowercase, compressed: 2001:db8::/32"),
        }),
        "VF0106" => error(E::Ipv6WithoutVpcBlock {
            construct: s("Net/A"),
            vpc: s("Net/Vpc"),
        }),
        "VF0107" => error(E::SubnetWithoutIpv6 {
            construct: s("Net/Sts"),
            what: s("IpAddressType dualstack"),
            subnet: s("Net/B"),
        }),
        "VF0108" => error(E::TooManySubnets {
            vpc: s("Net/Vpc"),
            count: 201,
            quota: 200,
        }),
        "VF0109" => error(E::SubnetsExceedVpc {
            vpc: s("Net/Vpc"),
            cidr: s("10.0.0.0/24"),
            available: 256,
            needed: 512,
            count: 4,
        }),
        "VF0110" => error(E::InvalidAz {
            construct: s("Net/A"),
            az: s("us-east-1z"),
            reason: s("is not a zone of us-east-1 (us-east-1a to us-east-1f)"),
        }),
        "VF0111" => error(E::InvalidAvailabilityZone {
            construct: s("Net/A"),
            az: s("us-west-2e"),
            reason: s(
                "does not exist: us-west-2 has zones us-west-2a, us-west-2b, us-west-2c, \
                 us-west-2d, and AWS refuses the subnet (\"Value (us-west-2e) for parameter \
                 availabilityZone is invalid\")",
            ),
            fix: s("use one of us-west-2a, us-west-2b, us-west-2c, us-west-2d"),
        }),
        "VF0112" => error(E::DuplicateSubnetsInSameZone {
            construct: s("Net/Attachment"),
            kind: s("a transit gateway attachment"),
            az: s("us-east-1a"),
            first: s("Net/A"),
            second: s("Net/A2"),
            also: vec![
                s("Net/Nlb (a Network Load Balancer)"),
                s("Net/Sts (an interface endpoint)"),
            ],
        }),
        "VF0140" => error(E::AzAcrossAccounts {
            construct: s("Consumer/Svc"),
            account: s("444455556666"),
            service: s("Provider/Service"),
            service_account: s("111122223333"),
            subnets: s("Consumer/A (AZ #0 of the region), Provider/NlbA (us-east-1a)"),
        }),
        "VF0141" => warning(W::MixedAzForms {
            construct: s("Net/Sts"),
            forms: s("AZ ID, index"),
        }),
        "VF0150" => error(E::UnknownGatewayService {
            construct: s("Net/S3Gateway"),
            name: s("s3x"),
            known: s("dynamodb, s3, s3express"),
            suggestion: Some("s3"),
            retrieved: "2026-10-01",
        }),
        "VF0151" => error(E::NoGatewayEndpoint {
            construct: s("Net/SqsGateway"),
            name: s("sqs"),
            known: s("dynamodb, s3, s3express"),
            suggestion: None,
        }),
        _ => None,
    }
}

/// VF016x: lookups.
fn lookups(code: &str) -> Option<Finding> {
    use SynthError as E;
    match code {
        "VF0160" => error(E::ContextUnreadable {
            file: s("vpcform.context.json"),
            error: s("not a vpcform context file: expected value at line 3 column 5"),
        }),
        "VF0161" => error(E::LookupWithoutEnvironment {
            stack: s("Endpoints"),
            lookup: s("lookup Endpoints/Shared (tag:Name=shared)"),
            missing: "account",
        }),
        "VF0162" => error(E::LookupNotFound {
            construct: s("Endpoints/Shared"),
            query: s("vpc:account=111122223333:region=eu-west-1:tag:Name=shared"),
            message: s("no VPC matches tag:Name=shared"),
        }),
        "VF0163" => error(E::ZoneNotOffered {
            construct: s("Endpoints/Ssm"),
            subnet: s("Endpoints/SharedSubnet0a1b2c3d"),
            zone: s("eu-west-1c"),
            service: s("com.amazonaws.eu-west-1.ssm"),
            offered: s("eu-west-1a, eu-west-1b"),
        }),
        "VF0164" => error(E::StatedFactDisagrees {
            construct: s("Endpoints/Landing"),
            fact: "the block",
            stated: s("10.20.0.0/16"),
            looked_up: s("10.30.0.0/16"),
            query: s("vpc:account=111122223333:region=eu-west-1:vpc-id=vpc-0a1b2c3d"),
        }),
        "VF0166" => error(E::AzNotInMap {
            construct: s("Consumer/C3"),
            az: s("AZ #3 of the region"),
            zones: s("eu-west-1a (euw1-az3), eu-west-1b (euw1-az1), eu-west-1c (euw1-az2)"),
            query: s("availability-zones:account=111122223333:region=eu-west-1"),
        }),
        "VF0165" => error(E::LookupNameUnknown {
            construct: s("Endpoints/OrdersService"),
            name: s("{\"Fn::ImportValue\":\"Provider-ServiceName\"}"),
        }),
        "VF0167" => error(E::ImportIdConflict {
            construct: s("Network/Legacy"),
            id: s("vpc-0123456789abcdef0"),
            conflict: s("Network/Main is imported as it too"),
        }),
        _ => None,
    }
}

/// VF02xx: endpoints.
fn endpoints(code: &str) -> Option<Finding> {
    use {SynthError as E, SynthWarning as W};
    match code {
        "VF0201" => error(E::S3PrivateDnsWithoutGateway {
            construct: s("Net/S3"),
            vpc: s("Net/Vpc"),
        }),
        "VF0202" => error(E::Ipv6OnlyEndpoint {
            construct: s("Net/Sts"),
        }),
        "VF0203" => error(E::ServiceWithoutIpv6 {
            construct: s("Net/Sqs"),
            service: s("sqs"),
            reason: s("vpcform's catalogue, retrieved 2026-10-01"),
        }),
        "VF0204" => error(E::DnsRecordIpTypeMismatch {
            construct: s("Net/Sts"),
            record: "ipv6",
            needs: "ipv6 or dualstack",
            ip: "ipv4",
        }),
        "VF0205" => error(E::EndpointPolicy {
            construct: s("Net/S3"),
            problem: PolicyProblem::NotAnArn {
                place: s("statement 1"),
                value: s("my-bucket/*"),
                bare: s("my-bucket"),
            },
        }),
        "VF0206" => error(E::EndpointPolicyUnsupported {
            construct: s("Net/Ssm"),
            service: s("ssm"),
        }),
        "VF0207" => error(E::UnknownAwsService {
            construct: s("Net/Sqs"),
            name: s("sqss"),
            suggestion: Some("sqs"),
            retrieved: "2026-10-01",
        }),
        "VF0208" => warning(W::SingleAz {
            construct: s("Net/Sts"),
        }),
        "VF0209" => error(E::DnsOptionNotForService {
            construct: s("Net/Sts"),
            option: "PrivateDnsOnlyForInboundResolverEndpoint",
            service: s("sts"),
        }),
        "VF0210" => error(E::PrivateDnsConflict {
            construct: s("Net/Sts2"),
            service: s("sts"),
            other: s("Net/Sts"),
        }),
        "VF0211" => error(E::PrivateDnsWithoutVpcDns {
            construct: s("Net/Sts"),
            vpc: s("Net/Vpc"),
            attribute: "enableDnsHostnames",
        }),
        "VF0212" => error(E::PrivateDnsUnsupported {
            construct: s("Net/Ecs"),
            service: s("ecs-agent"),
        }),
        "VF0213" => error(E::DuplicateGatewayRoute {
            construct: s("Net/S3b"),
            service: "s3",
            route_table: s("Net/Routes"),
            other: s("Net/S3"),
        }),
        "VF0214" => warning(W::Ipv6SupportUnknown {
            construct: s("Net/Bedrock"),
            service: s("bedrock-runtime"),
        }),
        _ => None,
    }
}

/// VF03xx: PrivateLink.
fn privatelink(code: &str) -> Option<Finding> {
    use {SynthError as E, SynthWarning as W};
    match code {
        "VF0301" => error(E::InvalidServiceName {
            construct: s("Consumer/Orders"),
            name: s("com.amazonaws.vpce.us-east-1.vpce-svc-123"),
        }),
        "VF0302" => error(E::EndpointServiceIpv6WithoutDualstack {
            construct: s("Provider/Service"),
            load_balancer: s("Provider/Nlb"),
        }),
        "VF0303" => error(E::InvalidPrincipal {
            construct: s("Provider/Service"),
            principal: s("123456789012"),
        }),
        "VF0304" => error(E::EndpointAzNotServed {
            construct: s("Consumer/Orders"),
            subnet: s("Consumer/C"),
            az: s("us-east-1c"),
            service: s("Provider/Service"),
            served: s("us-east-1a, us-east-1b"),
        }),
        "VF0305" => error(E::RegionNotSupported {
            construct: s("Consumer/Orders"),
            region: s("eu-west-1"),
            service: s("Provider/Service"),
            service_region: s("us-east-1"),
            supported: s("us-east-1, us-west-2"),
        }),
        "VF0306" => error(E::ServiceRegionMissing {
            construct: s("Consumer/Orders"),
            service: s("Provider/Service"),
            service_region: s("us-east-1"),
            region: s("eu-west-1"),
        }),
        "VF0307" => error(E::InvalidServiceRegion {
            construct: s("Consumer/Orders"),
            region: s("Ireland"),
        }),
        "VF0308" => error(E::ServiceRegionInOtherPartition {
            construct: s("Consumer/Orders"),
            region: s("us-east-1"),
            partition: "aws",
            service_region: s("cn-north-1"),
            service_partition: "aws-cn",
        }),
        "VF0309" => error(E::ServiceNotCrossRegion {
            construct: s("Net/Ec2"),
            service: s("ec2"),
            service_region: s("eu-west-1"),
        }),
        "VF0310" => warning(W::AcceptanceOffWithoutPrincipals {
            construct: s("Provider/Service"),
        }),
        "VF0311" => warning(W::PublicEndpointService {
            construct: s("Provider/Service"),
        }),
        // Issue 24.
        "VF0320" => error(E::LoadBalancerInTwoEndpointServices {
            construct: s("Provider/Service2"),
            load_balancer: s("Provider/Nlb"),
            other: s("Provider/Service"),
        }),
        _ => None,
    }
}

/// VF04xx: security groups and load balancers.
fn groups_and_load_balancers(code: &str) -> Option<Finding> {
    use {SynthError as E, SynthWarning as W};
    match code {
        "VF0401" => error(E::OpenIngress {
            construct: s("Net/Sts"),
            group: s("Net/EndpointSg"),
            peer: s("0.0.0.0/0"),
            port: s("TCP 443"),
        }),
        "VF0402" => error(E::PortRangeReversed {
            construct: s("Net/EndpointSg"),
            property: "ingress",
            from: 8443,
            to: 443,
        }),
        "VF0403" => error(E::PortOutOfRange {
            construct: s("Net/Listener"),
            property: "Port",
            port: 0,
        }),
        "VF0404" => error(E::DuplicateListener {
            construct: s("Net/Tls2"),
            load_balancer: s("Net/Nlb"),
            port: 443,
            other: s("Net/Tls"),
        }),
        "VF0405" => error(E::HealthCheckTimeoutNotBelowInterval {
            construct: s("Net/Targets"),
            timeout: 30,
            interval: 30,
        }),
        "VF0406" => error(E::InvalidTarget {
            construct: s("Net/Targets"),
            target: s("8.8.8.8"),
            expected: "a private IPv4 address (in the VPC, 10.0.0.0/8, 172.16.0.0/12, \
                       192.168.0.0/16 or 100.64.0.0/10); AWS refuses publicly routable ones",
        }),
        "VF0410" => warning(W::DefaultSecurityGroup {
            construct: s("Net/Sts"),
        }),
        "VF0411" => warning(W::LoadBalancerWithoutSecurityGroups {
            construct: s("Net/Nlb"),
        }),
        // Issue 24.
        "VF0420" => error(E::TargetGroupOfTwoLoadBalancers {
            construct: s("Net/Listener2"),
            target_group: s("Net/Targets"),
            load_balancer: s("Net/Nlb2"),
            other: s("Net/Listener"),
            other_load_balancer: s("Net/Nlb"),
        }),
        "VF0421" => error(E::DuplicatePermission {
            construct: s("Net/Web"),
            property: "SecurityGroupIngress",
            permission: s("tcp 443 from 10.0.0.0/16"),
        }),
        "VF0430" => error(E::AclRuleNumberOutOfRange {
            construct: s("Net/PrivateAcl"),
            direction: "inbound",
            number: 40000,
        }),
        "VF0431" => error(E::AclRuleNumberTaken {
            construct: s("Net/PrivateAcl"),
            direction: "outbound",
            number: 100,
        }),
        "VF0432" => error(E::NetworkAclAlreadyAssociated {
            construct: s("Net/DataAcl"),
            subnet: s("Net/PrivateA"),
            other: s("Net/PrivateAcl"),
        }),
        "VF0433" => error(E::ExistingAclOfCreatedSubnet {
            construct: s("Endpoints/LandingAcl"),
            subnet: s("Endpoints/EndpointsA"),
        }),
        _ => None,
    }
}

/// VF05xx: routes and gateways.
fn routes_and_gateways(code: &str) -> Option<Finding> {
    use {SynthError as E, SynthWarning as W};
    match code {
        "VF0501" => error(E::DuplicateRoute {
            construct: s("Net/Default2"),
            route_table: s("Net/Routes"),
            destination: s("0.0.0.0/0"),
            other: s("Net/Default"),
        }),
        "VF0502" => error(E::RouteInsideVpc {
            construct: s("Net/ToNat"),
            destination: s("10.0.1.0/24"),
            vpc: s("Net/Vpc"),
            vpc_cidr: s("10.0.0.0/16"),
        }),
        "VF0503" => error(E::SecondInternetGateway {
            construct: s("Net/Igw2"),
            vpc: s("Net/Vpc"),
            other: s("Net/Igw"),
        }),
        "VF0504" => error(E::NoInternetGateway {
            construct: s("Net/Nat"),
            what: "a public NAT gateway",
            vpc: s("Net/Vpc"),
        }),
        "VF0505" => error(E::SubnetAlreadyAssociated {
            construct: s("Net/Routes2"),
            subnet: s("Net/A"),
            other: s("Net/Routes"),
        }),
        "VF0510" => warning(W::RouteReachesNoVpc {
            construct: s("Net/ToOnPrem"),
            destination: s("192.168.0.0/16"),
            target: s("Net/Attachment"),
            connected: s("10.0.0.0/16, 10.1.0.0/16"),
        }),
        _ => None,
    }
}

/// VF06xx: transit gateways and peering.
fn transit(code: &str) -> Option<Finding> {
    use {SynthError as E, SynthWarning as W};
    match code {
        "VF0633" => error(E::TransitGatewayInOtherRegion {
            construct: s("SpokeWest/Attachment"),
            transit_gateway: s("Network/Tgw"),
            tgw_region: s("us-east-1"),
            region: s("eu-west-1"),
        }),
        "VF0634" => error(E::TransitGatewayNotShared {
            construct: s("SpokeB/Attachment"),
            transit_gateway: s("Network/Tgw"),
            tgw_account: s("111122223333"),
            account: s("444455556666"),
        }),
        "VF0601" => error(E::DuplicateTransitGatewayAttachment {
            construct: s("Net/Attachment2"),
            vpc: s("Net/Vpc"),
            transit_gateway: s("Hub/Tgw"),
            other: s("Net/Attachment"),
        }),
        "VF0602" => error(E::ConnectedVpcsOverlap {
            construct: s("Net/Peering"),
            vpc: s("Net/Spoke"),
            cidr: s("10.0.0.0/16"),
            other: s("Net/Hub"),
            other_cidr: s("10.0.0.0/8"),
            fix: s("give Net/Spoke or Net/Hub a block that does not overlap the other's"),
        }),
        "VF0610" => warning(W::TransitGatewayAzNotAttached {
            construct: s("Net/ToHub"),
            subnet: s("Net/C"),
            az: s("us-east-1c"),
            attachment: s("Net/Attachment"),
        }),
        "VF0611" => warning(W::AttachmentRoutesNothing {
            construct: s("Net/Attachment"),
        }),
        "VF0620" => error(E::InvalidSharePrincipal {
            construct: s("Hub/Share"),
            principal: s("o-a1b2c3d4e5"),
        }),
        "VF0621" => error(E::SharePrincipalInOtherPartition {
            construct: s("Hub/Share"),
            principal: s("arn:aws-cn:organizations::111122223333:organization/o-a1b2c3d4e5"),
            partition: "aws",
        }),
        "VF0622" => warning(W::ResourceShareSharesNothing {
            construct: s("Hub/Share"),
            missing: "principals",
        }),
        "VF0648" => warning(W::AttachmentWaitsForAcceptance {
            construct: s("Spoke/Attachment"),
            transit_gateway: s("Network/Tgw"),
            owner: s("111111111111"),
        }),
        // Issue 24.
        "VF0630" => error(E::DuplicatePeering {
            construct: s("Net/Peering2"),
            vpc: s("Net/Spoke"),
            peer: s("Net/Hub"),
            other: s("Net/Peering"),
        }),
        // Issue 25.
        "VF0640" => error(E::TransitGatewayPeeredWithItself {
            construct: s("East/ToWest"),
            transit_gateway: s("East/Tgw"),
        }),
        "VF0641" => error(E::DuplicateTransitGatewayPeering {
            construct: s("East/ToWest2"),
            transit_gateway: s("East/Tgw"),
            peer: s("West/Tgw"),
            other: s("East/ToWest"),
        }),
        "VF0642" => error(E::PeeringNotYetAccepted {
            construct: s("East/WestRoute"),
            peering: s("East/ToWest"),
            what: s("route 10.16.0.0/12"),
        }),
        "VF0643" => error(E::PeeringAccepterIdNeeded {
            construct: s("WestRoutes/ToEast"),
            peering: s("East/ToWest"),
            transit_gateway: s("West/Tgw"),
        }),
        "VF0623" => error(E::InvalidSharedResourceArn {
            construct: s("Network/Share"),
            arn: s("arn:aws:route53resolver:eu-west-1:111122223333:resolver-rule/rslvr-rr-1"),
            reason: s(
                "of Region eu-west-1; a resource share holds resources of its own Region, us-east-1",
            ),
        }),
        "VF0647" => error(E::AcceptedPeeringWithoutStep {
            construct: s("WestRoutes"),
            peering: s("East/ToPartner"),
        }),
        "VF0644" => error(E::SharedTransitGatewayRouteTable {
            construct: s("Payments/Attachment"),
            property: "TransitGatewayRouteTableAssociation",
            transit_gateway: s("Network/Tgw"),
            tgw_account: s("111111111111"),
            account: s("222222222222"),
        }),
        _ => None,
    }
}

/// VF07xx: hosted zones and Lattice.
fn zones_and_lattice(code: &str) -> Option<Finding> {
    use {SynthError as E, SynthWarning as W};
    match code {
        "VF0701" => error(E::ZoneForNonAwsService {
            construct: s("Hub/OrdersZone"),
            endpoint: s("Hub/Orders"),
        }),
        "VF0702" => error(E::CrossAccountZoneAssociation {
            construct: s("Hub/StsZone"),
            vpc: s("Spoke/Vpc"),
            account: s("222233334444"),
        }),
        "VF0703" => error(E::ZoneConflictsWithPrivateDns {
            construct: s("Hub/StsZone"),
            vpc: s("Spoke/Vpc"),
            service: s("sts"),
            endpoint: s("Spoke/Sts"),
        }),
        "VF0704" => error(E::DuplicateServiceZone {
            construct: s("Hub/StsZoneSpoke"),
            vpc: s("Spoke/Vpc"),
            service: s("sts"),
            other: s("Hub/StsZone2"),
        }),
        "VF0730" => error(E::SecondProfileForVpc {
            construct: s("Spoke/Dns2"),
            vpc: s("Spoke/Vpc"),
            other: s("Spoke/Dns"),
        }),
        "VF0731" => error(E::ProfileInOtherRegion {
            construct: s("Spoke/Dns"),
            profile: s("Hub/Profile"),
            profile_region: s("us-east-1"),
            region: s("eu-west-1"),
        }),
        "VF0732" => error(E::ProfileNotShared {
            construct: s("Spoke/Dns"),
            profile: s("Hub/Profile"),
            profile_account: s("111122223333"),
            account: s("444455556666"),
        }),
        "VF0733" => error(E::InvalidProfileResourceArn {
            construct: s("Hub/ProfileRule"),
            arn: s("arn:aws:ec2:us-east-1:111122223333:subnet/subnet-0123456789abcdef0"),
            reason: s("not a hosted zone, interface endpoint or Resolver rule ARN"),
        }),
        "VF0734" => error(E::ProfileResourceInOtherRegion {
            construct: s("Hub/ProfileRule"),
            resource: s("arn:aws:route53resolver:eu-west-1:111122223333:resolver-rule/rslvr-rr-1"),
            resource_region: s("eu-west-1"),
            region: s("us-east-1"),
        }),
        "VF0735" => error(E::DuplicateProfileResource {
            construct: s("Hub/ProfileZone2"),
            profile: s("Hub/Profile"),
            resource: s("Hub/SqsZone"),
            other: s("Hub/ProfileZone"),
        }),
        "VF0710" => warning(W::LatticeZoneMismatch {
            construct: s("Net/SnEndpoint"),
            zones: s("us-east-1a"),
            resource: s("Db/Database"),
            gateway: s("Db/Gateway"),
            gateway_zones: s("us-east-1b, us-east-1c"),
        }),
        _ => None,
    }
}

/// VF08xx: tags, logs and existing resources.
fn tags_logs_and_existing(code: &str) -> Option<Finding> {
    use {SynthError as E, SynthWarning as W};
    match code {
        "VF0801" => error(E::TooManyTags {
            at: s("stack Net"),
            count: 52,
            fix: s(
                "each resource carries its Name, vpcform:app and the stack's 50: drop 2 of the \
                    stack's",
            ),
        }),
        "VF0802" => error(E::InvalidTag {
            at: s("Net/Vpc"),
            key: s("aws:owner"),
            reason: s("keys starting with aws: are reserved"),
        }),
        "VF0803" => error(E::InvalidText {
            construct: s("Net/Gateway"),
            property: "Name",
            value: s("db gateway"),
            reason: s("AWS accepts 3 to 40 lowercase letters, digits and hyphens"),
        }),
        "VF0804" => error(E::OutOfBounds {
            construct: s("Net/Targets"),
            property: "HealthCheckIntervalSeconds",
            value: 400,
            min: 5,
            max: 300,
        }),
        "VF0805" => error(E::Empty {
            construct: s("Net/Sts"),
            property: "SubnetIds",
            fix: "give the endpoint a subnet",
        }),
        "VF0810" => warning(W::AccessLogsWithoutTls {
            construct: s("Net/Nlb"),
        }),
        "VF0811" => warning(W::VpcDnsUnknown {
            construct: s("Net/Sts"),
            vpc: s("Net/Existing"),
        }),
        // Issue 24.
        "VF0820" => error(E::DuplicateFlowLog {
            construct: s("Net/Logs2"),
            resource: s("Net/Vpc"),
            traffic_type: "ALL",
            destination: s("arn:aws:s3:::central-flow-logs"),
            other: s("Net/Logs"),
        }),
        _ => None,
    }
}

/// VF0901–VF0912: IDs, names and templates.
fn stacks_and_ids(code: &str) -> Option<Finding> {
    use SynthError as E;
    match code {
        "VF0901" => error(E::InvalidId {
            stack: s("Net"),
            id: s("Private-AVpc"),
            reason: s("logical IDs are alphanumeric (A-Za-z0-9)"),
            also: vec![s("Private-ASubnet"), s("Private-ARoutes")],
        }),
        "VF0902" => error(E::GeneratedIdTooLong {
            construct: s("Net/Nat (a NAT gateway)"),
            id: "N".repeat(258) + "Eip",
            length: 261,
            over: 6,
        }),
        "VF0903" => error(E::ValueOfAnotherStack {
            stack: s("Spoke"),
            location: s("Attachment.TransitGatewayId"),
            value: s("{\"Ref\":\"Tgw\"}"),
            names: s("Tgw"),
            other_stack: Some(s("Hub")),
        }),
        "VF0904" => error(E::DuplicateId {
            stack: s("Net"),
            id: s("NatEip"),
            construct: s("Net/NatEip (an Elastic IP)"),
            other: s("Net/Nat (a NAT gateway)"),
        }),
        "VF0905" => error(E::DuplicateOutput {
            stack: s("Net"),
            name: s("VpcId"),
        }),
        "VF0906" => error(E::InvalidOutputName {
            stack: s("Net"),
            name: s("vpc-id"),
            reason: s("logical IDs are alphanumeric (A-Za-z0-9)"),
        }),
        "VF0907" => error(E::InvalidOverride {
            construct: s("Net/Vpc"),
            path: s("Properties..CidrBlock"),
            reason: s("a path segment is empty"),
        }),
        "VF0908" => error(E::HandleNotInApp {
            construct: s("Net/Sts"),
            property: "SubnetIds",
            target: s("Other/A"),
        }),
        "VF0909" => error(E::HandleKindMismatch {
            construct: s("Net/Sts"),
            property: "SubnetIds",
            target: s("Net/A"),
            expected: s("subnet"),
            found: s("a route table"),
        }),
        "VF0910" => error(E::ForeignHandle {
            construct: s("Spoke/Sts"),
            property: "SubnetIds",
            target: s("Hub/A"),
            target_stack: s("Hub"),
            fix: s("give SubnetIds a subnet of Spoke/Vpc, Spoke/Sts's own VPC"),
        }),
        "VF0911" => error(E::WrongVpc {
            construct: s("Net/Sts"),
            property: "SecurityGroupIds",
            target: s("Net/OtherSg"),
            target_vpc: s("Net/Other"),
            vpc: s("Net/Vpc"),
        }),
        "VF0912" => error(E::InvalidImport {
            stack: s("Net"),
            export: s("Net-VpcId"),
            from: s("Net"),
            why: s("itself"),
        }),
        _ => None,
    }
}

/// VF0913–VF09xx: environments, stack sets and templates.
fn environments_and_stack_sets(code: &str) -> Option<Finding> {
    use {SynthError as E, SynthWarning as W};
    match code {
        "VF0950" => error(E::PlacementUnknown {
            construct: s("Spoke/Attachment"),
            other: s("Network/Tgw"),
            what: "region",
            unpinned: s("Spoke"),
            pinned: s("us-east-1"),
        }),
        "VF0913" => error(E::UnknownExport {
            stack: s("Spoke"),
            export: s("Hub-TgwId"),
            from: s("Hub"),
        }),
        "VF0914" => error(E::StackCycle {
            cycle: vec![s("Hub"), s("Spoke"), s("Hub")],
        }),
        "VF0915" => error(E::InvalidAppName { name: s("..") }),
        "VF0916" => error(E::InvalidStackName { name: s("1-net") }),
        "VF0917" => error(E::DuplicateStackName { name: s("Net") }),
        "VF0918" => error(E::InvalidStackSet {
            stack: s("Baseline"),
            what: s("targets"),
            value: s("none"),
            fix: s("give StackSetTargets::accounts or ::organizational_units"),
        }),
        "VF0919" => error(E::InvalidEnvironment {
            stack: s("Net"),
            what: "account",
            value: s("1234"),
            fix: s("an AWS account ID is 12 digits, e.g. 111122223333"),
        }),
        "VF0920" => error(E::InvalidRegion {
            stack: s("Net"),
            region: s("US East"),
        }),
        "VF0921" => error(E::TooManyResources {
            stack: s("Net"),
            count: 512,
        }),
        "VF0922" => error(E::TooManyOutputs {
            stack: s("Net"),
            count: 204,
        }),
        "VF0923" => error(E::TemplateTooLarge {
            stack: s("Net"),
            bytes: 1_100_000,
        }),
        "VF0924" => error(E::Template {
            stack: s("Net"),
            source: vpcform_cfn::TemplateError::UnresolvedReference {
                from: s("Raw.Properties.VpcId"),
                target: s("Vpc2"),
            },
        }),
        "VF0930" => warning(W::RegionNotInTable {
            stack: s("Net"),
            region: s("eu-south-3"),
        }),
        "VF0931" => warning(W::TemplateNeedsS3Upload {
            stack: s("Net"),
            bytes: 61_440,
        }),
        // Issue 24.
        "VF0940" => error(E::ArnInOtherPartition {
            construct: s("Provider/Service"),
            property: "allowed principal",
            arn: s("arn:aws-cn:iam::111122223333:root"),
            arn_partition: s("aws-cn"),
            partition: "aws",
        }),
        _ => None,
    }
}

/// VF1xxx: traffic and cost.
fn traffic_and_cost(code: &str) -> Option<Finding> {
    use SynthError as E;
    match code {
        "VF1001" => error(E::FlowNotInApp {
            flow: s("Net/Pods -> Other/Orders (443)"),
            missing: s("Other/Orders"),
        }),
        "VF1002" => error(E::InvalidVolume {
            flow: s("Net/Pods -> s3 (443)"),
            value: -5.0,
        }),
        "VF1003" => error(E::TrafficNotPrivate {
            flow: s("Net/Pods -> sts (443)"),
            path: s("UNREACHABLE"),
            reason: s("Net/EndpointSg does not admit Net/Vpc (10.30.0.0/16) on TCP 443"),
            fix: s("admit 10.30.0.0/16 on TCP 443 in Net/EndpointSg"),
            also: vec![s("Net/Pods -> ssm (443)"), s("Net/Pods -> logs (443)")],
        }),
        "VF1101" => error(E::Prices(PricesError::Invalid {
            path: s("prices.json"),
            field: "nat_gateway_hour",
            value: -0.045,
        })),
        _ => None,
    }
}

/// VF12xx: AWS quotas (issue 24).
fn quotas(code: &str) -> Option<Finding> {
    use SynthError as E;
    match code {
        "VF1201" => error(E::QuotaExceeded {
            construct: s("Hub/EndpointsSg"),
            counted: s("inbound IPv4 rules"),
            count: 71,
            quota: "Inbound or outbound rules per security group",
            code: "vpc/L-0EA8095F",
            limit: 60,
            split: "split the rules across two security groups",
            setter: "rules_per_security_group",
        }),
        "VF1202" => error(E::QuotaProductTooLarge {
            stack: s("Hub"),
            rules: 250,
            groups: 5,
            product: 1250,
        }),
        _ => None,
    }
}
