//! In-process synthesis: the privatelink example and generated fleets, from building the app
//! to rendered templates (no file I/O). Whole-process figures are `cargo xtask bench`'s.

#[allow(dead_code)]
#[path = "../examples/privatelink.rs"]
mod privatelink;

#[allow(dead_code)]
#[path = "../examples/fleet.rs"]
mod fleet;

fn main() {
    divan::main();
}

/// The article's scenario, 25 resources in two stacks.
#[divan::bench]
fn privatelink_build_and_synth() -> vpcform::Assembly {
    match privatelink::app().synth() {
        Ok(assembly) => assembly,
        Err(e) => panic!("{e}"),
    }
}

/// Building, synthesizing and serializing the templates.
#[divan::bench]
fn privatelink_to_json() -> usize {
    let assembly = privatelink_build_and_synth();
    assembly
        .stacks()
        .iter()
        .map(|s| s.template().to_json_pretty().map(|j| j.len()).unwrap_or(0))
        .sum()
}

/// One stack of `vpcs` VPCs × 14 resources (32 VPCs: 448 resources).
#[divan::bench(args = [8, 16, 32])]
fn fleet_one_stack(vpcs: usize) -> vpcform::Assembly {
    match fleet::app(1, vpcs).synth() {
        Ok(assembly) => assembly,
        Err(e) => panic!("{e}"),
    }
}

/// 25 stacks of `vpcs` VPCs × 14 resources (28 VPCs: 9,800 resources).
#[divan::bench(args = [7, 14, 28], sample_count = 20)]
fn fleet_25_stacks(vpcs: usize) -> vpcform::Assembly {
    match fleet::app(25, vpcs).synth() {
        Ok(assembly) => assembly,
        Err(e) => panic!("{e}"),
    }
}
