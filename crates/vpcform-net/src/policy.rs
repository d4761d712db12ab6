//! VPC endpoint policies: typed statements, or IAM JSON, checked the same way at synthesis.
//!
//! An endpoint policy is the most a VPC endpoint lets through: it grants nothing by itself,
//! and the caller's own policies must allow the request too (docs/aws-rules.md §21). The
//! checks here are the mistakes AWS refuses at deploy, or accepts and then denies every request
//! for: no `Allow`, a misspelt key, a bucket name where an ARN belongs.
//!
//! ```
//! use vpcform_net::policy::{Condition, EndpointPolicy, PolicyResource, Principal, Statement};
//! let policy = EndpointPolicy::new().statement(
//!     Statement::allow()
//!         .principal(Principal::Any)
//!         .actions(["s3:GetObject", "s3:PutObject"])
//!         .resources([PolicyResource::s3_bucket("my-bucket"), PolicyResource::s3_objects("my-bucket")])
//!         .condition(Condition::principal_org_id("o-a1b2c3d4e5")),
//! );
//! ```

use vpcform_cfn::Value;

/// The most characters a VPC endpoint policy may have, whitespace included (AWS PrivateLink
/// guide, "Control access to VPC endpoints using endpoint policies").
pub const MAX_POLICY_CHARS: usize = 20_480;

/// An endpoint policy: typed [`Statement`]s, or an IAM JSON document (`From<serde_json::Value>`,
/// so `.policy(json!({...}))` works). Both are checked at synthesis; the JSON is written as
/// given.
///
/// ```
/// use vpcform_net::policy::EndpointPolicy;
/// let from_json: EndpointPolicy = serde_json::json!({
///     "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": "*"}]
/// }).into();
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct EndpointPolicy(PolicyForm);

#[derive(Clone, Debug, PartialEq)]
enum PolicyForm {
    Typed(Vec<Statement>),
    Json(serde_json::Value),
}

impl Default for EndpointPolicy {
    fn default() -> Self {
        EndpointPolicy::new()
    }
}

impl EndpointPolicy {
    /// A policy with no statements yet (a policy must end with at least one `Allow`).
    ///
    /// See the [module](self) for an example.
    pub fn new() -> EndpointPolicy {
        EndpointPolicy(PolicyForm::Typed(Vec::new()))
    }

    /// AWS's default policy written out: anyone, any action, any resource.
    ///
    /// ```
    /// let full = vpcform_net::policy::EndpointPolicy::full_access();
    /// ```
    pub fn full_access() -> EndpointPolicy {
        EndpointPolicy::new().statement(
            Statement::allow()
                .principal(Principal::Any)
                .actions(["*"])
                .resources([PolicyResource::any()]),
        )
    }

    /// Adds a statement (to a JSON policy: to its `Statement` list).
    ///
    /// See the [module](self) for an example.
    pub fn statement(self, statement: Statement) -> EndpointPolicy {
        match self.0 {
            PolicyForm::Typed(mut statements) => {
                statements.push(statement);
                EndpointPolicy(PolicyForm::Typed(statements))
            }
            PolicyForm::Json(mut json) => {
                let rendered = serde_json::to_value(statement.to_value()).unwrap_or_default();
                match json.get_mut("Statement") {
                    Some(serde_json::Value::Array(list)) => list.push(rendered),
                    Some(single) => {
                        let first = single.take();
                        *single = serde_json::Value::Array(vec![first, rendered]);
                    }
                    None => {
                        if let Some(map) = json.as_object_mut() {
                            map.insert(
                                "Statement".into(),
                                serde_json::Value::Array(vec![rendered]),
                            );
                        }
                    }
                }
                EndpointPolicy(PolicyForm::Json(json))
            }
        }
    }

    /// The `PolicyDocument` to write.
    pub(crate) fn to_value(&self) -> Value {
        match &self.0 {
            PolicyForm::Typed(statements) => {
                let mut doc = indexmap::IndexMap::new();
                doc.insert("Version".to_string(), Value::from("2012-10-17"));
                doc.insert(
                    "Statement".to_string(),
                    Value::List(statements.iter().map(Statement::to_value).collect()),
                );
                Value::Map(doc)
            }
            PolicyForm::Json(json) => Value::from(json.clone()),
        }
    }

