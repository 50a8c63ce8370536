//! The part of JSON Schema (OpenAPI 3.0's dialect) that the EZD RP contract uses: `$ref`,
//! `allOf`, `type` with `nullable`, `required`, `properties`, `additionalProperties`, `items`,
//! `enum`, `minLength`/`maxLength`, `minimum`/`maximum`, `minItems`/`maxItems` and the formats
//! `int32`, `int64`, `date-time`, `uuid`, `email`.
//!
//! `allOf` members are merged before `additionalProperties: false` is applied: the contract
//! writes responses as `allOf: [{$ref: Dto}, {type: object, additionalProperties: false}]`,
//! meaning "the DTO's properties and nothing else" (read strictly, JSON Schema would allow no
//! property at all).

use serde_json::{Map, Value};

/// Checks `value` against `schema`, resolving `$ref`s in `root` (the whole contract); each
/// violation is pushed as "`path`: what is wrong".
pub fn check(root: &Value, schema: &Value, value: &Value, path: &str, out: &mut Vec<String>) {
    let schema = merged(root, schema);
    if value.is_null() {
        if !schema
            .get("nullable")
            .and_then(Value::as_bool)
            .unwrap_or(false)
            && schema.get("type").is_some()
        {
            out.push(format!("{path}: null where the contract does not allow it"));
        }
        return;
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
        && !allowed.contains(value)
    {
        out.push(format!(
            "{path}: {value} is not one of {}",
            Value::Array(allowed.clone())
        ));
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("object") | None if schema.get("properties").is_some() => {
            check_object(root, &schema, value, path, out)
        }
        Some("object") => check_object(root, &schema, value, path, out),
        Some("array") => {
            let Some(items) = value.as_array() else {
                out.push(format!("{path}: expected an array, got {}", kind(value)));
                return;
            };
            if let Some(min) = schema.get("minItems").and_then(Value::as_u64)
                && (items.len() as u64) < min
            {
                out.push(format!(
                    "{path}: {} items, at least {min} required",
                    items.len()
                ));
            }
            if let Some(max) = schema.get("maxItems").and_then(Value::as_u64)
                && (items.len() as u64) > max
            {
                out.push(format!(
                    "{path}: {} items, at most {max} allowed",
                    items.len()
                ));
            }
            if let Some(item) = schema.get("items") {
                for (i, v) in items.iter().enumerate() {
                    check(root, item, v, &format!("{path}[{i}]"), out);
                }
            }
        }
        Some("string") => {
            let Some(s) = value.as_str() else {
                out.push(format!("{path}: expected a string, got {}", kind(value)));
                return;
            };
            let chars = s.chars().count() as u64;
            if let Some(min) = schema.get("minLength").and_then(Value::as_u64)
                && chars < min
            {
                out.push(format!(
                    "{path}: {chars} characters, at least {min} required"
                ));
            }
            if let Some(max) = schema.get("maxLength").and_then(Value::as_u64)
                && chars > max
            {
                out.push(format!("{path}: {chars} characters, at most {max} allowed"));
            }
            match schema.get("format").and_then(Value::as_str) {
                Some("date-time") if !is_date_or_time(s) => {
                    out.push(format!("{path}: {s:?} is not a date-time"))
                }
                Some("uuid") if !is_uuid(s) => out.push(format!("{path}: {s:?} is not a UUID")),
                Some("email") if !s.contains('@') => {
                    out.push(format!("{path}: {s:?} is not an e-mail address"))
                }
                _ => {}
            }
        }
        Some("integer") => {
            let Some(n) = value.as_i64() else {
                out.push(format!("{path}: expected an integer, got {value}"));
                return;
            };
            if schema.get("format").and_then(Value::as_str) == Some("int32")
                && i32::try_from(n).is_err()
            {
                out.push(format!("{path}: {n} does not fit int32"));
            }
            bounds(&schema, n as f64, path, out);
        }
        Some("number") => match value.as_f64() {
            Some(n) => bounds(&schema, n, path, out),
            None => out.push(format!("{path}: expected a number, got {value}")),
        },
        Some("boolean") if !value.is_boolean() => {
            out.push(format!("{path}: expected true or false, got {value}"))
        }
        _ => {}
    }
}

fn check_object(root: &Value, schema: &Value, value: &Value, path: &str, out: &mut Vec<String>) {
    let Some(obj) = value.as_object() else {
        out.push(format!("{path}: expected an object, got {}", kind(value)));
        return;
    };
    let empty = Map::new();
    let props = schema
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    for name in schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        if !obj.contains_key(name) {
            out.push(format!("{path}: the required property {name:?} is missing"));
        }
    }
    for (k, v) in obj {
        let at = format!("{path}.{k}");
        match props.get(k) {
            Some(s) => check(root, s, v, &at, out),
            None => match schema.get("additionalProperties") {
                Some(Value::Bool(false)) => {
                    out.push(format!("{at}: a property the contract does not define"))
                }
                Some(s @ Value::Object(_)) => check(root, s, v, &at, out),
                _ => {}
            },
        }
    }
}

