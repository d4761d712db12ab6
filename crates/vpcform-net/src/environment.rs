//! Where a stack is deployed — account, region, credentials — and what that means for values
//! that cross stacks.
//!
//! **Invariant:** a reference stays `Fn::ImportValue` only when both stacks are known to share
//! an account and a region (CloudFormation resolves exports only there: "Fn::ImportValue",
//! AWS CloudFormation User Guide, "you can't create cross-stack references across regions" and
//! exports are per account and region). Any other import becomes a `String` parameter of the
//! importing stack, recorded as a [`ParameterImport`] for the deployer to fill from the
//! exporting stack's output, read with that stack's credentials.

use serde::Serialize;
use vpcform_cfn::{Parameter, Template, Value};

use crate::SynthError;

/// A stack's environment: where it is deployed and with which credentials. Each part left
/// `None` is the deploying credentials' (unknown at synth).
///
/// ```
/// use vpcform_net::prelude::*;
/// vpcform_net::topology! { stack Network { vpc Main } }
/// let mut stack = Stack::<Network>::new("Network").account("111122223333").region("eu-west-1");
/// stack.add("Main", Vpc::<Main>::builder().cidr(cidr!("10.0.0.0/16")).build());
/// let mut app = App::new("demo");
/// app.add_stack(stack);
/// let assembly = app.synth()?;
/// let env = assembly.stacks()[0].environment();
/// assert_eq!(env.account.as_deref(), Some("111122223333"));
/// assert_eq!(env.region.as_deref(), Some("eu-west-1"));
/// assert!(env.profile.is_none() && env.role_arn.is_none());
/// # Ok::<(), vpcform_net::findings::SynthErrors>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Environment {
    /// The account the stack must be deployed to (checked against STS GetCallerIdentity
    /// before any change).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// The region.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The named profile whose credentials (and region, unless pinned) deploy it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// The IAM role assumed to deploy it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
}

impl Environment {
    /// The account: pinned, or the role's.
    fn account_id(&self) -> Option<&str> {
        self.account
            .as_deref()
            .or_else(|| self.role_arn.as_deref().and_then(role_account))
    }

    /// Whether `Fn::ImportValue` from `other` works here: the same account and region, known
    /// (both pinned alike) or ambient alike (neither pinned, with the same credentials).
    pub(crate) fn shares_exports_with(&self, other: &Environment) -> bool {
        let same_credentials = self.profile == other.profile && self.role_arn == other.role_arn;
        let account = match (self.account_id(), other.account_id()) {
            (Some(mine), Some(theirs)) => mine == theirs,
            (None, None) => same_credentials,
            _ => false,
        };
        let region = match (&self.region, &other.region) {
            (Some(mine), Some(theirs)) => mine == theirs,
            // A profile may name its region; a role does not change it.
            (None, None) => self.profile == other.profile,
            _ => false,
        };
        account && region
    }

    /// `account 111122223333, eu-west-1, role …`, or `the deploying credentials`.
    pub(crate) fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(account) = &self.account {
            parts.push(format!("account {account}"));
        }
        if let Some(region) = &self.region {
            parts.push(region.clone());
        }
        if let Some(profile) = &self.profile {
            parts.push(format!("profile {profile}"));
        }
        if let Some(role) = &self.role_arn {
            parts.push(format!("role {role}"));
        }
        if parts.is_empty() {
            "the deploying credentials' account and region".to_string()
        } else {
            parts.join(", ")
        }
    }
}

