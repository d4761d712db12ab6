//! IPv4 CIDR blocks: parsed once, checked at compile time with [`cidr!`](crate::cidr).

use std::fmt;
use std::net::Ipv4Addr;

/// An IPv4 CIDR block such as `10.0.0.0/16`, with its host bits zero.
///
/// ```
/// use vpcform_net::vpc::Ipv4Cidr;
/// let vpc: Ipv4Cidr = "10.0.0.0/16".parse()?;
/// let subnet: Ipv4Cidr = "10.0.1.0/24".parse()?;
/// assert!(vpc.contains(&subnet));
/// assert_eq!(subnet.to_string(), "10.0.1.0/24");
/// assert!("10.0.0.1/16".parse::<Ipv4Cidr>().is_err());
/// # Ok::<(), vpcform_net::vpc::CidrError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ipv4Cidr {
    network: u32,
    prefix: u8,
}

/// Why a string is not an IPv4 CIDR block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CidrError {
    /// Not of the form `a.b.c.d/n`.
    #[error("expected the form a.b.c.d/n, e.g. 10.0.0.0/16")]
    Syntax,
    /// An address octet above 255.
    #[error("an address octet is above 255")]
    Octet,
    /// A prefix length above 32.
    #[error("the prefix length is above 32")]
    Prefix,
    /// Bits set after the prefix: `10.0.0.1/16` rather than `10.0.0.0/16`.
    #[error("host bits are set after the prefix: AWS expects the network address")]
    HostBits,
    /// A number written with a leading zero (`010.0.0.0/16`): what is checked must be what is
    /// written, and some parsers read a leading zero as octal.
    #[error("a number has a leading zero: write the canonical form, e.g. 10.0.0.0/16")]
    LeadingZero,
}

impl CidrError {
    /// The message, usable in `const` context (for [`cidr!`](crate::cidr)).
    ///
    /// ```
    /// assert!(vpcform_net::vpc::CidrError::Prefix.message().contains("32"));
    /// ```
    pub const fn message(self) -> &'static str {
        match self {
            CidrError::Syntax => "invalid CIDR: expected the form a.b.c.d/n, e.g. 10.0.0.0/16",
            CidrError::Octet => "invalid CIDR: an address octet is above 255",
            CidrError::Prefix => "invalid CIDR: the prefix length is above 32",
            CidrError::HostBits => {
                "invalid CIDR: host bits are set after the prefix (write the network address)"
            }
            CidrError::LeadingZero => {
                "invalid CIDR: a number has a leading zero (write the canonical form, e.g. 10.0.0.0/16)"
            }
        }
    }
}

impl Ipv4Cidr {
    /// Parses `a.b.c.d/n` in `const` context; [`cidr!`](crate::cidr) turns an error into a
    /// compile error.
    ///
    /// # Errors
    /// A [`CidrError`] saying what is wrong.
    ///
    /// ```
    /// const VPC: Result<vpcform_net::vpc::Ipv4Cidr, vpcform_net::vpc::CidrError> =
    ///     vpcform_net::vpc::Ipv4Cidr::parse_const("10.1.0.0/16");
    /// assert!(VPC.is_ok());
    /// ```
    pub const fn parse_const(s: &str) -> Result<Ipv4Cidr, CidrError> {
        let b = s.as_bytes();
        let mut i = 0;
        let mut octets = [0u32; 4];
        let mut k = 0;
        while k < 4 {
            let (value, next) = match parse_decimal(b, i) {
                Some(parsed) => parsed,
                None => return Err(CidrError::Syntax),
            };
            if next - i > 1 && b[i] == b'0' {
                return Err(CidrError::LeadingZero);
            }
            if value > 255 {
                return Err(CidrError::Octet);
            }
            octets[k] = value;
            let separator = if k < 3 { b'.' } else { b'/' };
            if next >= b.len() || b[next] != separator {
                return Err(CidrError::Syntax);
            }
            i = next + 1;
            k += 1;
        }
        let (prefix, end) = match parse_decimal(b, i) {
            Some(parsed) => parsed,
            None => return Err(CidrError::Syntax),
        };
        if end != b.len() {
            return Err(CidrError::Syntax);
        }
        if end - i > 1 && b[i] == b'0' {
            return Err(CidrError::LeadingZero);
        }
        if prefix > 32 {
            return Err(CidrError::Prefix);
        }
        let network = (octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3];
        let cidr = Ipv4Cidr {
            network,
            prefix: prefix as u8,
        };
        if network & !cidr.mask() != 0 {
            return Err(CidrError::HostBits);
        }
        Ok(cidr)
    }

