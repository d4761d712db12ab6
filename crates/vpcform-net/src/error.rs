//! Synthesis errors and warnings: each Display names the construct (`Stack/Id`) and the offending
//! value; each variant's fix is its arm in `help`, declared after its enum (see finding.rs).

use std::fmt;

use crate::CidrError;

/// One problem found while synthesizing an app.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SynthError {
    /// A CIDR block that does not parse.
    #[error("{construct}: {property} {value:?} is not a valid IPv4 CIDR block: {reason}")]
    InvalidCidr {
        /// The construct path, `Stack/Id`.
        construct: String,
        /// The property that holds it.
        property: &'static str,
        /// The text given.
        value: String,
        /// What is wrong with it.
        reason: CidrError,
    },
    /// A VPC or subnet block AWS does not allow in size.
    #[error(
        "{construct}: CIDR block {cidr} has a /{prefix} prefix; AWS allows VPC and subnet blocks \
         from /16 to /28"
    )]
    CidrPrefixOutOfRange {
        /// The construct path.
        construct: String,
        /// The block.
        cidr: String,
        /// Its prefix length.
        prefix: u8,
    },
    /// A subnet whose block is not inside its VPC's.
    #[error("{construct}: subnet CIDR {subnet} is outside its VPC {vpc}'s CIDR {vpc_cidr}")]
    SubnetOutsideVpc {
        /// The subnet's construct path.
        construct: String,
        /// The subnet's block.
        subnet: String,
        /// The VPC's construct path.
        vpc: String,
        /// The VPC's block.
        vpc_cidr: String,
    },
    /// Two subnets of one VPC whose blocks overlap.
    #[error("{construct}: subnet CIDR {cidr} overlaps {other}'s {other_cidr} in the same VPC")]
    OverlappingSubnets {
        /// The later subnet's construct path.
        construct: String,
        /// Its block.
        cidr: String,
        /// The earlier subnet's construct path.
        other: String,
        /// The earlier subnet's block.
        other_cidr: String,
    },
    /// A construct ID CloudFormation cannot use as a logical ID; the stack's other IDs with
    /// the same characters (a name the program writes into each, such as a spoke's) are
    /// listed in `also`: one cause, one finding.
    #[error(
        "{stack}: construct ID {id:?} is not a valid CloudFormation logical ID: {reason}{}",
        ids_also_text(id, also)
    )]
    InvalidId {
        /// The stack.
        stack: String,
        /// The ID given.
        id: String,
        /// What is wrong.
        reason: String,
        /// The stack's other IDs with the same characters.
        also: Vec<String>,
    },
    /// A logical ID a construct generates from its own (its ID plus a fixed suffix such as
    /// `Eip`, `Attachment` or `<Subnet>Association`) past CloudFormation's 255 characters
    /// (CloudFormation quotas: "Resource, parameter, output names … 255 characters",
    /// aws-facts [32]). vpcform never shortens it: a changed logical ID replaces a deployed
    /// resource.
    #[error(
        "{construct}: the logical ID it generates, {id:?}, has {length} characters, more than \
         CloudFormation's 255"
    )]
    GeneratedIdTooLong {
        /// The construct path and kind, `Stack/Id (a NAT gateway)`.
        construct: String,
        /// The generated logical ID.
        id: String,
        /// Its length.
        length: usize,
        /// How many characters past 255.
        over: usize,
    },
    /// A value a handle of one stack gave (its `Ref`, an attribute, an endpoint service's
    /// name) written into another stack's template, where it names that stack's resource of
    /// the same ID, or nothing.
    #[error(
        "{stack}/{location}: {value} is a value of {}, and a template can name only its own \
         resources",
        other_stack.as_deref().map_or_else(
            || format!("a stack of another app ({names} there)"),
            |s| format!("stack {s} ({names} there)")
        )
    )]
    ValueOfAnotherStack {
        /// The stack whose template holds it.
        stack: String,
        /// Where: `<LogicalId>.<Property>` or `output <Name>`.
        location: String,
        /// The value, as it would be written.
        value: String,
        /// The logical IDs it names.
        names: String,
        /// The stack it belongs to; `None` for a stack of another app.
        other_stack: Option<String>,
    },
    /// Two constructs of one stack with the same ID (or a generated ID colliding with a given one).
    #[error("{stack}: logical ID {id:?} is used by both {other} and {construct}")]
    DuplicateId {
        /// The stack.
        stack: String,
        /// The logical ID used twice.
        id: String,
        /// The construct that rendered it second, with its kind.
        construct: String,
        /// The construct that rendered it first, with its kind.
        other: String,
    },
    /// Two outputs of one stack with the same name.
    #[error("{stack}: two outputs are named {name:?}")]
    DuplicateOutput {
        /// The stack.
        stack: String,
        /// The name.
        name: String,
    },
    /// An output name CloudFormation rejects.
    #[error("{stack}: output name {name:?} is invalid: {reason}")]
    InvalidOutputName {
        /// The stack.
        stack: String,
        /// The name.
        name: String,
        /// Why.
        reason: String,
    },
    /// A property override that cannot be applied.
    #[error("{construct}: property override {path:?} cannot be applied: {reason}")]
    InvalidOverride {
        /// The construct overridden.
        construct: String,
        /// The dotted path.
        path: String,
        /// Why.
        reason: String,
    },
    /// A handle whose stack is not part of this app.
    #[error(
        "{construct}: {property} refers to {target}, whose stack is not part of this app (a \
         handle of another `App`, or of a stack never added)"
    )]
    HandleNotInApp {
        /// The construct holding the handle.
        construct: String,
        /// The property.
        property: &'static str,
        /// The handle's construct path.
        target: String,
    },
    /// A handle that names a construct of another kind than its own.
    #[error(
        "{construct}: {property} refers to {target} as a {expected}, but that ID names {found} \
         in this app"
    )]
    HandleKindMismatch {
        /// The construct holding the handle.
        construct: String,
        /// The property.
        property: &'static str,
        /// The handle's construct path.
        target: String,
        /// The handle's kind.
        expected: String,
        /// What the app has there.
        found: String,
    },
    /// Two routes to one destination in one route table.
    #[error(
        "{construct}: route table {route_table} already has a route to {destination} ({other}); a route table takes one route per destination (AWS: RouteAlreadyExists)"
    )]
    DuplicateRoute {
        /// The later route.
        construct: String,
        /// The route table.
        route_table: String,
        /// The destination, canonical.
        destination: String,
        /// The earlier route.
        other: String,
    },
    /// A gateway route whose destination is inside the VPC's block.
    #[error(
        "{construct}: destination {destination} is inside VPC {vpc}'s block {vpc_cidr}, which \
         its local route carries"
    )]
    RouteInsideVpc {
        /// The route.
        construct: String,
        /// Its destination.
        destination: String,
        /// The VPC.
        vpc: String,
        /// The VPC's block.
        vpc_cidr: String,
    },
    /// A second internet gateway for one VPC.
    #[error(
        "{construct}: VPC {vpc} already has internet gateway {other}; a VPC takes one internet gateway (AWS: \"Network vpc-… already has an internet gateway attached\")"
    )]
    SecondInternetGateway {
        /// The later gateway.
        construct: String,
        /// The VPC.
        vpc: String,
        /// The earlier gateway.
        other: String,
    },
    /// A construct that needs its VPC's internet gateway, in a VPC without one.
    #[error(
        "{construct}: {what} needs an internet gateway attached to its VPC {vpc}, which has none"
    )]
    NoInternetGateway {
        /// The construct.
        construct: String,
        /// What it is.
        what: &'static str,
        /// The VPC.
        vpc: String,
    },
    /// An IPv6 block that does not parse, or is not written canonically.
    #[error("{construct}: {property} {value:?} is not a valid IPv6 CIDR block: {reason}")]
    InvalidIpv6Cidr {
        /// The construct.
        construct: String,
        /// The property.
        property: &'static str,
        /// The text given.
        value: String,
        /// What is wrong, with the form to write.
        reason: String,
    },
    /// A port range whose start is above its end.
    #[error("{construct}: {property} port range {from}-{to} is reversed")]
    PortRangeReversed {
        /// The construct.
        construct: String,
        /// The property.
        property: &'static str,
        /// The start given.
        from: u16,
        /// The end given.
        to: u16,
    },
    /// A port AWS does not accept (0).
    #[error("{construct}: {property} {port} is not a port AWS accepts")]
    PortOutOfRange {
        /// The construct.
        construct: String,
        /// The property.
        property: &'static str,
        /// The port.
        port: u16,
    },
    /// A text property outside AWS's length or character set.
    #[error("{construct}: {property} {value:?} is not accepted by AWS: {reason}")]
    InvalidText {
        /// The construct.
        construct: String,
        /// The property.
        property: &'static str,
        /// The text.
        value: String,
        /// What is wrong.
        reason: String,
    },
    /// Two listeners on one port of one load balancer.
    #[error(
        "{construct}: load balancer {load_balancer} already listens on port {port} ({other}); a load balancer takes one listener per port (AWS: DuplicateListener)"
    )]
    DuplicateListener {
        /// The later listener.
        construct: String,
        /// The load balancer.
        load_balancer: String,
        /// The port.
        port: u16,
        /// The earlier listener.
        other: String,
    },
    // Issue 24: what AWS refuses a second of (one construct per pair, `Claim`s in model.rs).
    /// A Network Load Balancer given to a second endpoint service.
    #[error(
        "{construct}: load balancer {load_balancer} already serves endpoint service {other}; a load balancer serves one endpoint service (AWS PrivateLink: a load balancer associated with an endpoint service cannot be given to another)"
    )]
    LoadBalancerInTwoEndpointServices {
        /// The later endpoint service.
        construct: String,
        /// The load balancer.
        load_balancer: String,
        /// The earlier endpoint service.
        other: String,
    },
    /// A target group forwarded to by listeners of two load balancers.
    #[error(
        "{construct}: target group {target_group} already receives from load balancer {other_load_balancer} ({other}), not {load_balancer}; a target group belongs to one load balancer (AWS: TargetGroupAssociationLimit)"
    )]
    TargetGroupOfTwoLoadBalancers {
        /// The later listener.
        construct: String,
        /// The target group.
        target_group: String,
        /// The later listener's load balancer.
        load_balancer: String,
        /// The earlier listener.
        other: String,
        /// The earlier listener's load balancer.
        other_load_balancer: String,
    },
    /// The same permission (protocol, ports and peer) twice in one security group's ingress or
    /// egress, whatever the descriptions.
    #[error(
        "{construct}: {property} has the permission {permission} twice; AWS keys a rule by protocol, ports and peer, not description (AWS: InvalidPermission.Duplicate)"
    )]
    DuplicatePermission {
        /// The security group.
        construct: String,
        /// `SecurityGroupIngress` or `SecurityGroupEgress`.
        property: &'static str,
        /// The permission: protocol, ports and peer.
        permission: String,
    },
    /// A second peering connection between the same two VPCs.
    #[error(
        "{construct}: VPCs {vpc} and {peer} are already peered by {other}; two VPCs have one peering connection (AWS: VpcPeeringConnectionAlreadyExists)"
    )]
    DuplicatePeering {
        /// The later peering connection.
        construct: String,
        /// Its requester VPC.
        vpc: String,
        /// Its accepter VPC.
        peer: String,
        /// The earlier peering connection.
        other: String,
    },
    // Issue 25: transit gateway peering.
    /// A transit gateway peering attachment whose peer is its own transit gateway.
    #[error(
        "{construct}: transit gateway {transit_gateway} is peered with itself; a peering attachment connects two transit gateways"
    )]
    TransitGatewayPeeredWithItself {
        /// The peering attachment.
        construct: String,
        /// The transit gateway named on both sides.
        transit_gateway: String,
    },
    /// A second peering attachment between the same two transit gateways.
    #[error(
        "{construct}: transit gateways {transit_gateway} and {peer} are already peered by {other}; two transit gateways have one peering attachment (AWS quota, not adjustable)"
    )]
    DuplicateTransitGatewayPeering {
        /// The later peering attachment.
        construct: String,
        /// Its requester.
        transit_gateway: String,
        /// Its accepter.
        peer: String,
        /// The earlier peering attachment.
        other: String,
    },
    /// A transit gateway route or association naming a peering attachment of its own stack:
    /// the attachment is `pendingAcceptance` when CloudFormation creates the route.
    #[error(
        "{construct}: the {what} names peering attachment {peering} of the same stack, which is pendingAcceptance until its accepter accepts it, so CloudFormation fails to create the {what}"
    )]
    PeeringNotYetAccepted {
        /// The route or association.
        construct: String,
        /// The peering attachment.
        peering: String,
        /// `route 10.1.0.0/16` or `association`.
        what: String,
    },
    /// A route or association in the accepter's route table naming the peering by the
    /// requester's attachment ID.
    #[error(
        "{construct}: the route table is transit gateway {transit_gateway}'s, the accepter of {peering}, and the peering's imported ID is the requester's attachment; AWS gives the accepter an attachment ID of its own (AccepterTransitGatewayAttachmentId), which CloudFormation does not return"
    )]
    PeeringAccepterIdNeeded {
        /// The route or association.
        construct: String,
        /// The peering attachment.
        peering: String,
        /// The accepter transit gateway.
        transit_gateway: String,
    },
    /// A resource stated by ARN in a RAM share that is not a Resolver rule of the share's
    /// partition and Region.
    #[error("{construct}: shared resource {arn} is {reason}")]
    InvalidSharedResourceArn {
        /// The resource share.
        construct: String,
        /// The ARN as given.
        arn: String,
        /// What is wrong.
        reason: String,
    },
    /// `PeeringAccepterAttachment::accepted` for a peering the app has no acceptance step for:
    /// its accepter is outside the app (its owner accepts it), or the peering is not the app's.
    #[error(
        "{construct}: PeeringAccepterAttachment::accepted names {peering}, whose accepter is not a transit gateway of the app: its owner accepts it, and no step of the app gives the accepter's attachment ID"
    )]
    AcceptedPeeringWithoutStep {
        /// The stack that takes the accepter's attachment ID.
        construct: String,
        /// The peering attachment (or its export).
        peering: String,
    },
    /// A VPC attachment of another account than its transit gateway naming the gateway's
    /// route tables: only the transit gateway's owner runs the route table APIs (Transit
    /// Gateway guide, "Transit gateway sharing considerations"), so the attachment's account
    /// cannot create the association or propagation.
    #[error(
        "{construct}: {property} names a route table of transit gateway {transit_gateway}, of account {tgw_account}, and the attachment is in account {account}; only the transit gateway's owner runs its route table APIs, so AWS refuses the {property} there"
    )]
    SharedTransitGatewayRouteTable {
        /// The attachment.
        construct: String,
        /// `TransitGatewayRouteTableAssociation` or `TransitGatewayRouteTablePropagation`.
        property: &'static str,
        /// The transit gateway.
        transit_gateway: String,
        /// The transit gateway's (and its route tables') account.
        tgw_account: String,
        /// The attachment's account.
        account: String,
    },
    /// A second flow log of one resource with the same traffic type and destination.
    #[error(
        "{construct}: {resource} already has flow log {other} of {traffic_type} traffic to {destination}; AWS takes one flow log per resource, traffic type and destination (AWS: FlowLogAlreadyExists)"
    )]
    DuplicateFlowLog {
        /// The later flow log.
        construct: String,
        /// The VPC or subnet logged.
        resource: String,
        /// `TrafficType`.
        traffic_type: &'static str,
        /// The destination.
        destination: String,
        /// The earlier flow log.
        other: String,
    },
    /// A network ACL rule number outside 1..=32766.
    #[error(
        "{construct}: {direction} rule number {number} is outside 1-32766, the numbers AWS accepts"
    )]
    AclRuleNumberOutOfRange {
        /// The network ACL.
        construct: String,
        /// `inbound` or `outbound`.
        direction: &'static str,
        /// The number given.
        number: u16,
    },
    /// Two rules of one network ACL and direction with one number.
    #[error(
        "{construct}: two {direction} rules are numbered {number}; a number orders one rule per direction (AWS: NetworkAclEntryAlreadyExists)"
    )]
    AclRuleNumberTaken {
        /// The network ACL.
        construct: String,
        /// `inbound` or `outbound`.
        direction: &'static str,
        /// The number.
        number: u16,
    },
    /// A subnet associated with two network ACLs.
    #[error(
        "{construct}: subnet {subnet} is already associated with network ACL {other}; a subnet has one network ACL at a time"
    )]
    NetworkAclAlreadyAssociated {
        /// The later network ACL.
        construct: String,
        /// The subnet.
        subnet: String,
        /// The earlier network ACL.
        other: String,
    },
    /// An existing network ACL's stated rules given for a subnet the app creates.
    #[error(
        "{construct}: subnet {subnet} is created by the app, and nothing associates it with this existing network ACL; it gets the VPC's default one"
    )]
    ExistingAclOfCreatedSubnet {
        /// The existing network ACL.
        construct: String,
        /// The created subnet.
        subnet: String,
    },
    /// A principal or ARN of another partition than the stack's (known from its region).
    #[error(
        "{construct}: {property} {arn:?} is of partition {arn_partition}, not {partition}, the stack's; partitions are separate sets of accounts"
    )]
    ArnInOtherPartition {
        /// The construct, or the stack for its environment.
        construct: String,
        /// Where the ARN is given.
        property: &'static str,
        /// The ARN.
        arn: String,
        /// Its partition.
        arn_partition: String,
        /// The stack's partition.
        partition: &'static str,
    },
    /// A number outside AWS's bounds.
    #[error("{construct}: {property} is {value}; AWS accepts {min} to {max}")]
    OutOfBounds {
        /// The construct.
        construct: String,
        /// The property.
        property: &'static str,
        /// The value.
        value: i64,
        /// The least accepted.
        min: i64,
        /// The most accepted.
        max: i64,
    },
    /// A health check whose timeout is not below its interval.
    #[error(
        "{construct}: health check timeout {timeout} s is not below the interval {interval} s (AWS: \"Health check interval must be greater than the timeout\")"
    )]
    HealthCheckTimeoutNotBelowInterval {
        /// The target group.
        construct: String,
        /// The timeout.
        timeout: u16,
        /// The interval.
        interval: u16,
    },
    /// A target AWS does not accept for the group's target type.
    #[error("{construct}: target {target:?} is not {expected}")]
    InvalidTarget {
        /// The target group.
        construct: String,
        /// The target given.
        target: String,
        /// What the group takes.
        expected: &'static str,
    },
    /// An S3 interface endpoint with private DNS for inbound resolvers only, in a VPC without
    /// an S3 gateway endpoint.
    #[error(
        "{construct}: an S3 interface endpoint with private DNS (inbound resolver only, AWS's default) needs a gateway endpoint for S3 in VPC {vpc} (AWS: InvalidParameter, \"must have a Gateway endpoint for the service\")"
    )]
    S3PrivateDnsWithoutGateway {
        /// The endpoint.
        construct: String,
        /// Its VPC.
        vpc: String,
    },
    /// An endpoint service name that has neither AWS form.
    #[error("{construct}: service name {name:?} is not a VPC endpoint service name")]
    InvalidServiceName {
        /// The endpoint.
        construct: String,
        /// The name given.
        name: String,
    },
    /// A dual-stack subnet in a VPC without an IPv6 block.
    #[error("{construct}: uses the IPv6 block of VPC {vpc}, which has none")]
    Ipv6WithoutVpcBlock {
        /// The subnet.
        construct: String,
        /// The VPC.
        vpc: String,
    },
    /// IPv6 asked of a subnet that has no IPv6 block.
    #[error("{construct}: {what} needs IPv6 in every subnet, but {subnet} has no IPv6 block")]
    SubnetWithoutIpv6 {
        /// The endpoint or load balancer.
        construct: String,
        /// What needs it: `IpAddressType dualstack`, ….
        what: String,
        /// The subnet.
        subnet: String,
    },
    /// `IpAddressType: ipv6` on an endpoint: it needs IPv6-only subnets.
    #[error(
        "{construct}: IpAddressType ipv6 needs IPv6-only subnets, and vpcform's subnets all have \
         an IPv4 block"
    )]
    Ipv6OnlyEndpoint {
        /// The endpoint.
        construct: String,
    },
    /// IPv6 asked of a service that does not accept it.
    #[error("{construct}: {service} does not accept IPv6 ({reason})")]
    ServiceWithoutIpv6 {
        /// The endpoint.
        construct: String,
        /// The service.
        service: String,
        /// Where that is known from.
        reason: String,
    },
    /// A DNS record IP type the endpoint's IP address type cannot have.
    #[error(
        "{construct}: DnsRecordIpType {record} needs IpAddressType {needs}, but the endpoint's \
         is {ip}"
    )]
    DnsRecordIpTypeMismatch {
        /// The endpoint.
        construct: String,
        /// The record type.
        record: &'static str,
        /// The IP address types it allows.
        needs: &'static str,
        /// The endpoint's.
        ip: &'static str,
    },
    /// An endpoint service offering IPv6 behind a load balancer that is not dual-stack.
    #[error(
        "{construct}: the endpoint service supports IPv6, but its load balancer {load_balancer} \
         is IPv4 only"
    )]
    EndpointServiceIpv6WithoutDualstack {
        /// The endpoint service.
        construct: String,
        /// The NLB.
        load_balancer: String,
    },
    /// An endpoint policy AWS would refuse, or one that lets nothing through.
    #[error("{construct}: endpoint policy: {problem}")]
    EndpointPolicy {
        /// The endpoint.
        construct: String,
        /// What is wrong.
        problem: crate::policy::PolicyProblem,
    },
    /// An endpoint policy on an endpoint whose service takes only the full-access policy.
    #[error(
        "{construct}: {service} accepts only the full-access endpoint policy \
         (VpcEndpointPolicySupported is false)"
    )]
    EndpointPolicyUnsupported {
        /// The endpoint.
        construct: String,
        /// The service.
        service: String,
    },
    /// An AWS service name the catalogue does not list: a typo, or a service newer than it.
    #[error(
        "{construct}: {name:?} is not an AWS service in vpcform's catalogue (retrieved \
         {retrieved}){}",
        suggestion.map(|s| format!("; did you mean {s:?}?")).unwrap_or_default()
    )]
    UnknownAwsService {
        /// The endpoint or flow that names it.
        construct: String,
        /// The name given.
        name: String,
        /// The closest name the catalogue lists.
        suggestion: Option<&'static str>,
        /// When the catalogue was retrieved.
        retrieved: &'static str,
    },
    /// A gateway service named at run time ([`GatewayByName`](crate::services::GatewayByName))
    /// that the catalogue does not list.
    #[error(
        "{construct}: {name:?} is not a gateway endpoint service in vpcform's catalogue \
         (retrieved {retrieved}); the gateway services are {known}{}",
        suggestion.map(|s| format!("; did you mean {s:?}?")).unwrap_or_default()
    )]
    UnknownGatewayService {
        /// The gateway endpoint.
        construct: String,
        /// The name given.
        name: String,
        /// The gateway services' names.
        known: String,
        /// The closest gateway service's name.
        suggestion: Option<&'static str>,
        /// When the catalogue was retrieved.
        retrieved: &'static str,
    },
    /// A service named for a gateway endpoint that has interface endpoints only (AWS offers
    /// gateway endpoints for S3, DynamoDB and S3 Express One Zone alone:
    /// <https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html>).
    #[error(
        "{construct}: {name:?} has no gateway endpoint; the gateway services are {known}{}",
        suggestion.map(|s| format!("; did you mean {s:?}?")).unwrap_or_default()
    )]
    NoGatewayEndpoint {
        /// The gateway endpoint.
        construct: String,
        /// The name given.
        name: String,
        /// The gateway services' names.
        known: String,
        /// The closest gateway service's name.
        suggestion: Option<&'static str>,
    },
    /// A DNS option the endpoint's service does not have.
    #[error("{construct}: {option} applies only to S3 interface endpoints, not to {service}")]
    DnsOptionNotForService {
        /// The endpoint.
        construct: String,
        /// The option.
        option: &'static str,
        /// The service.
        service: String,
    },
    /// A flow whose workload or destination is not part of the app.
    #[error("flow {flow}: {missing} is not part of this app")]
    FlowNotInApp {
        /// The flow, `workload -> destination`.
        flow: String,
        /// What is missing.
        missing: String,
    },
    /// A flow volume that is not a finite, non-negative number.
    #[error("flow {flow}: {value} GB a month is not a volume")]
    InvalidVolume {
        /// The flow.
        flow: String,
        /// The value.
        value: f64,
    },
    /// An import that CloudFormation cannot resolve: from the importing stack itself.
    #[error(
        "stack {stack:?} imports {export:?} from stack {from:?}, {why}: `Fn::ImportValue` resolves only exports of other stacks in the same account and region"
    )]
    InvalidImport {
        /// The importing stack.
        stack: String,
        /// The export.
        export: String,
        /// The exporting stack.
        from: String,
        /// What is wrong.
        why: String,
    },
    /// An availability zone that does not exist in the stack's region.
    #[error("{construct}: {az} {reason}")]
    InvalidAz {
        /// The subnet.
        construct: String,
        /// The zone as given.
        az: String,
        /// Why, with the zones the region has.
        reason: String,
    },
    /// An app name that cannot name the files it writes.
    #[error("app name {name:?} cannot name the diagram files it writes")]
    InvalidAppName {
        /// The name.
        name: String,
    },
    /// More tags on a stack or a resource than AWS allows.
    #[error("{at}: {count} tags; AWS allows 50 per resource and per stack")]
    TooManyTags {
        /// `stack Name`, or the construct's path.
        at: String,
        /// How many each resource would carry.
        count: usize,
        /// What to drop.
        fix: String,
    },
    /// A stack's or a construct's tag AWS rejects.
    #[error("{at}: tag {key:?} is not accepted by AWS: {reason}")]
    InvalidTag {
        /// `stack Name`, or the construct's path.
        at: String,
        /// The key.
        key: String,
        /// Why.
        reason: String,
    },
    /// A stack set's setting the StackSets API would refuse.
    #[error("stack set {stack}: StackSets refuses {what} {value:?}")]
    InvalidStackSet {
        /// The stack set's stack.
        stack: String,
        /// What is wrong: `targets`, `region`, `max concurrent`, …
        what: String,
        /// The value given.
        value: String,
        /// The rule and the fix.
        fix: String,
    },
    /// A stack's account, role or profile that cannot be what it names.
    #[error("stack {stack}: {what} {value:?} cannot be used")]
    InvalidEnvironment {
        /// The stack.
        stack: String,
        /// `account`, `role ARN` or `profile`.
        what: &'static str,
        /// The value given.
        value: String,
        /// What it should look like.
        fix: String,
    },
    /// A stack pinned to something that is not a region code.
    #[error("stack {stack}: region {region:?} is not a region code")]
    InvalidRegion {
        /// The stack.
        stack: String,
        /// The region given.
        region: String,
    },
    /// A subnet's Availability Zone that its stack's region does not have.
    #[error("{construct}: availability zone {az} {reason}")]
    InvalidAvailabilityZone {
        /// The subnet.
        construct: String,
        /// The zone as written (`us-east-1a`, `AZ ID use1-az1`, `AZ #3 of the region`).
        az: String,
        /// What is wrong, and what AWS would say.
        reason: String,
        /// What to write instead.
        fix: String,
    },
    /// A stack name CloudFormation rejects.
    #[error("stack name {name:?} is invalid")]
    InvalidStackName {
        /// The name given.
        name: String,
    },
    /// Two stacks of the app with one name.
    #[error("the app has two stacks named {name:?}")]
    DuplicateStackName {
        /// The name.
        name: String,
    },
    /// A handle used in a stack other than the one that created it (a run-time form of the
    /// compile-time check, for handles whose marker types cannot tell).
    #[error("{construct}: {property} refers to {target}, which belongs to stack {target_stack:?}")]
    ForeignHandle {
        /// The construct holding the handle.
        construct: String,
        /// The property.
        property: &'static str,
        /// The handle's construct path.
        target: String,
        /// The handle's stack.
        target_stack: String,
        /// What to do: an export and an import where a value can cross stacks; a construct of
        /// the construct's own VPC where it must be in that VPC (a subnet, a security group).
        fix: String,
    },
    /// A handle of one VPC used for a construct of another VPC.
    #[error(
        "{construct}: {property} refers to {target}, which is in VPC {target_vpc}, not in {vpc}"
    )]
    WrongVpc {
        /// The construct.
        construct: String,
        /// The property.
        property: &'static str,
        /// The handle's construct path.
        target: String,
        /// The handle's VPC.
        target_vpc: String,
        /// The construct's VPC.
        vpc: String,
    },
    /// A list property that AWS requires to hold at least one item.
    #[error("{construct}: {property} is empty")]
    Empty {
        /// The construct.
        construct: String,
        /// The property.
        property: &'static str,
        /// What to do.
        fix: &'static str,
    },
    /// A subnet associated with two route tables.
    #[error(
        "{construct}: subnet {subnet} is already associated with route table {other}; a subnet has exactly one route table (AWS: Resource.AlreadyAssociated)"
    )]
    SubnetAlreadyAssociated {
        /// The later route table.
        construct: String,
        /// The subnet.
        subnet: String,
        /// The earlier route table.
        other: String,
    },
    /// Two gateway endpoints of one service on one route table.
    #[error(
        "{construct}: route table {route_table} already routes {service} through gateway endpoint {other}; a route table takes one gateway endpoint per service (AWS: RouteAlreadyExists)"
    )]
    DuplicateGatewayRoute {
        /// The later endpoint.
        construct: String,
        /// The service, e.g. `s3`.
        service: &'static str,
        /// The route table.
        route_table: String,
        /// The earlier endpoint.
        other: String,
    },
    /// An allowed principal that is not an IAM principal ARN.
    #[error("{construct}: allowed principal {principal:?} is not an IAM principal ARN")]
    InvalidPrincipal {
        /// The endpoint service.
        construct: String,
        /// The value given.
        principal: String,
    },
    /// An `import` of an export that no stack of the app defines.
    #[error(
        "stack {stack:?} imports export {export:?} of stack {from:?}, which is not part of this \
         app"
    )]
    UnknownExport {
        /// The importing stack.
        stack: String,
        /// The export name.
        export: String,
        /// The exporting stack's name.
        from: String,
    },
    /// Stacks that import from each other in a cycle; CloudFormation cannot create them.
    #[error(
        "stacks import from each other in a cycle: {}",
        cycle.join(" -> ")
    )]
    StackCycle {
        /// The stacks in the cycle.
        cycle: Vec<String>,
    },
    /// A private hosted zone for an endpoint that is not an AWS service's.
    #[error(
        "{construct}: interface endpoint {endpoint} is not an AWS service's, so there is no AWS \
         service name to hold"
    )]
    ZoneForNonAwsService {
        /// The zone.
        construct: String,
        /// The endpoint.
        endpoint: String,
    },
    /// A private hosted zone associated with a VPC of another account.
    #[error(
        "{construct}: VPC {vpc} is in account {account}, not the zone's: CloudFormation cannot \
         associate it (CreateVPCAssociationAuthorization and AssociateVPCWithHostedZone have no \
         resource)"
    )]
    CrossAccountZoneAssociation {
        /// The zone.
        construct: String,
        /// The VPC.
        vpc: String,
        /// Its account.
        account: String,
    },
    /// A private hosted zone for a service associated with a VPC whose own endpoint for that
    /// service has private DNS on.
    #[error(
        "{construct}: VPC {vpc} already resolves {service} through interface endpoint {endpoint}'s private DNS; a VPC takes one zone per name (Route 53: ConflictingDomainExists)"
    )]
    ZoneConflictsWithPrivateDns {
        /// The zone.
        construct: String,
        /// The VPC.
        vpc: String,
        /// The service.
        service: String,
        /// The endpoint with private DNS.
        endpoint: String,
    },
    /// Two private hosted zones for one service associated with one VPC.
    #[error(
        "{construct}: VPC {vpc} is already associated with {other}, a zone for {service}; a VPC takes one zone per name (Route 53: ConflictingDomainExists)"
    )]
    DuplicateServiceZone {
        /// The later zone.
        construct: String,
        /// The VPC.
        vpc: String,
        /// The service.
        service: String,
        /// The earlier zone.
        other: String,
    },
    /// A second Route 53 Profile association of one VPC ("A VPC can have only one Profile
    /// associated with it": Route 53 Profiles API reference, `AssociateProfile`).
    #[error(
        "{construct}: VPC {vpc} is already associated with a Route 53 Profile by {other}; a VPC takes one profile"
    )]
    SecondProfileForVpc {
        /// The later association.
        construct: String,
        /// The VPC.
        vpc: String,
        /// The earlier association.
        other: String,
    },
    /// A VPC associated with a Route 53 Profile of another region: profiles are regional.
    #[error(
        "{construct}: Route 53 Profile {profile} is in region {profile_region}, the VPC in {region}; a profile applies to VPCs of its own region"
    )]
    ProfileInOtherRegion {
        /// The association.
        construct: String,
        /// The profile.
        profile: String,
        /// The profile's region.
        profile_region: String,
        /// The VPC's region.
        region: String,
    },
    /// A VPC associated with a Route 53 Profile of another account that the app does not share
    /// with the VPC's account (AWS RAM, "Shareable AWS resources": Route 53 Profiles).
    #[error(
        "{construct}: Route 53 Profile {profile} belongs to account {profile_account}, and no resource share of the app shares it with account {account}, the VPC's"
    )]
    ProfileNotShared {
        /// The association.
        construct: String,
        /// The profile.
        profile: String,
        /// The profile's account.
        profile_account: String,
        /// The VPC's account.
        account: String,
    },
    /// A Route 53 Profile resource association whose ARN names nothing a profile holds
    /// (Route 53 Profiles API reference, `AssociateResourceToProfile`).
    #[error("{construct}: {arn} is not a resource a Route 53 Profile can hold: {reason}")]
    InvalidProfileResourceArn {
        /// The resource association.
        construct: String,
        /// The ARN as written.
        arn: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A regional resource (an interface endpoint, a Resolver rule) of another region than
    /// its Route 53 Profile's.
    #[error(
        "{construct}: {resource} is in region {resource_region}, the Route 53 Profile in {region}; a profile holds resources of its own region"
    )]
    ProfileResourceInOtherRegion {
        /// The resource association.
        construct: String,
        /// The resource's ARN.
        resource: String,
        /// The resource's region.
        resource_region: String,
        /// The profile's region.
        region: String,
    },
    /// One resource associated twice with a Route 53 Profile (`AssociateResourceToProfile`
    /// refuses it: `ResourceExistsException`).
    #[error(
        "{construct}: {resource} is already held by Route 53 Profile {profile} through {other}"
    )]
    DuplicateProfileResource {
        /// The later association.
        construct: String,
        /// The profile.
        profile: String,
        /// The resource.
        resource: String,
        /// The earlier association.
        other: String,
    },
    /// Two VPCs connected by a transit gateway or a peering connection whose blocks overlap.
    #[error(
        "{construct}: VPC {vpc} ({cidr}) overlaps VPC {other} ({other_cidr}), and the two are connected: traffic for the overlap reaches only one of them (AWS refuses overlapping peering; a transit gateway does not propagate the second block)"
    )]
    ConnectedVpcsOverlap {
        /// The transit gateway or peering connection.
        construct: String,
        /// One VPC.
        vpc: String,
        /// Its block.
        cidr: String,
        /// The other VPC.
        other: String,
        /// Its block.
        other_cidr: String,
        /// What to do.
        fix: String,
    },
    /// A VPC attachment to a transit gateway of another region: an attachment names a transit
    /// gateway of its own region (Transit Gateway guide, "Amazon VPC attachments"); across
    /// regions, transit gateways peer.
    #[error(
        "{construct}: transit gateway {transit_gateway} is in {tgw_region} but the attachment's stack is in {region}; a VPC attaches to a transit gateway of its own region"
    )]
    TransitGatewayInOtherRegion {
        /// The attachment.
        construct: String,
        /// The transit gateway.
        transit_gateway: String,
        /// The transit gateway's region.
        tgw_region: String,
        /// The attachment's region.
        region: String,
    },
    /// A VPC attachment from an account the transit gateway is not shared with: another
    /// account attaches only to a transit gateway shared with it through AWS RAM (Transit
    /// Gateway guide, "Sharing transit gateways").
    #[error(
        "{construct}: transit gateway {transit_gateway} belongs to account {tgw_account}, and no resource share of the app shares it with account {account}, the attachment's"
    )]
    TransitGatewayNotShared {
        /// The attachment.
        construct: String,
        /// The transit gateway.
        transit_gateway: String,
        /// The transit gateway's account.
        tgw_account: String,
        /// The attachment's account.
        account: String,
    },
    /// Two constructs that must be in the same account (or region), one of whose stacks is
    /// pinned and the other not: an unknown account or region never silently equals a pinned
    /// one.
    #[error(
        "{construct}: the {what} of stack {unpinned} is not pinned while {other} is in {what} {pinned}; vpcform cannot tell whether they are the same"
    )]
    PlacementUnknown {
        /// The construct whose rule compares them.
        construct: String,
        /// The other construct.
        other: String,
        /// `account` or `region`.
        what: &'static str,
        /// The stack whose account or region is unknown.
        unpinned: String,
        /// The pinned one.
        pinned: String,
    },
    /// A second attachment of one VPC to one transit gateway.
    #[error(
        "{construct}: VPC {vpc} is already attached to transit gateway {transit_gateway} by {other}; a VPC has one attachment per transit gateway (AWS: DuplicateTransitGatewayAttachment)"
    )]
    DuplicateTransitGatewayAttachment {
        /// The second attachment.
        construct: String,
        /// The VPC.
        vpc: String,
        /// The transit gateway.
        transit_gateway: String,
        /// The first attachment.
        other: String,
    },
    /// An interface endpoint and the endpoint service it connects to, or a VPC Lattice
    /// endpoint and the resource gateway it reaches, in different accounts, whose zones are
    /// compared by name or index: each account maps names to physical zones its own way, only
    /// AZ IDs are the same everywhere (PrivateLink guide, "Create an endpoint service":
    /// consumers see the zones they share with the provider; aws-facts [17]; VPC Lattice guide,
    /// "Resource gateways": the endpoint and the gateway share at least one zone).
    #[error(
        "{construct}: the endpoint (account {account}) and {service} (account {service_account}) compare availability zones across accounts, but {subnets} give a zone by name or index, which each account maps to its own physical zone"
    )]
    AzAcrossAccounts {
        /// The endpoint.
        construct: String,
        /// Its account.
        account: String,
        /// The endpoint service, or the resource gateway.
        service: String,
        /// The service's (or gateway's) account.
        service_account: String,
        /// The subnets (of either side) whose zone is a name or an index.
        subnets: String,
    },
    /// Two subnets of one construct that takes one per availability zone (an interface or
    /// resource endpoint, a load balancer, a transit gateway attachment, a resource gateway)
    /// in the same zone.
    /// The other constructs given the same two subnets are listed in `also`: one cause, one
    /// finding.
    #[error(
        "{construct}: subnets {first} and {second} are both in {az}; {kind} takes one subnet per \
         availability zone (AWS: DuplicateSubnetsInSameZone){}",
        constructs_also_text(also)
    )]
    DuplicateSubnetsInSameZone {
        /// The construct.
        construct: String,
        /// What it is, with its article: `a transit gateway attachment`.
        kind: String,
        /// The zone.
        az: String,
        /// The first subnet.
        first: String,
        /// The second subnet.
        second: String,
        /// The other constructs given both subnets, each with its kind:
        /// `Hub/Nlb (a Network Load Balancer)`.
        also: Vec<String>,
    },
    /// An interface endpoint subnet in an AZ where the endpoint service's load balancer has none.
    #[error(
        "{construct}: subnet {subnet} is in {az}, where endpoint service {service}'s load balancer has no subnet, so AWS rejects the endpoint (InvalidParameter: the service does not support that availability zone)"
    )]
    EndpointAzNotServed {
        /// The interface endpoint.
        construct: String,
        /// The subnet.
        subnet: String,
        /// Its zone.
        az: String,
        /// The endpoint service.
        service: String,
        /// The zones the service's load balancers serve.
        served: String,
    },
    /// Two interface endpoints with private DNS for one service in one VPC.
    #[error(
        "{construct}: private DNS for {service} is already enabled by {other} in the same VPC; AWS allows one (InvalidParameter: conflicting DNS domain)"
    )]
    PrivateDnsConflict {
        /// The later endpoint.
        construct: String,
        /// The service.
        service: String,
        /// The earlier endpoint.
        other: String,
    },
    /// Private DNS in a VPC without DNS support or DNS hostnames.
    #[error(
        "{construct}: private DNS needs the VPC attributes enableDnsSupport and \
         enableDnsHostnames, but {vpc} has {attribute} off"
    )]
    PrivateDnsWithoutVpcDns {
        /// The endpoint.
        construct: String,
        /// The VPC.
        vpc: String,
        /// The attribute that is off.
        attribute: &'static str,
    },
    /// Private DNS on an endpoint whose service has no private DNS name.
    #[error(
        "{construct}: {service} has no private DNS name, so private DNS cannot be enabled on an \
         interface endpoint to it"
    )]
    PrivateDnsUnsupported {
        /// The endpoint.
        construct: String,
        /// The service.
        service: String,
    },
    /// Ingress from the whole internet on an endpoint's or load balancer's security group.
    #[error(
        "{construct}: security group {group} admits {peer} on {port}, so the endpoint or load balancer is open to any address"
    )]
    OpenIngress {
        /// The endpoint or load balancer.
        construct: String,
        /// The security group.
        group: String,
        /// `0.0.0.0/0` or `::/0`.
        peer: String,
        /// The port or range.
        port: String,
    },
    /// A consumer in a region the endpoint service does not support.
    #[error(
        "{construct}: the endpoint is in {region}, but endpoint service {service} (in \
         {service_region}) lists only {supported}"
    )]
    RegionNotSupported {
        /// The interface endpoint.
        construct: String,
        /// The consumer's region.
        region: String,
        /// The endpoint service.
        service: String,
        /// The service's region.
        service_region: String,
        /// Its supported regions.
        supported: String,
    },
    /// A cross-region endpoint that does not name the service's region.
    #[error(
        "{construct}: endpoint service {service} is in {service_region} and the endpoint in {region}, but the endpoint names no service_region"
    )]
    ServiceRegionMissing {
        /// The interface endpoint.
        construct: String,
        /// The endpoint service.
        service: String,
        /// The service's region.
        service_region: String,
        /// The endpoint's region.
        region: String,
    },
    /// A RAM share principal in none of the forms `AWS::RAM::ResourceShare` takes.
    #[error(
        "{construct}: principal {principal:?} is not an account ID or the ARN of an \
         organization, organizational unit, IAM role or IAM user"
    )]
    InvalidSharePrincipal {
        /// The resource share.
        construct: String,
        /// The principal given.
        principal: String,
    },
    /// A RAM share principal of another partition than the share's region.
    #[error(
        "{construct}: principal {principal:?} is not of partition {partition}, the stack's; a resource share reaches principals of its own partition only"
    )]
    SharePrincipalInOtherPartition {
        /// The resource share.
        construct: String,
        /// The principal given.
        principal: String,
        /// The stack's partition.
        partition: &'static str,
    },
    /// A `ServiceRegion` that is not a region code.
    #[error("{construct}: service_region {region:?} is not a region code")]
    InvalidServiceRegion {
        /// The interface endpoint.
        construct: String,
        /// The text given.
        region: String,
    },
    /// A `ServiceRegion` in another partition than the endpoint's region: PrivateLink crosses
    /// regions within one partition only.
    #[error(
        "{construct}: the endpoint is in {region} ({partition}) and its service_region \
         {service_region} is in {service_partition}; PrivateLink crosses regions only within a \
         partition"
    )]
    ServiceRegionInOtherPartition {
        /// The interface endpoint.
        construct: String,
        /// The endpoint's region.
        region: String,
        /// Its partition.
        partition: &'static str,
        /// The `ServiceRegion` given.
        service_region: String,
        /// Its partition.
        service_partition: &'static str,
    },
    /// An endpoint to an AWS service of another region that AWS does not serve across regions.
    #[error(
        "{construct}: AWS service {service} is not among the services AWS PrivateLink reaches \
         across regions, so an endpoint cannot name service_region {service_region}"
    )]
    ServiceNotCrossRegion {
        /// The interface endpoint.
        construct: String,
        /// The service's endpoint name.
        service: String,
        /// The `ServiceRegion` given.
        service_region: String,
    },
    /// More subnets in a VPC than the quota in force (AWS's default 200, or the raised value
    /// the program declared).
    #[error("{vpc}: {count} subnets exceed the quota of {quota} subnets per VPC (vpc/L-407747CB)")]
    TooManySubnets {
        /// The VPC.
        vpc: String,
        /// How many.
        count: usize,
        /// The quota in force.
        quota: u32,
    },
    /// Subnets that together need more addresses than their VPC has.
    #[error(
        "{vpc}: its {count} subnets need {needed} addresses but its CIDR {cidr} has {available}"
    )]
    SubnetsExceedVpc {
        /// The VPC.
        vpc: String,
        /// Its block.
        cidr: String,
        /// Addresses in the block.
        available: u64,
        /// Addresses the subnets span.
        needed: u64,
        /// How many subnets.
        count: usize,
    },
    /// A template with more resources than CloudFormation accepts.
    #[error("{stack}: {count} resources exceed CloudFormation's 500 per stack")]
    TooManyResources {
        /// The stack.
        stack: String,
        /// How many.
        count: usize,
    },
    /// A template with more outputs than CloudFormation accepts.
    #[error("{stack}: {count} outputs exceed CloudFormation's 200 per stack")]
    TooManyOutputs {
        /// The stack.
        stack: String,
        /// How many.
        count: usize,
    },
    /// A template too large for CloudFormation at all.
    #[error(
        "{stack}: the template is {bytes} bytes, over CloudFormation's 1 MB limit even for \
         templates uploaded to S3 (TemplateURL)"
    )]
    TemplateTooLarge {
        /// The stack.
        stack: String,
        /// The compact template's size.
        bytes: usize,
    },
    /// A flow that leaves AWS's network or does not arrive, in an app that requires private
    /// traffic.
    #[error("traffic {flow} is {path}: {reason}{}", also_text(also))]
    TrafficNotPrivate {
        /// The flow, `workload -> destination (port)`.
        flow: String,
        /// Its path.
        path: String,
        /// Why.
        reason: String,
        /// The missing piece.
        fix: String,
        /// The other flows of the same path that the same fix serves: one cause, one finding.
        also: Vec<String>,
    },
    /// The prices for the cost estimate could not be read.
    #[error("cost estimate: {0}")]
    Prices(PricesError),
    // Issue 24, quotas (quotas.rs, quota_check.rs).
    /// A construct, VPC or table over an AWS quota in force (the default, or the value the
    /// program declared raised): one finding per construct, whatever the rules or routes.
    #[error(
        "{construct}: {count} {counted} exceed the quota of {limit} in force for \"{quota}\" \
         ({code})"
    )]
    QuotaExceeded {
        /// The construct (`Stack/Id`) over the quota.
        construct: String,
        /// What was counted, e.g. "inbound IPv4 rules".
        counted: String,
        /// How many.
        count: usize,
        /// The quota's name (`quotas::QUOTAS`).
        quota: &'static str,
        /// Its Service Quotas code, or "no quota code".
        code: &'static str,
        /// The quota in force.
        limit: u32,
        /// What to do instead of raising it.
        split: &'static str,
        /// The `Quotas` method declaring it raised.
        setter: &'static str,
    },
    /// Declared quotas whose rules per security group × security groups per network interface
    /// exceed AWS's 1,000: AWS does not grant that pair.
    #[error(
        "{stack}: the declared quotas give {rules} rules per security group × {groups} groups \
         per network interface = {product}, over AWS's 1,000"
    )]
    QuotaProductTooLarge {
        /// The stack whose quotas (its own over the app's) are in force.
        stack: String,
        /// Rules per security group in force.
        rules: u32,
        /// Security groups per network interface in force.
        groups: u32,
        /// Their product.
        product: u64,
    },
    // Issue 26, lookups (constructs/lookup.rs).
    /// The context file (`vpcform.context.json`) could not be read or is not a context: one
    /// finding per file, however many lookups read it.
    #[error("{file}: the lookups' context cannot be read: {error}")]
    ContextUnreadable {
        /// The file.
        file: String,
        /// Why.
        error: String,
    },
    /// A lookup in a stack whose account or region is not pinned: a fact of "whatever account
    /// the credentials name" would not be deterministic.
    #[error("{stack}: {lookup} needs the stack's {missing} pinned")]
    LookupWithoutEnvironment {
        /// The stack.
        stack: String,
        /// The lookup (`lookup Stack/Id (vpc-id=vpc-…)`).
        lookup: String,
        /// `account`, `region` or `account and region`.
        missing: &'static str,
    },
    /// The context answers a lookup with "not found" (nothing matched, or more than one VPC).
    #[error("{construct}: the lookup {query} found nothing: {message}")]
    LookupNotFound {
        /// The lookup's construct.
        construct: String,
        /// The query's key.
        query: String,
        /// What the account answered.
        message: String,
    },
    /// An interface endpoint's subnet in a zone its looked-up endpoint service is not offered
    /// in (DescribeVpcEndpointServices `AvailabilityZones`; AWS refuses the endpoint: "The
    /// VPC endpoint service … does not support the availability zone of the subnet",
    /// aws/aws-cdk#4912).
    #[error(
        "{construct}: subnet {subnet} is in {zone}, where {service} is not offered (looked up: \
         offered in {offered}); AWS refuses the endpoint (does not support the availability \
         zone of the subnet)"
    )]
    ZoneNotOffered {
        /// The interface endpoint.
        construct: String,
        /// The subnet.
        subnet: String,
        /// Its zone.
        zone: String,
        /// The service's name.
        service: String,
        /// The zones it is offered in.
        offered: String,
    },
    /// A fact stated by hand of an existing VPC or subnet that its looked-up entry contradicts.
    #[error("{construct}: {fact} is stated as {stated}, but the lookup {query} says {looked_up}")]
    StatedFactDisagrees {
        /// The existing VPC or subnet.
        construct: String,
        /// What (`the block`, `the zone`, `enableDnsSupport`).
        fact: &'static str,
        /// As the program states it.
        stated: String,
        /// As looked up.
        looked_up: String,
        /// The lookup's key.
        query: String,
    },
    /// An endpoint service lookup whose service name is not text at synthesis (a reference or
    /// an import): there is nothing to ask the account.
    #[error("{construct}: the endpoint service to look up is {name}, not known until deploy")]
    LookupNameUnknown {
        /// The lookup's construct.
        construct: String,
        /// The name as given.
        name: String,
    },
    /// Two constructs imported as one existing resource, or one construct as two
    /// (`Stack::import_existing`): an IMPORT change set maps each resource to one identifier
    /// (CloudFormation User Guide, "Resource import",
    /// <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resource-import.html>).
    #[error("{construct}: imported as the existing resource {id}, but {conflict}")]
    ImportIdConflict {
        /// The construct imported.
        construct: String,
        /// The physical ID it is imported as.
        id: String,
        /// The other construct imported as `id`, or the other ID given to this construct.
        conflict: String,
    },
    /// A subnet's zone that its stack's looked-up zones do not have: an index beyond them, or a
    /// name or ID the account does not have in the Region.
    #[error(
        "{construct}: availability zone {az} is not one of the account's zones in the Region (looked up: {zones})"
    )]
    AzNotInMap {
        /// The subnet.
        construct: String,
        /// The zone as written.
        az: String,
        /// The account's zones, `name (ID)`, in `Az::index` order.
        zones: String,
        /// The zones' key in the context.
        query: String,
    },
    /// A problem the template model found.
    #[error("{stack}: {source}")]
    Template {
        /// The stack.
        stack: String,
        /// The template model's error.
        source: vpcform_cfn::TemplateError,
    },
}