/// The account of an IAM role ARN, `arn:<partition>:iam::<account>:role/<path and name>`;
/// `None` when it is not one (IAM identifiers, "IAM ARNs").
fn role_account(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(6, ':');
    let (Some("arn"), Some(partition), Some("iam"), Some(""), Some(account), Some(resource)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    let name = resource.strip_prefix("role/")?;
    (partition.starts_with("aws") && is_account_id(account) && !name.is_empty()).then_some(account)
}

/// An AWS account ID: 12 digits (AWS Account Management, "View AWS account identifiers").
pub(crate) fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

/// A stack's environment as given: a 12-digit account, a role ARN (of that account when both
/// are given), a profile name that `~/.aws/config` can hold.
pub(crate) fn check(stack: &str, environment: &Environment, errors: &mut Vec<SynthError>) {
    let mut invalid = |what: &'static str, value: &str, fix: String| {
        errors.push(SynthError::InvalidEnvironment {
            stack: stack.to_string(),
            what,
            value: value.to_string(),
            fix,
        })
    };
    if let Some(account) = &environment.account
        && !is_account_id(account)
    {
        invalid(
            "account",
            account,
            "an AWS account ID is 12 digits, e.g. 111122223333".into(),
        );
    }
    if let Some(role) = &environment.role_arn {
        match role_account(role) {
            None => invalid(
                "role ARN",
                role,
                "a role ARN looks like arn:aws:iam::111122223333:role/vpcform-deploy".into(),
            ),
            Some(of_role) => {
                if let Some(account) = &environment.account
                    && is_account_id(account)
                    && account != of_role
                {
                    invalid(
                        "role ARN",
                        role,
                        format!(
                            "the role is in account {of_role} but the stack is pinned to \
                             account {account}: assume a role of {account}, or pin {of_role}"
                        ),
                    );
                }
            }
        }
    }
    if let Some(profile) = &environment.profile
        && (profile.is_empty() || profile.chars().any(|c| c.is_whitespace() || c == ']'))
    {
        invalid(
            "profile",
            profile,
            "a profile name is a non-empty word of ~/.aws/config's [profile NAME] sections".into(),
        );
    }
}

/// An import made a template parameter: the exporting stack and output the deployer reads the
/// value from, with that stack's credentials.
///
/// ```
/// use vpcform_net::prelude::*;
/// vpcform_net::topology! { stack Provider { vpc P } stack Consumer { vpc C } }
/// let mut provider = Stack::<Provider>::new("Provider").account("111122223333");
/// provider.add("P", Vpc::<P>::builder().cidr(cidr!("10.0.0.0/16")).build());
/// let name = provider.export("ServiceName", "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0");
/// let mut consumer = Stack::<Consumer>::new("Consumer").account("444455556666");
/// consumer.add("C", Vpc::<C>::builder().cidr(cidr!("10.1.0.0/16")).build());
/// let service = consumer.import(&name);
/// consumer.output("Service", &service);
/// let mut app = App::new("demo");
/// app.add_stack(provider);
/// app.add_stack(consumer);
/// let assembly = app.synth()?;
/// let imports = assembly.stack("Consumer").unwrap().parameter_imports();
/// assert_eq!(imports[0].parameter, "ImportProviderServiceName");
/// assert_eq!((imports[0].stack.as_str(), imports[0].output.as_str()), ("Provider", "ServiceName"));
/// # Ok::<(), vpcform_net::findings::SynthErrors>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ParameterImport {
    /// The importing stack's parameter.
    pub parameter: String,
    /// The exporting stack.
    pub stack: String,
    /// Its output.
    pub output: String,
}

/// One import of a stack whose exporting stack the app has: the export, the output it names,
/// and the exporting stack's name and environment. Plain data, so that this module sits below
/// the stacks that call it.
pub(crate) struct ImportOf<'a> {
    pub(crate) export_name: &'a str,
    pub(crate) output: &'a str,
    pub(crate) from: &'a str,
    pub(crate) environment: Environment,
    /// The exporting stack is the importing one.
    pub(crate) own: bool,
}

/// The imports (of a stack deployed to `mine`) that cannot be `Fn::ImportValue`, as
/// parameters, with the export each replaces; imports from stacks not in the app are left to
/// `check_imports`.
pub(crate) fn parameter_imports<'a>(
    mine: &Environment,
    imports: impl IntoIterator<Item = ImportOf<'a>>,
) -> Vec<(String, ParameterImport, Environment)> {
    let mut out: Vec<(String, ParameterImport, Environment)> = Vec::new();
    for import in imports {
        let theirs = import.environment;
        if import.own
            || mine.shares_exports_with(&theirs)
            || out.iter().any(|(export, ..)| export == import.export_name)
        {
            continue;
        }
        let mut parameter = format!(
            "Import{}{}",
            import
                .from
                .replace(|c: char| !c.is_ascii_alphanumeric(), ""),
            import.output
        );
        // `Net-A` and `NetA` strip to one name: number the later ones.
        let base = parameter.clone();
        let mut n = 2;
        while out.iter().any(|(_, p, _)| p.parameter == parameter) {
            parameter = format!("{base}{n}");
            n += 1;
        }
        out.push((
            import.export_name.to_string(),
            ParameterImport {
                parameter,
                stack: import.from.to_string(),
                output: import.output.to_string(),
            },
            theirs,
        ));
    }
    out
}

