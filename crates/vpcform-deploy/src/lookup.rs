//! Lookups: a program's [`ContextQuery`]s answered from the account, each in the query's own
//! account and Region, with EC2's Describe calls signed with `aws-sigv4` and sent through the
//! SDK's connector (as the acceptance steps' calls are: no `aws-sdk-ec2`, whose code generation
//! costs minutes of build for seven read calls).
//!
//! Invariant: a lookup only reads; the credentials used are checked to be the query's account
//! (STS GetCallerIdentity) before any Describe call, so a fact of another account never lands
//! in the context file; a query that matches nothing (or, for a VPC, more than one) is answered
//! [`ContextValue::NotFound`] with what matched, never guessed.
//!
//! AWS sources (Amazon EC2 API Reference, Query API version 2016-11-15, and the shapes of
//! botocore's `ec2/2016-11-15/service-2.json`, whose `locationName`s are the XML element
//! names): DescribeAvailabilityZones (`availabilityZoneInfo`: `zoneName`, `zoneId`,
//! `zoneType`, `zoneState`), DescribeVpcs (`VpcId.N`, `Filter.N` with `tag:<key>`; `vpcSet`:
//! `vpcId`, `ownerId`, `cidrBlock`, `cidrBlockAssociationSet`, `ipv6CidrBlockAssociationSet`
//! with their `…State/state`, `tagSet`), DescribeVpcAttribute (`Attribute` `enableDnsSupport` |
//! `enableDnsHostnames`, answered as `<enableDnsSupport><value>`), DescribeSubnets
//! (`subnetSet`), DescribeRouteTables (`routeTableSet`: `routeSet`, `associationSet` with
//! `main` and `subnetId`), DescribeSecurityGroups (`securityGroupInfo`: `ipPermissions`,
//! `ipPermissionsEgress`, each with `ipProtocol`, `fromPort`, `toPort`, `ipRanges`,
//! `ipv6Ranges`, `groups`, `prefixListIds`), DescribeVpcEndpointServices (`ServiceName.N`,
//! `ServiceRegion.N`; `serviceDetailSet`: `serviceName`, `serviceType/item/serviceType`,
//! `availabilityZoneSet`, `availabilityZoneIdSet`, `privateDnsName`,
//! `supportedIpAddressTypeSet`, `owner`, `acceptanceRequired`, `serviceRegion`); every list
//! call is read page by page through `nextToken`.

use std::collections::BTreeMap;

use vpcform_assembly::{
    AvailabilityZone, ContextQuery, ContextValue, EndpointServiceFacts, RouteFacts,
    RouteTableFacts, RuleFacts, SecurityGroupFacts, SubnetFacts, VpcFacts, VpcFilter,
};

use crate::{DeployError, Deployer, Environment, SignedAccess};

/// The IAM actions a lookup needs, all read-only: what an error naming a refused call lists,
/// and what a policy for the toolkit's credentials grants.
///
/// ```
/// assert!(vpcform_deploy::LOOKUP_ACTIONS.contains(&"ec2:DescribeVpcs"));
/// ```
pub const LOOKUP_ACTIONS: [&str; 8] = [
    "sts:GetCallerIdentity",
    "ec2:DescribeAvailabilityZones",
    "ec2:DescribeVpcs",
    "ec2:DescribeVpcAttribute",
    "ec2:DescribeSubnets",
    "ec2:DescribeRouteTables",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeVpcEndpointServices",
];

