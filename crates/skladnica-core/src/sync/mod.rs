//! Sending incoming letters to the EZD RP when a connection exists: the connection's settings,
//! the outbox (`db::outbox`), and the run that takes each queued item through its steps.
//!
//! An item is queued in the same transaction as its registration in the local register (when
//! a connection is set up), or later by `sync queue`. Its steps: upload the scan as a new flow
//! (`POST /obiegi`), learn the document's id in the flow, upload the document's further files,
//! register it in the EZD's incoming register (`POST /dokumenty/{id}/rpw`); the EZD's ids and
//! RPW number are stored as each step succeeds, so a restart resumes at the exact step.
//!
//! Nothing is sent twice blindly. A step whose outcome is unknown (a timeout, a dropped
//! connection, a 5xx after the write) is marked `check_first`, and the EZD is read back before
//! it is done again: the flow is found by the unique name its file was uploaded under, further
//! files by theirs, the registration by the document's RPW number. A refusal (4xx) stops the
//! item with the EZD's reason until the clerk queues it again; an unreachable or failing EZD
//! stops the run, and the items wait with a growing back-off.
//!
//! The API key is kept outside the library, in the system's keyring (see [`secret`]), so it
//! never reaches a backup or an export, and it never appears in an error.

mod mapping;
pub mod secret;

use std::collections::HashMap;
use std::time::Duration;

use serde::Serialize;
use skladnica_ezd::{Client, Config, Error as EzdError};
use skladnica_records::RpwNumber;

use crate::db::outbox::{
    self, OutboxItem, Progress, STEP_CASE, STEP_DONE, STEP_FIND_DOCUMENT, STEP_METADATA,
    STEP_MORE_FILES, STEP_REGISTER, STEP_SENDER, STEP_UPLOAD,
};
use crate::db::{self, documents, settings};
use crate::error::{Error, Result};
use crate::library::Library;

/// Where the office's EZD is and as whom Składnica speaks to it (the key is kept apart).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EzdSettings {
    /// The API's address.
    pub api_url: String,
    /// The SSO's address.
    pub sso_url: String,
    /// The entity (podmiot) id.
    pub pid: String,
    /// The API key's id.
    pub aki: String,
    /// The technical user's position id (SID).
    pub sid: String,
    /// A CA certificate file trusted besides the system's roots.
    pub ca_file: Option<String>,
    /// Seconds one call may take.
    pub timeout_seconds: u64,
}

/// The setting naming the drop folder of an EZD without the API.
const DROP_FOLDER: &str = "ezd.drop_folder";

const KEYS: [&str; 7] = [
    "ezd.api_url",
    "ezd.sso_url",
    "ezd.pid",
    "ezd.aki",
    "ezd.sid",
    "ezd.ca_file",
    "ezd.timeout_seconds",
];

/// What one run did.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SendReport {
    /// Items delivered in this run.
    pub delivered: usize,
    /// Items the EZD refused in this run.
    pub rejected: usize,
    /// Items still waiting (queued, half-sent, or in back-off).
    pub waiting: usize,
    /// Why the run stopped early (the EZD unreachable, failing, the credentials refused).
    pub stopped: Option<String>,
}

/// How one item's turn ended.
enum Turn {
    Delivered,
    Rejected,
    /// It waits for another item; the run goes on.
    Deferred,
    /// The EZD cannot be used now: stop the run.
    Stop(String),
}

/// The back-off after `attempts` failed attempts: 30 s doubling, at most 30 minutes.
pub fn backoff(attempts: i64) -> i64 {
    (30i64 << attempts.clamp(0, 6)).min(1800)
}

