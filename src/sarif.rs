//! Findings as SARIF 2.1.0 (OASIS), for CI and code-scanning views: one run, vpcform as the
//! tool with every declared code as a rule, one result per finding on the user's line.

use serde_json::{Value, json};

use crate::{CODES, Finding, Severity};

/// The SARIF log of these findings.
pub(crate) fn log(findings: &[Finding]) -> Value {
    let rules: Vec<Value> = CODES
        .iter()
        .map(|info| {
            let mut rule = json!({
                "id": info.code.as_str(),
                "name": info.variant,
                "shortDescription": { "text": info.title },
                "defaultConfiguration": { "level": level(info.severity) },
            });
            if let Some(url) = info.source.url() {
                rule["helpUri"] = json!(url);
            }
            rule
        })
        .collect();
    let results: Vec<Value> = findings.iter().map(result).collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "vpcform",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://github.com/vpcform/vpcform",
                    "rules": rules,
                }
            },
            "originalUriBaseIds": { "SRCROOT": { "description": { "text": "the program's package root (cargo runs it from there)" } } },
            "results": results,
        }]
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn result(finding: &Finding) -> Value {
    let mut text = finding.message.clone();
    if let Some(help) = &finding.help {
        text += &format!("\nhelp: {help}");
    }
    let mut result = json!({
        "ruleId": finding.code.as_str(),
        "ruleIndex": CODES.iter().position(|c| c.code == finding.code).unwrap_or(0),
        "level": level(finding.severity),
        "message": { "text": text },
    });
    let mut location = json!({});
    if let Some(at) = &finding.location {
        let artifact = if at.file.starts_with('/') {
            json!({ "uri": format!("file://{}", at.file) })
        } else {
            json!({ "uri": at.file.replace('\\', "/"), "uriBaseId": "SRCROOT" })
        };
        location["physicalLocation"] = json!({
            "artifactLocation": artifact,
            "region": { "startLine": at.line, "startColumn": at.column },
        });
    }
    if let Some(construct) = &finding.construct {
        location["logicalLocations"] = json!([{ "fullyQualifiedName": construct }]);
    }
    if location.as_object().is_some_and(|o| !o.is_empty()) {
        result["locations"] = json!([location]);
    }
    result
}
