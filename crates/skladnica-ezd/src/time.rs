//! The time sent with a token request (`rt`), ISO 8601 in UTC.

/// Now, as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn now_iso() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    skladnica_records::date::utc_timestamp(secs)
}