impl Library {
    /// The EZD connection's settings, when set up.
    pub fn ezd_settings(&self) -> Result<Option<EzdSettings>> {
        let conn = self.conn();
        let get = |k: &str| settings::get(conn, k);
        let (Some(api_url), Some(sso_url), Some(pid), Some(aki), Some(sid)) = (
            get(KEYS[0])?,
            get(KEYS[1])?,
            get(KEYS[2])?,
            get(KEYS[3])?,
            get(KEYS[4])?,
        ) else {
            return Ok(None);
        };
        if api_url.is_empty() {
            return Ok(None);
        }
        Ok(Some(EzdSettings {
            api_url,
            sso_url,
            pid,
            aki,
            sid,
            ca_file: get(KEYS[5])?.filter(|s| !s.is_empty()),
            timeout_seconds: get(KEYS[6])?.and_then(|s| s.parse().ok()).unwrap_or(60),
        }))
    }

    /// Sets up the EZD connection: the settings in the library, the key outside it (see
    /// [`secret`]; the answer says where). The addresses and the CA file are checked first;
    /// nothing is stored when they are wrong.
    pub fn configure_ezd(&mut self, s: &EzdSettings, api_key: &str) -> Result<secret::Kept> {
        self.require_writable()?;
        self.require(crate::operators::Permission::Settings)?;
        if api_key.trim().is_empty() {
            return Err(Error::Invalid("the EZD API key is empty".into()));
        }
        for (what, v) in [
            ("entity id", &s.pid),
            ("API key id", &s.aki),
            ("SID", &s.sid),
        ] {
            if v.trim().is_empty() {
                return Err(Error::Invalid(format!("the EZD {what} is empty")));
            }
        }
        Client::new(client_config(s, api_key)).map_err(|e| Error::Invalid(e.to_string()))?;
        let kept = secret::store(s, api_key)?;
        let values = [
            s.api_url.clone(),
            s.sso_url.clone(),
            s.pid.clone(),
            s.aki.clone(),
            s.sid.clone(),
            s.ca_file.clone().unwrap_or_default(),
            s.timeout_seconds.to_string(),
        ];
        for (k, v) in KEYS.iter().zip(values) {
            settings::set(self.conn(), k, &v)?;
        }
        settings::set(self.conn(), DROP_FOLDER, "")?;
        Ok(kept)
    }

    /// The drop folder letters go to as packages, for an office whose EZD has no API.
    pub fn ezd_drop_folder(&self) -> Result<Option<std::path::PathBuf>> {
        Ok(settings::get(self.conn(), DROP_FOLDER)?
            .filter(|s| !s.is_empty())
            .map(Into::into))
    }

    /// Sends letters to `dir` (a folder on the share the EZD takes packages from) instead of an
    /// API: each run writes the letters due as one paczka. Replaces an API connection.
    pub fn configure_ezd_drop_folder(&mut self, dir: &std::path::Path) -> Result<()> {
        self.require_writable()?;
        self.require(crate::operators::Permission::Settings)?;
        if !dir.is_dir() {
            return Err(Error::Invalid(format!(
                "{}: the drop folder is not a folder (is the share connected?)",
                dir.display()
            )));
        }
        settings::set(self.conn(), DROP_FOLDER, &dir.to_string_lossy())?;
        settings::set(self.conn(), KEYS[0], "")?;
        Ok(())
    }

