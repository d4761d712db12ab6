//! Lookups: facts only the account knows, asked by a program ([`ContextQuery`]), answered by the
//! toolkit ([`ContextValue`]) and kept in `vpcform.context.json` ([`Context`]) so that synthesis
//! stays deterministic and offline, as CDK's `cdk.context.json`.
//!
//! A program whose lookups are not all in the context lists them in its manifest
//! ([`Manifest::missing`](crate::Manifest::missing)) and stops; the toolkit resolves each query
//! with EC2's Describe calls in the query's account and Region, writes the context file (sorted,
//! meant to be committed), and runs the program again.
//!
//! Invariant: a query's [`key`](ContextQuery::key) is a function of the query alone, so the
//! same lookup finds the same entry in any run, on any machine; the file is written sorted by
//! key, so a new entry is a one-hunk diff.

use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The context file's name, in the project's directory (beside `vpcform.toml`).
///
/// ```
/// assert_eq!(vpcform_assembly::CONTEXT_FILE, "vpcform.context.json");
/// ```
pub const CONTEXT_FILE: &str = "vpcform.context.json";

/// The environment variable the toolkit sets to the context file's path when it runs a
/// program; a program run by hand reads [`CONTEXT_FILE`] in its working directory.
///
/// ```
/// assert_eq!(vpcform_assembly::CONTEXT_ENV, "VPCFORM_CONTEXT");
/// ```
pub const CONTEXT_ENV: &str = "VPCFORM_CONTEXT";

/// What a program asks of an account: the account and Region it is asked in, and what.
/// Lookups need both: a fact of "whatever account the credentials name" would not be
/// deterministic.
///
/// ```
/// use vpcform_assembly::{ContextQuery, VpcFilter};
/// let query = ContextQuery::Vpc {
///     account: "111122223333".into(),
///     region: "eu-west-1".into(),
///     filter: VpcFilter::Tags([("Name".to_string(), "shared".to_string())].into()),
/// };
/// assert_eq!(query.key(), "vpc:account=111122223333:region=eu-west-1:tag:Name=shared");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum ContextQuery {
    /// The Region's Availability Zones for the account: names and zone IDs
    /// (DescribeAvailabilityZones). Zone names map to different physical zones in different
    /// accounts; zone IDs do not.
    AvailabilityZones {
        /// The account (12 digits).
        account: String,
        /// The Region.
        region: String,
    },
    /// A VPC, with its subnets, route tables and security groups (DescribeVpcs,
    /// DescribeVpcAttribute, DescribeSubnets, DescribeRouteTables, DescribeSecurityGroups).
    Vpc {
        /// The account (12 digits).
        account: String,
        /// The Region.
        region: String,
        /// Which VPC: exactly one must match.
        filter: VpcFilter,
    },
    /// An endpoint service, of AWS or another account (DescribeVpcEndpointServices): the
    /// zones it is offered in, its private DNS name, IP address types.
    EndpointService {
        /// The account (12 digits) of the consumer asking.
        account: String,
        /// The Region of the consumer asking.
        region: String,
        /// The service's name, such as `com.amazonaws.eu-west-1.ssm`.
        service_name: String,
    },
}

/// How a [`ContextQuery::Vpc`] names its VPC.
///
/// ```
/// let by_id = vpcform_assembly::VpcFilter::Id("vpc-0a1b2c3d4e5f60718".into());
/// assert_eq!(by_id.to_string(), "vpc-id=vpc-0a1b2c3d4e5f60718");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum VpcFilter {
    /// By ID.
    Id(String),
    /// By tags, every one of which it carries (sorted, so the key does not depend on the
    /// order they were written in).
    Tags(BTreeMap<String, String>),
}

impl fmt::Display for VpcFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VpcFilter::Id(id) => write!(f, "vpc-id={id}"),
            VpcFilter::Tags(tags) => {
                let parts: Vec<String> = tags
                    .iter()
                    .map(|(k, v)| format!("tag:{}={}", escape(k), escape(v)))
                    .collect();
                f.write_str(&parts.join(":"))
            }
        }
    }
}

/// A tag's key or value in a query's key: `%`, `:` and `=` percent-encoded, so that no two
/// queries share a key (a value holding `:tag:x=y` would otherwise read as a second tag).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            ':' => out.push_str("%3A"),
            '=' => out.push_str("%3D"),
            c => out.push(c),
        }
    }
    out
}