    /// The ARNs the policy names as principals (`Principal`, `NotPrincipal`) or resources
    /// (`Resource`, `NotResource`), as written: literals, and the text of an `Fn::Sub` (whose
    /// partition, when written out, is as literal). What the partition checks read.
    pub(crate) fn arns(&self) -> Vec<String> {
        let json = serde_json::to_value(self.to_value()).unwrap_or_default();
        let statements: Vec<&serde_json::Value> = match json.get("Statement") {
            Some(serde_json::Value::Array(list)) => list.iter().collect(),
            Some(single) => vec![single],
            None => Vec::new(),
        };
        let mut arns = Vec::new();
        for statement in statements {
            for key in ["Principal", "NotPrincipal"] {
                // `"*"`, or a map of principal types (AWS, Service, …) to a value or a list.
                if let Some(serde_json::Value::Object(map)) = statement.get(key) {
                    arns.extend(map.values().flat_map(strings).filter_map(text_of));
                }
            }
            for key in ["Resource", "NotResource"] {
                arns.extend(
                    statement
                        .get(key)
                        .map(strings)
                        .unwrap_or_default()
                        .into_iter()
                        .filter_map(text_of),
                );
            }
        }
        arns.into_iter()
            .filter(|text| text.starts_with("arn:"))
            .map(str::to_string)
            .collect()
    }

    /// The policy's problems, for an endpoint of the given kind.
    pub(crate) fn problems(&self, gateway: bool) -> Vec<PolicyProblem> {
        let json = serde_json::to_value(self.to_value()).unwrap_or_default();
        let mut problems = Vec::new();
        check_document(&json, gateway, &mut problems);
        problems
    }
}

impl From<serde_json::Value> for EndpointPolicy {
    fn from(json: serde_json::Value) -> EndpointPolicy {
        EndpointPolicy(PolicyForm::Json(json))
    }
}

/// `Allow` or `Deny`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// `Allow`.
    Allow,
    /// `Deny`: overrides any `Allow`.
    Deny,
}

/// Who a statement applies to.
#[derive(Clone, Debug, PartialEq)]
pub enum Principal {
    /// `"*"`: anyone (narrow it with conditions such as [`Condition::principal_org_id`]). The
    /// only principal a gateway endpoint's policy honours as written.
    Any,
    /// `{"AWS": [...]}`: accounts (`"123456789012"`) or IAM ARNs.
    Aws(Vec<Value>),
    /// `{"Service": [...]}`: AWS service principals (`"logs.amazonaws.com"`).
    Service(Vec<String>),
}

impl Principal {
    /// `{"AWS": [...]}` from accounts or ARNs.
    ///
    /// ```
    /// let p = vpcform_net::policy::Principal::aws(["111122223333"]);
    /// ```
    pub fn aws(ids: impl IntoIterator<Item = impl Into<Value>>) -> Principal {
        Principal::Aws(ids.into_iter().map(Into::into).collect())
    }

    fn to_value(&self) -> Value {
        let mut map = indexmap::IndexMap::new();
        match self {
            Principal::Any => return Value::from("*"),
            Principal::Aws(ids) => {
                map.insert("AWS".to_string(), Value::List(ids.clone()));
            }
            Principal::Service(names) => {
                map.insert(
                    "Service".to_string(),
                    Value::List(names.iter().map(|n| Value::from(n.as_str())).collect()),
                );
            }
        }
        Value::Map(map)
    }
}

/// An entry of a statement's `Resource`.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyResource(Value);

impl PolicyResource {
    /// `"*"`.
    ///
    /// ```
    /// let any = vpcform_net::policy::PolicyResource::any();
    /// ```
    pub fn any() -> PolicyResource {
        PolicyResource(Value::from("*"))
    }

    /// An ARN, as text or any value.
    ///
    /// ```
    /// let table = vpcform_net::policy::PolicyResource::arn("arn:aws:dynamodb:eu-west-1:111122223333:table/Orders");
    /// ```
    pub fn arn(arn: impl Into<Value>) -> PolicyResource {
        PolicyResource(arn.into())
    }

    /// The bucket itself, for bucket actions such as `s3:ListBucket`:
    /// `arn:${AWS::Partition}:s3:::<bucket>`, right in every partition.
    ///
    /// ```
    /// let b = vpcform_net::policy::PolicyResource::s3_bucket("my-bucket");
    /// ```
    pub fn s3_bucket(bucket: &str) -> PolicyResource {
        PolicyResource(Value::sub(format!("arn:${{AWS::Partition}}:s3:::{bucket}")))
    }

