// Shared by the synthesis tests: what a synthesis reports, as the messages users read.

/// A finding as users read it, without code and location: the message, then its help on a
/// line of its own.
#[allow(dead_code)]
fn with_help(message: String, help: Option<String>) -> String {
    match help {
        Some(help) => format!("{message}\nhelp: {help}"),
        None => message,
    }
}

/// The error messages of `app`'s synthesis, each with its help; none when it succeeds.
#[allow(dead_code)]
fn error_messages(app: &App) -> Vec<String> {
    match app.synth() {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .errors()
            .iter()
            .map(|e| with_help(e.to_string(), e.help()))
            .collect(),
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

/// The warnings of `app`'s synthesis, each with its help; the synthesis must succeed.
#[allow(dead_code)]
fn warning_messages(app: &App) -> Vec<String> {
    match app.synth() {
        Ok(assembly) => assembly
            .warnings()
            .iter()
            .map(|w| with_help(w.to_string(), w.help()))
            .collect(),
        Err(e) => panic!("{e}"),
    }
}
