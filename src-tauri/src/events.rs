//! Library changes reach every view as batched events: whoever changes documents reports their
//! ids here, and at most four times a second one `LibraryChanged` goes to the windows with all
//! the ids gathered since the last one.

use std::collections::BTreeSet;
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tauri::AppHandle;
use tauri_specta::Event;

/// Documents changed (imported, read by OCR, edited, filed); `all` when the whole library
/// changed (another library was opened).
#[derive(Debug, Clone, Default, Serialize, Deserialize, specta::Type, Event)]
pub struct LibraryChanged {
    /// The documents that changed.
    pub documents: Vec<i64>,
    /// Everything may have changed.
    pub all: bool,
}

/// Progress of a running job, for the status bar of every view.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, Event)]
pub struct JobsChanged {
    /// Jobs running now.
    pub running: u32,
}

enum Change {
    Documents(Vec<i64>),
    All,
}

/// Where changes are reported.
pub struct Changes {
    tx: Mutex<Sender<Change>>,
}

impl Changes {
    /// Starts the thread that batches changes and emits them to `app`.
    pub fn start(app: AppHandle) -> Changes {
        let (tx, rx) = channel();
        std::thread::Builder::new()
            .name("skladnica-events".into())
            .spawn(move || batch(app, rx))
            .expect("the events thread starts");
        Changes { tx: Mutex::new(tx) }
    }

    /// Documents changed.
    pub fn documents(&self, ids: impl IntoIterator<Item = i64>) {
        let ids: Vec<i64> = ids.into_iter().collect();
        if !ids.is_empty() {
            self.send(Change::Documents(ids));
        }
    }

    /// Everything changed.
    pub fn all(&self) {
        self.send(Change::All);
    }

    fn send(&self, c: Change) {
        let tx = self.tx.lock().unwrap_or_else(|e| e.into_inner());
        // The thread ends only with the app.
        let _ = tx.send(c);
    }
}

fn batch(app: AppHandle, rx: Receiver<Change>) {
    while let Ok(first) = rx.recv() {
        std::thread::sleep(Duration::from_millis(250));
        let mut ids = BTreeSet::new();
        let mut all = false;
        for c in std::iter::once(first).chain(rx.try_iter()) {
            match c {
                Change::Documents(d) => ids.extend(d),
                Change::All => all = true,
            }
        }
        let event = LibraryChanged {
            documents: ids.into_iter().collect(),
            all,
        };
        if event.emit(&app).is_err() {
            break;
        }
    }
}
