//! A database shared over VPC Lattice (PrivateLink for resources): a resource gateway and a
//! resource configuration in the data VPC, a resource endpoint (`VpcEndpointType: Resource`) in
//! an application VPC of another stack — no load balancer, no endpoint service.
//!
//! ```text
//!  Data 10.5.0.0/16: resource gateway ─ resource configuration (10.5.1.20:5432)
//!                                              ▲ ARN exported
//!  App 10.6.0.0/16:  resource endpoint ────────┘
//! ```

use vpcform::prelude::*;
use vpcform::{LatticeResource, ResourceConfiguration, ResourceEndpoint, ResourceGateway};

vpcform::topology! {
    /// The data VPC, where the database runs.
    pub stack Data {
        /// 10.5.0.0/16.
        vpc DataVpc
    }
    /// The application VPC.
    pub stack Application {
        /// 10.6.0.0/16.
        vpc AppVpc
    }
}

const POSTGRES: Port = Port::tcp(5432);

/// Builds the app.
pub fn app() -> App {
    let mut data = Stack::<Data>::new("Data").description("A database offered over VPC Lattice");
    let vpc = data.add(
        "DataVpc",
        Vpc::<DataVpc>::builder().cidr(cidr!("10.5.0.0/16")).build(),
    );
    let a = data.add("DataA", subnet(&vpc, cidr!("10.5.1.0/24"), 0));
    let b = data.add("DataB", subnet(&vpc, cidr!("10.5.2.0/24"), 1));
    data.add(
        "DataRoutes",
        RouteTable::builder().vpc(&vpc).subnets([&a, &b]).build(),
    );
    let gateway_sg = data.add(
        "GatewaySecurityGroup",
        SecurityGroup::builder()
            .vpc(&vpc)
            .description("Resource gateway: to the database only")
            .egress([
                Rule::new(POSTGRES, Peer::ipv4(cidr!("10.5.1.20/32"))).description("Orders DB")
            ])
            .build(),
    );
    let gateway = data.add(
        "Gateway",
        ResourceGateway::builder()
            .name("data-gateway")
            .vpc(&vpc)
            .subnets([&a, &b])
            .security_groups([&gateway_sg])
            .build(),
    );
    let database = data.add(
        "OrdersDb",
        ResourceConfiguration::builder()
            .name("orders-db")
            .gateway(&gateway)
            .resource(LatticeResource::ip("10.5.1.20"))
            .ports([(5432, 5432)])
            .build(),
    );
    let arn = data.export("OrdersDbArn", &database);

    let mut application = Stack::<Application>::new("Application")
        .description("An application reaching the database through a resource endpoint");
    let app_vpc = application.add(
        "AppVpc",
        Vpc::<AppVpc>::builder().cidr(cidr!("10.6.0.0/16")).build(),
    );
    let x = application.add("AppA", subnet(&app_vpc, cidr!("10.6.1.0/24"), 0));
    let y = application.add("AppB", subnet(&app_vpc, cidr!("10.6.2.0/24"), 1));
    application.add(
        "AppRoutes",
        RouteTable::builder()
            .vpc(&app_vpc)
            .subnets([&x, &y])
            .build(),
    );
    let endpoint_sg = application.add(
        "EndpointSecurityGroup",
        SecurityGroup::builder()
            .vpc(&app_vpc)
            .description("Resource endpoint: PostgreSQL from this VPC")
            .ingress([Rule::new(POSTGRES, Peer::ipv4(cidr!("10.6.0.0/16"))).description("App")])
            .build(),
    );
    let imported = application.import(&arn);
    let orders = application.add(
        "OrdersService",
        Workload::builder().subnets([&x, &y]).build(),
    );
    application.add(
        "OrdersDbEndpoint",
        ResourceEndpoint::builder()
            .vpc(&app_vpc)
            .resource(imported)
            .subnets([&x, &y])
            .security_groups([&endpoint_sg])
            .build(),
    );

    let mut app = App::new("lattice");
    app.add_stack(data);
    app.add_stack(application);
    app.flow(Flow::new(&orders, &database, POSTGRES).gb_per_month(50.0));
    app.require_private_traffic();
    app
}

/// A private subnet in the region's `az`-th zone.
fn subnet<V: VpcMarker>(vpc: &VpcRef<V>, cidr: Ipv4Cidr, az: u32) -> Subnet<V> {
    Subnet::builder()
        .vpc(vpc)
        .cidr(cidr)
        .availability_zone(Az::index(az))
        .build()
}

#[allow(dead_code)]
fn main() -> std::process::ExitCode {
    app().run()
}
