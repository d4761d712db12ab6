// A subnet without its availability zone.
include!("../common/ui_setup.rs");

fn main() {
    let Two { vpc_a, .. } = two();
    let _ = Subnet::builder().vpc(&vpc_a).cidr(cidr!("10.0.5.0/24")).build();
}