    const fn mask(self) -> u32 {
        if self.prefix == 0 {
            0
        } else {
            u32::MAX << (32 - self.prefix as u32)
        }
    }

    /// The network address.
    ///
    /// ```
    /// let c = vpcform_net::cidr!("10.1.0.0/16");
    /// assert_eq!(c.network(), std::net::Ipv4Addr::new(10, 1, 0, 0));
    /// ```
    pub const fn network(self) -> Ipv4Addr {
        Ipv4Addr::from_bits(self.network)
    }

    /// The prefix length.
    ///
    /// ```
    /// assert_eq!(vpcform_net::cidr!("10.1.0.0/16").prefix_len(), 16);
    /// ```
    pub const fn prefix_len(self) -> u8 {
        self.prefix
    }

    /// The number of addresses in the block.
    ///
    /// ```
    /// assert_eq!(vpcform_net::cidr!("10.1.2.0/24").size(), 256);
    /// ```
    pub const fn size(self) -> u64 {
        1u64 << (32 - self.prefix as u32)
    }

    /// Whether `other` lies wholly inside this block.
    ///
    /// ```
    /// use vpcform_net::cidr;
    /// assert!(cidr!("10.0.0.0/16").contains(&cidr!("10.0.255.0/24")));
    /// assert!(!cidr!("10.0.0.0/16").contains(&cidr!("10.1.0.0/24")));
    /// ```
    pub const fn contains(&self, other: &Ipv4Cidr) -> bool {
        other.prefix >= self.prefix && (other.network & self.mask()) == self.network
    }

    /// Whether the two blocks share an address.
    ///
    /// ```
    /// use vpcform_net::cidr;
    /// assert!(cidr!("10.0.0.0/16").overlaps(&cidr!("10.0.1.0/24")));
    /// assert!(!cidr!("10.0.0.0/24").overlaps(&cidr!("10.0.1.0/24")));
    /// ```
    pub const fn overlaps(&self, other: &Ipv4Cidr) -> bool {
        self.contains(other) || other.contains(self)
    }

    /// Whether this is `0.0.0.0/0`, every IPv4 address.
    ///
    /// ```
    /// assert!(vpcform_net::cidr!("0.0.0.0/0").is_any());
    /// ```
    pub const fn is_any(&self) -> bool {
        self.prefix == 0
    }

    /// The subnets of length `prefix` that tile this block, in address order: how a program
    /// carves a spoke's subnets from the block its config gives, rather than writing each one.
    ///
    /// Carving a /16 into one /24 per availability zone:
    ///
    /// ```
    /// use vpcform_net::cidr;
    /// let vpc = cidr!("10.0.0.0/16");
    /// let zones = ["us-east-1a", "us-east-1b", "us-east-1c"];
    /// let per_zone: Vec<_> = zones.iter().zip(vpc.subnets(24)?).collect();
    /// assert_eq!(per_zone[2], (&"us-east-1c", cidr!("10.0.2.0/24")));
    /// assert_eq!(vpc.subnets(24)?.count(), 256);
    /// assert!(vpc.subnets(8).is_err()); // a /8 does not fit in a /16
    /// # Ok::<(), vpcform_net::vpc::SubnetsError>(())
    /// ```
    ///
    /// # Errors
    /// [`SubnetsError::Wider`] when `prefix` is shorter than this block's,
    /// [`SubnetsError::Prefix`] when it is above 32.
    pub const fn subnets(self, prefix: u8) -> Result<Subnets, SubnetsError> {
        if let Err(e) = self.check_carve(prefix) {
            return Err(e);
        }
        Ok(Subnets {
            next: self.network as u64,
            end: self.last() as u64 + 1,
            prefix,
        })
    }

    /// The `index`-th (from 0) subnet of length `prefix` of this block, as
    /// [`subnets`](Ipv4Cidr::subnets) yields them: for a config that numbers its subnets.
    ///
    /// ```
    /// use vpcform_net::cidr;
    /// assert_eq!(cidr!("10.0.0.0/16").subnet(20, 3), Ok(cidr!("10.0.48.0/20")));
    /// assert!(cidr!("10.0.0.0/16").subnet(20, 16).is_err()); // a /16 has sixteen /20s
    /// // In `const` context too:
    /// const APP: Result<vpcform_net::vpc::Ipv4Cidr, vpcform_net::vpc::SubnetsError> =
    ///     cidr!("10.0.0.0/16").subnet(24, 1);
    /// assert_eq!(APP, Ok(cidr!("10.0.1.0/24")));
    /// ```
    ///
    /// # Errors
    /// As [`subnets`](Ipv4Cidr::subnets), and [`SubnetsError::Index`] when the block has no
    /// `index`-th subnet of that length.
    pub const fn subnet(self, prefix: u8, index: u64) -> Result<Ipv4Cidr, SubnetsError> {
        if let Err(e) = self.check_carve(prefix) {
            return Err(e);
        }
        let count = 1u64 << (prefix - self.prefix) as u32;
        if index >= count {
            return Err(SubnetsError::Index {
                block: self,
                prefix,
                index,
                count,
            });
        }
        Ok(Ipv4Cidr {
            // Below `count`, the offset stays inside the block, so it fits in 32 bits.
            network: self.network + (index << (32 - prefix as u32)) as u32,
            prefix,
        })
    }

