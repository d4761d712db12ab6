//! ARNs, parsed once: what endpoint services' allowed principals, RAM shares' principals and
//! environments' role ARNs are checked with (IAM User Guide, "IAM identifiers": an ARN is
//! `arn:partition:service:region:account-id:resource`).

/// The AWS partitions an ARN can name (docs/aws-rules.md §13: botocore `partitions.json`;
/// partitions are hard IAM boundaries).
pub(crate) const PARTITIONS: [&str; 8] = [
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

/// An AWS account ID: 12 digits (AWS Account Management, "View AWS account identifiers").
pub(crate) fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

/// `arn`'s partition and the stack's when `arn` is an ARN of another partition than that of
/// the stack's `region`. Partitions are separate sets of accounts, so such a principal can be
/// neither allowed nor assumed. A stack of unknown (ambient) region has an unknown partition:
/// `None`, nothing to compare.
pub(crate) fn other_partition<'a>(
    arn: &'a str,
    region: Option<&str>,
) -> Option<(&'a str, &'static str)> {
    let own = crate::regions::partition_of(region?);
    let arn = Arn::parse(arn)?;
    (arn.partition != own).then_some((arn.partition, own))
}

/// An ARN's six fields, of a known partition; the account and region as written (empty where
/// the service has none).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Arn<'a> {
    pub(crate) partition: &'a str,
    pub(crate) service: &'a str,
    pub(crate) region: &'a str,
    pub(crate) account: &'a str,
    /// The rest, colons included (`role/path/name`).
    pub(crate) resource: &'a str,
}

/// What an IAM ARN names as a principal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IamPrincipal {
    /// `root`: the account.
    Root,
    /// `role/<path and name>`.
    Role,
    /// `user/<path and name>`.
    User,
}

impl<'a> Arn<'a> {
    /// `text` as an ARN of a known partition, or `None`.
    pub(crate) fn parse(text: &'a str) -> Option<Arn<'a>> {
        let mut parts = text.splitn(6, ':');
        let (Some("arn"), Some(partition), Some(service), Some(region), Some(account)) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return None;
        };
        let resource = parts.next()?;
        PARTITIONS.contains(&partition).then_some(Arn {
            partition,
            service,
            region,
            account,
            resource,
        })
    }

    /// The IAM principal it names: IAM's (no region, an account ID), the account's `root`
    /// or a role or user with a name (IAM names hold no whitespace); `None` otherwise.
    pub(crate) fn iam_principal(&self) -> Option<IamPrincipal> {
        if self.service != "iam" || !self.region.is_empty() || !is_account_id(self.account) {
            return None;
        }
        if self.resource == "root" {
            return Some(IamPrincipal::Root);
        }
        let (kind, name) = self.resource.split_once('/')?;
        if name.is_empty() || name.contains(char::is_whitespace) {
            return None;
        }
        match kind {
            "role" => Some(IamPrincipal::Role),
            "user" => Some(IamPrincipal::User),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Arn, IamPrincipal};

    #[test]
    fn an_arn_is_six_fields_of_a_known_partition() {
        assert_eq!(
            Arn::parse("arn:aws-cn:iam::111122223333:role/path/deploy"),
            Some(Arn {
                partition: "aws-cn",
                service: "iam",
                region: "",
                account: "111122223333",
                resource: "role/path/deploy",
            })
        );
        // The resource keeps its colons.
        assert_eq!(
            Arn::parse("arn:aws:logs:us-east-1:111122223333:log-group:a:*").map(|a| a.resource),
            Some("log-group:a:*")
        );
        for bad in [
            "111122223333",
            "arn:aws:iam::111122223333",
            "arn:aws-mars:iam::111122223333:root",
            "arnx:aws:iam::111122223333:root",
        ] {
            assert_eq!(Arn::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn iam_principals_are_root_roles_and_users_of_an_account() {
        let principal = |text: &str| Arn::parse(text).and_then(|a| a.iam_principal());
        assert_eq!(
            principal("arn:aws:iam::111122223333:root"),
            Some(IamPrincipal::Root)
        );
        assert_eq!(
            principal("arn:aws:iam::111122223333:role/a/b"),
            Some(IamPrincipal::Role)
        );
        assert_eq!(
            principal("arn:aws:iam::111122223333:user/ops"),
            Some(IamPrincipal::User)
        );
        for bad in [
            "arn:aws:iam::1111:root",
            "arn:aws:iam:us-east-1:111122223333:root",
            "arn:aws:iam::111122223333:group/x",
            "arn:aws:iam::111122223333:role/",
            "arn:aws:iam::111122223333:role/a b",
            "arn:aws:sts::111122223333:role/x",
        ] {
            assert_eq!(principal(bad), None, "{bad}");
        }
    }
}
