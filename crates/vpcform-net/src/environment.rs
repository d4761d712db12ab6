//! Where a stack is deployed — account, region, credentials — and what that means for values
//! that cross stacks.
//!
//! **Invariant:** a reference stays `Fn::ImportValue` only when both stacks are known to share
//! an account and a region (CloudFormation resolves exports only there: "Fn::ImportValue",
//! AWS CloudFormation User Guide, "you can't create cross-stack references across regions" and
//! exports are per account and region). Any other import becomes a `String` parameter of the
//! importing stack, recorded as a [`ParameterImport`] for the deployer to fill from the
//! exporting stack's output, read with that stack's credentials.

use vpcform_assembly::{Environment, ParameterImport};
use vpcform_cfn::{Parameter, Template, Value};

pub(crate) use crate::arn::is_account_id;
use crate::arn::{Arn, IamPrincipal};

use crate::SynthError;

/// The account: pinned, or the role's.
fn account_id(env: &Environment) -> Option<&str> {
    env.account
        .as_deref()
        .or_else(|| env.role_arn.as_deref().and_then(role_account))
}

/// Whether `Fn::ImportValue` from `theirs` works in `mine`: the same account and region, known
/// (both pinned alike) or ambient alike (neither pinned, with the same credentials).
pub(crate) fn shares_exports(mine: &Environment, theirs: &Environment) -> bool {
    let same_credentials = mine.profile == theirs.profile && mine.role_arn == theirs.role_arn;
    let account = match (account_id(mine), account_id(theirs)) {
        (Some(mine), Some(theirs)) => mine == theirs,
        (None, None) => same_credentials,
        _ => false,
    };
    let region = match (&mine.region, &theirs.region) {
        (Some(mine), Some(theirs)) => mine == theirs,
        // A profile may name its region; a role does not change it.
        (None, None) => mine.profile == theirs.profile,
        _ => false,
    };
    account && region
}

/// `account 111122223333, eu-west-1, role …`, or `the deploying credentials' account and
/// region`: at synth, the credentials are the deploying ones.
pub(crate) fn describe(env: &Environment) -> String {
    if *env == Environment::default() {
        "the deploying credentials' account and region".to_string()
    } else {
        env.to_string()
    }
}

/// The account of an IAM role ARN, `arn:<partition>:iam::<account>:role/<path and name>`;
/// `None` when it is not one (IAM identifiers, "IAM ARNs").
fn role_account(arn: &str) -> Option<&str> {
    let arn = Arn::parse(arn)?;
    (arn.iam_principal() == Some(IamPrincipal::Role)).then_some(arn.account)
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
    // A role of another partition than the stack's region's cannot deploy there (an ambient
    // region's partition is unknown: nothing to compare).
    if let Some(role) = &environment.role_arn
        && let Some((arn_partition, partition)) =
            crate::arn::other_partition(role, environment.region.as_deref())
    {
        errors.push(SynthError::ArnInOtherPartition {
            construct: stack.to_string(),
            property: "role ARN",
            arn: role.clone(),
            arn_partition: arn_partition.to_string(),
            partition,
        });
    }
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
            || shares_exports(mine, &theirs)
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
            describe(from)
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
        assert!(shares_exports(&env(None, None), &env(None, None)));
        assert!(shares_exports(
            &env(a, Some("us-east-1")),
            &env(a, Some("us-east-1"))
        ));
        assert!(!shares_exports(
            &env(a, Some("us-east-1")),
            &env(b, Some("us-east-1"))
        ));
        assert!(!shares_exports(
            &env(a, Some("us-east-1")),
            &env(a, Some("eu-west-1"))
        ));
        // One pinned, one ambient: unknown, so a parameter (which works either way).
        assert!(!shares_exports(&env(a, None), &env(None, None)));
        assert!(!shares_exports(
            &env(None, Some("us-east-1")),
            &env(None, None)
        ));
        let role = Environment {
            role_arn: Some("arn:aws:iam::444455556666:role/deploy".into()),
            ..Environment::default()
        };
        assert!(!shares_exports(&role, &env(None, None)));
        assert!(shares_exports(&role, &env(b, None)));
        // Two profiles in one pinned region: accounts unknown, so not shared.
        let in_region = |profile: &str| Environment {
            profile: Some(profile.into()),
            region: Some("us-east-1".into()),
            ..Environment::default()
        };
        assert!(!shares_exports(&in_region("prod"), &in_region("dev")));
        assert!(shares_exports(&in_region("prod"), &in_region("prod")));
        let profile = Environment {
            profile: Some("prod".into()),
            ..Environment::default()
        };
        assert!(!shares_exports(&profile, &env(None, None)));
        assert!(shares_exports(&profile, &profile.clone()));
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
