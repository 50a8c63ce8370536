//! The EZD RP Integrator API contract (`ezdrp-v2.json`, OpenAPI 3.0) as a checker: which
//! operation a request is, and whether the request and the simulator's answer keep to it
//! (method, path and query parameters, headers, body schema; declared statuses and response
//! schemas).

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use crate::http::Request;
use crate::schema;

/// The loaded contract.
pub struct Contract {
    doc: Value,
    /// Path templates split into segments (`None` for a `{parameter}`), with their template.
    paths: Vec<(Vec<Option<String>>, String)>,
}

/// A request matched to an operation.
#[derive(Debug, Clone)]
pub struct Matched {
    /// The operation's id, e.g. `V2PostObiegiCommand`.
    pub operation: String,
    /// The path template, e.g. `/ezdrp/integrator/v2/obiegi/{idObieg}/dokumenty`.
    pub template: String,
    /// Path parameters by name.
    pub params: HashMap<String, String>,
}

impl Contract {
    /// Loads the contract from its JSON file.
    pub fn load(path: &Path) -> Result<Contract, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let doc: Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut paths = Vec::new();
        for template in doc["paths"]
            .as_object()
            .ok_or("the contract has no paths")?
            .keys()
        {
            let segments = template
                .trim_start_matches('/')
                .split('/')
                .map(|s| (!s.starts_with('{')).then(|| s.to_string()))
                .collect();
            paths.push((segments, template.clone()));
        }
        Ok(Contract { doc, paths })
    }

    /// The smallest value the component schema `name` allows (see [`schema::example`]).
    pub fn example(&self, name: &str) -> Value {
        let reference = serde_json::json!({ "$ref": format!("#/components/schemas/{name}") });
        schema::example(&self.doc, &reference)
    }

    /// The operation `method path` is, or why the contract has none.
    pub fn operation(&self, method: &str, path: &str) -> Result<Matched, String> {
        let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let mut best: Option<(usize, &String, HashMap<String, String>)> = None;
        for (segments, template) in &self.paths {
            if segments.len() != parts.len() {
                continue;
            }
            let names: Vec<&str> = template.trim_start_matches('/').split('/').collect();
            let mut params = HashMap::new();
            let mut literal = 0;
            let fits = segments
                .iter()
                .zip(&parts)
                .zip(&names)
                .all(|((s, p), n)| match s {
                    Some(lit) => {
                        literal += 1;
                        lit == p
                    }
                    None => {
                        params.insert(
                            n.trim_matches(|c| c == '{' || c == '}').to_string(),
                            percent_decode(p, false),
                        );
                        !p.is_empty()
                    }
                });
            if fits && best.as_ref().is_none_or(|(l, _, _)| literal > *l) {
                best = Some((literal, template, params));
            }
        }
        let Some((_, template, params)) = best else {
            return Err(format!("{method} {path}: no such path in the contract"));
        };
        let op = &self.doc["paths"][template][method.to_ascii_lowercase()];
        let Some(id) = op["operationId"].as_str() else {
            return Err(format!(
                "{method} {path}: the contract has no {method} for {template}"
            ));
        };
        Ok(Matched {
            operation: id.to_string(),
            template: template.clone(),
            params,
        })
    }

    fn op(&self, m: &Matched, method: &str) -> &Value {
        &self.doc["paths"][&m.template][method.to_ascii_lowercase()]
    }

    /// What in `req` (matched as `m`) the contract does not allow.
    pub fn check_request(&self, m: &Matched, req: &Request) -> Vec<String> {
        let mut out = Vec::new();
        let op = self.op(m, &req.method);
        let declared: Vec<&Value> = op["parameters"].as_array().into_iter().flatten().collect();
        for p in &declared {
            let name = p["name"].as_str().unwrap_or_default();
            let value = match p["in"].as_str() {
                Some("path") => m.params.get(name).cloned(),
                Some("query") => req.query.get(name).cloned(),
                Some("header") => req.header(name).map(str::to_string),
                _ => None,
            };
            match value {
                None if p["required"].as_bool().unwrap_or(false) => {
                    out.push(format!("parameter {name}: required, missing"))
                }
                None => {}
                Some(v) => {
                    let typed = typed_param(&p["schema"], &v);
                    schema::check(
                        &self.doc,
                        &p["schema"],
                        &typed,
                        &format!("parameter {name}"),
                        &mut out,
                    );
                }
            }
        }
        for name in req.query.keys() {
            if !declared
                .iter()
                .any(|p| p["in"] == "query" && p["name"] == name.as_str())
            {
                out.push(format!("query parameter {name}: not in the contract"));
            }
        }
        match req.header("authorization") {
            Some(a) if a.starts_with("Bearer ") && a.len() > 7 => {}
            _ => out.push("header Authorization: a Bearer token is required".into()),
        }
        if req.header("sid").is_none_or(str::is_empty) {
            out.push("header SID: the position id is required".into());
        }
        let body = &op["requestBody"];
        if body.is_null() {
            if !req.body.is_empty() {
                out.push("body: the operation takes none".into());
            }
            return out;
        }
        let content_type = req.header("content-type").unwrap_or_default();
        let media = content_type.split(';').next().unwrap_or_default().trim();
        let Some(declared) = body["content"].get(media) else {
            out.push(format!(
                "body: content type {media:?} is not one the contract takes"
            ));
            return out;
        };
        match media {
            "application/json" | "text/json" | "application/*+json" => {
                match serde_json::from_slice::<Value>(&req.body) {
                    Ok(v) => schema::check(&self.doc, &declared["schema"], &v, "body", &mut out),
                    Err(e) => out.push(format!("body: not JSON ({e})")),
                }
            }
            "multipart/form-data" => match crate::http::multipart(content_type, &req.body) {
                Ok(parts) => {
                    let s = schema::merged(&self.doc, &declared["schema"]);
                    for name in s["required"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                    {
                        if !parts.iter().any(|p| p.name == name) {
                            out.push(format!("body: the form field {name:?} is missing"));
                        }
                    }
                    for p in &parts {
                        let Some(field) = s["properties"].get(&p.name) else {
                            out.push(format!(
                                "body: the form field {:?} is not in the contract",
                                p.name
                            ));
                            continue;
                        };
                        let field = schema::merged(&self.doc, field);
                        let binary = |f: &Value| f["format"] == "binary";
                        let is_file = binary(&field) || binary(&field["items"]);
                        if is_file && p.filename.is_none() {
                            out.push(format!("body: the form field {:?} must be a file", p.name));
                        }
                    }
                }
                Err(e) => out.push(format!("body: {e}")),
            },
            _ => {}
        }
        out
    }

    /// What in an answer to `m` the contract does not allow. Statuses a gateway gives on its
    /// own (401, 429, 502, 503) are allowed with any body.
    pub fn check_response(
        &self,
        m: &Matched,
        method: &str,
        status: u16,
        body: &[u8],
    ) -> Vec<String> {
        let mut out = Vec::new();
        if matches!(status, 401 | 429 | 502 | 503) {
            return out;
        }
        let op = self.op(m, method);
        let Some(declared) = op["responses"].get(status.to_string()) else {
            out.push(format!("status {status}: not declared for {}", m.operation));
            return out;
        };
        let Some(content) = declared["content"]
            .as_object()
            .and_then(|c| c.values().next())
        else {
            return out;
        };
        if status == 204 && body.is_empty() {
            return out;
        }
        match serde_json::from_slice::<Value>(body) {
            Ok(v) => schema::check(&self.doc, &content["schema"], &v, "response", &mut out),
            Err(e) => out.push(format!("response: not JSON ({e})")),
        }
        out
    }
}

/// A path or query parameter's text as the JSON value its schema expects.
fn typed_param(schema: &Value, text: &str) -> Value {
    match schema["type"].as_str() {
        Some("integer") => text
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or(Value::String(text.into())),
        Some("number") => text
            .parse::<f64>()
            .map(Value::from)
            .unwrap_or(Value::String(text.into())),
        Some("boolean") => match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(text.into()),
        },
        _ => Value::String(text.into()),
    }
}

/// `%XX` escapes decoded (and `+` as a space in a query, `plus_is_space`); invalid UTF-8 is
/// kept as replacement characters.
pub fn percent_decode(s: &str, plus_is_space: bool) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 3 <= b.len()
            && b[i + 1].is_ascii_hexdigit()
            && b[i + 2].is_ascii_hexdigit()
            && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(if plus_is_space && b[i] == b'+' {
            b' '
        } else {
            b[i]
        });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