    /// Whether this block has subnets of length `prefix`.
    const fn check_carve(self, prefix: u8) -> Result<(), SubnetsError> {
        if prefix > 32 {
            Err(SubnetsError::Prefix { prefix })
        } else if prefix < self.prefix {
            Err(SubnetsError::Wider {
                block: self,
                prefix,
            })
        } else {
            Ok(())
        }
    }

    /// The first address, as a number (for sorting blocks).
    pub(crate) const fn first(self) -> u32 {
        self.network
    }

    /// The last address, as a number.
    pub(crate) const fn last(self) -> u32 {
        self.network | !self.mask()
    }
}

/// Why a block has no such subnets: see [`Ipv4Cidr::subnets`] and [`Ipv4Cidr::subnet`].
///
/// ```
/// use vpcform_net::{cidr, vpc::SubnetsError};
/// let e = cidr!("10.0.0.0/16").subnets(8).err();
/// assert_eq!(e, Some(SubnetsError::Wider { block: cidr!("10.0.0.0/16"), prefix: 8 }));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SubnetsError {
    /// A prefix shorter than the block's: a /8 is not a subnet of a /16.
    #[error("/{prefix} is wider than {block}: a subnet's prefix is at least the block's")]
    Wider {
        /// The block carved.
        block: Ipv4Cidr,
        /// The prefix asked for.
        prefix: u8,
    },
    /// A prefix length above 32.
    #[error("the prefix length /{prefix} is above 32")]
    Prefix {
        /// The prefix asked for.
        prefix: u8,
    },
    /// An index past the last subnet of that length.
    #[error("{block} has {count} subnets of /{prefix}: index {index} is past the last")]
    Index {
        /// The block carved.
        block: Ipv4Cidr,
        /// The prefix asked for.
        prefix: u8,
        /// The index asked for.
        index: u64,
        /// How many subnets of that length the block has.
        count: u64,
    },
}

/// The subnets of one length of a block, in address order: made by [`Ipv4Cidr::subnets`].
///
/// ```
/// let mut quarters = vpcform_net::cidr!("10.0.0.0/24").subnets(26)?;
/// assert_eq!(quarters.next(), Some(vpcform_net::cidr!("10.0.0.0/26")));
/// assert_eq!(quarters.last(), Some(vpcform_net::cidr!("10.0.0.192/26")));
/// # Ok::<(), vpcform_net::vpc::SubnetsError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subnets {
    /// The next subnet's first address; `u64` so that the end of `255.255.255.255` is held.
    next: u64,
    /// One past the block's last address.
    end: u64,
    prefix: u8,
}

impl Subnets {
    const fn step(&self) -> u64 {
        1u64 << (32 - self.prefix as u32)
    }

    fn remaining(&self) -> u64 {
        (self.end - self.next) / self.step()
    }
}

impl Iterator for Subnets {
    type Item = Ipv4Cidr;

    fn next(&mut self) -> Option<Ipv4Cidr> {
        self.nth(0)
    }

