//! Findings as SARIF 2.1.0 (OASIS), for CI and code-scanning views: one run, vpcform as the
//! tool with every declared code as a rule, one result per finding on the user's line.

use serde_json::{Value, json};

use crate::findings::{CODES, Finding, Severity};

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

#[cfg(test)]
mod tests {
    use serde_json::{Map, Value};

    use crate::findings::{Finding, SourceLocation, SynthError, SynthWarning};

    const SCHEMA: &str = include_str!("../tests/schemas/sarif-schema-2.1.0.json");

    /// A JSON Schema draft-04 validator for the keywords the SARIF schema uses (`$ref`, `type`,
    /// `properties`, `additionalProperties`, `required`, `items`, `minItems`, `uniqueItems`,
    /// `minimum`, `maximum`, `enum`, `anyOf`, `oneOf`, `format` uri/uri-reference). A keyword
    /// it does not know, met on a value the log holds, fails the test rather than passing
    /// unchecked (the schema's `pattern`s are on fields vpcform does not write).
    struct Validator<'a> {
        root: &'a Value,
    }

    impl Validator<'_> {
        fn check(&self, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
            let Some(schema) = schema.as_object() else {
                return;
            };
            for (keyword, rule) in schema {
                match keyword.as_str() {
                    "$ref" => {
                        let name = rule
                            .as_str()
                            .and_then(|r| r.strip_prefix("#/definitions/"))
                            .unwrap_or_else(|| panic!("{at}: $ref {rule}"));
                        self.check(&self.root["definitions"][name], value, at, errors);
                    }
                    "type" => {
                        let types: Vec<&Value> = match rule {
                            Value::Array(types) => types.iter().collect(),
                            one => vec![one],
                        };
                        if !types.iter().any(|t| of_type(t, value, at)) {
                            errors.push(format!("{at}: not of type {rule}"));
                        }
                    }
                    "properties" | "additionalProperties" | "required" => {
                        if let Some(object) = value.as_object() {
                            self.object(schema, keyword, object, at, errors);
                        }
                    }
                    "items" => {
                        for (i, item) in value.as_array().into_iter().flatten().enumerate() {
                            self.check(rule, item, &format!("{at}/{i}"), errors);
                        }
                    }
                    "minItems" => {
                        if let Some(items) = value.as_array()
                            && (items.len() as u64) < rule.as_u64().unwrap_or(0)
                        {
                            errors.push(format!("{at}: fewer than {rule} items"));
                        }
                    }
                    "uniqueItems" => {
                        if let Some(items) = value.as_array() {
                            for (i, item) in items.iter().enumerate() {
                                if items[..i].contains(item) && rule == &Value::Bool(true) {
                                    errors.push(format!("{at}/{i}: a duplicate item"));
                                }
                            }
                        }
                    }
                    "minimum" | "maximum" => {
                        if let (Some(v), Some(bound)) = (value.as_f64(), rule.as_f64())
                            && ((keyword == "minimum" && v < bound)
                                || (keyword == "maximum" && v > bound))
                        {
                            errors.push(format!("{at}: {v} is past {keyword} {bound}"));
                        }
                    }
                    "enum" => {
                        if !rule.as_array().is_some_and(|values| values.contains(value)) {
                            errors.push(format!("{at}: {value} is not one of {rule}"));
                        }
                    }
                    "anyOf" | "oneOf" => {
                        let passing = rule
                            .as_array()
                            .into_iter()
                            .flatten()
                            .filter(|s| {
                                let mut e = Vec::new();
                                self.check(s, value, at, &mut e);
                                e.is_empty()
                            })
                            .count();
                        if passing == 0 || (keyword == "oneOf" && passing > 1) {
                            errors.push(format!("{at}: {passing} of {keyword} match"));
                        }
                    }
                    "format" => {
                        if let Some(text) = value.as_str() {
                            let scheme = text.split_once(':').is_some_and(|(s, _)| {
                                !s.is_empty()
                                    && s.chars()
                                        .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
                            });
                            let ok = match rule.as_str() {
                                Some("uri") => scheme && !text.contains(char::is_whitespace),
                                Some("uri-reference") => !text.contains(char::is_whitespace),
                                _ => panic!("{at}: format {rule} not supported"),
                            };
                            if !ok {
                                errors.push(format!("{at}: {text:?} is not a {rule}"));
                            }
                        }
                    }
                    "pattern" => panic!("{at}: pattern not supported"),
                    "description" | "default" | "title" | "id" | "$schema" | "definitions" => {}
                    other => panic!("{at}: keyword {other} not supported"),
                }
            }
        }

        fn object(
            &self,
            schema: &Map<String, Value>,
            keyword: &str,
            object: &Map<String, Value>,
            at: &str,
            errors: &mut Vec<String>,
        ) {
            let properties = schema.get("properties").and_then(Value::as_object);
            match keyword {
                "properties" => {
                    for (name, value) in object {
                        if let Some(rule) = properties.and_then(|p| p.get(name)) {
                            self.check(rule, value, &format!("{at}/{name}"), errors);
                        }
                    }
                }
                "additionalProperties" => {
                    for (name, value) in object {
                        if properties.is_some_and(|p| p.contains_key(name)) {
                            continue;
                        }
                        match &schema["additionalProperties"] {
                            Value::Bool(false) => errors.push(format!("{at}/{name}: not allowed")),
                            Value::Bool(true) => {}
                            rule => self.check(rule, value, &format!("{at}/{name}"), errors),
                        }
                    }
                }
                _ => {
                    for name in schema["required"].as_array().into_iter().flatten() {
                        if !name.as_str().is_some_and(|n| object.contains_key(n)) {
                            errors.push(format!("{at}: {name} is required"));
                        }
                    }
                }
            }
        }
    }

    fn of_type(rule: &Value, value: &Value, at: &str) -> bool {
        match rule.as_str() {
            Some("object") => value.is_object(),
            Some("array") => value.is_array(),
            Some("string") => value.is_string(),
            Some("integer") => value.is_i64() || value.is_u64(),
            Some("number") => value.is_number(),
            Some("boolean") => value.is_boolean(),
            Some("null") => value.is_null(),
            _ => panic!("{at}: type {rule}"),
        }
    }

    fn validate(log: &Value) -> Vec<String> {
        let schema: Value = serde_json::from_str(SCHEMA).unwrap_or_default();
        let mut errors = Vec::new();
        Validator { root: &schema }.check(&schema, log, "", &mut errors);
        errors
    }

    fn findings() -> Vec<Finding> {
        let mut error = Finding::from(&SynthError::CidrPrefixOutOfRange {
            construct: "Net/Vpc".into(),
            cidr: "10.0.0.0/8".into(),
            prefix: 8,
        });
        error.location = Some(SourceLocation {
            file: "src/main.rs".into(),
            line: 12,
            column: 5,
        });
        let mut warning = Finding::from(&SynthWarning::SingleAz {
            construct: "Net/Sts".into(),
        });
        warning.location = Some(SourceLocation {
            file: "/home/u/net/src/main.rs".into(),
            line: 30,
            column: 17,
        });
        let app_level = Finding::from(&SynthError::InvalidAppName { name: "..".into() });
        vec![error, warning, app_level]
    }

    /// The log validates against the vendored OASIS schema: the tool with every code as a rule,
    /// one result per finding on the user's line.
    #[test]
    fn the_log_validates_against_the_oasis_schema() {
        let log = super::log(&findings());
        assert_eq!(validate(&log), Vec::<String>::new());
        assert_eq!(
            log["runs"][0]["tool"]["driver"]["rules"]
                .as_array()
                .map(Vec::len),
            Some(crate::findings::CODES.len())
        );
        assert_eq!(log["runs"][0]["results"].as_array().map(Vec::len), Some(3));
        let empty = super::log(&[]);
        assert_eq!(validate(&empty), Vec::<String>::new());
    }

    /// The validator does fail: a log the schema refuses is reported.
    #[test]
    fn the_validator_rejects_what_the_schema_refuses() {
        let mut log = super::log(&findings());
        log["runs"][0]["results"][0]["level"] = "fatal".into();
        log["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["region"]["startLine"] =
            0.into();
        log["runs"][0]["tool"]["driver"]["unknown"] = true.into();
        log["version"] = "2.0.0".into();
        let errors = validate(&log);
        assert_eq!(errors.len(), 4, "{errors:#?}");
    }
}