impl Deployer {
    /// Answers each query from its account and Region, in the order given: the caller's
    /// account is checked first (it must be the query's), then EC2's Describe calls are made
    /// there. The toolkit inserts the answers into its [`vpcform_assembly::Context`] and
    /// writes it.
    ///
    /// `environments` are the app's (its stacks' environments): a query is answered with the
    /// profile and role of the first one of the same account and Region, else of the same
    /// account, else with the ambient credentials in the query's Region.
    ///
    /// ```no_run
    /// use std::sync::Arc;
    /// use vpcform_assembly::{Context, ContextQuery};
    /// use vpcform_deploy::{DeployOptions, Deployer, TerminalUi};
    ///
    /// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
    /// let deployer = Deployer::from_env(Arc::new(TerminalUi::new()), DeployOptions::default()).await;
    /// let queries = [ContextQuery::AvailabilityZones {
    ///     account: "111122223333".into(),
    ///     region: "eu-west-1".into(),
    /// }];
    /// let mut context = Context::default();
    /// for (query, value) in deployer.resolve_lookups(&queries, &[]).await? {
    ///     context.insert(query, value);
    /// }
    /// context.write(std::path::Path::new(vpcform_assembly::CONTEXT_FILE))?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`DeployError::LookupFailed`] for the first query that could not be answered: the
    /// credentials are of another account, a call was refused (naming the IAM action to grant),
    /// throttled past the retries or not answered; [`DeployError::Cancelled`] when interrupted;
    /// an environment that cannot be connected to.
    pub async fn resolve_lookups(
        &self,
        queries: &[ContextQuery],
        environments: &[Environment],
    ) -> Result<Vec<(ContextQuery, ContextValue)>, DeployError> {
        let mut answers = Vec::with_capacity(queries.len());
        for query in queries {
            let key = query.key();
            self.ui.line(&key, "looking up");
            let access = self.lookup_access(query, environments).await?;
            let value = match query {
                ContextQuery::AvailabilityZones { .. } => self.zones(&key, &access).await?,
                ContextQuery::Vpc {
                    account,
                    region,
                    filter,
                } => self.vpc(&key, &access, filter, account, region).await?,
                ContextQuery::EndpointService {
                    account,
                    region,
                    service_name,
                } => {
                    self.endpoint_service(&key, &access, service_name, account, region)
                        .await?
                }
            };
            let said = match &value {
                ContextValue::NotFound { message } => format!("not found: {message}"),
                _ => "found".to_string(),
            };
            self.ui.line(&key, &said);
            answers.push((query.clone(), value));
        }
        Ok(answers)
    }

    /// EC2 access in the query's account and Region, its caller checked to be of that account.
    async fn lookup_access(
        &self,
        query: &ContextQuery,
        environments: &[Environment],
    ) -> Result<SignedAccess, DeployError> {
        let key = query.key();
        let (account, region) = query.environment();
        let of_account = |e: &&Environment| e.account.as_deref() == Some(account);
        let like = environments
            .iter()
            .filter(of_account)
            .find(|e| e.region.as_deref() == Some(region))
            .or_else(|| environments.iter().find(of_account));
        let environment = Environment {
            account: Some(account.to_string()),
            region: Some(region.to_string()),
            profile: like.and_then(|e| e.profile.clone()),
            role_arn: like.and_then(|e| e.role_arn.clone()),
        };
        let connected = self.connect(&environment, &key).await?;
        let caller = self.caller(&connected, &environment, &key).await?;
        if caller.account != account {
            return Err(DeployError::LookupFailed {
                query: key,
                action: "GetCallerIdentity",
                reason: format!(
                    "the query is answered in account {account}, but the credentials for \
                     {environment} are {} in account {}",
                    caller.arn, caller.account
                ),
                fix: format!(
                    "use credentials of {account}: pin a stack of the app to account {account} \
                     with a profile or a role of it (the lookup uses that environment's), or \
                     set AWS_PROFILE to a profile of {account}"
                ),
                request_id: None,
            });
        }
        connected
            .connection
            .signed
            .clone()
            .ok_or_else(|| DeployError::LookupFailed {
                query: key,
                action: "connecting",
                reason: format!("no region or credentials for EC2 in {environment}"),
                fix: "set AWS_REGION and credentials (AWS_PROFILE); a Connection made by hand \
                      needs its `signed` access"
                    .into(),
                request_id: None,
            })
    }