impl SynthError {
    /// The fix: what to change, naming the construct or value where the message does not.
    /// One arm per variant, in the enum's order; `None` only for a variant listed in
    /// `WITHOUT_HELP` (error.rs) with the reason.
    ///
    /// ```
    /// let e = vpcform_net::findings::SynthError::PortOutOfRange {
    ///     construct: "Net/Sg".into(),
    ///     property: "FromPort",
    ///     port: 0,
    /// };
    /// assert_eq!(e.help().as_deref(), Some("use a port from 1 to 65535"));
    /// ```
    pub fn help(&self) -> Option<String> {
        Some(match self {
            Self::InvalidCidr { .. } => "write the block as a.b.c.d/n with no host bits set".into(),
            Self::CidrPrefixOutOfRange { .. } => "choose a prefix from /16 to /28".into(),
            Self::SubnetOutsideVpc { vpc_cidr, .. } => format!("choose a block inside {vpc_cidr}"),
            Self::OverlappingSubnets { other_cidr, .. } => {
                format!("choose a block that does not overlap {other_cidr}")
            }
            Self::InvalidId { .. } => "use letters and digits only, at most 255 characters".into(),
            Self::GeneratedIdTooLong { over, .. } => format!(
                "shorten the construct's ID (or the IDs this one is named after) by at least \
                 {over} characters"
            ),
            Self::ValueOfAnotherStack {
                stack,
                other_stack,
                ..
            } => match other_stack {
                Some(s) => format!(
                    "export it from {s} and import it in {stack} (`let e = <{s}>.export(\"Name\", \
                     &handle);` then `<{stack}>.import(&e)`)"
                ),
                None => format!(
                    "add both stacks to one App, then export the value from its stack and import \
                     it in {stack}"
                ),
            },
            Self::DuplicateId { .. } => "give each construct its own ID (generated IDs append a \
                                         suffix such as `Attachment` or `Eip` to the construct's)"
                .into(),
            Self::DuplicateOutput { .. } => "give each output its own name".into(),
            Self::InvalidOutputName { .. } => {
                "use letters and digits only, at most 255 characters".into()
            }
            Self::InvalidOverride { .. } => "override a construct of this stack that renders a \
                                             resource, at a path into its properties"
                .into(),
            Self::HandleNotInApp { .. } => {
                "add that stack to this app, or use a handle of this app's stack".into()
            }
            Self::HandleKindMismatch { .. } => "use the handle the construct's `add` returned".into(),
            Self::DuplicateRoute {
                construct, other, ..
            } => format!("remove {construct} or {other}"),
            Self::RouteInsideVpc { vpc_cidr, .. } => format!(
                "route only addresses outside {vpc_cidr} to a gateway (AWS allows a more specific \
                 route only to a NAT gateway, and only for one whole subnet's block)"
            ),
            Self::SecondInternetGateway { other, .. } => {
                format!("remove this gateway; use {other}")
            }
            Self::NoInternetGateway { vpc, .. } => format!("add an `InternetGateway` to {vpc}"),
            Self::InvalidIpv6Cidr { .. } => {
                "write the block as AWS does: canonical, with its prefix".into()
            }
            Self::PortRangeReversed { from, to, .. } => format!("write {to}-{from}"),
            Self::PortOutOfRange { .. } => "use a port from 1 to 65535".into(),
            Self::InvalidText { .. } => {
                "shorten the text or use only the characters AWS accepts there".into()
            }
            Self::DuplicateListener { port, .. } => {
                format!("give this listener a port other than {port}, or remove it")
            }
            Self::LoadBalancerInTwoEndpointServices { other, .. } => {
                format!("give this service a load balancer of its own, or use {other}")
            }
            Self::TargetGroupOfTwoLoadBalancers { load_balancer, .. } => {
                format!("give the listener of {load_balancer} a target group of its own")
            }
            Self::DuplicatePermission { .. } => {
                "remove one of the two rules (or merge their descriptions)".into()
            }
            Self::DuplicatePeering { other, .. } => {
                format!("remove this peering connection; route over {other}")
            }
            Self::TransitGatewayPeeredWithItself { .. } => {
                "give the peering another transit gateway as its peer".into()
            }
            Self::DuplicateTransitGatewayPeering { other, .. } => {
                format!("remove this peering attachment; route over {other}")
            }
            Self::PeeringNotYetAccepted { peering, .. } => format!(
                "move it to a stack that imports {peering}'s ID (export it from its stack) and is deployed after the peering is accepted"
            ),
            Self::PeeringAccepterIdNeeded { peering, .. } => format!(
                "target PeeringAccepterAttachment::accepted(&mut <this stack>, &{peering}'s export): the deployer's acceptance step gives the accepter's ID"
            ),
            Self::InvalidSharedResourceArn { .. } => "give the ARN of a Resolver rule of the share's Region and partition, arn:<partition>:route53resolver:<region>:<account>:resolver-rule/<id>; share another Region's rule from a share in that Region".into(),
            Self::AcceptedPeeringWithoutStep { peering, .. } => format!(
                "state the ID its owner gives once {peering} is accepted: PeeringAccepterAttachment::new(&{peering}'s export, \"tgw-attach-…\")"
            ),
            Self::SharedTransitGatewayRouteTable { tgw_account, .. } => format!(
                "remove it from the attachment, and in a stack of account {tgw_account} associate the attachment's ID imported (TransitGatewayRouteTableAssociation) and route its block (TransitGatewayRoute)"
            ),
            Self::DuplicateFlowLog { other, .. } => format!(
                "remove this flow log, or give it another traffic type or destination than {other}"
            ),
            Self::AclRuleNumberOutOfRange { .. } => {
                "number the rule from 1 to 32766 (leave gaps, 100, 110, …, for later rules)".into()
            }
            Self::AclRuleNumberTaken { number, .. } => {
                format!("give one of the two rules numbered {number} another number")
            }
            Self::NetworkAclAlreadyAssociated { subnet, .. } => format!(
                "associate {subnet} with one network ACL: remove it from one of the two"
            ),
            Self::ExistingAclOfCreatedSubnet { subnet, .. } => format!(
                "associate {subnet} with a NetworkAcl of the app, or mark these rules as the VPC's default ACL's with .default_acl(true)"
            ),
            Self::ArnInOtherPartition { partition, .. } => {
                format!("give an ARN of partition {partition}")
            }
            Self::OutOfBounds { min, max, .. } => format!("give a value from {min} to {max}"),
            Self::HealthCheckTimeoutNotBelowInterval { interval, .. } => {
                format!("set a timeout below {interval} s, or a longer interval")
            }
            Self::InvalidTarget { target, .. } => {
                format!("replace {target:?} with a target of the group's target type")
            }
            Self::S3PrivateDnsWithoutGateway { vpc, .. } => format!(
                "add a `GatewayEndpoint` for S3 to {vpc}, or set \
                 `DnsOptions::private_dns_only_for_inbound_resolver_endpoint(false)`"
            ),
            Self::InvalidServiceName { .. } => "write com.amazonaws.vpce.<region>.vpce-svc-<17 hex \
                                                digits> for an endpoint service, or use \
                                                `services::…` for an AWS service"
                .into(),
            Self::Ipv6WithoutVpcBlock { vpc, .. } => {
                format!("give {vpc} `.ipv6(Ipv6Block::AmazonProvided)` (or an IPAM pool)")
            }
            Self::SubnetWithoutIpv6 { subnet, .. } => {
                format!("give {subnet} `.ipv6_index(n)` (its VPC needs an IPv6 block)")
            }
            Self::Ipv6OnlyEndpoint { .. } => "use IpAddressType::Dualstack".into(),
            Self::ServiceWithoutIpv6 { .. } => "use IpAddressType::Ipv4".into(),
            Self::DnsRecordIpTypeMismatch { needs, .. } => format!(
                "set the endpoint's IpAddressType to {needs}, or choose a DnsRecordIpType its \
                 IpAddressType allows"
            ),
            Self::EndpointServiceIpv6WithoutDualstack { load_balancer, .. } => {
                format!("make {load_balancer} `.dualstack(true)` (its subnets need IPv6 blocks)")
            }
            Self::EndpointPolicy { problem, .. } => problem.help(),
            Self::EndpointPolicyUnsupported { .. } => {
                "remove the policy and restrict access with security groups and IAM".into()
            }
            Self::UnknownAwsService { name, .. } => format!(
                "use a `services::…` type, or `ByName::unlisted({name:?})` for a service newer \
                 than the catalogue"
            ),
            Self::UnknownGatewayService {
                known, suggestion, ..
            } => match suggestion {
                Some(s) => format!("write {s:?}"),
                None => format!("give one of {known}"),
            },
            Self::NoGatewayEndpoint { name, known, .. } => format!(
                "reach {name:?} through an `InterfaceEndpoint` (`services::ByName::new({name:?})`), \
                 or give one of {known}"
            ),
            Self::DnsOptionNotForService { option, .. } => format!("remove {option}"),
            Self::FlowNotInApp { .. } => "add its stack to the app".into(),
            Self::InvalidVolume { .. } => "give a finite number ≥ 0".into(),
            Self::InvalidImport { stack, .. } => format!(
                "use the value in stack {stack:?} directly, without an export and an import"
            ),
            Self::InvalidAz { .. } => "choose one of the region's zones".into(),
            Self::InvalidAppName { .. } => "use letters, digits, `-`, `_` and `.`, not starting \
                                            with `.`, at most 100 characters"
                .into(),
            Self::TooManyTags { fix, .. } => fix.clone(),
            Self::InvalidTag { .. } => "use a key and value within AWS's length and character \
                                        rules, not starting with aws:"
                .into(),
            Self::InvalidStackSet { fix, .. } => fix.clone(),
            Self::InvalidEnvironment { fix, .. } => fix.clone(),
            Self::InvalidRegion { .. } => "give a region code such as us-east-1 or eu-central-2 \
                                           (lowercase words and hyphens, ending in a number)"
                .into(),
            Self::InvalidAvailabilityZone { fix, .. } => fix.clone(),
            Self::InvalidStackName { .. } => "name the stack with a letter first, then only \
                                              letters, digits and hyphens, at most 128 \
                                              characters"
                .into(),
            Self::DuplicateStackName { .. } => "give each stack its own name".into(),
            Self::ForeignHandle { fix, .. } => fix.clone(),
            Self::WrongVpc { vpc, .. } => format!("use a handle of a construct in {vpc}"),
            Self::Empty { fix, .. } => fix.to_string(),
            Self::SubnetAlreadyAssociated { subnet, .. } => format!(
                "associate {subnet} with one route table: remove one of the two associations"
            ),
            Self::DuplicateGatewayRoute { route_table, .. } => {
                format!("remove {route_table} from one of the two endpoints")
            }
            Self::InvalidPrincipal { .. } => "write arn:aws:iam::<12-digit account>:root, \
                                              …:role/<name>, …:user/<name>, or \"*\""
                .into(),
            Self::UnknownExport { from, .. } => format!("add stack {from:?} to the app"),
            Self::StackCycle { .. } => "remove one of these imports".into(),
            Self::ZoneForNonAwsService { .. } => {
                "give the endpoint service a private DNS name instead".into()
            }
            Self::CrossAccountZoneAssociation { .. } => {
                "reach it through a Route 53 Profile that holds the zone, shared with that \
                 account through AWS RAM and associated with its VPC; or create the zone in that \
                 account's stack"
                    .into()
            }
            Self::ZoneConflictsWithPrivateDns { vpc, endpoint, .. } => {
                format!("turn private DNS off on {endpoint}, or do not associate {vpc}")
            }
            Self::DuplicateServiceZone { vpc, other, .. } => {
                format!("associate {vpc} with only one of this zone and {other}")
            }
            Self::SecondProfileForVpc { other, .. } => format!(
                "put what this profile holds into the profile {other} associates, and remove \
                 this association"
            ),
            Self::ProfileInOtherRegion { region, .. } => format!(
                "associate the VPC with a profile of region {region} (create one there and hold \
                 that region's zones and endpoints in it)"
            ),
            Self::ProfileNotShared {
                profile, account, ..
            } => format!(
                "share {profile} with account {account} through a ResourceShare \
                 (SharedResource::from(&profile))"
            ),
            Self::InvalidProfileResourceArn { .. } => {
                "give the ARN of a private hosted zone, an interface endpoint or a Resolver rule \
                 (or the zone's or endpoint's handle)"
                    .into()
            }
            Self::ProfileResourceInOtherRegion { region, .. } => {
                format!("hold a resource of region {region}, or use a profile of the resource's region")
            }
            Self::DuplicateProfileResource { other, .. } => {
                format!("remove this association; {other} already holds the resource")
            }
            Self::ConnectedVpcsOverlap { fix, .. } => fix.clone(),
            Self::TransitGatewayInOtherRegion {
                region,
                transit_gateway,
                ..
            } => format!(
                "attach the VPC to a transit gateway in {region} and peer that one with \
                 {transit_gateway} (transit gateway peering)"
            ),
            Self::TransitGatewayNotShared {
                transit_gateway,
                account,
                ..
            } => format!(
                "share {transit_gateway} with account {account} through a ResourceShare, or \
                 attach to a transit gateway of account {account}"
            ),
            Self::PlacementUnknown { what, unpinned, pinned, .. } => {
                format!("pin stack {unpinned}'s {what} (Stack::{what}(\"{pinned}\") if it is the same)")
            }
            Self::DuplicateTransitGatewayAttachment { other, .. } => {
                format!("add the subnets to {other} and remove this attachment")
            }
            Self::AzAcrossAccounts { subnets, .. } => {
                format!("give {subnets} their zone by ID (Az::id(\"use1-az1\") and the like)")
            }
            Self::DuplicateSubnetsInSameZone { first, second, .. } => {
                format!("keep one of {first} and {second}")
            }
            Self::EndpointAzNotServed { az, served, .. } => format!(
                "use a subnet in one of {served} instead, or add a subnet in {az} to the load \
                 balancer"
            ),
            Self::PrivateDnsConflict { other, .. } => format!(
                "turn private DNS off on this endpoint or on {other}, or share {other}"
            ),
            Self::PrivateDnsWithoutVpcDns { vpc, attribute, .. } => {
                format!("turn {attribute} on in {vpc} (the default), or turn private DNS off")
            }
            Self::PrivateDnsUnsupported { .. } => {
                "leave private_dns unset and use the endpoint's DNS names".into()
            }
            Self::OpenIngress { group, .. } => format!(
                "narrow {group}'s rule to the clients' CIDR blocks, or mark it with \
                 `.allow_from_anywhere()` if the exposure is intended"
            ),
            Self::RegionNotSupported {
                region, service, ..
            } => format!("add {region} to {service}'s supported_regions"),
            Self::ServiceRegionMissing { service_region, .. } => {
                format!("set service_region(\"{service_region}\") on the endpoint")
            }
            Self::InvalidSharePrincipal { .. } => "give a 12-digit account ID, \
                                                   `arn:aws:organizations::<account>:organization/o-…`, \
                                                   `…:ou/o-…/ou-…`, or an IAM role or user ARN"
                .into(),
            Self::SharePrincipalInOtherPartition { partition, .. } => {
                format!("give a principal of partition {partition}")
            }
            Self::InvalidServiceRegion { .. } => {
                "give the region the service is in, such as \"eu-west-1\"".into()
            }
            Self::ServiceRegionInOtherPartition { partition, .. } => {
                format!("choose a region of {partition}")
            }
            Self::ServiceNotCrossRegion { service_region, .. } => format!(
                "create the endpoint in a VPC of {service_region}, or reach it over peering or a \
                 transit gateway"
            ),
            Self::TooManySubnets { count, .. } => format!(
                "split the subnets across VPCs, or declare the quota AWS raised for this \
                 account: `Quotas::default().subnets_per_vpc({count})` on the app or the stack"
            ),
            Self::SubnetsExceedVpc { .. } => {
                "use fewer or smaller subnets, or a larger VPC block".into()
            }
            Self::TooManyResources { .. } => "split the stack".into(),
            Self::TooManyOutputs { .. } => "drop outputs, or split the stack".into(),
            Self::TemplateTooLarge { .. } => "split the stack".into(),
            Self::TrafficNotPrivate { fix, .. } => fix.clone(),
            Self::Prices(..) => {
                "give a prices file of the shape of vpcform-net's prices/us-east-1.json".into()
            }
            Self::QuotaExceeded {
                split,
                setter,
                count,
                ..
            } => format!(
                "{split}, or declare the quota AWS raised for this account: \
                 `Quotas::default().{setter}({count})` on the app or the stack"
            ),
            Self::QuotaProductTooLarge { .. } => {
                "lower one of the two declared quotas so that their product is at most 1,000"
                    .into()
            }
            Self::ContextUnreadable { .. } => {
                "fix or remove the entry (`vpcform context --clear KEY`), or delete the file to \
                 look everything up again"
                    .into()
            }
            Self::LookupWithoutEnvironment { missing, .. } => format!(
                "pin the stack's {missing} (`Stack::account(\"111122223333\")`, \
                 `Stack::region(\"eu-west-1\")`): lookups are answered in one account and region"
            ),
            Self::LookupNotFound { query, .. } => format!(
                "fix the lookup's ID or tags, or create the resource and clear the answer \
                 (`vpcform context --clear {query}`) so it is looked up again"
            ),
            Self::ZoneNotOffered { offered, .. } => format!(
                "use subnets in {offered} only (`subnets.offered_by(&service)` picks one per \
                 offered zone)"
            ),
            Self::StatedFactDisagrees { looked_up, query, .. } => format!(
                "state {looked_up}, or use the looked-up VPC (`VpcLookup`); if the account \
                 changed, clear the answer (`vpcform context --clear {query}`)"
            ),
            Self::LookupNameUnknown { .. } => {
                "look up the service by its AWS marker or its name as text \
                 (`EndpointServiceLookup::of(services::Ssm)`)"
                    .into()
            }
            Self::ImportIdConflict { .. } => {
                "import each existing resource as one construct, and each construct as one \
                 resource: remove one of the `import_existing` calls"
                    .into()
            }
            Self::AzNotInMap { zones, query, .. } => format!(
                "use one of {zones}; if the account's zones changed, clear the answer \
                 (`vpcform context --clear {query}`)"
            ),
            Self::Template { .. } => "fix the construct or raw resource the error names".into(),
        })
    }
}

