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

    /// The first address, as a number (for sorting blocks).
    pub(crate) const fn first(self) -> u32 {
        self.network
    }

    /// The last address, as a number.
    pub(crate) const fn last(self) -> u32 {
        self.network | !self.mask()
    }
}

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
