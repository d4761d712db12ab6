//! Findings as data: allowing warnings per stack and per construct, and where a finding points
//! in the program. Codes and constructs are asserted, not sentences.

use vpcform_net::endpoints::InterfaceEndpointRef;
use vpcform_net::findings::{Code, Finding};
use vpcform_net::prelude::*;

vpcform_net::topology! {
    stack One { vpc VpcOne }
    stack Two { vpc VpcTwo }
}

/// Two one-zone endpoints (VF0208 each) in stack One, and one in stack Two.
fn stacks() -> (Stack<One>, Stack<Two>, InterfaceEndpointRef<VpcOne>) {
    let mut one = Stack::<One>::new("One");
    let vpc = one.add(
        "Vpc",
        Vpc::<VpcOne>::builder().cidr(cidr!("10.0.0.0/16")).build(),
    );
    let a = one.add(
        "A",
        Subnet::builder()
            .vpc(&vpc)
            .cidr(cidr!("10.0.0.0/24"))
            .availability_zone(Az::index(0))
            .build(),
    );
    let sg = one.add(
        "Sg",
        SecurityGroup::builder()
            .vpc(&vpc)
            .description("endpoints")
            .build(),
    );
    let sts = one.add(
        "Sts",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(services::Sts)
            .subnets([&a])
            .security_groups([&sg])
            .build(),
    );
    one.add(
        "Ssm",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(services::Ssm)
            .subnets([&a])
            .security_groups([&sg])
            .build(),
    );
    let mut two = Stack::<Two>::new("Two");
    let vpc = two.add(
        "Vpc",
        Vpc::<VpcTwo>::builder().cidr(cidr!("10.1.0.0/16")).build(),
    );
    let a = two.add(
        "A",
        Subnet::builder()
            .vpc(&vpc)
            .cidr(cidr!("10.1.0.0/24"))
            .availability_zone(Az::index(0))
            .build(),
    );
    let sg = two.add(
        "Sg",
        SecurityGroup::builder()
            .vpc(&vpc)
            .description("endpoints")
            .build(),
    );
    two.add(
        "Sts",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(services::Sts)
            .subnets([&a])
            .security_groups([&sg])
            .build(),
    );
    (one, two, sts)
}

fn warnings(one: Stack<One>, two: Stack<Two>) -> (Vec<(Code, Option<String>)>, usize) {
    let mut app = App::new("findings");
    app.add_stack(one);
    app.add_stack(two);
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let found = assembly
        .warnings()
        .iter()
        .map(|w| (w.code(), w.construct().map(str::to_string)))
        .collect();
    (found, assembly.allowed_warnings())
}

fn at(path: &str) -> Option<String> {
    Some(path.to_string())
}

#[test]
fn without_allow_every_warning_is_reported() {
    let (one, two, _) = stacks();
    let (found, allowed) = warnings(one, two);
    assert_eq!(
        found,
        [
            (Code::VF0208, at("One/Sts")),
            (Code::VF0208, at("One/Ssm")),
            (Code::VF0208, at("Two/Sts")),
        ]
    );
    assert_eq!(allowed, 0);
}

#[test]
fn a_code_allowed_in_a_stack_is_allowed_there_only() {
    let (mut one, two, _) = stacks();
    one.allow(Code::VF0208);
    assert_eq!(warnings(one, two), (vec![(Code::VF0208, at("Two/Sts"))], 2));
}

#[test]
fn a_code_allowed_for_a_construct_is_allowed_for_it_only() {
    let (mut one, two, sts) = stacks();
    one.allow_for(&sts, Code::VF0208);
    assert_eq!(
        warnings(one, two),
        (
            vec![(Code::VF0208, at("One/Ssm")), (Code::VF0208, at("Two/Sts"))],
            1
        )
    );
    // Another code allowed for the construct leaves its warning.
    let (mut one, two, sts) = stacks();
    one.allow_for(&sts, Code::VF0410);
    assert_eq!(warnings(one, two).0.len(), 3);
}

#[test]
fn an_error_cannot_be_allowed() {
    let mut stack = Stack::<One>::new("One");
    stack.add("Vpc", Vpc::<VpcOne>::builder().cidr("10.0.0.0/8").build());
    stack.allow(Code::VF0102);
    let mut app = App::new("findings");
    app.add_stack(stack);
    let errors = app.synth().map(|_| ()).expect_err("a /8 VPC");
    assert_eq!(errors.errors()[0].code(), Code::VF0102);
}