/// Variants declared to have no help, each with the reason: [`SynthError::help`] and
/// [`SynthWarning::help`] return `None` for these only (a test holds them to it).
#[cfg_attr(
    not(test),
    expect(dead_code, reason = "read by the tests in finding.rs")
)]
pub(crate) const WITHOUT_HELP: &[(&str, &str)] = &[];

/// Something synthesis lets through but a reviewer should see: printed, not fatal, and
/// collectable from [`Assembly::warnings`](crate::Assembly::warnings).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SynthWarning {
    /// NLB access logs with no TLS listener: AWS writes none.
    #[error(
        "{construct}: access logs are on, but AWS writes Network Load Balancer access logs for \
         TLS listeners only and this load balancer's listeners are TCP, so the log stays empty; \
         flow logs of its VPC or subnets record its connections"
    )]
    AccessLogsWithoutTls {
        /// The load balancer.
        construct: String,
    },
    /// IPv6 through an endpoint to a service the catalogue does not know the IPv6 support of.
    #[error(
        "{construct}: whether {service} accepts IPv6 is not known to vpcform's catalogue; if it \
         does not, AWS refuses the endpoint at deploy"
    )]
    Ipv6SupportUnknown {
        /// The endpoint.
        construct: String,
        /// The service.
        service: String,
    },
    /// A VPC attachment of another account than its transit gateway's, which does not accept
    /// shared attachments automatically: CloudFormation's create waits until the owner accepts
    /// it.
    #[error(
        "{construct}: transit gateway {transit_gateway} (account {owner}'s) does not accept shared attachments automatically, so the attachment stays pendingAcceptance, and CloudFormation's create of it waits until it is available: the stack stays CREATE_IN_PROGRESS until account {owner} accepts it"
    )]
    AttachmentWaitsForAcceptance {
        /// The attachment.
        construct: String,
        /// The transit gateway.
        transit_gateway: String,
        /// The transit gateway's account.
        owner: String,
    },
    /// A resource share with no resources or no principals: it deploys and shares nothing.
    #[error("{construct}: the resource share has no {missing}, so it shares nothing")]
    ResourceShareSharesNothing {
        /// The resource share.
        construct: String,
        /// `resources` or `principals`.
        missing: &'static str,
    },
    /// A construct whose subnets give their zones in different forms (ID, name, index): an
    /// index or name and an ID may be the same zone, and vpcform cannot tell.
    #[error(
        "{construct}: its subnets give their availability zones in different forms ({forms}); an index or a name and an ID cannot be compared, so two of them may be one zone"
    )]
    MixedAzForms {
        /// The construct.
        construct: String,
        /// The forms used: `AZ ID, index`.
        forms: String,
    },
    /// An interface endpoint in one availability zone: an outage of that zone cuts it off.
    #[error(
        "{construct}: the interface endpoint has a subnet in one availability zone only; clients \
         in other zones cross AZs, and an outage of that zone cuts them off"
    )]
    SingleAz {
        /// The endpoint.
        construct: String,
    },
    /// An interface endpoint without security groups gets the VPC's default group.
    #[error(
        "{construct}: no security group given, so AWS attaches the VPC's default security group, \
         whose rules vpcform does not manage"
    )]
    DefaultSecurityGroup {
        /// The endpoint.
        construct: String,
    },
    /// An NLB created without security groups can never have any.
    #[error(
        "{construct}: the Network Load Balancer has no security group and can never get one; \
         every client that can route to it reaches its listeners"
    )]
    LoadBalancerWithoutSecurityGroups {
        /// The load balancer.
        construct: String,
    },
    /// A route to a transit gateway or peering connection that no VPC on the other side covers.
    #[error(
        "{construct}: destination {destination} through {target} reaches no VPC of this app on \
         the other side (connected: {connected}); unless a VPN, Direct Connect or another app's \
         VPC is behind it, the traffic is dropped"
    )]
    RouteReachesNoVpc {
        /// The route.
        construct: String,
        /// Its destination.
        destination: String,
        /// The attachment or peering connection.
        target: String,
        /// The blocks on the other side.
        connected: String,
    },
    /// A subnet routed to a transit gateway in a zone its VPC's attachment has no subnet in.
    #[error(
        "{construct}: subnet {subnet} is in {az}, where attachment {attachment} has no subnet, so the transit gateway does not take traffic from that zone"
    )]
    TransitGatewayAzNotAttached {
        /// The route.
        construct: String,
        /// The subnet.
        subnet: String,
        /// Its zone.
        az: String,
        /// The attachment.
        attachment: String,
    },
    /// An attachment of a transit gateway whose default route table is off, associated with
    /// no route table of its own.
    #[error(
        "{construct}: the transit gateway's default route table is off and the attachment is \
         associated with no route table, so the transit gateway routes none of its traffic"
    )]
    AttachmentRoutesNothing {
        /// The attachment.
        construct: String,
    },
    /// A service-network endpoint sharing no zone with the gateway of a resource in its
    /// network: that resource is out of its reach.
    #[error(
        "{construct}: the endpoint's zones ({zones}) have none in common with resource gateway \
         {gateway} ({gateway_zones}) of {resource}, which joins the endpoint's service network; \
         AWS requires at least one common zone, so clients cannot reach {resource} through this \
         endpoint"
    )]
    LatticeZoneMismatch {
        /// The service-network endpoint.
        construct: String,
        /// Its zones.
        zones: String,
        /// The resource configuration.
        resource: String,
        /// Its resource gateway.
        gateway: String,
        /// The gateway's zones.
        gateway_zones: String,
    },
    /// Private DNS or a private zone in an existing VPC whose DNS attributes were not stated.
    #[error(
        "{construct}: needs enableDnsSupport and enableDnsHostnames on in existing VPC {vpc}, \
         which were not stated, so not checked"
    )]
    VpcDnsUnknown {
        /// The endpoint or zone.
        construct: String,
        /// The existing VPC.
        vpc: String,
    },
    /// A pinned region vpcform's zone table does not list: its zones cannot be checked.
    #[error(
        "stack {stack}: region {region} is not in vpcform's table of regions (cfn-lint 1.58.0); \
         its availability zones are not checked"
    )]
    RegionNotInTable {
        /// The stack.
        stack: String,
        /// The region.
        region: String,
    },
    /// A template too large to send in the request: deploying it goes through S3.
    #[error(
        "{stack}: the template is {bytes} bytes, over CloudFormation's 51,200-byte TemplateBody limit, so it deploys only from S3 (TemplateURL)"
    )]
    TemplateNeedsS3Upload {
        /// The stack.
        stack: String,
        /// The compact template's size.
        bytes: usize,
    },
    /// An endpoint service that accepts every connection and names no principal.
    #[error(
        "{construct}: acceptance is off and no principal is allowed, so only the provider's own \
         account can connect, without review"
    )]
    AcceptanceOffWithoutPrincipals {
        /// The endpoint service.
        construct: String,
    },
    /// An endpoint service open to every AWS account without acceptance.
    #[error(
        "{construct}: allowed principal \"*\" with acceptance off lets any AWS account connect without review: the service is effectively public"
    )]
    PublicEndpointService {
        /// The endpoint service.
        construct: String,
    },
}