    /// The Region's available zones, by name.
    async fn zones(&self, key: &str, access: &SignedAccess) -> Result<ContextValue, DeployError> {
        // Without `AllAvailabilityZones`, only the zones the account can use are answered:
        // every Availability Zone, and the Local and Wavelength Zones it opted in to.
        let answer = self
            .ec2_read(key, access, "DescribeAvailabilityZones", &[])
            .await?;
        // Every zone answered, whatever its state at lookup time (`impaired`, `constrained`,
        // … per the DescribeAvailabilityZones reference): a zone that is unhealthy for an hour
        // is still the account's, and dropping it from the committed context would shift the
        // zones counted after it.
        let mut zones: Vec<AvailabilityZone> = answer
            .items("availabilityZoneInfo")
            .map(|z| AvailabilityZone {
                name: z.text("zoneName").unwrap_or_default(),
                id: z.text("zoneId").unwrap_or_default(),
                zone_type: z
                    .text("zoneType")
                    .unwrap_or_else(|| "availability-zone".to_string()),
            })
            .collect();
        zones.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(ContextValue::AvailabilityZones { zones })
    }

    /// The one VPC the filter names, with its subnets, route tables and security groups.
    async fn vpc(
        &self,
        key: &str,
        access: &SignedAccess,
        filter: &VpcFilter,
        account: &str,
        region: &str,
    ) -> Result<ContextValue, DeployError> {
        let params: Vec<(String, String)> = match filter {
            VpcFilter::Id(id) => vec![("VpcId.1".into(), id.clone())],
            VpcFilter::Tags(tags) if tags.is_empty() => {
                return Ok(ContextValue::NotFound {
                    message: "a lookup by tags names no tag, so it would match any VPC; give at \
                              least one tag, or look the VPC up by ID"
                        .to_string(),
                });
            }
            VpcFilter::Tags(tags) => tags
                .iter()
                .enumerate()
                .flat_map(|(i, (k, v))| {
                    [
                        (format!("Filter.{}.Name", i + 1), format!("tag:{k}")),
                        (format!("Filter.{}.Value.1", i + 1), literal(v)),
                    ]
                })
                .collect(),
        };
        let vpcs = match self
            .ec2_pages(key, access, "DescribeVpcs", &params, "vpcSet")
            .await
        {
            Ok(vpcs) => vpcs,
            Err(DeployError::LookupFailed { reason, .. })
                if reason.starts_with("InvalidVpcID.NotFound") =>
            {
                Vec::new()
            }
            Err(e) => return Err(e),
        };
        let vpc = match vpcs.as_slice() {
            [vpc] => vpc,
            [] => {
                return Ok(ContextValue::NotFound {
                    message: format!("no VPC matches {filter} in account {account}, {region}"),
                });
            }
            many => {
                let ids: Vec<String> = many.iter().filter_map(|v| v.text("vpcId")).collect();
                return Ok(ContextValue::NotFound {
                    message: format!(
                        "{} VPCs match {filter} in account {account}, {region} ({}): a lookup \
                         needs exactly one; add a tag that tells them apart, or look the VPC up \
                         by ID",
                        ids.len(),
                        ids.join(", ")
                    ),
                });
            }
        };
        let mut facts = vpc_facts(vpc);
        let vpc_id = facts.vpc_id.clone();
        for (attribute, field) in [
            ("enableDnsSupport", &mut facts.dns_support),
            ("enableDnsHostnames", &mut facts.dns_hostnames),
        ] {
            let params = [
                ("Attribute".to_string(), attribute.to_string()),
                ("VpcId".to_string(), vpc_id.clone()),
            ];
            let answer = self
                .ec2_read(key, access, "DescribeVpcAttribute", &params)
                .await?;
            *field = answer.path(&[attribute, "value"]).map(|v| v == "true");
        }
        let in_vpc = [
            ("Filter.1.Name".to_string(), "vpc-id".to_string()),
            ("Filter.1.Value.1".to_string(), vpc_id.clone()),
        ];
        let tables = self
            .ec2_pages(key, access, "DescribeRouteTables", &in_vpc, "routeTableSet")
            .await?;
        facts.route_tables = tables.iter().map(route_table).collect();
        facts
            .route_tables
            .sort_by(|a, b| a.route_table_id.cmp(&b.route_table_id));
        let subnets = self
            .ec2_pages(key, access, "DescribeSubnets", &in_vpc, "subnetSet")
            .await?;
        facts.subnets = subnet_facts(&subnets, &facts.route_tables);
        facts.subnets.sort_by(|a, b| {
            (&a.availability_zone, block_order(&a.cidr_block))
                .cmp(&(&b.availability_zone, block_order(&b.cidr_block)))
        });
        let groups = self
            .ec2_pages(
                key,
                access,
                "DescribeSecurityGroups",
                &in_vpc,
                "securityGroupInfo",
            )
            .await?;
        facts.security_groups = groups.iter().map(security_group).collect();
        facts
            .security_groups
            .sort_by(|a, b| a.group_id.cmp(&b.group_id));
        Ok(ContextValue::Vpc(Box::new(facts)))
    }

