//! A background thread the windows follow: it wakes every so often (or when asked), does its
//! work, and keeps a state that is sent to the windows as an event whenever it changes. The
//! hot-folder watcher (`hotfolder`), the export scheduler (`schedule`) and the EZD sender
//! (`ezd`) are three.

use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use tauri::AppHandle;
use tauri_specta::Event;

/// The thread's state (`T`, an event) and a way to wake it.
pub struct Background<T> {
    status: Mutex<T>,
    wake: Mutex<Sender<()>>,
}

impl<T: Clone + Default + PartialEq + Event + serde::Serialize> Background<T> {
    /// Starts the thread `name`, running `body` each time it wakes: every `poll`, or at once
    /// after [`Background::wake`] (`body` may keep state between turns). It ends with the app.
    pub fn start(
        name: &str,
        app: AppHandle,
        poll: Duration,
        mut body: impl FnMut(&AppHandle) + Send + 'static,
    ) -> Background<T> {
        let (tx, rx): (Sender<()>, Receiver<()>) = channel();
        std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                loop {
                    match rx.recv_timeout(poll) {
                        Ok(()) | Err(RecvTimeoutError::Timeout) => body(&app),
                        Err(RecvTimeoutError::Disconnected) => return,
                    }
                }
            })
            .expect("a background thread starts");
        Background {
            status: Mutex::new(T::default()),
            wake: Mutex::new(tx),
        }
    }

    /// Runs the thread's work now.
    pub fn wake(&self) {
        let _ = self.wake.lock().unwrap_or_else(|e| e.into_inner()).send(());
    }

    /// The state now.
    pub fn status(&self) -> T {
        self.lock().clone()
    }

    /// The state, held (to check and set it in one step).
    pub fn lock(&self) -> MutexGuard<'_, T> {
        self.status.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Changes the state with `f`, telling the windows when it changed; returns the new state.
    pub fn update(&self, app: &AppHandle, f: impl FnOnce(&mut T)) -> T {
        let mut status = self.lock();
        let before = status.clone();
        f(&mut status);
        if *status != before {
            let _ = status.clone().emit(app);
        }
        status.clone()
    }
}

/// Seconds from the environment variable `var` (for tests), else `default`.
pub fn poll_from_env(var: &str, default: u64) -> Duration {
    Duration::from_secs(
        std::env::var(var)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(default),
    )
}
