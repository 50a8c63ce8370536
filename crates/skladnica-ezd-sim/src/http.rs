//! Just enough HTTP/1.1 for the simulator: one request per connection (the answer says
//! `Connection: close`), bodies by `Content-Length`, and `multipart/form-data` parsing. Written
//! here rather than taken from a server crate because the faults need control of the socket:
//! a connection dropped before or after the write is committed, an answer that never comes.

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;

use crate::contract::percent_decode;

/// The largest request head and body the simulator reads.
const MAX_HEAD: usize = 64 << 10;
const MAX_BODY: usize = 600 << 20;

/// A request as read from the socket.
#[derive(Debug, Clone)]
pub struct Request {
    /// `GET`, `POST`, …
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// Query parameters, decoded.
    pub query: HashMap<String, String>,
    /// Headers as sent (names compared without case).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Request {
    /// The first header named `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Reads one request; `None` when the client closed the connection first.
pub fn read_request(stream: &TcpStream) -> io::Result<Option<Request>> {
    let mut r = BufReader::new(stream);
    let mut line = String::new();
    if r.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "not an HTTP request line",
        ));
    };
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let query = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k, true), percent_decode(v, true))
        })
        .collect();
    let mut headers = Vec::new();
    let mut head = line.len();
    loop {
        let mut h = String::new();
        let n = r.read_line(&mut h)?;
        head += n;
        if n == 0 || head > MAX_HEAD {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "request head too long or cut",
            ));
        }
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let mut req = Request {
        method: method.to_string(),
        path: path.to_string(),
        query,
        headers,
        body: Vec::new(),
    };
    if req
        .header("transfer-encoding")
        .is_some_and(|t| t.eq_ignore_ascii_case("chunked"))
    {
        req.body = read_chunked(&mut r)?;
    } else if let Some(len) = req.header("content-length") {
        let len: usize = len
            .parse()
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "bad Content-Length"))?;
        if len > MAX_BODY {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "body too large"));
        }
        req.body = vec![0; len];
        r.read_exact(&mut req.body)?;
    }
    Ok(Some(req))
}

fn read_chunked(r: &mut impl BufRead) -> io::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let mut size = String::new();
        r.read_line(&mut size)?;
        let n = usize::from_str_radix(size.trim().split(';').next().unwrap_or("0"), 16)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "bad chunk size"))?;
        if body.len() + n > MAX_BODY {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "body too large"));
        }
        let mut chunk = vec![0; n + 2];
        if n == 0 {
            let mut rest = String::new();
            while r.read_line(&mut rest)? > 2 {
                rest.clear();
            }
            return Ok(body);
        }
        r.read_exact(&mut chunk)?;
        body.extend_from_slice(&chunk[..n]);
    }
}

/// Writes an answer and closes the exchange.
pub fn write_response(
    mut stream: &TcpStream,
    status: u16,
    content_type: &str,
    extra: &[(&str, String)],
    body: &[u8],
) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {status} {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        reason(status),
        body.len()
    );
    if !body.is_empty() {
        head.push_str(&format!("Content-Type: {content_type}\r\n"));
    }
    for (k, v) in extra {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        409 => "Conflict",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// One part of a `multipart/form-data` body.
#[derive(Debug, Clone)]
pub struct Part {
    /// The form field's name.
    pub name: String,
    /// The file name, for a file.
    pub filename: Option<String>,
    /// The part's bytes.
    pub data: Vec<u8>,
}

/// The parts of a `multipart/form-data` body with the boundary of `content_type`.
pub fn multipart(content_type: &str, body: &[u8]) -> Result<Vec<Part>, String> {
    let boundary = content_type
        .split(';')
        .filter_map(|p| p.trim().strip_prefix("boundary="))
        .next()
        .map(|b| b.trim_matches('"'))
        .ok_or("multipart/form-data without a boundary")?;
    let delimiter = format!("--{boundary}");
    let d = delimiter.as_bytes();
    let mut parts = Vec::new();
    let mut pos = find(body, d, 0).ok_or("no multipart boundary in the body")? + d.len();
    loop {
        if body[pos..].starts_with(b"--") {
            return Ok(parts);
        }
        let start = pos + 2; // CRLF after the boundary
        let end = find(body, d, start).ok_or("a multipart part without its closing boundary")?;
        let part = body
            .get(start..end.saturating_sub(2))
            .ok_or("a malformed multipart part")?;
        let split = find(part, b"\r\n\r\n", 0).ok_or("a multipart part without headers")?;
        let head = String::from_utf8_lossy(&part[..split]);
        let mut name = None;
        let mut filename = None;
        for line in head.lines() {
            let (k, v) = line.split_once(':').unwrap_or((line, ""));
            if k.trim().eq_ignore_ascii_case("content-disposition") {
                for p in v.split(';').map(str::trim) {
                    if let Some(n) = p.strip_prefix("name=") {
                        name = Some(n.trim_matches('"').to_string());
                    } else if let Some(f) = p.strip_prefix("filename=") {
                        filename = Some(f.trim_matches('"').to_string());
                    }
                }
            }
        }
        parts.push(Part {
            name: name.ok_or("a multipart part without a name")?,
            filename,
            data: part[split + 4..].to_vec(),
        });
        pos = end + d.len();
    }
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_parts_are_read_with_their_names_and_files() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"pismo.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\r\n--\r\n--XyZ\r\nContent-Disposition: form-data; name=\"opis\"\r\n\r\ntekst\r\n--XyZ--\r\n";
        let parts = multipart("multipart/form-data; boundary=XyZ", body).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name, "file");
        assert_eq!(parts[0].filename.as_deref(), Some("pismo.pdf"));
        assert_eq!(parts[0].data, b"%PDF-1.7\r\n--");
        assert_eq!(parts[1].data, b"tekst");
        assert!(multipart("multipart/form-data", body).is_err());
        assert!(multipart("multipart/form-data; boundary=Q", body).is_err());
    }
}