    /// The endpoint service named, as the consumer's account sees it.
    async fn endpoint_service(
        &self,
        key: &str,
        access: &SignedAccess,
        service_name: &str,
        account: &str,
        region: &str,
    ) -> Result<ContextValue, DeployError> {
        let mut params = vec![("ServiceName.1".to_string(), service_name.to_string())];
        // A service of another Region is listed only when its Region is asked for
        // (`ServiceRegions`, cross-Region PrivateLink).
        if let Some(other) = service_region(service_name).filter(|r| *r != region) {
            params.push(("ServiceRegion.1".to_string(), other.to_string()));
        }
        let details = match self
            .ec2_pages(
                key,
                access,
                "DescribeVpcEndpointServices",
                &params,
                "serviceDetailSet",
            )
            .await
        {
            Ok(details) => details,
            // "InvalidServiceName: The Vpc Endpoint Service '…' does not exist".
            Err(DeployError::LookupFailed { reason, .. })
                if reason.starts_with("InvalidServiceName") =>
            {
                Vec::new()
            }
            Err(e) => return Err(e),
        };
        // S3 and DynamoDB answer twice, a Gateway and an Interface entry of one name
        // (hashicorp/terraform-provider-aws#17417): the interface endpoint's facts are the
        // Interface entry's.
        let named: Vec<&Xml> = details
            .iter()
            .filter(|d| d.text("serviceName").as_deref() == Some(service_name))
            .collect();
        let interface = named.iter().copied().find(|d| {
            d.items("serviceType")
                .any(|t| t.text("serviceType").as_deref() == Some("Interface"))
        });
        let Some(service) = interface.or_else(|| named.first().copied()) else {
            return Ok(ContextValue::NotFound {
                message: format!(
                    "no endpoint service {service_name} is offered to account {account} in \
                     {region} (a service of another account must allow the account as a \
                     principal)"
                ),
            });
        };
        let list = |name: &str| -> Vec<String> {
            let mut values: Vec<String> = service
                .items(name)
                .map(|i| i.text.trim().to_string())
                .filter(|v| !v.is_empty())
                .collect();
            values.sort();
            values
        };
        Ok(ContextValue::EndpointService(EndpointServiceFacts {
            service_name: service_name.to_string(),
            service_type: service
                .items("serviceType")
                .find_map(|t| t.text("serviceType"))
                .unwrap_or_default(),
            availability_zones: list("availabilityZoneSet"),
            availability_zone_ids: list("availabilityZoneIdSet"),
            private_dns_name: service.text("privateDnsName"),
            supported_ip_address_types: list("supportedIpAddressTypeSet"),
            service_region: service.text("serviceRegion"),
            owner: service.text("owner").unwrap_or_default(),
            acceptance_required: service.text("acceptanceRequired").as_deref() == Some("true"),
        }))
    }

    /// Every page of a Describe call: the items of `list` of each.
    pub(crate) async fn ec2_pages(
        &self,
        key: &str,
        access: &SignedAccess,
        action: &'static str,
        params: &[(String, String)],
        list: &str,
    ) -> Result<Vec<Xml>, DeployError> {
        let mut items = Vec::new();
        let mut next: Option<String> = None;
        loop {
            let mut page_params = params.to_vec();
            if let Some(token) = &next {
                page_params.push(("NextToken".to_string(), token.clone()));
            }
            let mut answer = self.ec2_read(key, access, action, &page_params).await?;
            let token = answer.text("nextToken");
            // A token answered again would page forever.
            if token.is_some() && token == next {
                return Err(DeployError::LookupFailed {
                    query: key.to_string(),
                    action,
                    reason: "the same NextToken was answered twice".into(),
                    fix: "check AWS_ENDPOINT_URL if it is set (AWS does not do this), then run \
                          the lookup again"
                        .into(),
                    request_id: None,
                });
            }
            next = token;
            if let Some(set) = answer.children.iter_mut().find(|c| c.name == list) {
                items.extend(
                    std::mem::take(&mut set.children)
                        .into_iter()
                        .filter(|i| i.name == "item"),
                );
            }
            if next.is_none() {
                return Ok(items);
            }
        }
    }

