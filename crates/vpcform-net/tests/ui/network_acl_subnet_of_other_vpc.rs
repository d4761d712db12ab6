// A network ACL filters subnets of its own VPC: VPC B's subnet does not compile in VPC A's ACL
// (AWS: the association fails with InvalidParameterValue at deploy).
include!("../common/ui_setup.rs");

fn main() {
    let Two { mut consumer, vpc_a, subnet_b, .. } = two();
    consumer.add(
        "AclA",
        vpcform_net::security::NetworkAcl::builder().vpc(&vpc_a).subnets([&subnet_b]).build(),
    );
}
