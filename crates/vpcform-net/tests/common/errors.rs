// Shared by the synthesis tests: a synthesis's errors as data, which tests assert (codes,
// constructs, values) rather than sentences (each code's text has its own snapshot in
// `finding.rs`).

/// `app`'s synthesis errors; none when it synthesizes.
#[allow(dead_code)]
fn synth_errors(app: &App) -> Vec<vpcform_net::findings::SynthError> {
    app.synth().err().map(|e| e.0).unwrap_or_default()
}

/// Each error's code and construct.
#[allow(dead_code)]
fn codes(
    errors: &[vpcform_net::findings::SynthError],
) -> Vec<(vpcform_net::findings::Code, Option<&str>)> {
    errors.iter().map(|e| (e.code(), e.construct())).collect()
}

/// An `InvalidText`'s property, value and reason.
#[allow(dead_code)]
fn text(e: &vpcform_net::findings::SynthError) -> Option<(&str, &str, &str)> {
    match e {
        vpcform_net::findings::SynthError::InvalidText {
            property,
            value,
            reason,
            ..
        } => Some((property, value, reason)),
        _ => None,
    }
}
