// Shared by the synthesis tests: what a synthesis reports, as the messages users read.

/// The error messages of `app`'s synthesis; none when it succeeds.
#[allow(dead_code)]
fn error_messages(app: &App) -> Vec<String> {
    match app.synth() {
        Ok(_) => Vec::new(),
        Err(errors) => errors.errors().iter().map(ToString::to_string).collect(),
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