impl SynthWarning {
    /// The fix: what to change, naming the construct or value where the message does not.
    /// One arm per variant, in the enum's order; `None` only for a variant listed in
    /// `WITHOUT_HELP` (error.rs) with the reason.
    ///
    /// ```
    /// let w = vpcform_net::findings::SynthWarning::AttachmentRoutesNothing { construct: "Net/Att".into() };
    /// assert_eq!(w.help().as_deref(), Some("give the attachment .association(…)"));
    /// ```
    pub fn help(&self) -> Option<String> {
        Some(match self {
            Self::AccessLogsWithoutTls { .. } => "add a TLS listener, or rely on flow logs".into(),
            Self::MixedAzForms { .. } => {
                "give every subnet's zone the same way: Az::id(…) where accounts differ".into()
            }
            Self::Ipv6SupportUnknown { .. } => {
                "check the service's IPv6 support, or use IpAddressType::Ipv4".into()
            }
            Self::ResourceShareSharesNothing { missing, .. } => {
                format!("give it {missing}, or remove it")
            }
            Self::AttachmentWaitsForAcceptance {
                transit_gateway,
                owner,
                ..
            } => format!(
                "set auto_accept_shared_attachments(true) on {transit_gateway}, or have account {owner} accept it (aws ec2 accept-transit-gateway-vpc-attachment) while the stack creates"
            ),
            Self::SingleAz { .. } => {
                "give the endpoint a subnet in a second availability zone".into()
            }
            Self::DefaultSecurityGroup { .. } => {
                "give the endpoint a security group of its own".into()
            }
            Self::LoadBalancerWithoutSecurityGroups { .. } => "give the load balancer a security \
                                                               group (it can only get one at \
                                                               creation)"
                .into(),
            Self::RouteReachesNoVpc { .. } => "route the connected VPCs' blocks".into(),
            Self::TransitGatewayAzNotAttached { az, attachment, .. } => {
                format!("add a subnet in {az} to {attachment}")
            }
            Self::AttachmentRoutesNothing { .. } => "give the attachment .association(…)".into(),
            Self::LatticeZoneMismatch { .. } => {
                "add a subnet in one of the gateway's zones to either side".into()
            }
            Self::VpcDnsUnknown { .. } => {
                "state them with .dns_support(…) and .dns_hostnames(…) on the ExistingVpc".into()
            }
            Self::RegionNotInTable { .. } => {
                "check the region's zones yourself, or update vpcform".into()
            }
            Self::TemplateNeedsS3Upload { stack, .. } => format!(
                "deploy {stack} with the program's `deploy` command, which uploads the template \
                 to the bucket given with --template-bucket or to its bootstrap stack's \
                 (VpcformToolkit, created once per account and region); with another tool, \
                 upload it to S3 and pass its TemplateURL"
            ),
            Self::AcceptanceOffWithoutPrincipals { .. } => {
                "name the consumers in allowed_principals".into()
            }
            Self::PublicEndpointService { .. } => "replace \"*\" in allowed_principals with the \
                                                   consumers' account principals, or set \
                                                   acceptance_required(true) to review each \
                                                   connection"
                .into(),
        })
    }
}