    fn nth(&mut self, n: usize) -> Option<Ipv4Cidr> {
        let skip = u64::try_from(n).ok()?;
        if skip >= self.remaining() {
            self.next = self.end;
            return None;
        }
        let first = self.next + skip * self.step();
        self.next = first + self.step();
        // Below `end`, which is at most 2^32: the address fits in 32 bits.
        let network = u32::try_from(first).ok()?;
        Some(Ipv4Cidr {
            network,
            prefix: self.prefix,
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = usize::try_from(self.remaining()).ok();
        (left.unwrap_or(usize::MAX), left)
    }

    fn count(self) -> usize {
        usize::try_from(self.remaining()).unwrap_or(usize::MAX)
    }

    fn last(mut self) -> Option<Ipv4Cidr> {
        let left = self.remaining();
        if left == 0 {
            return None;
        }
        self.next += (left - 1) * self.step();
        self.nth(0)
    }
}

impl std::iter::FusedIterator for Subnets {}

/// Parses decimal digits from `b[i..]`; `None` if there are none or more than three.
const fn parse_decimal(b: &[u8], mut i: usize) -> Option<(u32, usize)> {
    let start = i;
    let mut value = 0u32;
    while i < b.len() && b[i].is_ascii_digit() && i - start < 3 {
        value = value * 10 + (b[i] - b'0') as u32;
        i += 1;
    }
    if i == start || (i < b.len() && b[i].is_ascii_digit()) {
        None
    } else {
        Some((value, i))
    }
}

impl std::str::FromStr for Ipv4Cidr {
    type Err = CidrError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ipv4Cidr::parse_const(s)
    }
}

/// Read from a config as its text, `"10.0.0.0/16"`, refused as [`str::parse`] refuses it.
///
/// ```
/// let block: vpcform_net::vpc::Ipv4Cidr = serde_json::from_str("\"10.42.0.0/16\"")?;
/// assert_eq!(block, vpcform_net::cidr!("10.42.0.0/16"));
/// let bad = serde_json::from_str::<vpcform_net::vpc::Ipv4Cidr>("\"10.42.0.1/16\"");
/// assert!(bad.is_err_and(|e| e.to_string().contains("10.42.0.1/16: host bits")));
/// # Ok::<(), serde_json::Error>(())
/// ```
impl<'de> serde::Deserialize<'de> for Ipv4Cidr {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse()
            .map_err(|e: CidrError| serde::de::Error::custom(format!("{text}: {e}")))
    }
}

/// Written as its text, `"10.0.0.0/16"`.
impl serde::Serialize for Ipv4Cidr {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl fmt::Display for Ipv4Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network(), self.prefix)
    }
}

/// An IPv4 CIDR block checked at compile time.
///
/// ```
/// let vpc = vpcform_net::cidr!("10.0.0.0/16");
/// assert_eq!(vpc.prefix_len(), 16);
/// ```
///
/// An invalid literal does not compile:
///
/// ```compile_fail
/// let vpc = vpcform_net::cidr!("10.0.0.0/33");
/// ```
#[macro_export]
macro_rules! cidr {
    ($s:literal) => {{
        const CIDR: $crate::vpc::Ipv4Cidr = match $crate::vpc::Ipv4Cidr::parse_const($s) {
            ::core::result::Result::Ok(cidr) => cidr,
            ::core::result::Result::Err(e) => ::core::panic!("{}", e.message()),
        };
        CIDR
    }};
}

/// A CIDR block as a builder received it: parsed, or the text that failed to parse.
///
/// Builders take `impl Into<CidrBlock>`, so both `cidr!("10.0.0.0/16")` and run-time strings
/// (from a config file, say) work; a string that does not parse is reported at synth, with the
/// construct that received it.
///
/// ```
/// use vpcform_net::vpc::CidrBlock;
/// assert!(CidrBlock::from("10.0.0.0/16").parsed().is_ok());
/// assert!(CidrBlock::from("10.0.0.0/33").parsed().is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CidrBlock {
    text: String,
    parsed: Result<Ipv4Cidr, CidrError>,
}

impl CidrBlock {
    /// The parsed block, or why the text is not one.
    ///
    /// ```
    /// let b = vpcform_net::vpc::CidrBlock::from(vpcform_net::cidr!("10.0.0.0/16"));
    /// assert_eq!(b.parsed(), Ok(vpcform_net::cidr!("10.0.0.0/16")));
    /// ```
    ///
    /// # Errors
    /// The [`CidrError`] of the text given.
    pub fn parsed(&self) -> Result<Ipv4Cidr, CidrError> {
        self.parsed
    }

    /// The text as given.
    ///
    /// ```
    /// assert_eq!(vpcform_net::vpc::CidrBlock::from("10.0.0.0/8").text(), "10.0.0.0/8");
    /// ```
    pub fn text(&self) -> &str {
        &self.text
    }
}

impl From<Ipv4Cidr> for CidrBlock {
    fn from(cidr: Ipv4Cidr) -> Self {
        CidrBlock {
            text: cidr.to_string(),
            parsed: Ok(cidr),
        }
    }
}

impl From<&str> for CidrBlock {
    fn from(text: &str) -> Self {
        CidrBlock {
            text: text.to_string(),
            parsed: text.parse(),
        }
    }
}

