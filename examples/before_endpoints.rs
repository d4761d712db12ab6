//! The starting point the article argues against: private subnets reach AWS services through a
//! NAT gateway and the internet. vpcform's traffic report shows each flow as public, names the
//! endpoint that would keep it inside AWS, and prices the NAT path beside the endpoints.
//!
//! `cargo run --example before_endpoints` — then compare with `examples/private_endpoints.rs`.

use vpcform::prelude::*;
use vpcform::vpc::{InternetGateway, NatGateway};

vpcform::topology! {
    /// The only stack.
    pub stack NatBaseline {
        /// A VPC with public and private subnets.
        vpc AppVpc
    }
}

/// The app: one public and one private subnet per AZ, a NAT gateway per AZ, no endpoints.
pub fn app() -> App {
    let mut stack = Stack::<NatBaseline>::new("NatBaseline")
        .description("Private subnets reaching AWS services through NAT gateways (no endpoints)");
    let vpc = stack.add(
        "Workload",
        Vpc::<AppVpc>::builder().cidr(cidr!("10.30.0.0/16")).build(),
    );
    let internet = stack.add("Internet", InternetGateway::builder().vpc(&vpc).build());
    let mut private_subnets = Vec::new();
    for az in 0..2u32 {
        let n = az + 1;
        let public = stack.add(
            &format!("Public{n}"),
            Subnet::builder()
                .vpc(&vpc)
                .cidr(format!("10.30.{}.0/24", az * 16))
                .availability_zone(Az::index(az))
                .map_public_ip_on_launch(true)
                .build(),
        );
        let public_routes = stack.add(
            &format!("PublicRoutes{n}"),
            RouteTable::builder().vpc(&vpc).subnets([&public]).build(),
        );
        stack.add(
            &format!("PublicDefault{n}"),
            Route::builder()
                .route_table(&public_routes)
                .destination(cidr!("0.0.0.0/0"))
                .target(&internet)
                .build(),
        );
        let nat = stack.add(
            &format!("Nat{n}"),
            NatGateway::builder().subnet(&public).build(),
        );
        let private = stack.add(
            &format!("Private{n}"),
            Subnet::builder()
                .vpc(&vpc)
                .cidr(format!("10.30.{}.0/24", az * 16 + 1))
                .availability_zone(Az::index(az))
                .build(),
        );
        let private_routes = stack.add(
            &format!("PrivateRoutes{n}"),
            RouteTable::builder().vpc(&vpc).subnets([&private]).build(),
        );
        stack.add(
            &format!("PrivateDefault{n}"),
            Route::builder()
                .route_table(&private_routes)
                .destination(cidr!("0.0.0.0/0"))
                .target(&nat)
                .build(),
        );
        private_subnets.push(private);
    }
    let apps = stack.add(
        "Apps",
        Workload::builder().subnets(&private_subnets).build(),
    );
    stack.output("VpcId", &vpc);

    let mut app = App::new("before-endpoints");
    app.add_stack(stack);
    let https = Port::tcp(443);
    app.flow(Flow::new(&apps, services::S3, https).gb_per_month(500.0));
    app.flow(Flow::new(&apps, services::DynamoDb, https).gb_per_month(50.0));
    app.flow(Flow::new(&apps, services::Sqs, https).gb_per_month(20.0));
    app
}

fn main() -> std::process::ExitCode {
    app().run()
}