/// Rewrites the rendered template of `stack`: each import across environments (`imports`, as
/// [`parameter_imports`] gives them) becomes a `Ref` to a `String` parameter, declared with
/// where its value comes from.
pub(crate) fn rewrite_imports(
    stack: &str,
    imports: &[(String, ParameterImport, Environment)],
    template: &mut Template,
    errors: &mut Vec<SynthError>,
) {
    if imports.is_empty() {
        return;
    }
    template.rewrite_values(&mut |value| {
        if let Value::ImportValue(name) = value
            && let Some(export) = name.as_str()
            && let Some((_, import, _)) = imports.iter().find(|(e, ..)| e == export)
        {
            *value = Value::reference(import.parameter.as_str());
        }
    });
    for (_, import, from) in imports {
        let parameter = Parameter::string().description(format!(
            "{}'s output {} ({}): filled in by `vpcform deploy`, as Fn::ImportValue cannot \
             cross accounts or regions",
            import.stack,
            import.output,
            from.describe()
        ));
        if let Err(source) = template.add_parameter(import.parameter.as_str(), parameter) {
            errors.push(SynthError::Template {
                stack: stack.to_string(),
                source,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(account: Option<&str>, region: Option<&str>) -> Environment {
        Environment {
            account: account.map(str::to_string),
            region: region.map(str::to_string),
            ..Environment::default()
        }
    }

    #[test]
    fn exports_are_shared_only_in_one_known_account_and_region() {
        let a = Some("111122223333");
        let b = Some("444455556666");
        assert!(env(None, None).shares_exports_with(&env(None, None)));
        assert!(env(a, Some("us-east-1")).shares_exports_with(&env(a, Some("us-east-1"))));
        assert!(!env(a, Some("us-east-1")).shares_exports_with(&env(b, Some("us-east-1"))));
        assert!(!env(a, Some("us-east-1")).shares_exports_with(&env(a, Some("eu-west-1"))));
        // One pinned, one ambient: unknown, so a parameter (which works either way).
        assert!(!env(a, None).shares_exports_with(&env(None, None)));
        assert!(!env(None, Some("us-east-1")).shares_exports_with(&env(None, None)));
        let role = Environment {
            role_arn: Some("arn:aws:iam::444455556666:role/deploy".into()),
            ..Environment::default()
        };
        assert!(!role.shares_exports_with(&env(None, None)));
        assert!(role.shares_exports_with(&env(b, None)));
        // Two profiles in one pinned region: accounts unknown, so not shared.
        let in_region = |profile: &str| Environment {
            profile: Some(profile.into()),
            region: Some("us-east-1".into()),
            ..Environment::default()
        };
        assert!(!in_region("prod").shares_exports_with(&in_region("dev")));
        assert!(in_region("prod").shares_exports_with(&in_region("prod")));
        let profile = Environment {
            profile: Some("prod".into()),
            ..Environment::default()
        };
        assert!(!profile.shares_exports_with(&env(None, None)));
        assert!(profile.shares_exports_with(&profile.clone()));
    }

    #[test]
    fn role_arns_name_their_account() {
        assert_eq!(
            role_account("arn:aws:iam::111122223333:role/path/deploy"),
            Some("111122223333")
        );
        assert_eq!(
            role_account("arn:aws-cn:iam::111122223333:role/d"),
            Some("111122223333")
        );
        assert_eq!(role_account("arn:aws:iam::111122223333:user/d"), None);
        assert_eq!(role_account("arn:aws:iam::1111:role/d"), None);
        assert_eq!(role_account("arn:aws:sts::111122223333:role/d"), None);
        assert_eq!(role_account("arn:aws:iam::111122223333:role/"), None);
    }
}
