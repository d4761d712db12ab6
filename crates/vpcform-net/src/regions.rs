//! AWS regions and their Availability Zones, for checking what a stack pins.
//!
//! Source: cfn-lint 1.58.0 `cfnlint/helpers.py` `AVAILABILITY_ZONES` (AWS's own linter, run in
//! CI over every template), cross-checked with botocore `partitions.json` for `me-west-1` and
//! `sa-west-1`; formats from "AWS Availability Zones"
//! (<https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html>).
//! See docs/aws-rules.md §9. The letters are the zones cfn-lint accepts; an account may see
//! fewer (new accounts in ap-northeast-1 see a, c and d), never more.

/// Region code → the letters of its Availability Zones (`us-west-1`: `a` and `c`).
const AVAILABILITY_ZONES: &[(&str, &str)] = &[
    ("af-south-1", "abc"),
    ("ap-east-1", "abc"),
    ("ap-east-2", "abc"),
    ("ap-northeast-1", "abcd"),
    ("ap-northeast-2", "abcd"),
    ("ap-northeast-3", "abc"),
    ("ap-south-1", "abc"),
    ("ap-south-2", "abc"),
    ("ap-southeast-1", "abc"),
    ("ap-southeast-2", "abc"),
    ("ap-southeast-3", "abc"),
    ("ap-southeast-4", "abc"),
    ("ap-southeast-5", "abc"),
    ("ap-southeast-6", "abc"),
    ("ap-southeast-7", "abc"),
    ("ca-central-1", "abcd"),
    ("ca-west-1", "abc"),
    ("cn-north-1", "abc"),
    ("cn-northwest-1", "abc"),
    ("eu-central-1", "abc"),
    ("eu-central-2", "abc"),
    ("eu-isoe-west-1", "abc"),
    ("eu-north-1", "abc"),
    ("eu-south-1", "abc"),
    ("eu-south-2", "abc"),
    ("eu-west-1", "abc"),
    ("eu-west-2", "abc"),
    ("eu-west-3", "abc"),
    ("eusc-de-east-1", "abc"),
    ("il-central-1", "abc"),
    ("me-central-1", "abc"),
    ("me-south-1", "abc"),
    ("mx-central-1", "abc"),
    ("sa-east-1", "abc"),
    ("us-east-1", "abcdef"),
    ("us-east-2", "abc"),
    ("us-gov-east-1", "abc"),
    ("us-gov-west-1", "abc"),
    ("us-iso-east-1", "abc"),
    ("us-iso-west-1", "abc"),
    ("us-isob-east-1", "abc"),
    ("us-isob-west-1", "abc"),
    ("us-isof-east-1", "abc"),
    ("us-isof-south-1", "abc"),
    ("us-west-1", "ac"),
    ("us-west-2", "abcd"),
];

/// The most zones any region has (us-east-1): an `Az::index` at or past it fails everywhere.
pub(crate) const MOST_ZONES: usize = 6;

/// The letters of a known region's zones; `None` for a region not in the table.
pub(crate) fn zone_letters(region: &str) -> Option<&'static str> {
    AVAILABILITY_ZONES
        .binary_search_by(|(code, _)| code.cmp(&region))
        .ok()
        .map(|i| AVAILABILITY_ZONES[i].1)
}

/// The partition of a region code, by the region-name patterns of botocore's
/// `partitions.json` (`regionRegex`: `^cn\-\w+\-\d+$` is aws-cn, `^us\-gov\-…` aws-us-gov,
/// `^us\-iso\-…` aws-iso, `^us\-isob\-…` aws-iso-b, `^eu\-isoe\-…` aws-iso-e,
/// `^us\-isof\-…` aws-iso-f, `^eusc\-…` aws-eusc; every other region is aws). Partitions
/// are hard boundaries: nothing in one reaches a service in another privately.
pub(crate) fn partition_of(region: &str) -> &'static str {
    const PREFIXES: [(&str, &str); 7] = [
        ("cn-", "aws-cn"),
        ("us-gov-", "aws-us-gov"),
        ("us-iso-", "aws-iso"),
        ("us-isob-", "aws-iso-b"),
        ("eu-isoe-", "aws-iso-e"),
        ("us-isof-", "aws-iso-f"),
        ("eusc-", "aws-eusc"),
    ];
    PREFIXES
        .iter()
        .find(|(prefix, _)| region.starts_with(prefix))
        .map_or("aws", |(_, partition)| partition)
}