impl ContextQuery {
    /// The query's key in the context file: its kind, account, Region and what it names.
    ///
    /// See [`ContextQuery`] for an example.
    pub fn key(&self) -> String {
        match self {
            ContextQuery::AvailabilityZones { account, region } => {
                format!("availability-zones:account={account}:region={region}")
            }
            ContextQuery::Vpc {
                account,
                region,
                filter,
            } => format!("vpc:account={account}:region={region}:{filter}"),
            ContextQuery::EndpointService {
                account,
                region,
                service_name,
            } => {
                format!("endpoint-service:account={account}:region={region}:service={service_name}")
            }
        }
    }

    /// The account and Region the query is answered in.
    ///
    /// ```
    /// let query = vpcform_assembly::ContextQuery::AvailabilityZones {
    ///     account: "111122223333".into(),
    ///     region: "eu-west-1".into(),
    /// };
    /// assert_eq!(query.environment(), ("111122223333", "eu-west-1"));
    /// ```
    pub fn environment(&self) -> (&str, &str) {
        match self {
            ContextQuery::AvailabilityZones { account, region }
            | ContextQuery::Vpc {
                account, region, ..
            }
            | ContextQuery::EndpointService {
                account, region, ..
            } => (account, region),
        }
    }
}

impl fmt::Display for ContextQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key())
    }
}

/// The answer to a [`ContextQuery`], as the toolkit read it from the account.
///
/// ```
/// use vpcform_assembly::{AvailabilityZone, ContextValue};
/// let value = ContextValue::AvailabilityZones {
///     zones: vec![AvailabilityZone {
///         name: "eu-west-1a".into(),
///         id: "euw1-az3".into(),
///         zone_type: "availability-zone".into(),
///     }],
/// };
/// let json = serde_json::to_string(&value)?;
/// assert!(json.starts_with(r#"{"type":"availabilityZones","zones":[{"name":"eu-west-1a""#));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum ContextValue {
    /// The Region's zones for the account, in DescribeAvailabilityZones' order (by name).
    AvailabilityZones {
        /// Zones in the `available` state (of zone type `availability-zone`, and Local or
        /// Wavelength Zones the account opted in to).
        zones: Vec<AvailabilityZone>,
    },
    /// The VPC found.
    Vpc(Box<VpcFacts>),
    /// The endpoint service found.
    EndpointService(EndpointServiceFacts),
    /// The query matched nothing (or, for a VPC, more than one): the program's lookup fails
    /// with this message rather than guessing. Kept so that a rerun does not ask again; clear
    /// it with `vpcform context --clear KEY` once the resource exists.
    NotFound {
        /// What the account answered, in a sentence.
        message: String,
    },
}

impl ContextValue {
    /// Whether this is an answer of the kind `query` asks for (or a not-found answer).
    ///
    /// ```
    /// use vpcform_assembly::{ContextQuery, ContextValue};
    /// let zones = ContextQuery::AvailabilityZones { account: "111122223333".into(), region: "eu-west-1".into() };
    /// assert!(ContextValue::AvailabilityZones { zones: vec![] }.answers(&zones));
    /// assert!(!ContextValue::Vpc(Default::default()).answers(&zones));
    /// ```
    pub fn answers(&self, query: &ContextQuery) -> bool {
        matches!(
            (self, query),
            (ContextValue::NotFound { .. }, _)
                | (
                    ContextValue::AvailabilityZones { .. },
                    ContextQuery::AvailabilityZones { .. }
                )
                | (ContextValue::Vpc(_), ContextQuery::Vpc { .. })
                | (
                    ContextValue::EndpointService(_),
                    ContextQuery::EndpointService { .. }
                )
        )
    }
}

/// An Availability Zone as the account sees it.
///
/// See [`ContextValue`] for an example.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AvailabilityZone {
    /// Its name in this account, such as `eu-west-1a` (`ZoneName`).
    pub name: String,
    /// Its ID, the same in every account, such as `euw1-az3` (`ZoneId`).
    pub id: String,
    /// `availability-zone`, `local-zone` or `wavelength-zone` (`ZoneType`).
    pub zone_type: String,
}

