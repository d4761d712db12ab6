//! Synthesis errors: each names the construct (`Stack/Id`), the offending value and the fix.

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
         from /16 to /28 — choose a prefix in that range"
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
    #[error(
        "{construct}: subnet CIDR {subnet} is outside its VPC {vpc}'s CIDR {vpc_cidr} — choose a \
         block inside {vpc_cidr}"
    )]
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
    #[error(
        "{construct}: subnet CIDR {cidr} overlaps {other}'s {other_cidr} in the same VPC — subnets \
         of a VPC must not share addresses"
    )]
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
    /// A construct ID CloudFormation cannot use as a logical ID.
    #[error("{stack}: construct ID {id:?} is not a valid CloudFormation logical ID: {reason}")]
    InvalidId {
        /// The stack.
        stack: String,
        /// The ID given.
        id: String,
        /// What is wrong.
        reason: String,
    },
    /// Two constructs of one stack with the same ID (or a generated ID colliding with a given one).
    #[error("{stack}: two constructs have the ID {id:?} — give each its own")]
    DuplicateId {
        /// The stack.
        stack: String,
        /// The ID used twice.
        id: String,
    },
    /// A stack name CloudFormation rejects.
    #[error(
        "stack name {name:?} is invalid: CloudFormation stack names start with a letter and hold \
         only letters, digits and hyphens, at most 128 characters"
    )]
    InvalidStackName {
        /// The name given.
        name: String,
    },
    /// Two stacks of the app with one name.
    #[error("the app has two stacks named {name:?} — give each its own")]
    DuplicateStackName {
        /// The name.
        name: String,
    },
    /// A handle used in a stack other than the one that created it (a run-time form of the
    /// compile-time check, for handles whose marker types cannot tell).
    #[error(
        "{construct}: {property} refers to {target}, which belongs to stack {target_stack:?} — \
         pass values across stacks with `export` and `import`"
    )]
    ForeignHandle {
        /// The construct holding the handle.
        construct: String,
        /// The property.
        property: &'static str,
        /// The handle's construct path.
        target: String,
        /// The handle's stack.
        target_stack: String,
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
    #[error("{construct}: {property} is empty — {fix}")]
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
        "{construct}: subnet {subnet} is already associated with route table {other} — a subnet \
         has exactly one route table (AWS: Resource.AlreadyAssociated)"
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
        "{construct}: route table {route_table} already routes {service} through gateway endpoint \
         {other} — a route table takes one gateway endpoint per service (AWS: RouteAlreadyExists)"
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
    #[error(
        "{construct}: allowed principal {principal:?} is not an IAM principal ARN — write \
         arn:aws:iam::<12-digit account>:root, …:role/<name>, …:user/<name>, or \"*\""
    )]
    InvalidPrincipal {
        /// The endpoint service.
        construct: String,
        /// The value given.
        principal: String,
    },
    /// An `import` of an export that no stack of the app defines.
    #[error(
        "stack {stack:?} imports export {export:?}, but no stack of the app exports it — add the \
         exporting stack to the app"
    )]
    UnknownExport {
        /// The importing stack.
        stack: String,
        /// The export name.
        export: String,
    },
    /// Two stacks exporting one name.
    #[error(
        "export name {export:?} is exported by both {first:?} and {second:?}; export names are unique per account and region"
    )]
    DuplicateExport {
        /// The export name.
        export: String,
        /// The first stack.
        first: String,
        /// The second stack.
        second: String,
    },
    /// Stacks that import from each other in a cycle; CloudFormation cannot create them.
    #[error("stacks import from each other in a cycle: {}", cycle.join(" -> "))]
    StackCycle {
        /// The stacks in the cycle.
        cycle: Vec<String>,
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
    /// let e = vpcform_net::SynthErrors(vec![]);
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
        }
        Ok(())
    }
}

impl std::error::Error for SynthErrors {}