/// Whether `code` has the form of a region code: lowercase words joined by hyphens, ending in a
/// number (`us-east-1`, `us-gov-west-1`, `eusc-de-east-1`).
pub(crate) fn is_region_code(code: &str) -> bool {
    let mut parts = code.split('-').peekable();
    let mut words = 0;
    while let Some(part) = parts.next() {
        if parts.peek().is_none() {
            return words >= 2 && !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        }
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_lowercase()) {
            return false;
        }
        words += 1;
    }
    false
}

/// Whether `id` has the observed form of an AZ ID: a 3–5 letter region abbreviation, its
/// number, `-az` and a number (`use1-az1`, `apne1-az4`). AWS documents the prefix as an
/// abbreviation of the region code without a rule for it (docs/aws-rules.md §9), so only the
/// form is checked, not which region it abbreviates.
pub(crate) fn is_zone_id(id: &str) -> bool {
    let Some((prefix, number)) = id.split_once("-az") else {
        return false;
    };
    let letters = prefix.bytes().take_while(u8::is_ascii_lowercase).count();
    let digits = &prefix[letters..];
    (3..=5).contains(&letters)
        && !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_for_binary_search() {
        assert!(AVAILABILITY_ZONES.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(
            AVAILABILITY_ZONES
                .iter()
                .map(|(_, l)| l.len())
                .max()
                .unwrap_or(0),
            MOST_ZONES
        );
    }

    #[test]
    fn each_region_is_of_its_partition() {
        for (region, partition) in [
            ("us-east-1", "aws"),
            ("eu-west-1", "aws"),
            ("cn-north-1", "aws-cn"),
            ("cn-northwest-1", "aws-cn"),
            ("us-gov-west-1", "aws-us-gov"),
            ("us-iso-east-1", "aws-iso"),
            ("us-isob-east-1", "aws-iso-b"),
            ("eu-isoe-west-1", "aws-iso-e"),
            ("us-isof-south-1", "aws-iso-f"),
            ("eusc-de-east-1", "aws-eusc"),
        ] {
            assert_eq!(partition_of(region), partition, "{region}");
        }
        for (region, _) in AVAILABILITY_ZONES {
            assert!(
                crate::arn::PARTITIONS.contains(&partition_of(region)),
                "{region}"
            );
        }
    }

    #[test]
    fn known_regions_and_forms() {
        assert_eq!(zone_letters("us-west-1"), Some("ac"));
        assert_eq!(zone_letters("us-east-1"), Some("abcdef"));
        assert_eq!(zone_letters("mars-north-1"), None);
        for good in ["us-east-1", "us-gov-west-1", "eusc-de-east-1", "me-west-1"] {
            assert!(is_region_code(good), "{good}");
        }
        for bad in [
            "us-east1",
            "US-EAST-1",
            "us-east-",
            "east-1",
            "us--east-1",
            "us-east-1a",
        ] {
            assert!(!is_region_code(bad), "{bad}");
        }
        for good in ["use1-az1", "apne1-az4", "euc1-az2", "cac1-az1", "ape1-az1"] {
            assert!(is_zone_id(good), "{good}");
        }
        for bad in [
            "use1az1",
            "us-east-1a",
            "use-az1",
            "use1-az",
            "u1-az1",
            "use1-azx",
        ] {
            assert!(!is_zone_id(bad), "{bad}");
        }
    }
}