    /// Queues register entries for the EZD, in one batch. An entry without a scan cannot go
    /// (the EZD registers a letter from its file); one already queued stays as it is; a
    /// rejected one is queued again. Returns each entry with whether it was (re)queued.
    pub fn queue_for_ezd(&mut self, numbers: &[RpwNumber]) -> Result<Vec<(String, bool)>> {
        self.require_writable()?;
        if !configured(self.conn())? {
            return Err(Error::Invalid(
                "no EZD connection is set up (skladnica sync config)".into(),
            ));
        }
        let tx = self
            .conn_mut()
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| Error::sqlite("queueing for the EZD", e))?;
        let batch = outbox::next_batch(&tx)?;
        let mut out = Vec::new();
        for &n in numbers {
            let record = db::rpw::get(&tx, n)?
                .ok_or_else(|| Error::NotFound(format!("no item {n} in the incoming register")))?;
            let queued = queue_record(&tx, &record, batch)?;
            out.push((n.to_string(), queued));
        }
        tx.commit()
            .map_err(|e| Error::sqlite("queueing for the EZD", e))?;
        Ok(out)
    }

    /// Every item of the outbox, oldest first.
    pub fn ezd_outbox(&self) -> Result<Vec<OutboxItem>> {
        outbox::list(self.conn())
    }

    /// Sends what is due, one item and one upload at a time; `on_item` hears of each item as
    /// its turn ends. Stops early when the EZD cannot be used (the items wait for their
    /// back-off).
    pub fn send_to_ezd(&mut self, on_item: &mut dyn FnMut(&OutboxItem)) -> Result<SendReport> {
        self.require_writable()?;
        self.require_signed_in()?;
        self.send_due_with(&|id, p| outbox::record(self.conn(), id, p), on_item)
    }

    /// [`Library::send_to_ezd`] from any handle of the library: it reads through this one and
    /// writes each step's outcome through `save` (the desktop app sends on a read-only handle
    /// and takes its writer only for those writes).
    pub fn send_due_with(
        &self,
        save: &dyn Fn(i64, &Progress) -> Result<()>,
        on_item: &mut dyn FnMut(&OutboxItem),
    ) -> Result<SendReport> {
        if let Some(dir) = self.ezd_drop_folder()? {
            return self.send_to_drop_folder(&dir, save, on_item);
        }
        let s = self.ezd_settings()?.ok_or_else(|| {
            Error::Invalid("no EZD connection is set up (skladnica sync config)".into())
        })?;
        let key = secret::load(&s)?;
        let mut client =
            Client::new(client_config(&s, &key)).map_err(|e| Error::Invalid(e.to_string()))?;
        let mut report = SendReport::default();
        for item in outbox::due(self.conn(), db::now_secs())? {
            let turn = self.send_item(&mut client, &item, &|p| save(item.id, p))?;
            if let Some(now) = outbox::for_rpw(self.conn(), item.rpw_item_id)? {
                on_item(&now);
            }
            match turn {
                Turn::Delivered => report.delivered += 1,
                Turn::Rejected => report.rejected += 1,
                Turn::Deferred => {}
                Turn::Stop(why) => {
                    report.stopped = Some(why);
                    break;
                }
            }
        }
        report.waiting = outbox::list(self.conn())?
            .iter()
            .filter(|i| i.state == "queued" || i.state == "sending")
            .count();
        Ok(report)
    }

    /// The letters due, written as one package into the drop folder `dir` (the export's
    /// paczka: the scans, their metadata, the manifest, the confirmation), then delivered. A
    /// folder that cannot be written stops the run; the letters wait.
    fn send_to_drop_folder(
        &self,
        dir: &std::path::Path,
        save: &dyn Fn(i64, &Progress) -> Result<()>,
        on_item: &mut dyn FnMut(&OutboxItem),
    ) -> Result<SendReport> {
        let due = outbox::due(self.conn(), db::now_secs())?;
        let mut report = SendReport::default();
        if due.is_empty() {
            return Ok(report);
        }
        let mut documents = Vec::new();
        let mut document_of = HashMap::new();
        for item in &due {
            match item.document {
                Some(d) => {
                    documents.push(d);
                    document_of.insert(item.id, d);
                }
                None => {
                    let mut p = Progress::of(item);
                    p.state = "rejected";
                    p.error = Some(format!("{}: no scan to send", item.local_number));
                    save(item.id, &p)?;
                    report.rejected += 1;
                }
            }
        }
        let selection = crate::export::Selection {
            documents,
            ..Default::default()
        };
        let written = self.write_export(dir, &selection, None, &|_, _| {}, &|| false);
        let mut left_out = HashMap::new();
        let package = match written {
            Ok(w) => {
                for f in &w.report.failed {
                    left_out.insert(f.document, f.reason.clone());
                }
                w.report.package.map(|p| {
                    p.file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default()
                })
            }
            Err(e) => {
                for item in &due {
                    let mut p = Progress::of(item);
                    p.state = "queued";
                    p.error = Some(e.to_string());
                    p.retry_at = Some(db::now_secs() + backoff(item.attempts + 1));
                    save(item.id, &p)?;
                }
                report.stopped = Some(e.to_string());
                report.waiting = due.len();
                return Ok(report);
            }
        };
        for item in &due {
            let Some(document) = document_of.get(&item.id) else {
                continue;
            };
            let mut p = Progress::of(item);
            match left_out.get(document) {
                Some(why) => {
                    p.state = "rejected";
                    p.error = Some(format!("left out of the package: {why}"));
                    report.rejected += 1;
                }
                None => {
                    p.state = "delivered";
                    p.step = STEP_DONE;
                    p.package = package.clone();
                    report.delivered += 1;
                }
            }
            save(item.id, &p)?;
            if let Some(now) = outbox::for_rpw(self.conn(), item.rpw_item_id)? {
                on_item(&now);
            }
        }
        Ok(report)
    }

    /// One item's turn: its steps from where it stands until delivered, refused, or the EZD
    /// cannot be used. Each step's outcome is recorded before the next begins, and a write is
    /// marked as begun (`sending`) before it is sent.
    fn send_item(
        &self,
        client: &mut Client,
        item: &OutboxItem,
        save: &dyn Fn(&Progress) -> Result<()>,
    ) -> Result<Turn> {
        let mut p = Progress::of(item);
        // The scans are read only while there are files still to upload.
        let files = match if item.step <= STEP_MORE_FILES {
            self.files_of(item)
        } else {
            Ok(Vec::new())
        } {
            Ok(f) => f,
            Err(e) => {
                // Its scan is gone or unreadable: a person must look.
                p.state = "rejected";
                p.error = Some(e.to_string());
                save(&p)?;
                return Ok(Turn::Rejected);
            }
        };
        // What the letter says, and the local case it is filed under.
        let record = db::rpw::by_id(self.conn(), item.rpw_item_id)?.ok_or_else(|| {
            Error::NotFound(format!("{}: not in the register", item.local_number))
        })?;
        let case = match &record.case_sign {
            Some(sign) => db::cases::case_by_sign(self.conn(), sign)?,
            None => None,
        };
        // Before a write goes out, the item is recorded as needing a read-back: if the program
        // dies before the answer is recorded, the next run checks the EZD instead of sending
        // again.
        let begin = |p: &mut Progress| -> Result<()> {
            p.check_first = true;
            save(p)?;
            p.check_first = false;
            Ok(())
        };
        // Unknown outcomes met in this turn: a step that keeps ending so waits for a later run.
        let mut uncertain = 0;
        loop {
            // Set when the EZD's state says this item needs a person.
            let mut refusal: Option<String> = None;
            let flow = p.flow_id.clone().unwrap_or_default();
            let result: std::result::Result<(), EzdError> = match p.step {
                STEP_UPLOAD if p.check_first => client.find_flows(&item.upload_name).map(|found| {
                    let same: Vec<_> = found
                        .iter()
                        .filter(|f| f.title == item.upload_name)
                        .collect();
                    match same.as_slice() {
                        [] => p.check_first = false,
                        [one] => {
                            p.flow_id = Some(one.id.clone());
                            p.step = STEP_FIND_DOCUMENT;
                            p.check_first = false;
                        }
                        many => {
                            refusal = Some(format!(
                                "the EZD holds {} flows named {}; a person must check which is \
                                 this letter's",
                                many.len(),
                                item.upload_name
                            ))
                        }
                    }
                }),
                STEP_UPLOAD => {
                    begin(&mut p)?;
                    client
                        .upload_flow(&item.upload_name, &files[0].1)
                        .map(|id| {
                            p.flow_id = Some(id);
                            p.step = STEP_FIND_DOCUMENT;
                        })
                }
                STEP_FIND_DOCUMENT => client.flow_documents(&flow).map(|docs| {
                    match docs.iter().find(|d| d.name == item.upload_name) {
                        Some(d) => {
                            p.document_id = Some(d.id.clone());
                            p.step = STEP_MORE_FILES;
                        }
                        None => {
                            refusal = Some(format!(
                                "the EZD's flow {flow} does not hold the file {}",
                                item.upload_name
                            ))
                        }
                    }
                }),
                STEP_MORE_FILES if p.files_sent as usize + 1 >= files.len() => {
                    p.step = STEP_REGISTER;
                    Ok(())
                }
                STEP_MORE_FILES => {
                    let (name, bytes) = &files[p.files_sent as usize + 1];
                    if p.check_first {
                        client.flow_documents(&flow).map(|docs| {
                            if docs.iter().any(|d| &d.name == name) {
                                p.files_sent += 1;
                            }
                            p.check_first = false;
                        })
                    } else {
                        save(&p)?;
                        client
                            .add_flow_document(&flow, name, bytes)
                            .map(|_| p.files_sent += 1)
                    }
                }
                STEP_REGISTER => {
                    let document = p.document_id.clone().unwrap_or_default();
                    if p.check_first {
                        client.flow_documents(&flow).map(|docs| {
                            if let Some(n) = docs
                                .iter()
                                .find(|x| x.id == document)
                                .and_then(|x| x.rpw_number.clone())
                            {
                                p.rpw_number = Some(n);
                                p.step = STEP_SENDER;
                            }
                            p.check_first = false;
                        })
                    } else {
                        begin(&mut p)?;
                        client.register_rpw(&document).map(|entry| {
                            p.rpw_number = Some(entry.number);
                            p.rpw_letter = Some(entry.letter);
                            p.step = STEP_SENDER;
                        })
                    }
                }
                STEP_SENDER => {
                    // Looking the sender up first is this step's own read-back.
                    p.check_first = false;
                    let wanted = mapping::contact(&record.item);
                    match p.contact_id.clone() {
                        // Added in an earlier turn: its address is read.
                        Some(id) => client.contact(&id).map(|a| {
                            match mapping::sender_address(&wanted, std::slice::from_ref(&a))
                                .or_else(|| {
                                    a.addresses.first().map(|x| (a.id.clone(), x.version.clone()))
                                }) {
                                Some((_, version)) => {
                                    p.sender_address = Some(version);
                                    p.step = STEP_METADATA;
                                }
                                None => {
                                    refusal = Some(format!(
                                        "the EZD's contact {id} ({}) has no postal address",
                                        a.name
                                    ))
                                }
                            }
                        }),
                        // Looked for first, every time: a contact added by an answer that
                        // never came is found here rather than added twice.
                        None => client.find_contacts(&wanted).and_then(|found| {
                            match mapping::sender_address(&wanted, &found) {
                                Some((id, version)) => {
                                    p.contact_id = Some(id);
                                    p.sender_address = Some(version);
                                    p.step = STEP_METADATA;
                                    Ok(())
                                }
                                None => {
                                    client.add_contact(&wanted).map(|id| p.contact_id = Some(id))
                                }
                            }
                        }),
                    }
                }
                STEP_METADATA => {
                    // Setting the same values again changes nothing.
                    p.check_first = false;
                    let number = p.rpw_number.clone().unwrap_or_default();
                    let address = p.sender_address.clone().unwrap_or_default();
                    client.rpw_metadata(&number).and_then(|ezd| {
                        let kinds = client.dictionary(skladnica_ezd::SENDER_KINDS)?;
                        let update = mapping::sender_kind(&kinds, &record.item.sender).and_then(
                            |kind| {
                                mapping::rpw_update(
                                    &record.item,
                                    &item.local_number,
                                    &ezd,
                                    (address.clone(), kind),
                                )
                            },
                        );
                        match update {
                            Ok(u) => client.set_rpw_metadata(&number, &u).map(|()| {
                                p.step = STEP_CASE;
                            }),
                            Err(why) => {
                                refusal = Some(why);
                                Ok(())
                            }
                        }
                    })
                }
                STEP_CASE => match &case {
                    None => {
                        p.step = STEP_DONE;
                        Ok(())
                    }
                    // Read back whole before it counts as done: the flow's case sign, then the
                    // case by that sign.
                    Some(case) if p.check_first => client.flow_case_sign(&flow).and_then(|sign| {
                        let Some(sign) = sign else {
                            p.check_first = false;
                            return Ok(());
                        };
                        client.find_cases(&sign).map(|found| match found.as_slice() {
                            [one] => {
                                p.check_first = false;
                                p.case_id = Some(one.id.clone());
                                p.case_sign = Some(one.sign.clone());
                                p.step = STEP_DONE;
                            }
                            _ => {
                                refusal = Some(format!(
                                    "the EZD put the flow in case {sign}, and {} cases have that sign; a \
                                     person must check case {}",
                                    found.len(),
                                    case.sign
                                ))
                            }
                        })
                    }),
                    // Another letter of the case opened it on the EZD with no answer yet: this
                    // one waits for that to be read back rather than open a second.
                    Some(case) if outbox::case_unconfirmed(self.conn(), case.id, item.id)? => {
                        p.error = Some(format!(
                            "waiting for the EZD to confirm case {} opened for another letter",
                            case.sign
                        ));
                        p.retry_at = Some(db::now_secs() + backoff(0));
                        save(&p)?;
                        return Ok(Turn::Deferred);
                    }
                    Some(case) => match outbox::ezd_case_of(self.conn(), case.id)? {
                        Some((id, sign)) => {
                            begin(&mut p)?;
                            client.join_case(&flow, &id).map(|()| {
                                p.case_id = Some(id);
                                p.case_sign = Some(sign);
                                p.step = STEP_DONE;
                            })
                        }
                        None => match case_to_open(client, case) {
                            Err(e) => Err(e),
                            Ok(Err(why)) => {
                                refusal = Some(why);
                                Ok(())
                            }
                            Ok(Ok(new)) => {
                                begin(&mut p)?;
                                client.open_case_from_flow(&flow, &new).map(|opened| {
                                    p.case_id = Some(opened.id);
                                    p.case_sign = Some(opened.sign);
                                    p.step = STEP_DONE;
                                })
                            }
                        },
                    },
                },
                _ => {
                    p.state = "delivered";
                    p.error = None;
                    save(&p)?;
                    return Ok(Turn::Delivered);
                }
            };
            if let Some(why) = refusal {
                p.state = "rejected";
                p.error = Some(why);
                save(&p)?;
                return Ok(Turn::Rejected);
            }
            match result {
                Ok(()) => {
                    p.error = None;
                    save(&p)?;
                }
                Err(EzdError::Uncertain(m)) if uncertain < 2 => {
                    uncertain += 1;
                    p.check_first = true;
                    p.error = Some(format!("no answer from the EZD, checking: {m}"));
                    save(&p)?;
                }
                Err(e @ (EzdError::Rejected { .. } | EzdError::BadAnswer(_))) => {
                    // An unreadable answer to a write may still mean it was done: read back
                    // first when the item is queued again.
                    p.check_first = matches!(e, EzdError::BadAnswer(_));
                    p.state = "rejected";
                    p.error = Some(e.to_string());
                    save(&p)?;
                    return Ok(Turn::Rejected);
                }
                Err(e) => {
                    if matches!(e, EzdError::Uncertain(_)) {
                        p.check_first = true;
                    }
                    if p.step == STEP_UPLOAD && !p.check_first {
                        // Nothing of it can have reached the EZD yet.
                        p.state = "queued";
                    }
                    p.error = Some(e.to_string());
                    p.retry_at = Some(db::now_secs() + backoff(item.attempts + 1));
                    save(&p)?;
                    return Ok(Turn::Stop(e.to_string()));
                }
            }
        }
    }

    /// The files an item sends, named as they are uploaded: the first under the item's
    /// upload name, the others after it.
    fn files_of(&self, item: &OutboxItem) -> Result<Vec<(String, Vec<u8>)>> {
        let id = item
            .document
            .ok_or_else(|| Error::Invalid(format!("{}: no scan to send", item.local_number)))?;
        let doc = documents::get_described(self.conn(), id)?.ok_or(Error::NoDocument(id))?;
        let mut out = Vec::new();
        for (i, f) in doc.files.iter().enumerate() {
            let name = if i == 0 {
                item.upload_name.clone()
            } else {
                further_name(&item.upload_name, i, &f.original_name)
            };
            out.push((name, self.blobs().read(&f.sha256)?));
        }
        if out.is_empty() {
            return Err(Error::Invalid(format!(
                "{}: the document has no file",
                item.local_number
            )));
        }
        Ok(out)
    }
}