/// Every problem found in one synthesis: nothing is written while there is one.
///
/// ```
/// use vpcform_net::prelude::*;
/// vpcform_net::topology! { stack Solo { vpc Main } }
///
/// let mut stack = Stack::<Solo>::new("Solo");
/// stack.add("Main", Vpc::<Main>::builder().cidr("10.0.0.0/33").build());
/// let mut app = App::new("demo");
/// app.add_stack(stack);
/// let errors = app.synth().unwrap_err();
/// assert!(errors.to_string().contains("Solo/Main: CidrBlock \"10.0.0.0/33\""));
/// ```
#[derive(Debug)]
pub struct SynthErrors(pub Vec<SynthError>);

impl SynthErrors {
    /// The errors, in the order found.
    ///
    /// ```
    /// let e = vpcform_net::findings::SynthErrors(vec![]);
    /// assert!(e.errors().is_empty());
    /// ```
    pub fn errors(&self) -> &[SynthError] {
        &self.0
    }
}

impl fmt::Display for SynthErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        write!(
            f,
            "synthesis failed with {n} error{}:",
            if n == 1 { "" } else { "s" }
        )?;
        for e in &self.0 {
            write!(f, "\n  - {e}")?;
            if let Some(help) = e.help() {
                write!(f, "\n    help: {help}")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for SynthErrors {}

/// Why a prices file could not be used.
///
/// ```
/// let error = vpcform_net::cost::Prices::from_json("{}", "prices.json").unwrap_err();
/// assert!(error.to_string().starts_with("prices file prices.json"));
/// ```
#[derive(Debug, thiserror::Error)]
pub enum PricesError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The JSON does not describe prices.
    #[error("prices file {path}: {source}")]
    Parse {
        /// The file (or `bundled` for the default).
        path: String,
        /// The parse error.
        source: serde_json::Error,
    },
    /// A price or the hours of a month that is not a finite, non-negative number.
    #[error("prices file {path}: {field} is {value}; prices are finite numbers ≥ 0")]
    Invalid {
        /// The file.
        path: String,
        /// The field.
        field: &'static str,
        /// The value.
        value: f64,
    },
}

/// `; so are …` for the other flows one finding stands for, or nothing.
fn also_text(also: &[String]) -> String {
    match also.len() {
        0 => String::new(),
        1 => format!("; so is {} (the same cause)", also[0]),
        n => format!(
            "; so are {n} more flows of the same cause: {}",
            also.join(", ")
        ),
    }
}

/// `, and so do N more …` for the other constructs one finding stands for, or nothing.
fn constructs_also_text(also: &[String]) -> String {
    match also.len() {
        0 => String::new(),
        1 => format!("; {} is given both too", also[0]),
        n => format!("; {n} more are given both: {}", also.join(", ")),
    }
}

/// `; so are …` for the other IDs of one invalid name, naming the name they share when they
/// start with it (a spoke's name the program prefixes to each ID), or nothing.
fn ids_also_text(id: &str, also: &[String]) -> String {
    if also.is_empty() {
        return String::new();
    }
    let shared = also.iter().fold(id, |shared, other| {
        let common = shared
            .char_indices()
            .zip(other.chars())
            .find(|((_, a), b)| a != b)
            .map_or(shared.len().min(other.len()), |((at, _), _)| at);
        &shared[..common]
    });
    let named = if shared.chars().any(|c| !c.is_ascii_alphanumeric()) {
        format!(" of the name {shared:?}")
    } else {
        " with the same characters".to_string()
    };
    format!(
        "; so are {} more IDs{named}: {}",
        also.len(),
        also.join(", ")
    )
}

impl SynthError {
    /// Folds `other`, a finding of the same code and cause, into this one's `also` list.
    /// `false` when this kind of finding lists nothing: the caller keeps both.
    pub(crate) fn absorb(&mut self, other: &SynthError) -> bool {
        match (self, other) {
            (Self::InvalidId { also, .. }, Self::InvalidId { id, .. }) => {
                also.push(id.clone());
                true
            }
            (
                Self::DuplicateSubnetsInSameZone { also, .. },
                Self::DuplicateSubnetsInSameZone {
                    construct, kind, ..
                },
            ) => {
                also.push(format!("{construct} ({kind})"));
                true
            }
            _ => false,
        }
    }
}
