//! Page images and archive PDFs for the viewer through the app's own `page:` URI scheme:
//! `page://localhost/<document>/<page>?size=<pixels>` answers with a JPEG of that page, turned
//! upright; `page://localhost/<document>/pdf` with the document's archive PDF (the searchable
//! PDF with its OCR text layer, or a born-digital PDF as it is), which the UI shows with pdf.js.
//! (On Windows the webview asks `http://page.localhost/…`.) Each request is answered on a thread
//! of its own; a page is rendered without holding the library.

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
            Ok((body, media_type)) => Response::builder()
                .status(StatusCode::OK)
                .header("Content-Type", media_type)
                .header("Cache-Control", "no-cache")
                // The UI (tauri://localhost) fetches the PDF across schemes; only this app's
                // webview can reach the scheme at all.
                .header("Access-Control-Allow-Origin", "*")
                .body(body),
            Err((status, message)) => Response::builder()
                .status(status)
                .header("Content-Type", "text/plain; charset=utf-8")
                .header("Access-Control-Allow-Origin", "*")
                .body(message.into_bytes()),
        };
        responder.respond(response.unwrap_or_else(|_| Response::new(Vec::new())));
    });
}

/// What an address asks for.
#[derive(Debug, PartialEq)]
enum Asked {
    /// A page image: document, page, longest side in pixels.
    Page(i64, i64, u32),
    /// A document's archive PDF.
    Pdf(i64),
}

type Answer = Result<(Vec<u8>, &'static str), (StatusCode, String)>;

fn answer<R: tauri::Runtime>(app: &tauri::AppHandle<R>, uri: &tauri::http::Uri) -> Answer {
    let asked = parse(uri.path(), uri.query()).ok_or_else(|| {
        (
            StatusCode::BAD_REQUEST,
            format!(
                "{uri}: not a page address (page://localhost/<document>/<page>?size=N or \
                 page://localhost/<document>/pdf)"
            ),
        )
    })?;
    let state = app.state::<AppState>();
    let (id, page, size) = match asked {
        Asked::Pdf(id) => {
            let pdf = state
                .read(|lib| Ok(skladnica_core::searchable_pdf::build(lib, id)?))
                .map_err(|e| (StatusCode::UNPROCESSABLE_ENTITY, e.message))?;
            return Ok((pdf.bytes, "application/pdf"));
        }
        Asked::Page(id, page, size) => (id, page, size),
    };
    let mut blobs = None;
    let location = state
        .read(|lib| {
            blobs = Some(lib.blobs().clone());
            Ok(skladnica_core::preview::locate(lib, id, page)?)
        })
        .map_err(|e| (StatusCode::NOT_FOUND, e.message))?;
    let blobs = blobs.ok_or((StatusCode::NOT_FOUND, "no library".to_string()))?;
    skladnica_core::preview::render(&blobs, &location, size)
        .map(|p| (p.jpeg, "image/jpeg"))
        .map_err(|e| (StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))
}

/// `/<document>/<page>` and `size=N` (default 1600), or `/<document>/pdf`.
fn parse(path: &str, query: Option<&str>) -> Option<Asked> {
    let mut parts = path.trim_matches('/').split('/');
    let id = parts.next()?.parse().ok()?;
    let what = parts.next()?;
    if parts.next().is_some() {
        return None;
    }
    if what == "pdf" {
        return Some(Asked::Pdf(id));
    }
    let page = what.parse().ok()?;
    let size = query
        .into_iter()
        .flat_map(|q| q.split('&'))
        .find_map(|kv| kv.strip_prefix("size="))
        .and_then(|v| v.parse().ok())
        .unwrap_or(1600);
    Some(Asked::Page(id, page, size))
}

#[cfg(test)]
mod tests {
    use super::{Asked, parse};

    #[test]
    fn page_addresses() {
        assert_eq!(
            parse("/12/3", Some("size=400")),
            Some(Asked::Page(12, 3, 400))
        );
        assert_eq!(parse("/12/3", None), Some(Asked::Page(12, 3, 1600)));
        assert_eq!(parse("/12/pdf", None), Some(Asked::Pdf(12)));
        assert_eq!(parse("/12/pdf/1", None), None);
        assert_eq!(parse("/12", None), None);
        assert_eq!(parse("/12/3/4", None), None);
        assert_eq!(parse("/../etc/passwd", None), None);
    }
}