impl From<String> for CidrBlock {
    fn from(text: String) -> Self {
        let parsed = text.parse();
        CidrBlock { text, parsed }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlap_either_way_or_not_at_all() {
        let wide: Ipv4Cidr = "10.0.0.0/16".parse().unwrap_or_else(|e| panic!("{e:?}"));
        let inside: Ipv4Cidr = "10.0.1.0/24".parse().unwrap_or_else(|e| panic!("{e:?}"));
        let apart: Ipv4Cidr = "10.1.0.0/24".parse().unwrap_or_else(|e| panic!("{e:?}"));
        assert!(wide.overlaps(&inside));
        assert!(inside.overlaps(&wide));
        assert!(!wide.overlaps(&apart));
        assert!(!apart.overlaps(&inside));
    }

    #[test]
    fn subnets_tile_the_block_in_order() {
        let block = crate::cidr!("10.0.0.0/22");
        let quarters: Vec<String> = block
            .subnets(24)
            .map(|s| s.map(|c| c.to_string()).collect())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            quarters,
            ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"]
        );
        // The block itself, and every address of it.
        assert_eq!(
            block.subnets(22).map(|s| s.collect::<Vec<_>>()),
            Ok(vec![block])
        );
        assert_eq!(block.subnets(32).map(|s| s.count()), Ok(1024));
        for (index, subnet) in block.subnets(26).into_iter().flatten().enumerate() {
            assert_eq!(block.subnet(26, index as u64), Ok(subnet));
            assert!(block.contains(&subnet));
        }
        // The top of the address space does not overflow.
        let top = crate::cidr!("255.255.255.0/24");
        assert_eq!(
            top.subnets(25).map(|s| s.last()),
            Ok(Some(crate::cidr!("255.255.255.128/25")))
        );
        assert_eq!(top.subnet(32, 255), Ok(crate::cidr!("255.255.255.255/32")));
        let all = crate::cidr!("0.0.0.0/0");
        assert_eq!(all.subnets(1).map(|s| s.size_hint()), Ok((2, Some(2))));
        assert_eq!(all.subnet(1, 1), Ok(crate::cidr!("128.0.0.0/1")));
        let mut halves = all.subnets(1).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(halves.nth(1), Some(crate::cidr!("128.0.0.0/1")));
        assert_eq!(halves.next(), None);
        assert_eq!(halves.next(), None);
    }

    #[test]
    fn subnets_refuse_what_the_block_cannot_hold() {
        let block = crate::cidr!("10.0.0.0/16");
        assert_eq!(
            block.subnets(15),
            Err(SubnetsError::Wider { block, prefix: 15 })
        );
        assert_eq!(block.subnets(33), Err(SubnetsError::Prefix { prefix: 33 }));
        assert_eq!(
            block.subnet(24, 256),
            Err(SubnetsError::Index {
                block,
                prefix: 24,
                index: 256,
                count: 256
            })
        );
        assert_eq!(block.subnet(24, 255), Ok(crate::cidr!("10.0.255.0/24")));
        assert!(
            SubnetsError::Wider { block, prefix: 8 }
                .to_string()
                .contains("10.0.0.0/16")
        );
    }

    #[test]
    fn parses_and_rejects() {
        assert_eq!(
            "10.0.0.0/16".parse::<Ipv4Cidr>().map(|c| c.to_string()),
            Ok("10.0.0.0/16".into())
        );
        assert_eq!(
            "0.0.0.0/0".parse::<Ipv4Cidr>().map(|c| c.is_any()),
            Ok(true)
        );
        assert_eq!("10.0.0.0/33".parse::<Ipv4Cidr>(), Err(CidrError::Prefix));
        assert_eq!("10.0.0.256/32".parse::<Ipv4Cidr>(), Err(CidrError::Octet));
        assert_eq!("10.0.0.1/16".parse::<Ipv4Cidr>(), Err(CidrError::HostBits));
        assert_eq!(
            "010.0.0.0/16".parse::<Ipv4Cidr>(),
            Err(CidrError::LeadingZero)
        );
        assert_eq!(
            "10.0.0.0/016".parse::<Ipv4Cidr>(),
            Err(CidrError::LeadingZero)
        );
        assert_eq!(
            "10.0.00.0/16".parse::<Ipv4Cidr>(),
            Err(CidrError::LeadingZero)
        );
        let block = "10.0.0.0/16".parse::<Ipv4Cidr>().expect("parses");
        assert_eq!((block.first(), block.last()), (0x0a00_0000, 0x0a00_ffff));
        for bad in [
            "",
            "10.0.0.0",
            "10.0.0/16",
            "10.0.0.0/",
            "a.b.c.d/8",
            "10.0.0.0/16 ",
            "1000.0.0.0/8",
        ] {
            assert_eq!(bad.parse::<Ipv4Cidr>(), Err(CidrError::Syntax), "{bad:?}");
        }
    }
}
