// A subnet of VPC B (declared in the Provider stack) added to the Consumer stack.
include!("../common/ui_setup.rs");

fn main() {
    let Two { mut consumer, vpc_b, .. } = two();
    consumer.add(
        "Stray",
        Subnet::builder().vpc(&vpc_b).cidr(cidr!("10.1.9.0/24")).availability_zone(Az::index(0)).build(),
    );
}