fn bounds(schema: &Value, n: f64, path: &str, out: &mut Vec<String>) {
    if let Some(min) = schema.get("minimum").and_then(Value::as_f64)
        && n < min
    {
        out.push(format!("{path}: {n} is below the minimum {min}"));
    }
    if let Some(max) = schema.get("maximum").and_then(Value::as_f64)
        && n > max
    {
        out.push(format!("{path}: {n} is above the maximum {max}"));
    }
}

/// `schema` with its `$ref` resolved and its `allOf` members merged into one object schema.
pub fn merged(root: &Value, schema: &Value) -> Value {
    let schema = resolve(root, schema);
    let Some(all) = schema.get("allOf").and_then(Value::as_array) else {
        return schema.clone();
    };
    let mut out = schema.as_object().cloned().unwrap_or_default();
    out.remove("allOf");
    let mut props = out
        .remove("properties")
        .and_then(|p| p.as_object().cloned())
        .unwrap_or_default();
    let mut required: Vec<Value> = out
        .remove("required")
        .and_then(|r| r.as_array().cloned())
        .unwrap_or_default();
    for member in all {
        let m = merged(root, member);
        if let Some(p) = m.get("properties").and_then(Value::as_object) {
            props.extend(p.clone());
        }
        if let Some(r) = m.get("required").and_then(Value::as_array) {
            required.extend(r.iter().cloned());
        }
        for (k, v) in m.as_object().into_iter().flatten() {
            if !matches!(k.as_str(), "properties" | "required" | "description") {
                out.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
    }
    if !props.is_empty() {
        out.insert("properties".into(), Value::Object(props));
    }
    if !required.is_empty() {
        out.insert("required".into(), Value::Array(required));
    }
    Value::Object(out)
}

/// The smallest value `schema` allows: each required property with its own smallest value
/// (an empty text, 0 or the first allowed number, `false`, an empty list; a date for a
/// date-time), nothing optional. Answers start from it, so that a field the simulator does
/// not care about is still there as the contract requires.
pub fn example(root: &Value, schema: &Value) -> Value {
    example_at(root, schema, 0)
}

fn example_at(root: &Value, schema: &Value, depth: usize) -> Value {
    let schema = merged(root, schema);
    if let Some(first) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
    {
        return first.clone();
    }
    let format = schema.get("format").and_then(Value::as_str);
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => Value::String(match format {
            Some("date-time") => "2026-01-01T00:00:00".into(),
            Some("uuid") => "00000000-0000-4000-8000-000000000000".into(),
            _ => "x".repeat(schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize),
        }),
        Some("integer") | Some("number") => schema
            .get("minimum")
            .cloned()
            .unwrap_or_else(|| Value::from(0)),
        Some("boolean") => Value::Bool(false),
        Some("array") => Value::Array(Vec::new()),
        _ if depth > 16 => Value::Null,
        _ => {
            let mut out = Map::new();
            let props = schema.get("properties").and_then(Value::as_object);
            for name in schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                let value = props
                    .and_then(|p| p.get(name))
                    .map_or(Value::Null, |p| example_at(root, p, depth + 1));
                out.insert(name.to_string(), value);
            }
            Value::Object(out)
        }
    }
}