    /// One EC2 Query call that reads: the answer's root element. Throttling and AWS's own
    /// failures are sent again ([`crate::step`]'s attempts, a poll interval apart).
    pub(crate) async fn ec2_read(
        &self,
        key: &str,
        access: &SignedAccess,
        action: &'static str,
        params: &[(String, String)],
    ) -> Result<Xml, DeployError> {
        let mut body = format!("Action={action}&Version={}", crate::step::EC2_VERSION);
        for (name, value) in params {
            body += &format!("&{name}={}", crate::step::form_encode(value));
        }
        let url = format!("{}/", access.base_url("ec2"));
        let answer = match self
            .signed_call(
                key,
                access,
                "ec2",
                action,
                &url,
                "application/x-www-form-urlencoded; charset=utf-8",
                body,
            )
            .await
        {
            Ok(answer) => answer,
            Err(DeployError::StepFailed { reason, fix, .. }) => {
                return Err(DeployError::LookupFailed {
                    query: key.to_string(),
                    action,
                    reason,
                    fix,
                    request_id: None,
                });
            }
            Err(e) => return Err(e),
        };
        if (200..300).contains(&answer.status) {
            return Xml::parse(&answer.text).map_err(|reason| DeployError::LookupFailed {
                query: key.to_string(),
                action,
                reason: format!("the answer is not XML ({reason})"),
                fix: "check AWS_ENDPOINT_URL if it is set: it may name something other than EC2"
                    .into(),
                request_id: answer.request_id,
            });
        }
        let (code, message) = crate::calls::xml_error(answer.status, &answer.text);
        let request_id = crate::calls::xml_element(&answer.text, "RequestID").or(answer.request_id);
        Err(lookup_error(key, action, &code, &message, request_id))
    }
}

/// An EC2 error answer as a [`DeployError::LookupFailed`], with the fix where one is known.
fn lookup_error(
    key: &str,
    action: &'static str,
    code: &str,
    message: &str,
    request_id: Option<String>,
) -> DeployError {
    let fix = match code {
        "UnauthorizedOperation" | "AccessDenied" | "AccessDeniedException" => format!(
            "grant ec2:{action} to the credentials used in that account (lookups need the \
             read-only {}; docs/guide/deploy.md)",
            LOOKUP_ACTIONS.join(", ")
        ),
        "RequestLimitExceeded" | "Throttling" | "ThrottlingException" => format!(
            "EC2 throttled the account's calls through {} attempts: run the lookup again \
             later, when other tools call EC2 less",
            crate::step::ATTEMPTS
        ),
        "AuthFailure" | "InvalidClientTokenId" | "ExpiredToken" | "SignatureDoesNotMatch" => {
            "the credentials were refused: refresh them (aws sso login, or new keys)".into()
        }
        "OptInRequired" => "the Region is not enabled for the account: enable it, or look up \
                            in another Region"
            .into(),
        _ => "see AWS's message, then run the lookup again".into(),
    };
    DeployError::LookupFailed {
        query: key.to_string(),
        action,
        reason: format!("{code}: {}", crate::calls::one_line(message)),
        fix,
        request_id,
    }
}

/// The Region in a service name of the forms `com.amazonaws.<region>.<service>` and
/// `com.amazonaws.vpce.<region>.vpce-svc-…`.
fn service_region(name: &str) -> Option<&str> {
    let mut parts = name.split('.').skip(2);
    let first = parts.next()?;
    let region = if first == "vpce" {
        parts.next()?
    } else {
        first
    };
    let looks_like = region.split('-').count() >= 3
        && region
            .rsplit('-')
            .next()
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    looks_like.then_some(region)
}

