//! Every stack of every example, synthesized and snapshotted; the CLI end to end.

#[allow(dead_code)]
#[path = "../examples/privatelink.rs"]
mod privatelink;

#[allow(dead_code)]
#[path = "../examples/private_endpoints.rs"]
mod private_endpoints;

#[allow(dead_code)]
#[path = "../examples/before_endpoints.rs"]
mod before_endpoints;

#[allow(dead_code)]
#[path = "../examples/centralized_endpoints.rs"]
mod centralized_endpoints;

#[allow(dead_code)]
#[path = "../examples/segmented_network.rs"]
mod segmented_network;

#[allow(dead_code)]
#[path = "../examples/lattice_resource.rs"]
mod lattice_resource;

#[allow(dead_code)]
#[path = "../examples/existing_vpc.rs"]
mod existing_vpc;

#[allow(dead_code)]
#[path = "../examples/dual_stack.rs"]
mod dual_stack;

#[allow(dead_code)]
#[path = "../examples/endpoint_baseline.rs"]
mod endpoint_baseline;

#[allow(dead_code)]
#[path = "../examples/landing_zone.rs"]
mod landing_zone;

use vpcform::prelude::*;

/// Snapshots each template of an app under `<example>-<stack>`, and its manifest, traffic
/// report, cost report and diagram.
fn snapshot_app(example: &str, app: &App) {
    let assembly = app.synth().unwrap_or_else(|e| panic!("{example}: {e}"));
    for stack in assembly.stacks() {
        insta::assert_json_snapshot!(format!("{example}-{}", stack.name()), stack.template());
        every_taggable_resource_is_named(example, stack.template());
    }
    insta::assert_json_snapshot!(format!("{example}-manifest"), assembly.manifest());
    written_assembly_reads_back(example, &assembly);
    // An example without flows has no traffic to snapshot (a snapshot of nothing proves
    // nothing): its report must be empty.
    if assembly.traffic().flows.is_empty() {
        assert_eq!(assembly.traffic().table(), "", "{example}");
    } else {
        insta::assert_json_snapshot!(format!("{example}-traffic"), assembly.traffic());
        insta::assert_snapshot!(
            format!("{example}-traffic-table"),
            assembly.traffic().table()
        );
    }
    insta::assert_snapshot!(format!("{example}-cost"), assembly.cost().to_string());
    insta::assert_snapshot!(format!("{example}-dot"), assembly.diagram_dot());
    insta::assert_snapshot!(format!("{example}-mermaid"), assembly.diagram_mermaid());
}