    /// The bucket's objects, for object actions such as `s3:GetObject`:
    /// `arn:${AWS::Partition}:s3:::<bucket>/*`.
    ///
    /// ```
    /// let o = vpcform_net::policy::PolicyResource::s3_objects("my-bucket");
    /// ```
    pub fn s3_objects(bucket: &str) -> PolicyResource {
        PolicyResource(Value::sub(format!(
            "arn:${{AWS::Partition}}:s3:::{bucket}/*"
        )))
    }
}

impl From<&str> for PolicyResource {
    fn from(text: &str) -> PolicyResource {
        PolicyResource(Value::from(text))
    }
}

/// One `Condition` entry: `{"<operator>": {"<key>": [values]}}`.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    operator: String,
    key: String,
    values: Vec<Value>,
}

impl Condition {
    /// Any operator, key and values (`StringLike`, `aws:PrincipalArn`, …).
    ///
    /// ```
    /// let c = vpcform_net::policy::Condition::new("ArnLike", "aws:PrincipalArn", ["arn:aws:iam::111122223333:role/app-*"]);
    /// ```
    pub fn new(
        operator: impl Into<String>,
        key: impl Into<String>,
        values: impl IntoIterator<Item = impl Into<Value>>,
    ) -> Condition {
        Condition {
            operator: operator.into(),
            key: key.into(),
            values: values.into_iter().map(Into::into).collect(),
        }
    }

    /// `StringEquals aws:PrincipalOrgID`: only principals of the organization.
    ///
    /// ```
    /// let c = vpcform_net::policy::Condition::principal_org_id("o-a1b2c3d4e5");
    /// ```
    pub fn principal_org_id(org: impl Into<Value>) -> Condition {
        Condition::new("StringEquals", "aws:PrincipalOrgID", [org])
    }

    /// `StringEquals aws:ResourceOrgID`: only resources of the organization.
    ///
    /// ```
    /// let c = vpcform_net::policy::Condition::resource_org_id("o-a1b2c3d4e5");
    /// ```
    pub fn resource_org_id(org: impl Into<Value>) -> Condition {
        Condition::new("StringEquals", "aws:ResourceOrgID", [org])
    }

    /// `StringEquals aws:PrincipalAccount`.
    ///
    /// ```
    /// let c = vpcform_net::policy::Condition::principal_account(["111122223333"]);
    /// ```
    pub fn principal_account(accounts: impl IntoIterator<Item = impl Into<Value>>) -> Condition {
        Condition::new("StringEquals", "aws:PrincipalAccount", accounts)
    }

    /// `StringEquals aws:SourceVpce`: requests through these endpoints (for a resource's policy,
    /// such as a bucket's; in an endpoint's own policy it is always that endpoint).
    ///
    /// ```
    /// let c = vpcform_net::policy::Condition::source_vpce(["vpce-0123456789abcdef0"]);
    /// ```
    pub fn source_vpce(endpoints: impl IntoIterator<Item = impl Into<Value>>) -> Condition {
        Condition::new("StringEquals", "aws:SourceVpce", endpoints)
    }
}

/// One statement of an endpoint policy.
///
/// See the [module](self) for an example.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    sid: Option<String>,
    effect: Effect,
    principal: Option<Principal>,
    actions: Vec<String>,
    resources: Vec<PolicyResource>,
    conditions: Vec<Condition>,
}

impl Statement {
    fn new(effect: Effect) -> Statement {
        Statement {
            sid: None,
            effect,
            principal: None,
            actions: Vec::new(),
            resources: Vec::new(),
            conditions: Vec::new(),
        }
    }

    /// An `Allow` statement.
    ///
    /// See the [module](self) for an example.
    pub fn allow() -> Statement {
        Statement::new(Effect::Allow)
    }

    /// A `Deny` statement.
    ///
    /// ```
    /// use vpcform_net::policy::{Principal, PolicyResource, Statement};
    /// let s = Statement::deny().principal(Principal::Any).actions(["s3:DeleteBucket"]).resources([PolicyResource::any()]);
    /// ```
    pub fn deny() -> Statement {
        Statement::new(Effect::Deny)
    }

