// Shared by the synthesis tests: what a synthesis reports, as the messages users read.

/// The error messages of `app`'s synthesis; none when it succeeds.
#[allow(dead_code)]
fn error_messages(app: &App) -> Vec<String> {
    match app.synth() {
        Ok(_) => Vec::new(),
        Err(errors) => errors.errors().iter().map(ToString::to_string).collect(),
    }
}

/// The codes and constructs of `app`'s synthesis errors: what tests assert, rather than
/// sentences (each code's text has its own snapshot in `finding.rs`).
#[allow(dead_code)]
fn error_codes(app: &App) -> Vec<(vpcform_net::findings::Code, Option<String>)> {
    match app.synth() {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .errors()
            .iter()
            .map(|e| (e.code(), e.construct().map(str::to_string)))
            .collect(),
    }
}

/// The warnings of `app`'s synthesis, which must succeed.
#[allow(dead_code)]
fn warning_messages(app: &App) -> Vec<String> {
    match app.synth() {
        Ok(assembly) => assembly.warnings().iter().map(ToString::to_string).collect(),
        Err(e) => panic!("{e}"),
    }
}