/// An IPv4 or IPv6 block's sort key: by address, then prefix length; text that is not a
/// block sorts after the blocks, by itself.
fn block_order(block: &str) -> (u8, Option<ipnet::IpNet>, String) {
    match block.parse::<ipnet::IpNet>() {
        Ok(net) => (0, Some(net), String::new()),
        Err(_) => (1, None, block.to_string()),
    }
}

/// The `tagSet` of an item.
fn tags(item: &Xml) -> BTreeMap<String, String> {
    item.items("tagSet")
        .filter_map(|t| Some((t.text("key")?, t.text("value").unwrap_or_default())))
        .collect()
}

/// A route table's ID, main flag, associated subnets and routes.
/// A tag value as a literal filter value: EC2's filters read `*` and `?` as wildcards, and a
/// backslash escapes them (EC2 API Reference, "Filter"; "List and filter your resources").
fn literal(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if matches!(c, '*' | '?' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A described VPC's own facts (DescribeVpcs' item): its blocks associated and its tags.
fn vpc_facts(vpc: &Xml) -> VpcFacts {
    let primary = vpc.text("cidrBlock").unwrap_or_default();
    let associated =
        |item: &Xml, state: &str| item.path(&[state, "state"]).as_deref() == Some("associated");
    VpcFacts {
        vpc_id: vpc.text("vpcId").unwrap_or_default(),
        owner_id: vpc.text("ownerId").unwrap_or_default(),
        secondary_cidr_blocks: vpc
            .items("cidrBlockAssociationSet")
            .filter(|b| associated(b, "cidrBlockState"))
            .filter_map(|b| b.text("cidrBlock"))
            .filter(|b| *b != primary)
            .collect(),
        ipv6_cidr_blocks: vpc
            .items("ipv6CidrBlockAssociationSet")
            .filter(|b| associated(b, "ipv6CidrBlockState"))
            .filter_map(|b| b.text("ipv6CidrBlock"))
            .collect(),
        cidr_block: primary,
        tags: tags(vpc),
        ..VpcFacts::default()
    }
}

/// Described subnets (DescribeSubnets' items) with the route table each uses: its explicit
/// association, or the VPC's main table.
fn subnet_facts(subnets: &[Xml], tables: &[RouteTableFacts]) -> Vec<SubnetFacts> {
    let main_table = tables
        .iter()
        .find(|t| t.main)
        .map(|t| t.route_table_id.clone());
    subnets
        .iter()
        .map(|s| {
            let subnet_id = s.text("subnetId").unwrap_or_default();
            let route_table_id = tables
                .iter()
                .find(|t| t.subnet_ids.contains(&subnet_id))
                .map(|t| t.route_table_id.clone())
                .or_else(|| main_table.clone());
            SubnetFacts {
                subnet_id,
                cidr_block: s.text("cidrBlock").unwrap_or_default(),
                availability_zone: s.text("availabilityZone").unwrap_or_default(),
                availability_zone_id: s.text("availabilityZoneId").unwrap_or_default(),
                route_table_id,
                tags: tags(s),
            }
        })
        .collect()
}

fn route_table(table: &Xml) -> RouteTableFacts {
    let associations: Vec<&Xml> = table.items("associationSet").collect();
    let mut subnet_ids: Vec<String> = associations
        .iter()
        .filter_map(|a| a.text("subnetId"))
        .collect();
    subnet_ids.sort();
    RouteTableFacts {
        route_table_id: table.text("routeTableId").unwrap_or_default(),
        main: associations
            .iter()
            .any(|a| a.text("main").as_deref() == Some("true")),
        subnet_ids,
        routes: table.items("routeSet").map(route).collect(),
    }
}

/// A route's destination and target, as [`RouteFacts`] says them.
pub(crate) fn route(route: &Xml) -> RouteFacts {
    const DESTINATIONS: [&str; 3] = [
        "destinationCidrBlock",
        "destinationIpv6CidrBlock",
        "destinationPrefixListId",
    ];
    const TARGETS: [&str; 10] = [
        "gatewayId",
        "natGatewayId",
        "transitGatewayId",
        "vpcPeeringConnectionId",
        "networkInterfaceId",
        "instanceId",
        "egressOnlyInternetGatewayId",
        "localGatewayId",
        "carrierGatewayId",
        "coreNetworkArn",
    ];
    RouteFacts {
        destination: DESTINATIONS
            .iter()
            .find_map(|d| route.text(d))
            .unwrap_or_default(),
        target: TARGETS
            .iter()
            .find_map(|t| route.text(t))
            .unwrap_or_default(),
        state: route.text("state").unwrap_or_default(),
        origin: route.text("origin").unwrap_or_default(),
    }
}

/// A security group with its rules flattened, one per peer.
pub(crate) fn security_group(group: &Xml) -> SecurityGroupFacts {
    SecurityGroupFacts {
        group_id: group.text("groupId").unwrap_or_default(),
        group_name: group.text("groupName").unwrap_or_default(),
        ingress: group.items("ipPermissions").flat_map(rules).collect(),
        egress: group.items("ipPermissionsEgress").flat_map(rules).collect(),
    }
}

/// One `IpPermission` as one rule per peer: blocks, IPv6 blocks, groups, prefix lists.
fn rules(permission: &Xml) -> Vec<RuleFacts> {
    let protocol = permission.text("ipProtocol").unwrap_or_default();
    let port = |name: &str| permission.text(name).and_then(|p| p.parse::<i32>().ok());
    let (from_port, to_port) = (port("fromPort"), port("toPort"));
    let peers = [
        ("ipRanges", "cidrIp"),
        ("ipv6Ranges", "cidrIpv6"),
        ("groups", "groupId"),
        ("prefixListIds", "prefixListId"),
    ];
    peers
        .iter()
        .flat_map(|(list, field)| permission.items(list).filter_map(|i| i.text(field)))
        .map(|peer| RuleFacts {
            protocol: protocol.clone(),
            from_port,
            to_port,
            peer,
        })
        .collect()
}

/// An XML element: its name (without a prefix), its text, its child elements. EC2's answers
/// are small (a page of items), so a tree is simpler than reading them as a stream.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Xml {
    pub(crate) name: String,
    pub(crate) text: String,
    pub(crate) children: Vec<Xml>,
}