    /// `Sid`.
    ///
    /// ```
    /// let s = vpcform_net::policy::Statement::allow().sid("ReadOnly");
    /// ```
    pub fn sid(mut self, sid: impl Into<String>) -> Statement {
        self.sid = Some(sid.into());
        self
    }

    /// `Principal`. Required: an endpoint policy is a resource-based policy.
    ///
    /// See the [module](self) for an example.
    pub fn principal(mut self, principal: Principal) -> Statement {
        self.principal = Some(principal);
        self
    }

    /// `Action`: `service:Action` names, wildcards allowed, or `*`.
    ///
    /// See the [module](self) for an example.
    pub fn actions(mut self, actions: impl IntoIterator<Item = impl Into<String>>) -> Statement {
        self.actions.extend(actions.into_iter().map(Into::into));
        self
    }

    /// `Resource`: ARNs or `*`.
    ///
    /// See the [module](self) for an example.
    pub fn resources(
        mut self,
        resources: impl IntoIterator<Item = impl Into<PolicyResource>>,
    ) -> Statement {
        self.resources.extend(resources.into_iter().map(Into::into));
        self
    }

    /// A `Condition` entry; several are all required.
    ///
    /// See the [module](self) for an example.
    pub fn condition(mut self, condition: Condition) -> Statement {
        self.conditions.push(condition);
        self
    }

    fn to_value(&self) -> Value {
        let mut map = indexmap::IndexMap::new();
        if let Some(sid) = &self.sid {
            map.insert("Sid".to_string(), Value::from(sid.as_str()));
        }
        map.insert(
            "Effect".to_string(),
            Value::from(match self.effect {
                Effect::Allow => "Allow",
                Effect::Deny => "Deny",
            }),
        );
        if let Some(principal) = &self.principal {
            map.insert("Principal".to_string(), principal.to_value());
        }
        if !self.actions.is_empty() {
            map.insert(
                "Action".to_string(),
                Value::List(
                    self.actions
                        .iter()
                        .map(|a| Value::from(a.as_str()))
                        .collect(),
                ),
            );
        }
        if !self.resources.is_empty() {
            map.insert(
                "Resource".to_string(),
                Value::List(self.resources.iter().map(|r| r.0.clone()).collect()),
            );
        }
        if !self.conditions.is_empty() {
            let mut operators: indexmap::IndexMap<String, Value> = indexmap::IndexMap::new();
            for c in &self.conditions {
                let entry = operators
                    .entry(c.operator.clone())
                    .or_insert_with(|| Value::Map(indexmap::IndexMap::new()));
                if let Value::Map(keys) = entry {
                    keys.insert(c.key.clone(), Value::List(c.values.clone()));
                }
            }
            map.insert("Condition".to_string(), Value::Map(operators));
        }
        Value::Map(map)
    }
}

impl From<Statement> for EndpointPolicy {
    fn from(statement: Statement) -> EndpointPolicy {
        EndpointPolicy::new().statement(statement)
    }
}

/// What is wrong with an endpoint policy (docs/aws-rules.md §21).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyProblem {
    /// No statement allows anything: every request through the endpoint is denied.
    #[error(
        "the policy has no Allow statement, so it denies every request through the endpoint \
         (an endpoint policy grants nothing unless it allows it)"
    )]
    NoAllow,
    /// A key IAM's policy grammar does not have.
    #[error("{place} has the key {key:?}, which is not in the IAM policy grammar")]
    UnknownKey {
        /// Where: `the document` or `statement 2`.
        place: String,
        /// The key.
        key: String,
        /// The grammar's key it most resembles.
        suggestion: Option<&'static str>,
        /// The keys allowed there.
        allowed: &'static [&'static str],
    },
    /// A required element is missing, or a value has the wrong shape.
    #[error("{place}: {reason}")]
    Malformed {
        /// Where.
        place: String,
        /// What is wrong, and the fix.
        reason: String,
    },
    /// A `Resource` that is neither `*` nor an ARN: a bucket name, most often.
    #[error("{place}: Resource {value:?} is not an ARN")]
    NotAnArn {
        /// Where.
        place: String,
        /// The text given.
        value: String,
        /// It, without any `/…`.
        bare: String,
    },
    /// Longer than AWS accepts.
    #[error("the policy has {chars} characters; AWS accepts at most {MAX_POLICY_CHARS}")]
    TooLong {
        /// Its length, compact JSON.
        chars: usize,
    },
}