/// The case to open on the EZD for the local `case`: its class found in the EZD's main JRWA
/// schema; `Ok(Err(why))` when the EZD's JRWA cannot take it.
fn case_to_open(
    client: &mut Client,
    case: &db::cases::Case,
) -> std::result::Result<std::result::Result<skladnica_ezd::NewCase, String>, EzdError> {
    let schemas = client.jrwa_schemas()?;
    let schema = match mapping::main_schema(&schemas) {
        Ok(s) => s.clone(),
        Err(why) => return Ok(Err(why)),
    };
    let classes = client.jrwa_classes(&schema.id)?;
    Ok(mapping::new_case(case, &classes, &schema.name))
}

/// True when an EZD connection or drop folder is set up in the library at `conn`.
pub(crate) fn configured(conn: &rusqlite::Connection) -> Result<bool> {
    let set = |k| Ok::<_, Error>(settings::get(conn, k)?.is_some_and(|v| !v.is_empty()));
    Ok(set(KEYS[0])? || set(DROP_FOLDER)?)
}

/// Queues one register entry (inside the caller's transaction): its upload name from its
/// number and its scan's hash.
pub(crate) fn queue_record(
    conn: &rusqlite::Connection,
    record: &db::rpw::RpwRecord,
    batch: i64,
) -> Result<bool> {
    let id = record.document_id.ok_or_else(|| {
        Error::Invalid(format!(
            "{}: no scan is attached, and the EZD registers a letter from its file; attach the \
             scan first",
            record.number
        ))
    })?;
    let doc = documents::get_described(conn, id)?.ok_or(Error::NoDocument(id))?;
    let first = doc
        .files
        .first()
        .ok_or_else(|| Error::Invalid(format!("{}: the document has no file", record.number)))?;
    let ext = first
        .original_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_else(|| "bin".into());
    let name = format!("{}-{}.{ext}", record.number, &first.sha256[..12]);
    outbox::queue(conn, record.id, batch, &name)
}

/// The name the `i`-th further file (from 1) is uploaded under: after the item's upload name,
/// so that it is found again.
fn further_name(upload_name: &str, i: usize, original: &str) -> String {
    let stem = upload_name.rsplit_once('.').map_or(upload_name, |(s, _)| s);
    format!(
        "{stem}-{}-{}",
        i + 1,
        crate::export::names::safe_part(original)
    )
}

fn client_config(s: &EzdSettings, key: &str) -> Config {
    Config {
        api_url: s.api_url.clone(),
        sso_url: s.sso_url.clone(),
        pid: s.pid.clone(),
        aki: s.aki.clone(),
        sid: s.sid.clone(),
        api_key: key.to_string(),
        ca_file: s.ca_file.clone().map(Into::into),
        timeout: Duration::from_secs(s.timeout_seconds.max(1)),
    }
}