/// A finding points at the `add` that created its construct, and a stack's at `Stack::new`.
#[test]
fn a_finding_points_at_the_line_that_added_its_construct() {
    let mut stack = Stack::<One>::new("One");
    let add_line = line!() + 1;
    stack.add("Vpc", Vpc::<VpcOne>::builder().cidr("10.0.0.0/8").build());
    stack.output("Out", "a");
    let output_line = line!() + 1;
    stack.output("Out", "b");
    let mut app = App::new("findings");
    app.add_stack(stack);
    let errors = app.synth().map(|_| ()).expect_err("a /8 VPC");
    let findings: Vec<Finding> = errors
        .errors()
        .iter()
        .map(|e| app.locate(Finding::from(e)))
        .collect();
    let located: Vec<(Code, Option<&str>, u32, &str)> = findings
        .iter()
        .map(|f| {
            let at = f.location.as_ref().expect("located");
            (f.code, f.construct.as_deref(), at.line, at.file.as_str())
        })
        .collect();
    assert_eq!(
        located,
        [
            (Code::VF0102, Some("One/Vpc"), add_line, file!()),
            (Code::VF0905, Some("One"), output_line, file!()),
        ]
    );
    // A finding about the stack itself points at `Stack::new`.
    let new_line = line!() + 1;
    let mut stack = Stack::<One>::new("One");
    stack.add(
        "Vpc",
        Vpc::<VpcOne>::builder().cidr(cidr!("10.0.0.0/16")).build(),
    );
    for i in 0..201 {
        stack.output(&format!("Out{i}"), "a");
    }
    assert_eq!(located_errors(stack), [(Code::VF0922, new_line)]);
}

/// Each error of `stack`'s synthesis (in an app of its own) with the line it points at.
fn located_errors<S: vpcform_net::handles::StackMarker>(stack: Stack<S>) -> Vec<(Code, u32)> {
    let mut app = App::new("findings");
    app.add_stack(stack);
    let errors = app.synth().map(|_| ()).expect_err("an error");
    errors
        .errors()
        .iter()
        .map(|e| app.locate(Finding::from(e)))
        .map(|f| (f.code, f.location.map_or(0, |l| l.line)))
        .collect()
}

/// A finding about an output, an import or an override points at the line that made it, not
/// at `Stack::new` or the construct's `add`.
#[test]
fn findings_about_outputs_imports_and_overrides_point_at_their_lines() {
    // An output whose name CloudFormation rejects.
    let mut stack = Stack::<One>::new("One");
    stack.add(
        "Vpc",
        Vpc::<VpcOne>::builder().cidr(cidr!("10.0.0.0/16")).build(),
    );
    let line = line!() + 1;
    stack.output("Bad-Name", "a");
    assert_eq!(located_errors(stack), [(Code::VF0906, line)]);

    // An override that cannot be applied.
    let mut stack = Stack::<One>::new("One");
    let vpc = stack.add(
        "Vpc",
        Vpc::<VpcOne>::builder().cidr(cidr!("10.0.0.0/16")).build(),
    );
    let line = line!() + 1;
    stack.override_property(&vpc, "", "x");
    assert_eq!(located_errors(stack), [(Code::VF0907, line)]);

    // A stack importing its own export.
    let mut stack = Stack::<One>::new("One");
    stack.add(
        "Vpc",
        Vpc::<VpcOne>::builder().cidr(cidr!("10.0.0.0/16")).build(),
    );
    let export = stack.export("Name", "a");
    let line = line!() + 1;
    stack.import(&export);
    assert_eq!(located_errors(stack), [(Code::VF0912, line)]);

    // An import of an export of a stack not in the app.
    let mut two = Stack::<Two>::new("Two");
    let export = two.export("Name", "a");
    let mut stack = Stack::<One>::new("One");
    stack.add(
        "Vpc",
        Vpc::<VpcOne>::builder().cidr(cidr!("10.0.0.0/16")).build(),
    );
    let line = line!() + 1;
    stack.import(&export);
    assert_eq!(located_errors(stack), [(Code::VF0913, line)]);
}