impl PolicyProblem {
    /// The fix, as [`SynthError::help`](crate::findings::SynthError::help) gives it for
    /// `SynthError::EndpointPolicy`.
    ///
    /// ```
    /// assert_eq!(
    ///     vpcform_net::policy::PolicyProblem::TooLong { chars: 30_000 }.help(),
    ///     "merge statements or use wildcards"
    /// );
    /// ```
    pub fn help(&self) -> String {
        match self {
            Self::NoAllow => "add an Allow statement, or leave the policy unset for AWS's \
                              full-access default"
                .into(),
            Self::UnknownKey {
                key,
                suggestion,
                allowed,
                ..
            } => match suggestion {
                Some(s) => format!("write {s:?} instead of {key:?}"),
                None => format!("use one of {}", allowed.join(", ")),
            },
            // The reason states the form the grammar wants.
            Self::Malformed { place, .. } => format!("correct {place} as the reason says"),
            Self::NotAnArn { bare, .. } => format!(
                "write an ARN: an S3 bucket is arn:aws:s3:::{bare} (bucket actions) and \
                 arn:aws:s3:::{bare}/* (object actions); `PolicyResource::s3_bucket` and \
                 `PolicyResource::s3_objects` write both for any partition"
            ),
            Self::TooLong { .. } => "merge statements or use wildcards".into(),
        }
    }
}

const DOCUMENT_KEYS: &[&str] = &["Version", "Id", "Statement"];
const STATEMENT_KEYS: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];
/// IAM's condition operators, without the `ForAnyValue:`/`ForAllValues:` prefixes and the
/// `IfExists` suffix (IAM User Guide, "Condition operators").
const OPERATORS: &[&str] = &[
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnNotEquals",
    "ArnLike",
    "ArnNotLike",
    "Null",
];
/// Keys naming system-generated identifiers: no wildcards, no numeric operators (PrivateLink
/// guide, endpoint policy considerations).
const IDENTIFIER_KEYS: &[&str] = &[
    "aws:principalaccount",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:principalorgid",
    "aws:resourceaccount",
    "aws:resourceorgid",
];

fn closest(key: &str, allowed: &'static [&'static str]) -> Option<&'static str> {
    allowed
        .iter()
        .map(|k| {
            (
                strsim::damerau_levenshtein(&key.to_ascii_lowercase(), &k.to_ascii_lowercase()),
                *k,
            )
        })
        .filter(|(d, k)| *d <= (k.len() / 3).max(1))
        .min()
        .map(|(_, k)| k)
}

fn unknown_keys(
    map: &serde_json::Map<String, serde_json::Value>,
    place: &str,
    allowed: &'static [&'static str],
    problems: &mut Vec<PolicyProblem>,
) {
    for key in map.keys() {
        if !allowed.contains(&key.as_str()) {
            problems.push(PolicyProblem::UnknownKey {
                place: place.to_string(),
                key: key.clone(),
                suggestion: closest(key, allowed),
                allowed,
            });
        }
    }
}

/// A value or list of values, as IAM takes them: the list's items, or the value alone.
fn strings(value: &serde_json::Value) -> Vec<&serde_json::Value> {
    match value {
        serde_json::Value::Array(items) => items.iter().collect(),
        other => vec![other],
    }
}

/// The text of a literal, or of an `Fn::Sub` template (checked for its fixed part).
fn text_of(value: &serde_json::Value) -> Option<&str> {
    match value {
        serde_json::Value::String(s) => Some(s),
        serde_json::Value::Object(map) => map.get("Fn::Sub").and_then(|s| match s {
            serde_json::Value::String(s) => Some(s.as_str()),
            serde_json::Value::Array(parts) => parts.first().and_then(|p| p.as_str()),
            _ => None,
        }),
        _ => None,
    }
}