/// A looked-up VPC: what the checks and the traffic analysis need of it.
///
/// ```
/// let vpc = vpcform_assembly::VpcFacts {
///     vpc_id: "vpc-0a1b2c3d4e5f60718".into(),
///     owner_id: "111122223333".into(),
///     cidr_block: "10.20.0.0/16".into(),
///     ..Default::default()
/// };
/// assert!(vpc.subnets.is_empty() && vpc.dns_support.is_none());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VpcFacts {
    /// `VpcId`.
    pub vpc_id: String,
    /// `OwnerId`: the account that owns it.
    pub owner_id: String,
    /// The primary IPv4 block (`CidrBlock`).
    pub cidr_block: String,
    /// Secondary IPv4 blocks associated (`CidrBlockAssociationSet`, `associated` only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secondary_cidr_blocks: Vec<String>,
    /// IPv6 blocks associated (`Ipv6CidrBlockAssociationSet`, `associated` only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ipv6_cidr_blocks: Vec<String>,
    /// `enableDnsSupport` (DescribeVpcAttribute).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_support: Option<bool>,
    /// `enableDnsHostnames` (DescribeVpcAttribute).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_hostnames: Option<bool>,
    /// The VPC's tags.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
    /// Its subnets, sorted by zone then block.
    #[serde(default)]
    pub subnets: Vec<SubnetFacts>,
    /// Its route tables, the main one included, sorted by ID.
    #[serde(default)]
    pub route_tables: Vec<RouteTableFacts>,
    /// Its security groups, sorted by ID.
    #[serde(default)]
    pub security_groups: Vec<SecurityGroupFacts>,
}

/// A looked-up subnet.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubnetFacts {
    /// `SubnetId`.
    pub subnet_id: String,
    /// `CidrBlock`.
    pub cidr_block: String,
    /// `AvailabilityZone`: the zone's name in the VPC owner's account.
    pub availability_zone: String,
    /// `AvailabilityZoneId`.
    pub availability_zone_id: String,
    /// The route table it is associated with, or the VPC's main table when none is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route_table_id: Option<String>,
    /// The subnet's tags (`Name` and, from CDK, `aws-cdk:subnet-type` help pick subnets).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
}

/// A looked-up route table and its routes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RouteTableFacts {
    /// `RouteTableId`.
    pub route_table_id: String,
    /// Whether it is the VPC's main route table.
    #[serde(default)]
    pub main: bool,
    /// The subnets explicitly associated with it.
    #[serde(default)]
    pub subnet_ids: Vec<String>,
    /// Its routes, as DescribeRouteTables lists them.
    #[serde(default)]
    pub routes: Vec<RouteFacts>,
}

/// A route of a looked-up table.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RouteFacts {
    /// The destination: an IPv4 or IPv6 block, or a prefix list's ID (`pl-…`).
    pub destination: String,
    /// The target's ID (`local`, `igw-…`, `nat-…`, `tgw-…`, `vpce-…`, `pcx-…`, `eni-…`), or
    /// empty for a blackhole route whose target is gone.
    pub target: String,
    /// `active` or `blackhole` (`State`).
    #[serde(default)]
    pub state: String,
    /// `CreateRouteTable`, `CreateRoute` or `EnableVgwRoutePropagation` (`Origin`).
    #[serde(default)]
    pub origin: String,
}

/// A looked-up security group and its rules.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecurityGroupFacts {
    /// `GroupId`.
    pub group_id: String,
    /// `GroupName`.
    pub group_name: String,
    /// Inbound rules, one per source (`IpPermissions` flattened).
    #[serde(default)]
    pub ingress: Vec<RuleFacts>,
    /// Outbound rules, one per destination (`IpPermissionsEgress` flattened).
    #[serde(default)]
    pub egress: Vec<RuleFacts>,
}

/// One rule of a looked-up security group: a protocol, a port range and one peer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleFacts {
    /// `IpProtocol`: `tcp`, `udp`, `icmp`, a number, or `-1` for all.
    pub protocol: String,
    /// `FromPort` (absent for all protocols).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_port: Option<i32>,
    /// `ToPort` (absent for all protocols).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_port: Option<i32>,
    /// The peer: an IPv4 or IPv6 block, a security group's ID, or a prefix list's ID.
    pub peer: String,
}

