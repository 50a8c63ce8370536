//! Page images for the viewer through the app's own `page:` URI scheme:
//! `page://localhost/<document>/<page>?size=<pixels>` answers with a JPEG of that page, turned
//! upright (on Windows the webview asks `http://page.localhost/…`). The page is found with the
//! reader library and rendered on a thread of its own without holding it.

use tauri::http::{Request, Response, StatusCode};
use tauri::{Manager, UriSchemeContext, UriSchemeResponder};

use crate::state::AppState;

/// The scheme's name.
pub const SCHEME: &str = "page";

/// Answers one request (on a worker thread).
pub fn handle<R: tauri::Runtime>(
    ctx: UriSchemeContext<'_, R>,
    request: Request<Vec<u8>>,
    responder: UriSchemeResponder,
) {
    let app = ctx.app_handle().clone();
    std::thread::spawn(move || {
        let response = match answer(&app, request.uri()) {
            Ok(jpeg) => Response::builder()
                .status(StatusCode::OK)
                .header("Content-Type", "image/jpeg")
                .header("Cache-Control", "no-cache")
                .body(jpeg),
            Err((status, message)) => Response::builder()
                .status(status)
                .header("Content-Type", "text/plain; charset=utf-8")
                .body(message.into_bytes()),
        };
        responder.respond(response.unwrap_or_else(|_| Response::new(Vec::new())));
    });
}

fn answer<R: tauri::Runtime>(
    app: &tauri::AppHandle<R>,
    uri: &tauri::http::Uri,
) -> Result<Vec<u8>, (StatusCode, String)> {
    let (id, page, size) = parse(uri.path(), uri.query()).ok_or_else(|| {
        (
            StatusCode::BAD_REQUEST,
            format!("{uri}: not a page address (page://localhost/<document>/<page>?size=N)"),
        )
    })?;
    let state = app.state::<AppState>();
    let mut blobs = None;
    let location = state
        .read(|lib| {
            blobs = Some(lib.blobs().clone());
            Ok(skladnica_core::preview::locate(lib, id, page)?)
        })
        .map_err(|e| (StatusCode::NOT_FOUND, e.message))?;
    let blobs = blobs.ok_or((StatusCode::NOT_FOUND, "no library".to_string()))?;
    skladnica_core::preview::render(&blobs, &location, size)
        .map(|p| p.jpeg)
        .map_err(|e| (StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))
}

/// `/<document>/<page>` and `size=N` (default 1600).
fn parse(path: &str, query: Option<&str>) -> Option<(i64, i64, u32)> {
    let mut parts = path.trim_matches('/').split('/');
    let id = parts.next()?.parse().ok()?;
    let page = parts.next()?.parse().ok()?;
    if parts.next().is_some() {
        return None;
    }
    let size = query
        .into_iter()
        .flat_map(|q| q.split('&'))
        .find_map(|kv| kv.strip_prefix("size="))
        .and_then(|v| v.parse().ok())
        .unwrap_or(1600);
    Some((id, page, size))
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn page_addresses() {
        assert_eq!(parse("/12/3", Some("size=400")), Some((12, 3, 400)));
        assert_eq!(parse("/12/3", None), Some((12, 3, 1600)));
        assert_eq!(parse("/12", None), None);
        assert_eq!(parse("/12/3/4", None), None);
        assert_eq!(parse("/../etc/passwd", None), None);
    }
}