impl Xml {
    /// The document's root element.
    pub(crate) fn parse(text: &str) -> Result<Xml, String> {
        use xmlparser::{ElementEnd, Token, Tokenizer};
        let mut open: Vec<Xml> = vec![Xml::default()];
        for token in Tokenizer::from(text) {
            match token.map_err(|e| e.to_string())? {
                Token::ElementStart { local, .. } => open.push(Xml {
                    name: local.as_str().to_string(),
                    ..Xml::default()
                }),
                Token::ElementEnd {
                    end: ElementEnd::Close(..) | ElementEnd::Empty,
                    ..
                } => {
                    let done = open.pop().ok_or("an end tag with no start")?;
                    open.last_mut()
                        .ok_or("an end tag with no start")?
                        .children
                        .push(done);
                }
                Token::Text { text } => {
                    if let Some(top) = open.last_mut() {
                        top.text += &unescape(text.as_str());
                    }
                }
                Token::Cdata { text, .. } => {
                    if let Some(top) = open.last_mut() {
                        top.text += text.as_str();
                    }
                }
                _ => {}
            }
        }
        match open.pop() {
            Some(mut document) if open.is_empty() && document.children.len() == 1 => {
                Ok(document.children.remove(0))
            }
            _ => Err("not one complete element".to_string()),
        }
    }

    /// The first child element named `name`.
    pub(crate) fn child(&self, name: &str) -> Option<&Xml> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The trimmed text of the child `name`; `None` when absent or empty.
    pub(crate) fn text(&self, name: &str) -> Option<String> {
        self.child(name)
            .map(|c| c.text.trim().to_string())
            .filter(|t| !t.is_empty())
    }

    /// The trimmed text at a path of children.
    pub(crate) fn path(&self, names: &[&str]) -> Option<String> {
        let (last, parents) = names.split_last()?;
        let mut at = self;
        for name in parents {
            at = at.child(name)?;
        }
        at.text(last)
    }

    /// The `item`s of the list child `name` (EC2's lists are `<name><item>…</item></name>`).
    pub(crate) fn items<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a Xml> + 'a {
        self.child(name)
            .into_iter()
            .flat_map(|list| list.children.iter())
            .filter(|i| i.name == "item")
    }
}