/// The assembly written to a directory reads back (`vpcform::assembly::CloudAssembly`) as the
/// same manifest and templates (the toolkit's tests deploy what is read).
fn written_assembly_reads_back(example: &str, assembly: &vpcform::Assembly) {
    let dir =
        std::env::temp_dir().join(format!("vpcform-assembly-{example}-{}", std::process::id()));
    assembly.write_to(&dir).expect("written");
    let read =
        vpcform::assembly::CloudAssembly::read(&dir).unwrap_or_else(|e| panic!("{example}: {e}"));
    assert_eq!(read.manifest(), &assembly.manifest(), "{example}");
    for (stack, entry) in assembly.stacks().iter().zip(&read.manifest().stacks) {
        let text = read.template(entry).expect("template");
        let json: serde_json::Value = serde_json::from_str(&text).expect("json");
        assert_eq!(json, serde_json::to_value(stack.template()).expect("json"));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

include!("../crates/vpcform-net/tests/common/not_taggable.rs");

/// Every resource of a taggable type carries a `Name` tag (in `HostedZoneTags` for Route 53
/// zones); cfn-lint proves the others carry none (E3002).
fn every_taggable_resource_is_named(example: &str, template: &vpcform::cfn::Template) {
    let json = serde_json::to_value(template).unwrap_or_default();
    let resources = json["Resources"].as_object().cloned().unwrap_or_default();
    for (id, resource) in resources {
        let kind = resource["Type"].as_str().unwrap_or_default();
        if NOT_TAGGABLE.contains(&kind) {
            continue;
        }
        let property = if kind == "AWS::Route53::HostedZone" {
            "HostedZoneTags"
        } else {
            "Tags"
        };
        let named = resource["Properties"][property]
            .as_array()
            .is_some_and(|tags| tags.iter().any(|t| t["Key"] == "Name"));
        assert!(
            named,
            "{example}: {id} ({kind}) has no Name tag in {property}"
        );
    }
}

#[test]
fn dual_stack_templates() {
    snapshot_app("dual_stack", &dual_stack::app());
}

#[test]
fn endpoint_baseline_templates() {
    snapshot_app("endpoint_baseline", &endpoint_baseline::app());
}

#[test]
fn existing_vpc_templates() {
    snapshot_app("existing_vpc", &existing_vpc::app());
}

#[test]
fn privatelink_templates() {
    snapshot_app("privatelink", &privatelink::app());
}

#[test]
fn private_endpoints_templates() {
    snapshot_app("private_endpoints", &private_endpoints::app(false));
}

#[test]
fn before_endpoints_templates() {
    snapshot_app("before_endpoints", &before_endpoints::app());
}

#[test]
fn landing_zone_templates() {
    snapshot_app("landing_zone", &landing_zone::app(&landing_zone::config()));
}

/// The landing zone across two Regions: the spoke that uses the other Region's hub crosses
/// the transit gateway peering (pending its acceptance, which is private), each Region's
/// spokes reach their own hub, and the routes over the peering are deployed after it.
#[test]
fn landing_zone_crosses_regions_over_the_peering() {
    let assembly = landing_zone::app(&landing_zone::config())
        .synth()
        .unwrap_or_else(|e| panic!("{e}"));
    let flows = &assembly.traffic().flows;
    let builds = flows
        .iter()
        .find(|f| f.workload == "Builds/BuildsPods" && f.destination == "sqs")
        .unwrap_or_else(|| panic!("no Builds -> sqs flow"));
    assert_eq!(builds.path, vpcform::traffic::PathKind::PendingAcceptance);
    assert_eq!(
        builds.subnets[0].hops,
        [
            "Builds/BuildsAttachment",
            "NetworkWest/Tgw",
            "TgwPeering/Peering",
            "NetworkEast/Tgw",
            "HubEast/HubAttachment"
        ]
    );
    assert!(flows.iter().all(|f| f.path.is_private()));
    // The PrivateLink provider is consumed in its Region and from the other.
    let consumers: Vec<&str> = flows
        .iter()
        .filter(|f| f.destination == "Inventory/EndpointService")
        .map(|f| f.workload.as_str())
        .collect();
    assert_eq!(
        consumers,
        ["Payments/PaymentsPods", "Shipping/ShippingPods"]
    );
    let order: Vec<&str> = assembly.stacks().iter().map(|s| s.name()).collect();
    let at = |name: &str| order.iter().position(|n| *n == name);
    assert!(at("TgwPeering") < at("PeeringRoutesEast"), "{order:?}");
    assert!(at("Payments") < at("SpokeRoutesEast"), "{order:?}");
    assert!(at("Shipping") < at("SpokeRoutesWest"), "{order:?}");
    assert_eq!(order.len(), 15, "{order:?}");
}

#[test]
fn centralized_endpoints_templates() {
    snapshot_app("centralized_endpoints", &centralized_endpoints::app());
}

#[test]
fn segmented_network_templates() {
    snapshot_app("segmented_network", &segmented_network::app());
}

#[test]
fn lattice_resource_templates() {
    snapshot_app("lattice_resource", &lattice_resource::app());
}

#[test]
fn synthesis_is_deterministic() {
    let bytes = |app: App| -> Vec<(String, String)> {
        let assembly = app.synth().expect("synth");
        assembly
            .stacks()
            .iter()
            .map(|s| {
                let json = s.template().to_json_pretty().expect("json");
                (s.name().to_string(), json)
            })
            .collect()
    };
    let first = bytes(privatelink::app());
    let second = bytes(privatelink::app());
    assert_eq!(first.len(), 2);
    assert_eq!(first, second);
}

#[test]
fn provider_is_deployed_before_the_consumer_that_imports_from_it() {
    let assembly = privatelink::app().synth().expect("synth");
    let order: Vec<&str> = assembly.stacks().iter().map(|s| s.name()).collect();
    assert_eq!(order, ["Provider", "Consumer"]);
    let consumer = assembly.stack("Consumer").expect("consumer");
    assert_eq!(consumer.depends_on(), ["Provider"]);
    assert_eq!(consumer.template().imports(), ["Provider-ServiceName"]);
}

#[test]
fn cli_writes_templates_and_manifest() {
    let dir = std::env::temp_dir().join(format!("vpcform-cli-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = dir.to_str().expect("utf-8 temp dir");
    let code = privatelink::app().run_with(["privatelink", "synth", "--out", out]);
    assert_eq!(code, std::process::ExitCode::SUCCESS);
    for file in [
        "Provider.template.json",
        "Consumer.template.json",
        "manifest.json",
    ] {
        let text = std::fs::read_to_string(dir.join(file)).expect(file);
        let json: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert!(json.is_object(), "{file}");
    }
    // Same bytes as the library produces.
    let assembly = privatelink::app().synth().expect("synth");
    let provider = assembly.stack("Provider").expect("provider");
    assert_eq!(
        std::fs::read_to_string(dir.join("Provider.template.json")).expect("read"),
        provider.template().to_json_pretty().expect("json")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn cli_writes_nothing_when_synthesis_fails() {
    vpcform::topology! { stack Broken { vpc Bad } }
    let mut stack = Stack::<Broken>::new("Broken");
    stack.add("Bad", Vpc::<Bad>::builder().cidr("10.0.0.0/33").build());
    let mut app = App::new("broken");
    app.add_stack(stack);
    let dir = std::env::temp_dir().join(format!("vpcform-cli-fail-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let code = app.run_with(["broken", "--out", dir.to_str().expect("utf-8")]);
    assert_eq!(code, std::process::ExitCode::FAILURE);
    assert!(!dir.exists(), "nothing may be written on error");
}

/// `program | head` closes stdout early: the summary is lost, the work is not, no panic.
#[test]
fn cli_with_a_closed_stdout_writes_the_assembly_without_panicking() {
    // Examples are built beside the test binary (target/debug/deps/..).
    let exe = std::env::current_exe().expect("test binary");
    let example = exe
        .parent()
        .and_then(|deps| deps.parent())
        .map(|debug| debug.join("examples").join("privatelink"))
        .expect("target dir");
    let dir = std::env::temp_dir().join(format!("vpcform-cli-epipe-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader); // no one reads: every write to stdout fails with EPIPE
    let output = std::process::Command::new(&example)
        .args(["synth", "--out"])
        .arg(&dir)
        .stdout(writer)
        .output()
        .expect("run the example");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{:?}: {stderr}", output.status);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(dir.join("manifest.json").exists());
    let _ = std::fs::remove_dir_all(&dir);
}