fn check_document(doc: &serde_json::Value, gateway: bool, problems: &mut Vec<PolicyProblem>) {
    let Some(map) = doc.as_object() else {
        problems.push(PolicyProblem::Malformed {
            place: "the document".into(),
            reason: "an endpoint policy is a JSON object with a Statement list".into(),
        });
        return;
    };
    unknown_keys(map, "the document", DOCUMENT_KEYS, problems);
    if let Some(version) = map.get("Version")
        && !matches!(version.as_str(), Some("2012-10-17" | "2008-10-17"))
    {
        problems.push(PolicyProblem::Malformed {
            place: "the document".into(),
            reason: format!("Version {version} is not \"2012-10-17\" (or the old \"2008-10-17\")"),
        });
    }
    let statements: Vec<&serde_json::Value> = match map.get("Statement") {
        Some(serde_json::Value::Array(list)) => list.iter().collect(),
        Some(single @ serde_json::Value::Object(_)) => vec![single],
        Some(_) => {
            problems.push(PolicyProblem::Malformed {
                place: "the document".into(),
                reason: "Statement must be a statement object or a list of them".into(),
            });
            return;
        }
        None => Vec::new(),
    };
    let mut allows = false;
    for (i, statement) in statements.iter().enumerate() {
        let place = format!("statement {}", i + 1);
        let Some(s) = statement.as_object() else {
            problems.push(PolicyProblem::Malformed {
                place,
                reason: "a statement is a JSON object".into(),
            });
            continue;
        };
        unknown_keys(s, &place, STATEMENT_KEYS, problems);
        match s.get("Effect").and_then(|e| e.as_str()) {
            Some("Allow") => allows = true,
            Some("Deny") => {}
            other => problems.push(PolicyProblem::Malformed {
                place: place.clone(),
                reason: format!(
                    "Effect is {}; it must be \"Allow\" or \"Deny\" (case-sensitive)",
                    other
                        .map(|o| format!("{o:?}"))
                        .unwrap_or_else(|| "missing".into())
                ),
            }),
        }
        for (one, not) in [
            ("Principal", "NotPrincipal"),
            ("Action", "NotAction"),
            ("Resource", "NotResource"),
        ] {
            match (s.contains_key(one), s.contains_key(not)) {
                (true, true) => problems.push(PolicyProblem::Malformed {
                    place: place.clone(),
                    reason: format!("{one} and {not} exclude each other; keep one"),
                }),
                (false, false) => problems.push(PolicyProblem::Malformed {
                    place: place.clone(),
                    reason: match one {
                        "Principal" => "Principal is missing: an endpoint policy is a resource-based policy, each statement names its principals (\"*\" for anyone)".into(),
                        _ => format!("{one} is missing (or {not}); write \"*\" for all"),
                    },
                }),
                _ => {}
            }
        }
        if let Some(principal) = s.get("Principal") {
            check_principal(principal, gateway, &place, problems);
        }
        for key in ["Action", "NotAction"] {
            for action in s.get(key).map(strings).unwrap_or_default() {
                let ok = action.as_str().is_some_and(valid_action);
                if !ok {
                    problems.push(PolicyProblem::Malformed {
                        place: place.clone(),
                        reason: format!("{key} {action} is not \"*\" or \"service:Action\" (such as \"s3:GetObject\", wildcards allowed)"),
                    });
                }
            }
        }
        for key in ["Resource", "NotResource"] {
            for resource in s.get(key).map(strings).unwrap_or_default() {
                match text_of(resource) {
                    Some("*") => {}
                    Some(text) if text.starts_with("arn:") => {}
                    Some(text) => problems.push(PolicyProblem::NotAnArn {
                        place: place.clone(),
                        value: text.to_string(),
                        bare: text.split('/').next().unwrap_or(text).to_string(),
                    }),
                    // Another intrinsic (a Ref, GetAtt): its value is the template's.
                    None => {}
                }
            }
        }
        if let Some(condition) = s.get("Condition") {
            check_condition(condition, &place, problems);
        }
    }
    if !allows {
        problems.push(PolicyProblem::NoAllow);
    }
    let chars = serde_json::to_string(doc)
        .map(|t| t.chars().count())
        .unwrap_or(0);
    if chars > MAX_POLICY_CHARS {
        problems.push(PolicyProblem::TooLong { chars });
    }
}

fn valid_action(action: &str) -> bool {
    if action == "*" {
        return true;
    }
    let Some((service, name)) = action.split_once(':') else {
        return false;
    };
    !service.is_empty()
        && service
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'*' || b == b'?')
}

