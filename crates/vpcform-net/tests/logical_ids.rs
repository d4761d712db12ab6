//! Logical IDs a construct generates from its own (`<Nat>Eip`, `<Igw>Attachment`,
//! `<Table><Subnet>Association`): at 255 characters they are written as they are, past it they
//! are an error naming the construct and the ID — never a resource missing from the template.

use vpcform_net::cfn::Template;
use vpcform_net::findings::SynthError;
use vpcform_net::prelude::*;
use vpcform_net::vpc::{InternetGateway, NatGateway};

include!("common/consumer.rs");

/// A VPC with a public subnet, an internet gateway `igw`, a NAT gateway `nat` and a route table
/// `table` sending `0.0.0.0/0` to the NAT gateway from the subnet `subnet`.
fn nat_network(igw: &str, nat: &str, table: &str, subnet_id: &str) -> App {
    let (mut stack, vpc) = consumer();
    let public = subnet(&mut stack, &vpc, subnet_id, "10.0.1.0/24", 0);
    stack.add(igw, InternetGateway::builder().vpc(&vpc).build());
    let nat = stack.add(nat, NatGateway::builder().subnet(&public).build());
    let routes = stack.add(
        table,
        RouteTable::builder().vpc(&vpc).subnets([&public]).build(),
    );
    stack.add(
        "ToNat",
        Route::builder()
            .route_table(&routes)
            .destination(cidr!("0.0.0.0/0"))
            .target(&nat)
            .build(),
    );
    let mut app = App::new("ids");
    app.add_stack(stack);
    app
}

fn id(prefix: &str, length: usize) -> String {
    format!("{prefix}{}", "x".repeat(length - prefix.len()))
}

fn template(app: &App) -> Template {
    match app.synth() {
        Ok(assembly) => assembly.stacks()[0].template().clone(),
        Err(e) => panic!("{e}"),
    }
}

/// `(construct, generated ID, length)` of every `GeneratedIdTooLong`, and how many errors of
/// any other kind came with them.
fn too_long(app: &App) -> (Vec<(String, String, usize)>, usize) {
    let errors = match app.synth() {
        Ok(_) => panic!("synthesized: expected generated IDs past 255 characters"),
        Err(e) => e,
    };
    let mut found = Vec::new();
    let mut others = 0;
    for error in errors.errors() {
        match error {
            SynthError::GeneratedIdTooLong {
                construct,
                id,
                length,
                over,
            } => {
                assert_eq!(*over, length - 255);
                assert!(error.to_string().contains(id.as_str()), "{error}");
                found.push((construct.clone(), id.clone(), *length));
            }
            _ => others += 1,
        }
    }
    (found, others)
}

#[test]
fn generated_ids_of_255_characters_are_written_whole() {
    // "Eip", "Attachment" and "<Subnet>Association" bring each to exactly 255.
    let nat = id("Nat", 252);
    let igw = id("Igw", 245);
    let table = id("Routes", 255 - "Public".len() - "Association".len());
    let app = nat_network(&igw, &nat, &table, "Public");
    let template = template(&app);
    let resources = template.resources();
    for (logical_id, kind) in [
        (format!("{nat}Eip"), "AWS::EC2::EIP"),
        (nat.clone(), "AWS::EC2::NatGateway"),
        (format!("{igw}Attachment"), "AWS::EC2::VPCGatewayAttachment"),
        (
            format!("{table}PublicAssociation"),
            "AWS::EC2::SubnetRouteTableAssociation",
        ),
    ] {
        assert!(logical_id.len() <= 255);
        let resource = resources
            .get(&logical_id)
            .unwrap_or_else(|| panic!("{kind} {logical_id} missing"));
        assert_eq!(resource.resource_type(), kind);
    }
}

#[test]
fn a_generated_id_past_255_characters_is_an_error_naming_the_construct_and_the_id() {
    let nat = id("Nat", 253);
    let (found, others) = too_long(&nat_network("Igw", &nat, "Routes", "Public"));
    assert_eq!(
        found,
        [(
            format!("Consumer/{nat} (a NAT gateway)"),
            format!("{nat}Eip"),
            256
        )]
    );
    // One mistake, one error: the route to the NAT gateway left out is not reported again.
    assert_eq!(others, 0);
}

#[test]
fn every_kind_of_generated_id_is_checked() {
    let igw = id("Igw", 246);
    let table = id("Routes", 256 - "Public".len() - "Association".len());
    let (found, others) = too_long(&nat_network(&igw, "Nat", &table, "Public"));
    assert_eq!(
        found,
        [
            (
                format!("Consumer/{igw} (an internet gateway)"),
                format!("{igw}Attachment"),
                256
            ),
            (
                format!("Consumer/{table} (a route table)"),
                format!("{table}PublicAssociation"),
                256
            ),
        ]
    );
    assert_eq!(others, 0);
}

#[test]
fn an_own_id_past_255_characters_is_reported_once_as_the_construct_id() {
    let nat = id("Nat", 256);
    let errors = match nat_network("Igw", &nat, "Routes", "Public").synth() {
        Ok(_) => panic!("synthesized an ID of 256 characters"),
        Err(e) => e,
    };
    let kinds: Vec<_> = errors
        .errors()
        .iter()
        .map(|e| matches!(e, SynthError::InvalidId { .. }))
        .collect();
    assert_eq!(kinds, [true], "{errors}");
}