/// XML's five named entities and numeric character references, decoded; an unknown one is
/// kept as written.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out += &rest[..at];
        rest = &rest[at..];
        let Some(end) = rest.find(';') else { break };
        let entity = &rest[1..end];
        let decoded = match entity {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .map(|hex| u32::from_str_radix(hex, 16))
                .or_else(|| entity.strip_prefix('#').map(str::parse::<u32>))
                .and_then(Result::ok)
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out + rest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_is_read_into_a_tree_with_entities_decoded() {
        let xml = Xml::parse(
            "<?xml version=\"1.0\"?>\n<R xmlns=\"http://ec2\"><a>x &amp; y&#33;&#x3f;</a>\
             <set><item><k>1</k></item><item><k>2</k></item><other/></set><e/></R>",
        )
        .expect("parsed");
        assert_eq!(xml.name, "R");
        assert_eq!(xml.text("a").as_deref(), Some("x & y!?"));
        assert_eq!(
            xml.items("set")
                .filter_map(|i| i.text("k"))
                .collect::<Vec<_>>(),
            ["1", "2"]
        );
        assert_eq!(xml.text("e"), None);
        assert!(Xml::parse("<R><a></R>").is_err());
        assert!(Xml::parse("").is_err());
        assert_eq!(unescape("a &unknown; b &"), "a &unknown; b &");
    }

    #[test]
    fn a_service_names_its_region() {
        assert_eq!(
            service_region("com.amazonaws.eu-west-1.ssm"),
            Some("eu-west-1")
        );
        assert_eq!(
            service_region("com.amazonaws.vpce.us-east-1.vpce-svc-0123"),
            Some("us-east-1")
        );
        assert_eq!(service_region("com.amazonaws.s3-global.accesspoint"), None);
        assert_eq!(
            service_region("aws.sagemaker.eu-west-1.notebook"),
            Some("eu-west-1")
        );
        assert_eq!(service_region("com.amazonaws.vpce"), None);
    }

    #[test]
    fn a_rule_per_peer_and_routes_by_their_target() {
        let group = Xml::parse(
            "<item><groupId>sg-1</groupId><groupName>web</groupName><ipPermissions><item>\
             <ipProtocol>tcp</ipProtocol><fromPort>443</fromPort><toPort>443</toPort>\
             <ipRanges><item><cidrIp>10.0.0.0/8</cidrIp></item></ipRanges>\
             <groups><item><userId>1</userId><groupId>sg-2</groupId></item></groups>\
             </item></ipPermissions><ipPermissionsEgress><item><ipProtocol>-1</ipProtocol>\
             <ipv6Ranges><item><cidrIpv6>::/0</cidrIpv6></item></ipv6Ranges>\
             <prefixListIds><item><prefixListId>pl-1</prefixListId></item></prefixListIds>\
             </item></ipPermissionsEgress></item>",
        )
        .expect("parsed");
        let facts = security_group(&group);
        let peers = |rules: &[RuleFacts]| rules.iter().map(|r| r.peer.clone()).collect::<Vec<_>>();
        assert_eq!(peers(&facts.ingress), ["10.0.0.0/8", "sg-2"]);
        assert_eq!(facts.ingress[1].from_port, Some(443));
        assert_eq!(peers(&facts.egress), ["::/0", "pl-1"]);
        assert_eq!(facts.egress[0].to_port, None);
        let r = route(
            &Xml::parse(
                "<item><destinationPrefixListId>pl-1</destinationPrefixListId>\
                 <gatewayId>vpce-1</gatewayId><state>active</state><origin>CreateRoute</origin></item>",
            )
            .expect("parsed"),
        );
        assert_eq!(
            (r.destination.as_str(), r.target.as_str()),
            ("pl-1", "vpce-1")
        );
    }

    #[test]
    fn blocks_sort_by_address_not_text() {
        let mut blocks = vec!["10.0.10.0/24", "10.0.2.0/24", "x"];
        blocks.sort_by_key(|b| block_order(b));
        assert_eq!(blocks, ["10.0.2.0/24", "10.0.10.0/24", "x"]);
    }
}