/// `base` with `over` laid on it: objects merged key by key, anything else replaced.
pub fn overlay(base: &mut Value, over: Value) {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(&k) {
                    Some(slot) => overlay(slot, v),
                    None => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (b, o) => *b = o,
    }
}

/// Follows `$ref` (`#/components/schemas/Name`) to its schema.
pub fn resolve<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    let mut s = schema;
    for _ in 0..32 {
        let Some(r) = s.get("$ref").and_then(Value::as_str) else {
            return s;
        };
        let Some(pointer) = r.strip_prefix('#') else {
            return s;
        };
        match root.pointer(pointer) {
            Some(next) => s = next,
            None => return s,
        }
    }
    s
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A date (`YYYY-MM-DD`, which the contract's examples use for date-time fields) or an RFC 3339
/// date and time.
fn is_date_or_time(s: &str) -> bool {
    let b = s.as_bytes();
    let date = b.len() >= 10
        && b[..10].iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
    date && (b.len() == 10 || (b.len() >= 19 && (b[10] == b'T' || b[10] == b' ')))
}

fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.chars().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn root() -> Value {
        json!({"components": {"schemas": {
            "Dto": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "string", "minLength": 1},
                "n": {"type": "integer", "format": "int32", "nullable": true, "minimum": 0},
                "when": {"type": "string", "format": "date-time"}
            }, "additionalProperties": false},
            "Response": {"allOf": [{"$ref": "#/components/schemas/Dto"},
                                   {"type": "object", "additionalProperties": false}]}
        }}})
    }

    fn errors(schema: &str, v: Value) -> Vec<String> {
        let root = root();
        let mut out = Vec::new();
        check(
            &root,
            &json!({"$ref": format!("#/components/schemas/{schema}")}),
            &v,
            "body",
            &mut out,
        );
        out
    }

    #[test]
    fn all_of_with_no_extra_properties_means_the_dto_and_nothing_else() {
        assert!(
            errors(
                "Response",
                json!({"id": "a", "n": null, "when": "2026-03-05"})
            )
            .is_empty()
        );
        let e = errors("Response", json!({"id": "a", "extra": 1}));
        assert_eq!(e, ["body.extra: a property the contract does not define"]);
    }

    #[test]
    fn the_smallest_example_keeps_to_its_schema() {
        let root = root();
        let schema = json!({"$ref": "#/components/schemas/Response"});
        let mut v = example(&root, &schema);
        let mut out = Vec::new();
        check(&root, &schema, &v, "r", &mut out);
        assert!(out.is_empty(), "{out:?}");
        overlay(&mut v, json!({"id": "x"}));
        assert_eq!(v["id"], "x");
    }

    #[test]
    fn each_violation_is_named_with_its_path() {
        let e = errors("Dto", json!({"n": -1, "when": "yesterday"}));
        assert!(e.iter().any(|m| m.contains("\"id\" is missing")), "{e:?}");
        assert!(e.iter().any(|m| m.contains("body.n: -1 is below")), "{e:?}");
        assert!(
            e.iter()
                .any(|m| m.contains("body.when") && m.contains("date-time")),
            "{e:?}"
        );
        let e = errors("Dto", json!({"id": "", "n": 3000000000i64}));
        assert!(e.iter().any(|m| m.contains("at least 1")), "{e:?}");
        assert!(e.iter().any(|m| m.contains("int32")), "{e:?}");
        assert_eq!(
            errors("Dto", json!([1])),
            ["body: expected an object, got an array"]
        );
    }
}