fn check_principal(
    principal: &serde_json::Value,
    gateway: bool,
    place: &str,
    problems: &mut Vec<PolicyProblem>,
) {
    match principal {
        serde_json::Value::String(s) if s == "*" => {}
        serde_json::Value::String(s) => problems.push(PolicyProblem::Malformed {
            place: place.to_string(),
            reason: format!(
                "Principal {s:?} must be \"*\" or a map such as {{\"AWS\": [{s:?}]}} (`Principal::aws`)"
            ),
        }),
        serde_json::Value::Object(map) => {
            for key in map.keys() {
                if !matches!(key.as_str(), "AWS" | "Service" | "Federated" | "CanonicalUser") {
                    problems.push(PolicyProblem::UnknownKey {
                        place: format!("{place}'s Principal"),
                        key: key.clone(),
                        suggestion: closest(key, &["AWS", "Service", "Federated", "CanonicalUser"]),
                        allowed: &["AWS", "Service", "Federated", "CanonicalUser"],
                    });
                }
            }
            let any = map.get("AWS").is_some_and(|v| v.as_str() == Some("*"));
            // Gateway endpoints: an account principal means its root user only, so AWS says
            // to write "*" and narrow with aws:PrincipalArn (PrivateLink guide, "Principals
            // for gateway endpoints").
            if gateway && !any {
                problems.push(PolicyProblem::Malformed {
                    place: place.to_string(),
                    reason: "a gateway endpoint's policy takes only the principal \"*\" (an account there means its root user alone); write \"*\" and narrow it with a condition on aws:PrincipalArn or aws:PrincipalAccount".into(),
                });
            }
        }
        _ => problems.push(PolicyProblem::Malformed {
            place: place.to_string(),
            reason: "Principal must be \"*\" or a map of AWS/Service principals".into(),
        }),
    }
}