/// A looked-up endpoint service, as the consumer's account sees it.
///
/// ```
/// let service = vpcform_assembly::EndpointServiceFacts {
///     service_name: "com.amazonaws.eu-west-1.ssm".into(),
///     service_type: "Interface".into(),
///     availability_zones: vec!["eu-west-1a".into(), "eu-west-1b".into()],
///     ..Default::default()
/// };
/// assert!(service.offered_in("eu-west-1a") && !service.offered_in("eu-west-1c"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EndpointServiceFacts {
    /// `ServiceName`.
    pub service_name: String,
    /// `Interface`, `Gateway` or `GatewayLoadBalancer` (`ServiceType`).
    pub service_type: String,
    /// The zones it is offered in, by name in the consumer's account (`AvailabilityZones`).
    #[serde(default)]
    pub availability_zones: Vec<String>,
    /// The zones it is offered in, by ID, when the account answered with them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub availability_zone_ids: Vec<String>,
    /// `PrivateDnsName`, when the service has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_dns_name: Option<String>,
    /// `SupportedIpAddressTypes`: `ipv4`, `ipv6`.
    #[serde(default)]
    pub supported_ip_address_types: Vec<String>,
    /// The Region the service is in (`ServiceRegion`), for cross-Region PrivateLink.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_region: Option<String>,
    /// `Owner`: `amazon` or an account ID.
    #[serde(default)]
    pub owner: String,
    /// `AcceptanceRequired`.
    #[serde(default)]
    pub acceptance_required: bool,
}

impl EndpointServiceFacts {
    /// Whether the service is offered in the zone named `zone` (a name, or an ID when the
    /// account answered with IDs).
    ///
    /// See [`EndpointServiceFacts`] for an example.
    pub fn offered_in(&self, zone: &str) -> bool {
        self.availability_zones.iter().any(|z| z == zone)
            || self.availability_zone_ids.iter().any(|z| z == zone)
    }
}

/// One entry of the context file: the query (so the toolkit can list and refresh it) and
/// its answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContextEntry {
    /// What was asked.
    pub query: ContextQuery,
    /// What the account answered.
    pub value: ContextValue,
}

/// `vpcform.context.json`: the answers to a program's lookups, by [`ContextQuery::key`].
///
/// ```
/// use vpcform_assembly::{Context, ContextQuery, ContextValue};
/// let mut context = Context::default();
/// let query = ContextQuery::AvailabilityZones {
///     account: "111122223333".into(),
///     region: "eu-west-1".into(),
/// };
/// assert!(context.get(&query).is_none());
/// context.insert(query.clone(), ContextValue::AvailabilityZones { zones: vec![] });
/// assert!(context.get(&query).is_some());
/// let text = context.to_json()?;
/// assert_eq!(Context::parse(std::path::Path::new("x.json"), &text)?, context);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Context {
    entries: BTreeMap<String, ContextEntry>,
}

/// Why a context file could not be read or written; one line naming the file and the fix.
///
/// ```
/// let error = vpcform_assembly::Context::parse(std::path::Path::new("vpcform.context.json"), "[1]")
///     .unwrap_err();
/// assert!(error.to_string().starts_with("vpcform.context.json: not a vpcform context file"));
/// ```
#[derive(Debug)]
pub enum ContextError {
    /// A file that could not be read or written.
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: io::Error,
    },
    /// A file that is not a context of this schema (edited by hand into something else).
    Garbled {
        /// The file.
        path: PathBuf,
        /// serde_json's words, with the line and column, or the entry whose key does not fit
        /// its query.
        error: String,
    },
}

impl fmt::Display for ContextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ContextError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            ContextError::Garbled { path, error } => write!(
                f,
                "{}: not a vpcform context file: {error}; fix or remove the entry (`vpcform \
                 context --clear KEY`), or clear them all (`vpcform context --clear-all`) to look \
                 everything up again",
                path.display()
            ),
        }
    }
}

impl std::error::Error for ContextError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ContextError::Io { source, .. } => Some(source),
            ContextError::Garbled { .. } => None,
        }
    }
}

