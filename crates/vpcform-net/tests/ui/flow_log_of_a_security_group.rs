// A flow log records a VPC or a subnet: a security group is neither.
include!("../common/ui_setup.rs");

fn main() {
    let Two { mut consumer, sg_a, .. } = two();
    consumer.add(
        "FlowLog",
        vpcform_net::vpc::FlowLog::builder()
            .resource(&sg_a)
            .destination(vpcform_net::vpc::FlowLogDestination::cloud_watch_logs())
            .build(),
    );
}