fn check_condition(condition: &serde_json::Value, place: &str, problems: &mut Vec<PolicyProblem>) {
    let Some(operators) = condition.as_object() else {
        problems.push(PolicyProblem::Malformed {
            place: place.to_string(),
            reason: "Condition is a map of operators to maps of keys and values".into(),
        });
        return;
    };
    for (operator, keys) in operators {
        let base = operator
            .strip_prefix("ForAnyValue:")
            .or_else(|| operator.strip_prefix("ForAllValues:"))
            .unwrap_or(operator);
        let base = base.strip_suffix("IfExists").unwrap_or(base);
        if !OPERATORS.contains(&base) {
            problems.push(PolicyProblem::UnknownKey {
                place: format!("{place}'s Condition"),
                key: operator.clone(),
                suggestion: closest(base, OPERATORS),
                allowed: OPERATORS,
            });
            continue;
        }
        let Some(keys) = keys.as_object() else {
            problems.push(PolicyProblem::Malformed {
                place: place.to_string(),
                reason: format!("Condition {operator} must map condition keys to values"),
            });
            continue;
        };
        for (key, values) in keys {
            if !key.contains(':') {
                problems.push(PolicyProblem::Malformed {
                    place: place.to_string(),
                    reason: format!("condition key {key:?} is not \"prefix:name\" (such as \"aws:PrincipalOrgID\")"),
                });
            }
            let identifier = IDENTIFIER_KEYS.contains(&key.to_ascii_lowercase().as_str());
            let wildcard = strings(values)
                .iter()
                .any(|v| v.as_str().is_some_and(|s| s.contains(['*', '?'])));
            if identifier && (base.starts_with("Numeric") || (wildcard && base.contains("Like"))) {
                problems.push(PolicyProblem::Malformed {
                    place: place.to_string(),
                    reason: format!("{key} names a system-generated identifier: AWS takes no wildcards or numeric operators with it; list the exact values with StringEquals"),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn problems(doc: serde_json::Value) -> Vec<PolicyProblem> {
        EndpointPolicy::from(doc).problems(false)
    }

    #[test]
    fn a_good_policy_of_either_form_has_no_problem() {
        let typed = EndpointPolicy::new().statement(
            Statement::allow()
                .principal(Principal::Any)
                .actions(["s3:GetObject"])
                .resources([PolicyResource::s3_objects("b")])
                .condition(Condition::principal_org_id("o-abc")),
        );
        assert_eq!(typed.problems(true), vec![]);
        assert_eq!(EndpointPolicy::full_access().problems(false), vec![]);
        assert_eq!(
            problems(
                json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": ["sqs:*"], "Resource": "*"}})
            ),
            vec![]
        );
    }

    #[test]
    fn each_mistake_is_named() {
        assert_eq!(
            problems(
                json!({"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}]})
            ),
            vec![PolicyProblem::NoAllow]
        );
        let p = problems(
            json!({"Statement": [{"Efect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}),
        );
        assert!(
            matches!(&p[0], PolicyProblem::UnknownKey { key, suggestion: Some("Effect"), .. } if key == "Efect"),
            "{p:?}"
        );
        let p = problems(
            json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "my-bucket/*"}]}),
        );
        assert_eq!(
            p[0].to_string(),
            "statement 1: Resource \"my-bucket/*\" is not an ARN"
        );
        assert_eq!(
            p[0].help(),
            "write an ARN: an S3 bucket is arn:aws:s3:::my-bucket (bucket actions) and arn:aws:s3:::my-bucket/* (object actions); `PolicyResource::s3_bucket` and `PolicyResource::s3_objects` write both for any partition"
        );
        let p = problems(
            json!({"Statement": [{"Effect": "allow", "Action": "s3 GetObject", "Resource": "*"}]}),
        );
        let text: Vec<String> = p.iter().map(ToString::to_string).collect();
        assert!(
            text.iter().any(|t| t.contains("Effect is \"allow\"")),
            "{text:?}"
        );
        assert!(
            text.iter().any(|t| t.contains("Principal is missing")),
            "{text:?}"
        );
        assert!(
            text.iter().any(|t| t.contains("\"s3 GetObject\" is not")),
            "{text:?}"
        );
        let p = problems(
            json!({"Statement": [{"Effect": "Allow", "Principal": "arn:aws:iam::111122223333:root", "Action": "*", "Resource": "*", "Condition": {"StringEqual": {"aws:PrincipalOrgID": "o-1"}}}]}),
        );
        let text: Vec<String> = p.iter().map(ToString::to_string).collect();
        assert!(
            text.iter().any(|t| t.contains("must be \"*\" or a map")),
            "{text:?}"
        );
        assert!(
            p.iter()
                .any(|p| p.help() == "write \"StringEquals\" instead of \"StringEqual\""),
            "{p:?}"
        );
        let p = problems(
            json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*", "Condition": {"StringLike": {"aws:PrincipalAccount": "1111*"}}}]}),
        );
        assert!(
            p[0].to_string().contains("system-generated identifier"),
            "{p:?}"
        );
        let p = problems(
            json!({"Version": "2012-10-18", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "NotAction": "s3:*", "Resource": "*"}]}),
        );
        assert_eq!(p.len(), 2, "{p:?}");
        let gateway = EndpointPolicy::from(
            json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "*", "Resource": "*"}]}),
        );
        assert!(
            gateway.problems(true)[0]
                .to_string()
                .contains("gateway endpoint's policy takes only the principal \"*\"")
        );
        assert_eq!(gateway.problems(false), vec![]);
        let long: Vec<String> = (0..2000).map(|i| format!("s3:GetObject{i}")).collect();
        let p = problems(
            json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": long, "Resource": "*"}]}),
        );
        assert!(
            matches!(p[0], PolicyProblem::TooLong { chars } if chars > MAX_POLICY_CHARS),
            "{p:?}"
        );
    }

    #[test]
    fn typed_statements_render_iam_json() {
        let policy = EndpointPolicy::new().statement(
            Statement::allow()
                .sid("Read")
                .principal(Principal::aws(["111122223333"]))
                .actions(["s3:GetObject"])
                .resources([PolicyResource::s3_objects("b")])
                .condition(Condition::principal_org_id("o-1"))
                .condition(Condition::resource_org_id("o-1")),
        );
        assert_eq!(
            serde_json::to_value(policy.to_value()).unwrap_or_default(),
            json!({"Version": "2012-10-17", "Statement": [{
                "Sid": "Read", "Effect": "Allow", "Principal": {"AWS": ["111122223333"]},
                "Action": ["s3:GetObject"], "Resource": [{"Fn::Sub": "arn:${AWS::Partition}:s3:::b/*"}],
                "Condition": {"StringEquals": {"aws:PrincipalOrgID": ["o-1"], "aws:ResourceOrgID": ["o-1"]}}
            }]})
        );
        let json = EndpointPolicy::from(json!({"Statement": {"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}}))
            .statement(Statement::allow().principal(Principal::Any).actions(["*"]).resources(["*"]));
        assert_eq!(json.problems(false), vec![]);
    }
}