impl Context {
    /// Reads a context file; a file that does not exist is an empty context.
    ///
    /// # Errors
    /// [`ContextError::Io`] when it cannot be read; [`ContextError::Garbled`] when it is not a
    /// context (see [`Context::parse`]).
    ///
    /// ```
    /// let missing = std::env::temp_dir().join("vpcform-no-such-context.json");
    /// assert!(vpcform_assembly::Context::read(&missing)?.is_empty());
    /// # Ok::<(), vpcform_assembly::ContextError>(())
    /// ```
    pub fn read(path: &Path) -> Result<Context, ContextError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Context::parse(path, &text),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Context::default()),
            Err(source) => Err(ContextError::Io {
                path: path.to_path_buf(),
                source,
            }),
        }
    }

    /// Parses a context file's text (`path` names it in errors).
    ///
    /// # Errors
    /// [`ContextError::Garbled`] for text that is not a JSON object of entries, or an entry
    /// whose key is not its query's [`key`](ContextQuery::key) (an entry edited by hand, which
    /// would otherwise answer another lookup).
    ///
    /// See [`Context`] for an example.
    pub fn parse(path: &Path, text: &str) -> Result<Context, ContextError> {
        let garbled = |error: String| ContextError::Garbled {
            path: path.to_path_buf(),
            error,
        };
        let context: Context = serde_json::from_str(text).map_err(|e| garbled(e.to_string()))?;
        for (key, entry) in &context.entries {
            let expected = entry.query.key();
            if *key != expected {
                return Err(garbled(format!(
                    "the entry {key:?} holds the query {expected:?}"
                )));
            }
            if !entry.value.answers(&entry.query) {
                return Err(garbled(format!(
                    "the entry {key:?} holds an answer of another kind than its query"
                )));
            }
        }
        Ok(context)
    }

    /// Writes the context sorted by key, as pretty JSON ending in a newline.
    ///
    /// # Errors
    /// [`ContextError::Io`] when it cannot be written.
    ///
    /// ```
    /// let path = std::env::temp_dir().join(format!("vpcform-context-doc-{}.json", std::process::id()));
    /// vpcform_assembly::Context::default().write(&path)?;
    /// assert_eq!(std::fs::read_to_string(&path)?, "{}\n");
    /// # std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write(&self, path: &Path) -> Result<(), ContextError> {
        let text = self.to_json().map_err(|e| ContextError::Garbled {
            path: path.to_path_buf(),
            error: e.to_string(),
        })?;
        std::fs::write(path, text).map_err(|source| ContextError::Io {
            path: path.to_path_buf(),
            source,
        })
    }

    /// The context as written: pretty JSON sorted by key, ending in a newline.
    ///
    /// # Errors
    /// serde_json's, which these types do not produce.
    ///
    /// See [`Context`] for an example.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        let mut text = serde_json::to_string_pretty(self)?;
        text.push('\n');
        Ok(text)
    }

    /// The answer to `query`, if the context has it.
    ///
    /// See [`Context`] for an example.
    pub fn get(&self, query: &ContextQuery) -> Option<&ContextValue> {
        self.entries
            .get(&query.key())
            .filter(|e| e.query == *query)
            .map(|e| &e.value)
    }

    /// Records the answer to `query`, replacing any earlier one.
    ///
    /// See [`Context`] for an example.
    pub fn insert(&mut self, query: ContextQuery, value: ContextValue) {
        self.entries
            .insert(query.key(), ContextEntry { query, value });
    }

    /// Removes the entry of `key`; returns it when there was one.
    ///
    /// ```
    /// use vpcform_assembly::{Context, ContextQuery, ContextValue};
    /// let mut context = Context::default();
    /// let query = ContextQuery::AvailabilityZones { account: "111122223333".into(), region: "eu-west-1".into() };
    /// context.insert(query.clone(), ContextValue::AvailabilityZones { zones: vec![] });
    /// assert!(context.remove(&query.key()).is_some());
    /// assert!(context.is_empty());
    /// ```
    pub fn remove(&mut self, key: &str) -> Option<ContextEntry> {
        self.entries.remove(key)
    }

    /// The entries, sorted by key.
    ///
    /// ```
    /// assert_eq!(vpcform_assembly::Context::default().entries().count(), 0);
    /// ```
    pub fn entries(&self) -> impl Iterator<Item = (&str, &ContextEntry)> {
        self.entries.iter().map(|(k, e)| (k.as_str(), e))
    }

    /// Whether it has no entries.
    ///
    /// See [`Context::read`] for an example.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}
