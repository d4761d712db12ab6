//! Databases shared over VPC Lattice (PrivateLink for resources): a resource gateway and two
//! resource configurations in the data VPC — no load balancer, no endpoint service. An
//! application VPC reaches the orders database through a resource endpoint
//! (`VpcEndpointType: Resource`, one per resource); an analytics VPC reaches both databases
//! through one service-network endpoint (`VpcEndpointType: ServiceNetwork`) to a service
//! network they join.
//!
//! ```text
//!  Data 10.5.0.0/16:  resource gateway ─ orders-db (10.5.1.20:5432) ── reports-db (10.5.2.30:5432)
//!                                          ▲ ARN exported  └─ service network "data" ─┘
//!  App 10.6.0.0/16:   resource endpoint ───┘                   ▲ ARN exported
//!  Analytics 10.7.0.0/16: service network endpoint ────────────┘
//! ```

use vpcform::handles::VpcMarker;
use vpcform::lattice::{
    LatticeResource, ResourceConfiguration, ResourceEndpoint, ResourceGateway, ServiceNetwork,
    ServiceNetworkEndpoint, ServiceNetworkResourceAssociation,
};
use vpcform::prelude::*;
use vpcform::vpc::{Ipv4Cidr, VpcRef};

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
    /// The analytics VPC, reading both databases.
    pub stack Analytics {
        /// 10.7.0.0/16.
        vpc AnalyticsVpc
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
                Rule::new(POSTGRES, Peer::ipv4(cidr!("10.5.1.20/32"))).description("Orders DB"),
                Rule::new(POSTGRES, Peer::ipv4(cidr!("10.5.2.30/32"))).description("Reports DB"),
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
    let reports = data.add(
        "ReportsDb",
        ResourceConfiguration::builder()
            .name("reports-db")
            .gateway(&gateway)
            .resource(LatticeResource::ip("10.5.2.30"))
            .ports([(5432, 5432)])
            .build(),
    );
    let network = data.add(
        "DataNetwork",
        ServiceNetwork::builder().name("data").build(),
    );
    for (id, configuration) in [
        ("OrdersDbInNetwork", &database),
        ("ReportsDbInNetwork", &reports),
    ] {
        data.add(
            id,
            ServiceNetworkResourceAssociation::builder()
                .service_network(&network)
                .resource(configuration)
                .build(),
        );
    }
    let network_arn = data.export("DataNetworkArn", &network);

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

    let mut analytics = Stack::<Analytics>::new("Analytics")
        .description("Analytics reaching every database of the data network through one endpoint");
    let analytics_vpc = analytics.add(
        "AnalyticsVpc",
        Vpc::<AnalyticsVpc>::builder()
            .cidr(cidr!("10.7.0.0/16"))
            .build(),
    );
    let m = analytics.add(
        "AnalyticsA",
        subnet(&analytics_vpc, cidr!("10.7.1.0/24"), 0),
    );
    let n = analytics.add(
        "AnalyticsB",
        subnet(&analytics_vpc, cidr!("10.7.2.0/24"), 1),
    );
    analytics.add(
        "AnalyticsRoutes",
        RouteTable::builder()
            .vpc(&analytics_vpc)
            .subnets([&m, &n])
            .build(),
    );
    let network_sg = analytics.add(
        "NetworkEndpointSecurityGroup",
        SecurityGroup::builder()
            .vpc(&analytics_vpc)
            .description("Service network endpoint: PostgreSQL from this VPC")
            .ingress([
                Rule::new(POSTGRES, Peer::ipv4(cidr!("10.7.0.0/16"))).description("Analytics")
            ])
            .build(),
    );
    let imported_network = analytics.import(&network_arn);
    analytics.add(
        "DataNetworkEndpoint",
        ServiceNetworkEndpoint::builder()
            .vpc(&analytics_vpc)
            .service_network(imported_network)
            .subnets([&m, &n])
            .security_groups([&network_sg])
            .build(),
    );
    let jobs = analytics.add("ReportJobs", Workload::builder().subnets([&m, &n]).build());

    let mut app = App::new("lattice");
    app.add_stack(data);
    app.add_stack(application);
    app.add_stack(analytics);
    app.flow(Flow::new(&orders, &database, POSTGRES).gb_per_month(50.0));
    app.flow(Flow::new(&jobs, &database, POSTGRES).gb_per_month(20.0));
    app.flow(Flow::new(&jobs, &reports, POSTGRES).gb_per_month(80.0));
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
